import Link from 'next/link';
import ThemeToggle from './ThemeToggle';

export default function SiteHeader() {
  return (
    <header className="site-header">
      <nav aria-label="Site">
        <Link href="/" className="brand">
          <span aria-hidden="true" className="brand-mark">
            γ
          </span>
          <span className="brand-name">Focal Lab</span>
        </Link>
        <div className="site-header__end">
          <ul>
            <li>
              <Link href="/">Course</Link>
            </li>
            <li>
              <Link href="/figures/">Figures</Link>
            </li>
            <li>
              <Link href="/playground/">Playground</Link>
            </li>
          </ul>
          <ThemeToggle />
        </div>
      </nav>
    </header>
  );
}
