/**
 * Choosing a decision threshold for a score: metrics at any threshold, the rules a user can
 * pick by (max F1, max F-beta, recall ≥ x, precision ≥ x, minimum cost, a fixed value), and
 * the full sweep over every distinct score for charts and sliders.
 *
 * A row is predicted positive when `score >= threshold`. Candidates are the distinct scores
 * (the points of a `ScoreCurve`); every rule breaks ties towards the highest threshold, the
 * most conservative choice among equals.
 */
import { EngineError, throwIfCancelled } from '../errors.js';
import {
  binaryMetricsFromCounts,
  fbetaFromPR,
  safeRatio,
  type BinaryCountMetrics,
  type BinaryCounts,
} from './counts.js';
import {
  rejectAllThreshold,
  scoreCurve,
  rocPrSummary,
  type RocPrSummary,
  type ScoreCurve,
} from './curves.js';
import { CANCEL_CHECK_ROWS, type ScoreOptions } from './scores.js';

/** Costs of the two kinds of error, per row; both finite and ≥ 0. */
export interface ErrorCosts {
  readonly falsePositive: number;
  readonly falseNegative: number;
}

/** How to choose the threshold. */
export type ThresholdRule =
  | { readonly kind: 'max-f1' }
  | { readonly kind: 'max-fbeta'; readonly beta: number }
  /** The highest threshold whose recall is at least `recall`. */
  | { readonly kind: 'min-recall'; readonly recall: number }
  /**
   * The threshold with the highest recall among those whose precision is at least
   * `precision`; among thresholds with that recall, the highest. (Precision is not
   * monotone in the threshold, so "the highest threshold with precision ≥ x" would usually
   * be the top score with a handful of positives; maximising recall under the precision
   * floor is the operating point people mean.)
   */
  | { readonly kind: 'min-precision'; readonly precision: number }
  /**
   * Minimum total cost FP·costs.falsePositive + FN·costs.falseNegative. Predicting nothing
   * positive is a candidate too, reported at the ROC's extra threshold (highest score + 1).
   */
  | { readonly kind: 'min-cost'; readonly costs: ErrorCosts }
  | { readonly kind: 'fixed'; readonly threshold: number };

/**
 * The predictions `score >= threshold`: their confusion counts and binary metrics (computed
 * by `binaryMetricsFromCounts`, so F1 is formed from the float precision and recall exactly
 * as sklearn's `f1_score`). Invariant: tp + fp + fn + tn = n.
 */
export interface OperatingPoint extends BinaryCounts {
  readonly threshold: number;
  readonly metrics: BinaryCountMetrics;
}

/**
 * The outcome of a rule. When `found`, `point` is the chosen operating point, `objective`
 * the value the rule optimised or met (F1 or F-beta as 2TP/(2TP+FP+FN)-style count ratios,
 * recall, precision, cost, or the fixed threshold), and `tiedThresholds` how many candidate
 * thresholds reach the same optimum (1 for the threshold rules). When not found, `reason`
 * says why in words fit for the user.
 */
export type ThresholdPick =
  | {
      readonly found: true;
      readonly rule: ThresholdRule;
      readonly point: OperatingPoint;
      readonly objective: number;
      readonly tiedThresholds: number;
    }
  | { readonly found: false; readonly rule: ThresholdRule; readonly reason: string };

/**
 * Metrics at every distinct score, in increasing threshold order (left to right on a
 * slider). All columns have the same length, the number of distinct scores. At every index
 * tp + fp + fn + tn = n. Ratios with a zero denominator are `zeroDivision` (0 by default),
 * as in `binaryMetricsFromCounts`; `fbeta` is null unless a beta was asked for, `cost`
 * unless costs were given.
 */
export interface ThresholdSweep {
  readonly threshold: Float64Array;
  readonly tp: Float64Array;
  readonly fp: Float64Array;
  readonly fn: Float64Array;
  readonly tn: Float64Array;
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly specificity: Float64Array;
  readonly f1: Float64Array;
  readonly accuracy: Float64Array;
  readonly beta: number | null;
  readonly fbeta: Float64Array | null;
  readonly costs: ErrorCosts | null;
  readonly cost: Float64Array | null;
}

export interface SweepOptions {
  readonly beta?: number;
  readonly costs?: ErrorCosts;
  readonly zeroDivision?: number;
  readonly cancel?: ScoreOptions['cancel'];
}

function countsAtIndex(curve: ScoreCurve, k: number): BinaryCounts {
  if (k < 0) return { tp: 0, fp: 0, fn: curve.positives, tn: curve.negatives };
  const tp = curve.tps[k];
  const fp = curve.fps[k];
  return { tp, fp, fn: curve.positives - tp, tn: curve.negatives - fp };
}

/** Index of the lowest distinct score that is ≥ t (−1 when every score is below t). */
function indexAtThreshold(curve: ScoreCurve, t: number): number {
  const thresholds = curve.thresholds;
  let lo = 0;
  let hi = thresholds.length; // thresholds[0..lo) are ≥ t, thresholds[hi..) are < t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Confusion counts of the predictions `score >= threshold`. */
export function countsAtThreshold(curve: ScoreCurve, threshold: number): BinaryCounts {
  return countsAtIndex(curve, indexAtThreshold(curve, threshold));
}

/** Counts and metrics of the predictions `score >= threshold`. */
export function operatingPoint(
  curve: ScoreCurve,
  threshold: number,
  zeroDivision = 0,
): OperatingPoint {
  return pointAt(curve, indexAtThreshold(curve, threshold), threshold, zeroDivision);
}

function pointAt(
  curve: ScoreCurve,
  k: number,
  threshold: number,
  zeroDivision: number,
): OperatingPoint {
  const counts = countsAtIndex(curve, k);
  return { threshold, ...counts, metrics: binaryMetricsFromCounts(counts, zeroDivision) };
}

function checkFraction(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new EngineError('bad-argument', `${name} must be a number in [0, 1], got ${value}`);
  }
}

function checkCosts(costs: ErrorCosts): void {
  const ok = (c: number): boolean => Number.isFinite(c) && c >= 0;
  if (!ok(costs.falsePositive) || !ok(costs.falseNegative)) {
    throw new EngineError(
      'bad-argument',
      `costs must be finite numbers ≥ 0, got fp ${costs.falsePositive} and fn ${costs.falseNegative}`,
    );
  }
}

/**
 * Applies a rule to the curve. Rules that need positives (F-scores, recall) are not found
 * when there are none; a floor that no threshold reaches is not found either. Invalid
 * parameters (beta ≤ 0, a fraction outside [0, 1], negative costs) throw an EngineError
 * with code 'bad-argument'.
 */
export function pickThreshold(
  curve: ScoreCurve,
  rule: ThresholdRule,
  zeroDivision = 0,
): ThresholdPick {
  const found = (k: number, objective: number, tied = 1): ThresholdPick => ({
    found: true,
    rule,
    point: pointAt(curve, k, k < 0 ? rejectAllThreshold(curve) : curve.thresholds[k], zeroDivision),
    objective,
    tiedThresholds: tied,
  });
  const notFound = (reason: string): ThresholdPick => ({ found: false, rule, reason });
  const noPositives = 'there are no positive rows, so recall and F-scores are undefined';
  switch (rule.kind) {
    case 'max-f1':
    case 'max-fbeta': {
      const beta = rule.kind === 'max-f1' ? 1 : rule.beta;
      if (!(beta > 0 && Number.isFinite(beta))) {
        throw new EngineError('bad-argument', `beta must be a positive number, got ${beta}`);
      }
      if (curve.positives === 0) return notFound(noPositives);
      const best = bestFbeta(curve, beta);
      return found(best.index, best.value, best.ties);
    }
    case 'min-recall': {
      checkFraction('recall', rule.recall);
      if (curve.positives === 0) return notFound(noPositives);
      // Recall only grows as the threshold falls: the first point from the top that
      // reaches the floor is the highest such threshold.
      for (let k = 0; k < curve.tps.length; k++) {
        const recall = curve.tps[k] / curve.positives;
        if (recall >= rule.recall) return found(k, recall);
      }
      return notFound(`no threshold reaches recall ${rule.recall}`);
    }
    case 'min-precision': {
      checkFraction('precision', rule.precision);
      if (curve.positives === 0) return notFound(noPositives);
      const { tps, fps } = curve;
      let chosen = -1;
      // The lowest qualifying threshold has the most true positives; then climb to the
      // highest threshold with those same true positives (fewer false positives, so its
      // precision is at least as high).
      for (let k = tps.length - 1; k >= 0; k--) {
        if (tps[k] / (tps[k] + fps[k]) >= rule.precision) {
          chosen = k;
          break;
        }
      }
      if (chosen < 0) return notFound(`no threshold reaches precision ${rule.precision}`);
      while (chosen > 0 && tps[chosen - 1] === tps[chosen]) chosen--;
      return found(chosen, tps[chosen] / (tps[chosen] + fps[chosen]));
    }
    case 'min-cost': {
      checkCosts(rule.costs);
      const { falsePositive, falseNegative } = rule.costs;
      // Start from predicting nothing positive (cost FN·positives): it can be the cheapest.
      let bestIndex = -1;
      let bestCost = falseNegative * curve.positives;
      let ties = 1;
      for (let k = 0; k < curve.tps.length; k++) {
        const cost =
          falsePositive * curve.fps[k] + falseNegative * (curve.positives - curve.tps[k]);
        if (cost < bestCost) {
          bestCost = cost;
          bestIndex = k;
          ties = 1;
        } else if (cost === bestCost) {
          ties++;
        }
      }
      return found(bestIndex, bestCost, ties);
    }
    case 'fixed': {
      if (Number.isNaN(rule.threshold)) {
        throw new EngineError('bad-argument', 'the threshold must be a number');
      }
      const k = indexAtThreshold(curve, rule.threshold);
      return {
        found: true,
        rule,
        point: pointAt(curve, k, rule.threshold, zeroDivision),
        objective: rule.threshold,
        tiedThresholds: 1,
      };
    }
  }
}

/**
 * Maximum of F-beta over the distinct scores, F-beta computed from counts as
 * (1+β²)TP / ((1+β²)TP + β²FN + FP) — for β = 1 exactly 2TP/(2TP+FP+FN), a ratio of whole
 * numbers, so equal F1 values compare equal. Ties go to the highest threshold (first seen).
 */
function bestFbeta(
  curve: ScoreCurve,
  beta: number,
): { index: number; value: number; ties: number } {
  const b2 = beta * beta;
  const { tps, fps } = curve;
  let index = 0;
  let value = -1;
  let ties = 0;
  for (let k = 0; k < tps.length; k++) {
    const weightedTp = (1 + b2) * tps[k];
    const f = weightedTp / (weightedTp + b2 * (curve.positives - tps[k]) + fps[k]);
    if (f > value) {
      value = f;
      index = k;
      ties = 1;
    } else if (f === value) {
      ties++;
    }
  }
  return { index, value, ties };
}

/** Metrics at every distinct score, in increasing threshold order. */
export function thresholdSweep(curve: ScoreCurve, options: SweepOptions = {}): ThresholdSweep {
  const m = curve.thresholds.length;
  const zeroDivision = options.zeroDivision ?? 0;
  const beta = options.beta ?? null;
  if (beta !== null && !(beta > 0 && Number.isFinite(beta))) {
    throw new EngineError('bad-argument', `beta must be a positive number, got ${beta}`);
  }
  const costs = options.costs ?? null;
  if (costs !== null) checkCosts(costs);
  const column = (): Float64Array => new Float64Array(m);
  const sweep = {
    threshold: column(),
    tp: column(),
    fp: column(),
    fn: column(),
    tn: column(),
    precision: column(),
    recall: column(),
    specificity: column(),
    f1: column(),
    accuracy: column(),
    beta,
    fbeta: beta === null ? null : column(),
    costs,
    cost: costs === null ? null : column(),
  };
  const { positives, negatives } = curve;
  const n = positives + negatives;
  for (let k = 0; k < m; k++) {
    if (k % CANCEL_CHECK_ROWS === 0) throwIfCancelled(options.cancel);
    const r = m - 1 - k;
    const tp = curve.tps[k];
    const fp = curve.fps[k];
    const fn = positives - tp;
    const tn = negatives - fp;
    const precision = safeRatio(tp, tp + fp, zeroDivision);
    const recall = safeRatio(tp, positives, zeroDivision);
    sweep.threshold[r] = curve.thresholds[k];
    sweep.tp[r] = tp;
    sweep.fp[r] = fp;
    sweep.fn[r] = fn;
    sweep.tn[r] = tn;
    sweep.precision[r] = precision;
    sweep.recall[r] = recall;
    sweep.specificity[r] = safeRatio(tn, negatives, zeroDivision);
    sweep.f1[r] = fbetaFromPR(precision, recall, 1);
    sweep.accuracy[r] = (tp + tn) / n;
    if (sweep.fbeta !== null && beta !== null)
      sweep.fbeta[r] = fbetaFromPR(precision, recall, beta);
    if (sweep.cost !== null && costs !== null) {
      sweep.cost[r] = costs.falsePositive * fp + costs.falseNegative * fn;
    }
  }
  return sweep;
}

/** Everything a `threshold` statement shows, from one sort of the scores. */
export interface ThresholdAnalysis {
  readonly summary: RocPrSummary;
  readonly pick: ThresholdPick;
  readonly sweep: ThresholdSweep;
}

/**
 * Curves, the chosen point and the sweep. The sweep carries F-beta when the rule is
 * max-fbeta (or `beta` is given) and costs when the rule is min-cost (or `costs` are given).
 */
export function analyseThreshold(
  scores: Float64Array,
  isPositive: Uint8Array,
  rule: ThresholdRule,
  options: ScoreOptions & Omit<SweepOptions, 'cancel'> = {},
): ThresholdAnalysis {
  const summary = rocPrSummary(scores, isPositive, options);
  const zeroDivision = options.zeroDivision ?? 0;
  return {
    summary,
    pick: pickThreshold(summary.curve, rule, zeroDivision),
    sweep: thresholdSweep(summary.curve, {
      beta: rule.kind === 'max-fbeta' ? rule.beta : options.beta,
      costs: rule.kind === 'min-cost' ? rule.costs : options.costs,
      zeroDivision,
      cancel: options.cancel,
    }),
  };
}

/** `pickThreshold` straight from scores, for callers that need nothing else. */
export function pickThresholdForScores(
  scores: Float64Array,
  isPositive: Uint8Array,
  rule: ThresholdRule,
  options: ScoreOptions & { readonly zeroDivision?: number } = {},
): ThresholdPick {
  return pickThreshold(scoreCurve(scores, isPositive, options), rule, options.zeroDivision ?? 0);
}
