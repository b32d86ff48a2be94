/**
 * The binomial distribution: an accurate probability mass and tail, and an exact sampler.
 *
 * The mass uses Loader's saddle-point form (C. Loader, "Fast and accurate computation of
 * binomial probabilities", 2000), which keeps full relative precision for n in the millions
 * where C(n, k) and 2^n overflow and a log-gamma difference would lose digits. Tails are summed
 * outward from the largest term by the ratio of successive terms, so they inherit that
 * precision. The sampler is exact: sequential inversion when n·p is small, and Hörmann's
 * transformed rejection with squeeze (BTRS, "The generation of binomial random variates",
 * 1993) otherwise, so a draw costs O(1) whatever n is.
 */
import type { Rng } from '../random.js';

const LN_2PI = 1.8378770664093453; // log(2π)
const LN_SQRT_2PI = 0.9189385332046728; // log(sqrt(2π))

/** ln(k!) for k = 0..15, summed directly: small enough that the sum is exact to 1e-15. */
const LN_FACTORIAL_SMALL = (() => {
  const out = new Float64Array(16);
  for (let k = 1; k < 16; k++) out[k] = out[k - 1] + Math.log(k);
  return out;
})();

/**
 * The error of Stirling's formula, ln(n!) − [ln(sqrt(2πn)) + n·ln(n) − n], for integers n ≥ 1:
 * exact values below 16, the asymptotic series above (its truncation error is under 1e-17).
 */
export function stirlingError(n: number): number {
  if (n <= 15) return LN_FACTORIAL_SMALL[n] - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  const nn = n * n;
  const s0 = 1 / 12;
  const s1 = 1 / 360;
  const s2 = 1 / 1260;
  const s3 = 1 / 1680;
  const s4 = 1 / 1188;
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/** x·ln(x/m) + m − x, without the cancellation of that form when x is close to m. */
function devianceTerm(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let sum = (x - m) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/** P(X = k) for X ~ Binomial(n, p), with full relative precision. */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n || !Number.isInteger(k)) return 0;
  const q = 1 - p;
  if (p === 0) return k === 0 ? 1 : 0;
  if (q === 0) return k === n ? 1 : 0;
  if (k === 0) {
    if (n === 0) return 1;
    return Math.exp(p < 0.1 ? -devianceTerm(n, n * q) - n * p : n * Math.log(q));
  }
  if (k === n) return Math.exp(q < 0.1 ? -devianceTerm(n, n * p) - n * q : n * Math.log(p));
  const lc =
    stirlingError(n) -
    stirlingError(k) -
    stirlingError(n - k) -
    devianceTerm(k, n * p) -
    devianceTerm(n - k, n * q);
  const lf = LN_2PI + Math.log(k) + Math.log1p(-k / n);
  return Math.exp(lc - 0.5 * lf);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p). The tail on the side of k away from the mean is summed
 * (from its largest term outward, stopping when terms no longer change the sum), so small
 * tail probabilities keep their relative precision.
 */
export function binomialCdf(k: number, n: number, p: number): number {
  k = Math.floor(k);
  if (k < 0) return 0;
  if (k >= n) return 1;
  const q = 1 - p;
  if (k <= n * p) return binomialPmf(k, n, p) * tailSum(k, (i) => (i * q) / ((n - i + 1) * p), 0);
  return 1 - binomialPmf(k + 1, n, p) * tailSum(k + 1, (i) => ((n - i) * p) / ((i + 1) * q), n);
}

/** 1 + r(from) + r(from)·r(next) + …, stepping toward `end`; every ratio is below 1. */
function tailSum(from: number, ratio: (i: number) => number, end: number): number {
  let sum = 1;
  let term = 1;
  const step = end < from ? -1 : 1;
  for (let i = from; i !== end; i += step) {
    term *= ratio(i);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return sum;
}

/**
 * One draw from Binomial(n, p), consuming the generator deterministically: the same seed
 * gives the same draws on every machine. Exact (no normal approximation) for every n and p.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  return n * p < 10 ? binomialInversion(rng, n, p) : binomialBtrs(rng, n, p);
}

/** Sequential search from 0; expected n·p + 1 steps, so only for small n·p. */
function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  const first = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = rng.nextFloat();
    let r = first;
    let x = 0;
    while (u > r) {
      u -= r;
      x++;
      // Rounding can leave u above the total mass; then start again with a fresh u.
      if (x > n) break;
      r *= a / x - s;
    }
    if (x <= n) return x;
  }
}

/** BTRS for p ≤ 0.5 and n·p ≥ 10. */
function binomialBtrs(rng: Rng, n: number, p: number): number {
  const spq = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  for (;;) {
    const u = rng.nextFloat() - 0.5;
    const v = rng.nextFloat();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    // The squeeze accepts most draws; only the rest need the logarithms below.
    if (us >= 0.07 && v <= vr) return k;
    if (btrsAccepts(n, p, k, us, v, a, b, spq)) return k;
  }
}

/** BTRS's exact test of a candidate k that the squeeze did not accept. */
function btrsAccepts(
  n: number,
  p: number,
  k: number,
  us: number,
  v: number,
  a: number,
  b: number,
  spq: number,
): boolean {
  const q = 1 - p;
  const alpha = (2.83 + 5.1 / b) * spq;
  const r = p / q;
  const m = Math.floor((n + 1) * p);
  // ln(j!) = (j + ½)·ln(j + 1) − (j + 1) + ln√(2π) + stirlingError(j + 1); the linear and
  // constant terms cancel in ln(f(k) / f(m)), leaving the form below.
  const fixed = (m + 0.5) * Math.log((m + 1) / (r * (n - m + 1))) + stirlingError(m + 1);
  const fixedTail = stirlingError(n - m + 1);
  const logV = Math.log((v * alpha) / (a / (us * us) + b));
  const logRatio =
    fixed +
    (n + 1) * Math.log((n - m + 1) / (n - k + 1)) +
    (k + 0.5) * Math.log((r * (n - k + 1)) / (k + 1)) +
    fixedTail -
    stirlingError(k + 1) -
    stirlingError(n - k + 1);
  return logV <= logRatio;
}
