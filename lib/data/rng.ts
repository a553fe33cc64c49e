/**
 * Seeded pseudo-random numbers for everything random in Focal Lab (data, initialisation, sampling).
 *
 * Rules: never Math.random; create an {@link Rng} from a seed and pass it down explicitly; derive independent
 * streams with {@link deriveSeed} / {@link Rng.fork} instead of sharing one generator across unrelated consumers.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, period ≥ 2³²,
 * passes PractRand to many TB), seeded through splitmix32 from a 32-bit hash of the seed.
 *
 * Cross-engine determinism: the state update uses only 32-bit integer ops (Math.imul, >>>, |, ^, +), and every
 * derived real number uses only IEEE-754 operations that are correctly rounded by specification (+ − × ÷,
 * Math.sqrt, Math.floor) — so the same seed gives bit-identical output in every JS engine. `Math.log`, `Math.exp`,
 * `Math.sin`, `Math.cos` are NOT specified to be correctly rounded and do differ by an ulp between engines
 * (V8 in Node and Chromium agree with each other, Firefox/Safari may not); this module therefore implements
 * {@link detLog} and {@link detExp} with arithmetic only and uses them in {@link Rng.normal} and
 * {@link Rng.logUniform}. Callers who want the same guarantee should avoid the Math transcendentals on data paths.
 */

/** A seed: any integer (used modulo 2³²) or string (hashed). Non-integer numbers are hashed by their text. */
export type Seed = number | string;

/**
 * 32-bit FNV-1a hash of a string's UTF-16 code units, finished with the murmur3 fmix32 avalanche.
 * @returns an unsigned 32-bit integer
 */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3 finaliser: a bijective avalanche on 32-bit integers. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Map a {@link Seed} to an unsigned 32-bit integer. Integers in [0, 2³²) are mixed bijectively (so seeds 0, 1, 2
 * give unrelated streams); other numbers and strings are hashed.
 */
export function hashSeed(seed: Seed): number {
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32) {
    return fmix32((seed ^ 0x9e3779b9) >>> 0);
  }
  return hashString(typeof seed === 'number' ? `n:${seed}` : `s:${seed}`);
}

/**
 * A seed for a named sub-stream, e.g. deriveSeed(datasetSeed, 'image', 17). Order of parts matters.
 * @returns an unsigned 32-bit integer
 */
export function deriveSeed(base: Seed, ...parts: Seed[]): number {
  let h = hashSeed(base);
  for (const p of parts) {
    h = fmix32((Math.imul(h ^ hashSeed(p), 0x9e3779b1) + 0x7f4a7c15) >>> 0);
  }
  return h;
}

const LN2 = 0.6931471805599453; // nearest double to ln 2
// Cody–Waite split of ln 2 (fdlibm): LN2_HI has trailing zero bits, so k·LN2_HI is exact for |k| < 2¹¹.
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;

/**
 * Natural logarithm with only + − × ÷ (bit-identical across JS engines; |error| ≲ 2 ulp).
 * x = m·2ᵉ with m ∈ [1/√2, √2) (exact scaling by powers of two), ln m = 2·atanh(z), z = (m−1)/(m+1) ∈ [−0.172, 0.172],
 * atanh by its odd Taylor series to z³¹ (next term < 1e-25).
 * @param x > 0 (returns NaN for x ≤ 0 or NaN, +∞ for +∞)
 */
export function detLog(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return Infinity;
  let e = 0;
  let m = x;
  while (m >= 2) {
    m *= 0.5;
    e++;
  }
  while (m < 1) {
    m *= 2;
    e--;
  }
  if (m > Math.SQRT2) {
    m *= 0.5;
    e++;
  }
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let k = 3; k <= 31; k += 2) {
    term *= z2;
    sum += term / k;
  }
  return 2 * sum + e * LN2;
}

/**
 * eˣ with only + − × ÷ (bit-identical across JS engines; relative error ≲ 4 ulp for |x| < 700).
 * x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite reduction), eʳ by Taylor series to r²⁰, then exact scaling by 2ᵏ.
 */
export function detExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.7) return Infinity;
  if (x < -745.2) return 0;
  const k = Math.floor(x / LN2 + 0.5);
  const r = x - k * LN2_HI - k * LN2_LO;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 20; n++) {
    term *= r / n;
    sum += term;
  }
  let scale: number;
  let kk = k;
  // Scale in steps of 2^±512 at most so intermediate powers never overflow or flush to zero early.
  while (kk > 0) {
    const step = Math.min(kk, 512);
    scale = 2 ** step;
    sum *= scale;
    kk -= step;
  }
  while (kk < 0) {
    const step = Math.min(-kk, 512);
    scale = 2 ** -step;
    sum *= scale;
    kk += step;
  }
  return sum;
}

/** A seeded random number generator. All methods advance the same internal stream. */
export interface Rng {
  /** Next raw output: an unsigned 32-bit integer, uniform on [0, 2³²). */
  next(): number;
  /** Uniform on [0, 1), multiples of 2⁻³². */
  float(): number;
  /** Uniform on [a, b). */
  uniform(a: number, b: number): number;
  /** Uniform integer on [a, b], both ends included (a ≤ b, integers). */
  int(a: number, b: number): number;
  /** Standard normal N(0, 1) (Marsaglia polar method with {@link detLog}). */
  normal(): number;
  /** Log-uniform on [a, b): exp(U(ln a, ln b)), 0 < a ≤ b; scale-free sizes. */
  logUniform(a: number, b: number): number;
  /** true with probability p (default ½). */
  bool(p?: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(arr: readonly T[]): T;
  /** An independent generator for a named sub-task; consumes one draw of this stream. */
  fork(label?: Seed): Rng;
}

/** sfc32 state stepper; returns uint32. */
class Sfc32Rng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed32: number) {
    // splitmix32 expands the 32-bit seed into 4 well-mixed state words.
    let s = seed32 >>> 0;
    const sm = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = 1; // sfc32 counter
    for (let i = 0; i < 12; i++) this.next(); // discard the warm-up outputs
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / 4294967296;
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.float();
  }

  int(a: number, b: number): number {
    if (!Number.isInteger(a) || !Number.isInteger(b) || b < a) {
      throw new Error(`Rng.int: need integers a ≤ b, got ${a}, ${b}`);
    }
    return a + Math.floor(this.float() * (b - a + 1));
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    for (;;) {
      const u = 2 * this.float() - 1;
      const v = 2 * this.float() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * detLog(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  logUniform(a: number, b: number): number {
    if (!(a > 0 && b >= a)) throw new Error(`Rng.logUniform: need 0 < a ≤ b, got ${a}, ${b}`);
    return detExp(this.uniform(detLog(a), detLog(b)));
  }

  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error('Rng.pick: empty array');
    return arr[Math.floor(this.float() * arr.length)];
  }

  fork(label: Seed = 0): Rng {
    return new Sfc32Rng(deriveSeed(this.next(), label));
  }
}

/**
 * Create a generator. Same seed ⇒ same sequence, in every JS engine.
 * @example const rng = createRng('focal-lab'); rng.uniform(0, 1);
 */
export function createRng(seed: Seed): Rng {
  return new Sfc32Rng(hashSeed(seed));
}
