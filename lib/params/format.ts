import { format } from 'd3-format';

/**
 * Safe number formatting for readouts, tables and tick labels: every function returns '—' for anything
 * that is not a finite number, so NaN, Infinity or undefined are never shown to a reader.
 */

/** Shown in place of a non-finite value. */
export const MISSING = '—';

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

const sigCache = new Map<number, (n: number) => string>();
/** `x` to `digits` significant digits, trailing zeros trimmed (0.00105, 21.9, 1.2e+5 → "120,000"?). */
export function fmt(x: unknown, digits = 3): string {
  if (!isNum(x)) return MISSING;
  if (x === 0) return '0';
  const ax = Math.abs(x);
  // Very small or very large magnitudes read better in exponent form.
  if (ax < 1e-4 || ax >= 1e7) return fmtExp(x, digits);
  let f = sigCache.get(digits);
  if (!f) {
    f = format(`,.${digits}~r`);
    sigCache.set(digits, f);
  }
  return f(x);
}

/** `x` with a fixed number of decimals (slider outputs: 0.25, 2.0). */
export function fmtFixed(x: unknown, decimals = 2): string {
  if (!isNum(x)) return MISSING;
  const s = x.toFixed(decimals);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s.replace('-', '−');
}

/** Exponent notation with a real superscript-free form readers know: 1.2 × 10⁻⁵ is long, so "1.2e−5". */
export function fmtExp(x: unknown, digits = 3): string {
  if (!isNum(x)) return MISSING;
  const [m, e] = x.toExponential(Math.max(0, digits - 1)).split('e');
  const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
  return `${mant.replace('-', '−')}e${e.replace('+', '').replace('-', '−')}`;
}

/** A ratio "how many times": 1.5×, 21.9×, 100×, 1,770×; '—' when not finite. */
export function fmtTimes(x: unknown): string {
  if (!isNum(x)) return MISSING;
  const ax = Math.abs(x);
  if (ax >= 1e7) return `${fmtExp(x, 3)}×`;
  if (ax >= 100) return `${format(',.0f')(x).replace('-', '−')}×`;
  return `${fmt(x, 3)}×`;
}

/** A count with thousands separators: 100,000. */
export function fmtCount(x: unknown): string {
  if (!isNum(x)) return MISSING;
  return format(',.0f')(x).replace('-', '−');
}

/** A share in percent: 0.874 → "87.4%". */
export function fmtPercent(x: unknown, digits = 3): string {
  if (!isNum(x)) return MISSING;
  if (x !== 0 && Math.abs(x) < 1e-4) return `${fmtExp(x * 100, 2)}%`;
  return `${format(`.${digits}~r`)(x * 100).replace('-', '−')}%`;
}

const SUP: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** A power of ten as "10⁻³" (tick labels on log axes); other numbers fall back to {@link fmt}. */
export function fmtPow10(x: unknown): string {
  if (!isNum(x) || x <= 0) return fmt(x);
  const e = Math.round(Math.log10(x));
  if (Math.abs(10 ** e - x) > 1e-9 * x) return fmt(x);
  if (e === 0) return '1';
  if (e === 1) return '10';
  return `10${String(e)
    .split('')
    .map((c) => SUP[c] ?? c)
    .join('')}`;
}
