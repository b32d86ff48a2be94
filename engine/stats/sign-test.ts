/**
 * The sign test on paired differences: under "neither model is better", each non-zero
 * difference is positive with probability ½, so the number of positive differences among the
 * non-zero ones is Binomial(n, ½). Two-sided exact p-value as scipy's `binomtest` gives it for
 * p = ½: min(1, 2 · P(X ≤ min(k, n − k))), which is 1 when k = n/2. Zero differences are
 * dropped. Undefined (NaN) without a non-zero difference.
 */
import { mcnemarExactP } from './paired.js';

export interface SignTestResult {
  readonly nNonzero: number;
  readonly nPositive: number;
  readonly pValue: number;
}

/** The two-sided exact sign test of the differences `d` (ft − base). */
export function signTest(d: ArrayLike<number>): SignTestResult {
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] > 0) positive++;
    else if (d[i] < 0) negative++;
  }
  const n = positive + negative;
  // The same tail as McNemar's exact test, whose discordant pairs are these non-zero signs.
  return {
    nNonzero: n,
    nPositive: positive,
    pValue: n === 0 ? NaN : mcnemarExactP(negative, positive),
  };
}
