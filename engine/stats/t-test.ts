/**
 * Paired t-test, TOST equivalence and non-inferiority on per-example differences
 * d = ft − base, as scipy.stats.ttest_rel and statsmodels' ttost_paired compute them.
 *
 * With n differences, mean m and standard deviation s (n − 1 denominator), se = s / √n and
 * df = n − 1:
 * - t-test: t = m / se, two-sided p = 2 P(T > |t|); the (1 − α) interval for the mean
 *   difference is m ± t_{1−α/2, df} · se;
 * - TOST at bounds (low, upp): the lower test t₁ = (m − low) / se with p₁ = P(T > t₁) and the
 *   upper test t₂ = (m − upp) / se with p₂ = P(T < t₂); the TOST p-value is max(p₁, p₂) and the
 *   models are equivalent at level α when it is below α;
 * - non-inferiority at margin δ: the lower TOST test at low = −δ, H0: mean(d) ≤ −δ.
 * The TOST standard error is statsmodels' √(Σ(d − m)² / n) / √(n − 1), equal to se up to
 * rounding. With s = 0 the t statistics are ±∞ (p 0) or undefined (0/0, NaN), as there.
 */
import { EngineError } from '../errors.js';
import { pairedDifferences } from './differences.js';
import { studentTQuantile, studentTSurvival } from './distributions.js';

export interface TTestResult {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  readonly meanDifference: number;
  readonly seDifference: number;
  /** The `level` confidence interval of the mean difference, [low, high]. */
  readonly confidenceInterval: readonly [number, number];
  readonly level: number;
}

export interface OneSidedTest {
  readonly t: number;
  readonly pValue: number;
  readonly df: number;
}

export interface TostResult {
  readonly low: number;
  readonly upp: number;
  /** max(lower.pValue, upper.pValue). */
  readonly pValue: number;
  readonly lower: OneSidedTest;
  readonly upper: OneSidedTest;
  /** pValue < alpha (false when the p-value is undefined). */
  readonly equivalent: boolean;
  readonly alpha: number;
}

export interface NonInferiorityResult extends OneSidedTest {
  readonly margin: number;
  /** pValue < alpha; null when the p-value is undefined. */
  readonly nonInferior: boolean | null;
  readonly alpha: number;
}

function sumOf(d: Float64Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s;
}

function sumOfSquaredDeviations(d: Float64Array, mean: number): number {
  let ss = 0;
  for (let i = 0; i < d.length; i++) {
    const e = d[i] - mean;
    ss += e * e;
  }
  return ss;
}

function needTwo(n: number): void {
  if (n < 2)
    throw new EngineError('bad-argument', `a paired t-test needs at least 2 examples, got ${n}`);
}

function checkLevel(level: number, what: string): void {
  if (!(level > 0 && level < 1))
    throw new EngineError('bad-argument', `${what} must be between 0 and 1, got ${level}`);
}

/** scipy.stats.ttest_rel(ft, base), two-sided, with the `level` interval (default 95%). */
export function pairedTTest(
  base: ArrayLike<number>,
  ft: ArrayLike<number>,
  level = 0.95,
): TTestResult {
  checkLevel(level, 'the confidence level');
  const d = pairedDifferences(base, ft);
  const n = d.length;
  needTwo(n);
  const mean = sumOf(d) / n;
  const variance = sumOfSquaredDeviations(d, mean) / (n - 1);
  const se = Math.sqrt(variance / n);
  const df = n - 1;
  const t = mean / se;
  const pValue = Number.isNaN(t) ? NaN : 2 * studentTSurvival(Math.abs(t), df);
  const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
  return {
    statistic: t,
    df,
    pValue,
    meanDifference: mean,
    seDifference: se,
    confidenceInterval: [mean - half, mean + half],
    level,
  };
}

/** Mean and statsmodels' standard error of the mean of the differences. */
function descriptive(d: Float64Array): { mean: number; se: number; df: number } {
  const n = d.length;
  needTwo(n);
  const mean = sumOf(d) / n;
  const std = Math.sqrt(sumOfSquaredDeviations(d, mean) / n);
  return { mean, se: std / Math.sqrt(n - 1), df: n - 1 };
}

function lowerTest(mean: number, se: number, df: number, low: number): OneSidedTest {
  const t = (mean - low) / se;
  return { t, pValue: studentTSurvival(t, df), df };
}

function upperTest(mean: number, se: number, df: number, upp: number): OneSidedTest {
  const t = (mean - upp) / se;
  // P(T < t) as the upper tail at −t, which keeps small p-values' relative precision.
  return { t, pValue: studentTSurvival(-t, df), df };
}

/** statsmodels ttost_paired(ft, base, low, upp): two one-sided tests of equivalence. */
export function tostPaired(
  base: ArrayLike<number>,
  ft: ArrayLike<number>,
  low: number,
  upp: number,
  alpha = 0.05,
): TostResult {
  checkLevel(alpha, 'alpha');
  if (!(low <= upp))
    throw new EngineError(
      'bad-argument',
      `the equivalence bounds must satisfy low ≤ upp, got ${low} and ${upp}`,
    );
  const { mean, se, df } = descriptive(pairedDifferences(base, ft));
  const lower = lowerTest(mean, se, df, low);
  const upper = upperTest(mean, se, df, upp);
  const pValue =
    Number.isNaN(lower.pValue) || Number.isNaN(upper.pValue)
      ? NaN
      : Math.max(lower.pValue, upper.pValue);
  return { low, upp, pValue, lower, upper, equivalent: pValue < alpha, alpha };
}

/** Non-inferiority of ft at `margin` ≥ 0: H0 mean(ft − base) ≤ −margin, one-sided. */
export function nonInferiority(
  base: ArrayLike<number>,
  ft: ArrayLike<number>,
  margin: number,
  alpha = 0.05,
): NonInferiorityResult {
  checkLevel(alpha, 'alpha');
  if (!(margin >= 0))
    throw new EngineError('bad-argument', `a non-inferiority margin must be ≥ 0, got ${margin}`);
  const { mean, se, df } = descriptive(pairedDifferences(base, ft));
  const test = lowerTest(mean, se, df, -margin);
  return {
    ...test,
    margin,
    nonInferior: Number.isNaN(test.pValue) ? null : test.pValue < alpha,
    alpha,
  };
}

/**
 * The (1 − 2α) interval of the mean difference, the interval TOST inverts: equivalence holds
 * at level α exactly for bounds (−δ, δ) that contain it, so its larger absolute end is the
 * smallest margin declaring equivalence (`equivalenceMargin`). Undefined (NaN ends) when the
 * differences do not vary: every positive margin then gives p = 0 and none gives p = α.
 */
export function tostInterval(
  base: ArrayLike<number>,
  ft: ArrayLike<number>,
  alpha = 0.05,
): readonly [number, number] {
  checkLevel(alpha, 'alpha');
  const { mean, se, df } = descriptive(pairedDifferences(base, ft));
  if (!(se > 0)) return [NaN, NaN];
  const half = studentTQuantile(1 - alpha, df) * se;
  return [mean - half, mean + half];
}

/** The smallest symmetric margin at which TOST declares equivalence at level α (NaN if none). */
export function equivalenceMargin(
  base: ArrayLike<number>,
  ft: ArrayLike<number>,
  alpha = 0.05,
): number {
  const [lo, hi] = tostInterval(base, ft, alpha);
  return Math.max(Math.abs(lo), Math.abs(hi));
}
