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
          Focal Lab
        </Link>
        <div className="site-header__end">
          <ul>
            <li>
              <Link href="/">Course</Link>
            </li>
            <li>
              <Link href="/figures/">Figures</Link>
            </li>
          </ul>
          <ThemeToggle />
        </div>
      </nav>
    </header>
  );
}
