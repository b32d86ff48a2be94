/**
 * Per-example differences between two models' scores on the same examples, and their
 * descriptive summary: the common input of the paired tests (Wilcoxon, sign test, t-test,
 * TOST).
 */
import { EngineError } from '../errors.js';

/** d[i] = ft[i] − base[i], in float64. */
export function pairedDifferences(base: ArrayLike<number>, ft: ArrayLike<number>): Float64Array {
  if (base.length !== ft.length) {
    throw new EngineError(
      'length-mismatch',
      `paired tests need one score per example for both models: base ${base.length}, fine-tuned ${ft.length}`,
    );
  }
  const d = new Float64Array(base.length);
  for (let i = 0; i < d.length; i++) {
    const b = base[i];
    const f = ft[i];
    if (!Number.isFinite(b) || !Number.isFinite(f)) {
      throw new EngineError(
        'not-numeric',
        `a paired score must be a finite number, got ${Number.isFinite(b) ? f : b}`,
        {
          row: i + 1,
        },
      );
    }
    d[i] = f - b;
  }
  return d;
}

export interface DifferenceSummary {
  readonly n: number;
  readonly nPositive: number;
  readonly nNegative: number;
  readonly nZero: number;
  /** Whether two non-zero differences have equal absolute values (exact float64 equality). */
  readonly nonzeroAbsDifferencesHaveTies: boolean;
  readonly meanBase: number;
  readonly meanFt: number;
  readonly meanDifference: number;
  /** Standard deviation of the differences, n − 1 denominator (NaN for n < 2). */
  readonly sdDifference: number;
  /** sdDifference / √n. */
  readonly seDifference: number;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Counts and descriptive values of ft − base. */
export function summarizeDifferences(
  base: ArrayLike<number>,
  ft: ArrayLike<number>,
): DifferenceSummary {
  const d = pairedDifferences(base, ft);
  let nPositive = 0;
  let nNegative = 0;
  for (const v of d) {
    if (v > 0) nPositive++;
    else if (v < 0) nNegative++;
  }
  const nonzero = Float64Array.from(d.filter((v) => v !== 0).map(Math.abs)).sort();
  let ties = false;
  for (let i = 1; i < nonzero.length; i++) if (nonzero[i] === nonzero[i - 1]) ties = true;
  const n = d.length;
  const sd = standardDeviation(d);
  return {
    n,
    nPositive,
    nNegative,
    nZero: n - nPositive - nNegative,
    nonzeroAbsDifferencesHaveTies: ties,
    meanBase: mean(base),
    meanFt: mean(ft),
    meanDifference: mean(d),
    sdDifference: sd,
    seDifference: sd / Math.sqrt(n),
  };
}

/** Sample standard deviation (n − 1 denominator), two-pass. */
export function standardDeviation(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const e = x[i] - m;
    ss += e * e;
  }
  return Math.sqrt(ss / (n - 1));
}
