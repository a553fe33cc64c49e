import Link from 'next/link';

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
        <ul>
          <li>
            <Link href="/">Course</Link>
          </li>
          <li>
            <Link href="/figures/">Figures</Link>
          </li>
        </ul>
      </nav>
    </header>
  );
}
