/**
 * The Wilcoxon signed-rank test on paired differences d = ft − base, two-sided, as
 * scipy.stats.wilcoxon (1.10) computes it.
 *
 * The absolute differences are ranked (ties get their average rank); R+ and R− are the rank
 * sums of the positive and negative differences and the statistic is min(R+, R−). Zeros are
 * handled by `zeroMethod`:
 * - `wilcox`: zeros are dropped before ranking;
 * - `pratt`: zeros are ranked with the rest, then their ranks dropped; the null mean and
 *   variance are adjusted for them (Cureton, 1967);
 * - `zsplit`: zeros are ranked and their rank sum is split equally between R+ and R−.
 * Normal approximation (`wilcoxonApprox`): with n ranked values, mean n(n+1)/4 and variance
 * [n(n+1)(2n+1) − ½ Σ t(t² − 1)] / 24 over the groups of t tied ranks; z = (T − mean − c) / sd
 * where c = ½ sign(T − mean) with continuity correction, else 0; p = 2 P(Z > |z|).
 * Exact (`wilcoxonExact`): the null distribution of R+ counted over the 2ⁿ sign patterns, only
 * without zeros and ties; p = 2 min(P(R+ ≤ r), P(R+ ≥ r)), 1 at the centre.
 */
import { normalSurvival } from './distributions.js';

export type WilcoxonZeroMethod = 'wilcox' | 'pratt' | 'zsplit';

/** Why a variant gives no value for these differences. */
export type WilcoxonUndefined = 'all-differences-zero' | 'zeros-or-ties' | 'too-many-for-exact';

export interface WilcoxonResult {
  /** min(R+, R−); NaN when undefined. */
  readonly statistic: number;
  /** NaN for the exact test. */
  readonly z: number;
  readonly pValue: number;
  /** How many differences were ranked. */
  readonly nRanked: number;
  readonly rPlus: number;
  readonly rMinus: number;
  /** Set when the test is undefined for these differences (every number is then NaN). */
  readonly undefinedBecause?: WilcoxonUndefined;
}

/** The largest n for the exact distribution: its counts stay exact integers in float64. */
export const WILCOXON_EXACT_MAX_N = 50;

function undefinedResult(reason: WilcoxonUndefined, nRanked: number): WilcoxonResult {
  return {
    statistic: NaN,
    z: NaN,
    pValue: NaN,
    nRanked,
    rPlus: NaN,
    rMinus: NaN,
    undefinedBecause: reason,
  };
}

interface Ranked {
  /** The kept differences. */
  readonly values: Float64Array;
  /** Average ranks of their absolute values. */
  readonly ranks: Float64Array;
}

/** Average ranks (1-based) of |values|, ties sharing their mean rank, as scipy's rankdata. */
function rankAbsolute(values: Float64Array): Ranked {
  const n = values.length;
  const abs = values.map(Math.abs);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => abs[a] - abs[b]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && abs[order[j]] === abs[order[i]]) j++;
    const average = (i + 1 + j) / 2; // mean of ranks i+1 .. j
    for (let k = i; k < j; k++) ranks[order[k]] = average;
    i = j;
  }
  return { values, ranks };
}

/** Σ t(t² − 1) over the groups of equal values of `ranks` (t ≥ 2). */
function tieTerm(ranks: ArrayLike<number>): number {
  const sorted = Float64Array.from(ranks).sort();
  let sum = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) sum += t * (t * t - 1);
    i = j;
  }
  return sum;
}

/** Two-sided Wilcoxon signed-rank test by the normal approximation. */
export function wilcoxonApprox(
  d: ArrayLike<number>,
  zeroMethod: WilcoxonZeroMethod = 'wilcox',
  correction = false,
): WilcoxonResult {
  let nZero = 0;
  for (let i = 0; i < d.length; i++) if (d[i] === 0) nZero++;
  if (zeroMethod !== 'zsplit' && nZero === d.length)
    return undefinedResult('all-differences-zero', 0);
  const kept =
    zeroMethod === 'wilcox' ? Float64Array.from(d).filter((v) => v !== 0) : Float64Array.from(d);
  const { values, ranks } = rankAbsolute(kept);
  const count = values.length;
  let rPlus = 0;
  let rMinus = 0;
  let rZero = 0;
  for (let i = 0; i < count; i++) {
    if (values[i] > 0) rPlus += ranks[i];
    else if (values[i] < 0) rMinus += ranks[i];
    else rZero += ranks[i];
  }
  if (zeroMethod === 'zsplit') {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const statistic = Math.min(rPlus, rMinus);
  let mn = count * (count + 1) * 0.25;
  let se = count * (count + 1) * (2 * count + 1);
  let tieRanks: ArrayLike<number> = ranks;
  if (zeroMethod === 'pratt') {
    tieRanks = ranks.filter((_, i) => values[i] !== 0);
    mn -= nZero * (nZero + 1) * 0.25;
    se -= nZero * (nZero + 1) * (2 * nZero + 1);
  }
  se -= 0.5 * tieTerm(tieRanks);
  se = Math.sqrt(se / 24);
  const c = correction ? 0.5 * Math.sign(statistic - mn) : 0;
  const z = (statistic - mn - c) / se;
  const pValue = 2 * normalSurvival(Math.abs(z));
  return { statistic, z, pValue, nRanked: count, rPlus, rMinus };
}

/**
 * Two-sided Wilcoxon signed-rank test with the exact null distribution; undefined when a
 * difference is zero, two absolute differences tie, or there are more than
 * `WILCOXON_EXACT_MAX_N` differences.
 */
export function wilcoxonExact(d: ArrayLike<number>): WilcoxonResult {
  const n = d.length;
  const values = Float64Array.from(d);
  if (values.some((v) => v === 0)) return undefinedResult('zeros-or-ties', n);
  const { ranks } = rankAbsolute(values);
  if (tieTerm(ranks) > 0) return undefinedResult('zeros-or-ties', n);
  if (n > WILCOXON_EXACT_MAX_N) return undefinedResult('too-many-for-exact', n);
  let rPlus = 0;
  let rMinus = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] > 0) rPlus += ranks[i];
    else rMinus += ranks[i];
  }
  // counts[s] = the number of subsets of {1..n} whose sum is s, built one rank at a time.
  const maxSum = (n * (n + 1)) / 2;
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let s = (k * (k + 1)) / 2; s >= k; s--) counts[s] += counts[s - k];
  }
  const total = 2 ** n;
  let pValue: number;
  if (rPlus === Math.floor(maxSum / 2)) pValue = 1;
  else {
    let less = 0;
    for (let s = 0; s <= rPlus; s++) less += counts[s];
    let greater = 0;
    for (let s = rPlus; s <= maxSum; s++) greater += counts[s];
    pValue = Math.min(1, (2 * Math.min(less, greater)) / total);
  }
  return { statistic: Math.min(rPlus, rMinus), z: NaN, pValue, nRanked: n, rPlus, rMinus };
}
