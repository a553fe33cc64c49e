import PageLink from './PageLink';
import ThemeToggle from './ThemeToggle';

export default function SiteHeader() {
  return (
    <header className="site-header">
      <nav aria-label="Site">
        <PageLink href="/" className="brand">
          <span aria-hidden="true" className="brand-mark">
            γ
          </span>
          <span className="brand-name">Focal Lab</span>
        </PageLink>
        <div className="site-header__end">
          <ul>
            <li>
              <PageLink href="/">Course</PageLink>
            </li>
            <li>
              <PageLink href="/figures/">Figures</PageLink>
            </li>
            <li>
              <PageLink href="/playground/">Playground</PageLink>
            </li>
          </ul>
          <ThemeToggle />
        </div>
      </nav>
    </header>
  );
}
