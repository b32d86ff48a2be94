/**
 * Paired comparison of two models on the same rows: which errors the fine-tuned model fixed,
 * which successes it broke, and whether the difference is more than chance (McNemar's test).
 *
 * Only the discordant rows carry information about the difference: under "both models are
 * equally accurate", each discordant row is equally likely to be a fix or a break, so the
 * number of fixes is Binomial(b + c, 1/2).
 */
import { EngineError } from '../errors.js';
import { binomialCdf } from './binomial.js';
import { chiSquare1Survival } from './special.js';

/**
 * Base vs fine-tuned on the same rows ("correct" = predicted code equals true code).
 * Invariants: bothCorrect + bothWrong + fixed + broken = n; discordant = fixed + broken;
 * `fixedRows` and `brokenRows` are ascending 0-based row indices of lengths `fixed` and
 * `broken` (the caller maps them to ids).
 */
export interface PairedComparison {
  readonly n: number;
  readonly baseCorrect: number;
  readonly ftCorrect: number;
  readonly bothCorrect: number;
  readonly bothWrong: number;
  /** Rows the base model got wrong and the fine-tuned model right (McNemar's c). */
  readonly fixed: number;
  /** Rows the base model got right and the fine-tuned model wrong (McNemar's b). */
  readonly broken: number;
  readonly discordant: number;
  /** accuracy(ft) − accuracy(base), as the difference of the two floats. */
  readonly accuracyDelta: number;
  /** Exact two-sided McNemar p-value; 1 when there are no discordant rows. */
  readonly mcnemarExactP: number;
  /** Chi-square with continuity correction; nulls when there are no discordant rows. */
  readonly mcnemarChi2Corrected: McNemarChiSquare;
  readonly fixedRows: Int32Array;
  readonly brokenRows: Int32Array;
}

export interface McNemarChiSquare {
  /** (|b − c| − 1)² / (b + c). */
  readonly statistic: number | null;
  /** Survival function of chi-square with 1 degree of freedom at the statistic. */
  readonly pValue: number | null;
}

/** Compares two models' label codes against the truth codes, row by row. */
export function pairedComparison(
  truth: Int32Array,
  base: Int32Array,
  ft: Int32Array,
): PairedComparison {
  const n = truth.length;
  if (base.length !== n || ft.length !== n) {
    throw new EngineError(
      'length-mismatch',
      `paired comparison needs equal lengths: truth ${n}, base ${base.length}, fine-tuned ${ft.length}`,
    );
  }
  let bothCorrect = 0;
  let bothWrong = 0;
  let fixed = 0;
  let broken = 0;
  for (let i = 0; i < n; i++) {
    const baseRight = base[i] === truth[i];
    const ftRight = ft[i] === truth[i];
    if (baseRight === ftRight) {
      if (baseRight) bothCorrect++;
      else bothWrong++;
    } else if (ftRight) fixed++;
    else broken++;
  }
  const fixedRows = new Int32Array(fixed);
  const brokenRows = new Int32Array(broken);
  let f = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const baseRight = base[i] === truth[i];
    const ftRight = ft[i] === truth[i];
    if (ftRight && !baseRight) fixedRows[f++] = i;
    else if (baseRight && !ftRight) brokenRows[b++] = i;
  }
  const baseCorrect = bothCorrect + broken;
  const ftCorrect = bothCorrect + fixed;
  return {
    n,
    baseCorrect,
    ftCorrect,
    bothCorrect,
    bothWrong,
    fixed,
    broken,
    discordant: fixed + broken,
    accuracyDelta: n === 0 ? 0 : ftCorrect / n - baseCorrect / n,
    mcnemarExactP: mcnemarExactP(broken, fixed),
    mcnemarChi2Corrected: mcnemarChiSquareCorrected(broken, fixed),
    fixedRows,
    brokenRows,
  };
}

/**
 * McNemar's exact test, two-sided: min(1, 2 · P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½).
 * Accurate to about 1e-13 relative for b + c in the millions (see `binomialCdf`).
 */
export function mcnemarExactP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}

/** McNemar's chi-square test with continuity correction, 1 degree of freedom. */
export function mcnemarChiSquareCorrected(b: number, c: number): McNemarChiSquare {
  const n = b + c;
  if (n === 0) return { statistic: null, pValue: null };
  const d = Math.abs(b - c) - 1;
  const statistic = (d * d) / n;
  return { statistic, pValue: chiSquare1Survival(statistic) };
}
