/**
 * pass@k, the unbiased estimator of the HumanEval paper: with n samples of which c pass,
 * pass@k = 1 − C(n−c, k) / C(n, k), the probability that at least one of k samples drawn without
 * replacement passes. Computed as human-eval's `estimate_pass_at_k` does, without binomials
 * that overflow: 1 when n − c < k, else 1 − Π_{i=n−c+1..n} (1 − k/i).
 * Undefined (NaN) when k > n. Invariants: 0 ≤ pass@k ≤ 1, non-decreasing in k and in c,
 * pass@1 = c/n up to rounding.
 */
import { EngineError } from '../errors.js';

/** pass@k for one problem with n samples, c of them correct. */
export function passAtK(n: number, c: number, k: number): number {
  if (
    !Number.isInteger(n) ||
    !Number.isInteger(c) ||
    !Number.isInteger(k) ||
    n < 0 ||
    c < 0 ||
    c > n ||
    k < 1
  ) {
    throw new EngineError(
      'bad-argument',
      `pass@k needs integers n ≥ c ≥ 0 and k ≥ 1, got n = ${n}, c = ${c}, k = ${k}`,
    );
  }
  if (k > n) return NaN;
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
  return 1 - product;
}

export interface PassAtKCorpus {
  readonly k: number;
  /** One value per problem (NaN where n < k). */
  readonly perProblem: Float64Array;
  /** Mean over problems; NaN unless every problem has n ≥ k (as human-eval reports it). */
  readonly mean: number;
}

/** pass@k per problem and averaged, for one k. */
export function passAtKCorpus(
  samples: ArrayLike<number>,
  correct: ArrayLike<number>,
  k: number,
): PassAtKCorpus {
  if (samples.length !== correct.length) {
    throw new EngineError(
      'length-mismatch',
      `pass@k needs one count of correct samples per problem: ${samples.length} problems, ${correct.length} counts`,
    );
  }
  const perProblem = new Float64Array(samples.length);
  let sum = 0;
  let defined = true;
  for (let i = 0; i < samples.length; i++) {
    const v = passAtK(samples[i], correct[i], k);
    perProblem[i] = v;
    if (Number.isNaN(v)) defined = false;
    sum += v;
  }
  const mean = defined && samples.length > 0 ? sum / samples.length : NaN;
  return { k, perProblem, mean };
}
