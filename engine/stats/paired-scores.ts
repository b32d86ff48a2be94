/**
 * Every paired test of two models' per-example scores in one call: the descriptive summary of
 * ft − base, the Wilcoxon signed-rank test in its variants, the sign test, the paired t-test,
 * TOST equivalence at each requested margin and non-inferiority at each requested margin.
 * The parts are defined in their own modules (wilcoxon.ts, sign-test.ts, t-test.ts).
 */
import { type DifferenceSummary, pairedDifferences, summarizeDifferences } from './differences.js';
import { type SignTestResult, signTest } from './sign-test.js';
import {
  equivalenceMargin,
  type NonInferiorityResult,
  nonInferiority,
  pairedTTest,
  type TostResult,
  tostInterval,
  tostPaired,
  type TTestResult,
} from './t-test.js';
import { type WilcoxonResult, wilcoxonApprox, wilcoxonExact } from './wilcoxon.js';

export interface PairedScoreTestsOptions {
  /** Level of the one-sided tests and of the decisions; the t-test interval is 1 − alpha. */
  readonly alpha?: number;
  /** Symmetric TOST margins δ (bounds −δ, δ). */
  readonly equivalenceMargins?: readonly number[];
  /** Non-inferiority margins δ ≥ 0 (H0: mean(ft − base) ≤ −δ). */
  readonly nonInferiorityMargins?: readonly number[];
}

export interface PairedScoreTests {
  readonly summary: DifferenceSummary;
  readonly wilcoxon: {
    readonly wilcox: WilcoxonResult;
    readonly wilcoxContinuity: WilcoxonResult;
    readonly pratt: WilcoxonResult;
    readonly zsplit: WilcoxonResult;
    readonly exact: WilcoxonResult;
  };
  readonly signTest: SignTestResult;
  readonly tTest: TTestResult;
  /** The (1 − 2α) interval TOST inverts; NaN ends when the differences do not vary. */
  readonly tostInterval: readonly [number, number];
  /** The smallest symmetric margin at which TOST declares equivalence (NaN if none). */
  readonly equivalenceMargin: number;
  readonly tost: readonly TostResult[];
  readonly nonInferiority: readonly NonInferiorityResult[];
}

/** All paired tests of `ft` against `base` (one score per example each, same order). */
export function pairedScoreTests(
  base: ArrayLike<number>,
  ft: ArrayLike<number>,
  options: PairedScoreTestsOptions = {},
): PairedScoreTests {
  const alpha = options.alpha ?? 0.05;
  const d = pairedDifferences(base, ft);
  return {
    summary: summarizeDifferences(base, ft),
    wilcoxon: {
      wilcox: wilcoxonApprox(d, 'wilcox', false),
      wilcoxContinuity: wilcoxonApprox(d, 'wilcox', true),
      pratt: wilcoxonApprox(d, 'pratt', false),
      zsplit: wilcoxonApprox(d, 'zsplit', false),
      exact: wilcoxonExact(d),
    },
    signTest: signTest(d),
    tTest: pairedTTest(base, ft, 1 - alpha),
    tostInterval: tostInterval(base, ft, alpha),
    equivalenceMargin: equivalenceMargin(base, ft, alpha),
    tost: (options.equivalenceMargins ?? []).map((m) => tostPaired(base, ft, -m, m, alpha)),
    nonInferiority: (options.nonInferiorityMargins ?? []).map((m) =>
      nonInferiority(base, ft, m, alpha),
    ),
  };
}
