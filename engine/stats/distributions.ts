/**
 * The normal and Student-t distributions to full double precision, for the paired tests: the
 * log-gamma function, the regularized incomplete beta function, the t distribution's tails
 * and its quantile.
 */
import { erfc } from './special.js';

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)
const SQRT1_2 = Math.SQRT1_2;

// Lanczos approximation with g = 607/128 and 15 terms (Godfrey's coefficients): relative error
// below 1e-15 for every positive argument.
const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.9999999999999971, 57.15623566586292, -59.59796035547549, 14.136097974741746,
  -0.4919138160976202, 0.00003399464998481189, 0.00004652362892704858, -0.00009837447530487956,
  0.0001580887032249125, -0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639,
  0.00008441822398385275, -0.000026190838401581408, 0.0000036899182659531625,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * The regularized incomplete beta function I_x(a, b), for 0 ≤ x ≤ 1 and a, b > 0. `xc` is
 * 1 − x when the caller knows it more precisely than 1 − x would give (tails of the t
 * distribution). The continued fraction (DLMF 8.17.22) is evaluated by the modified Lentz
 * method on the side where it converges fast, x < (a + 1) / (a + b + 2), and the other side by
 * I_x(a, b) = 1 − I_{1−x}(b, a).
 */
export function incompleteBeta(x: number, a: number, b: number, xc: number = 1 - x): number {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return NaN;
  if (x <= 0) return 0;
  if (xc <= 0) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(xc, b, a, x);
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  // log1p(−x) loses nothing for small x; for x near 1 the caller's xc is exact, so prefer it.
  const logFrontExact = xc < 0.5 ? a * Math.log(x) + b * Math.log(xc) - logBeta(a, b) : logFront;
  return (Math.exp(logFrontExact) / a) * betaContinuedFraction(x, a, b);
}

/** 1 / (1 + d1 / (1 + d2 / (1 + …))) for the incomplete beta function, by modified Lentz. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const eps = 1e-16;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    // Even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m)).
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    // Odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < eps) break;
  }
  return f;
}

/** P(Z > z) for a standard normal Z. */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z * SQRT1_2);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/**
 * P(T > t) for T ~ Student t with `df` degrees of freedom (df > 0, not necessarily an
 * integer): ½ I_{df/(df+t²)}(df/2, ½) for t ≥ 0, and its complement below 0.
 */
export function studentTSurvival(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  const x = df / (df + t2);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5, t2 / (df + t2));
  return t >= 0 ? tail : 1 - tail;
}

/** P(T ≤ t) for T ~ Student t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  return studentTSurvival(-t, df);
}

/**
 * The quantile of Student's t: the t with P(T ≤ t) = p. Found by bisection on the tail
 * probability, to the last representable bit (the tail is monotone, so bisection cannot fail).
 */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work on the upper tail q = P(T > t) with t > 0; the lower half follows by symmetry.
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  let lo = 0;
  let hi = 1;
  while (studentTSurvival(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return upper ? Infinity : -Infinity;
  }
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (studentTSurvival(mid, df) > q) lo = mid;
    else hi = mid;
  }
  const t = lo + (hi - lo) / 2;
  return upper ? t : -t;
}
