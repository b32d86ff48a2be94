/**
 * `analyseThresholds`: for each model's score, the ROC and precision-recall curves, their
 * areas, the operating point a rule picks, and a metrics-against-threshold sweep for a slider.
 *
 * Areas and the chosen point are computed on all rows; only what is drawn is thinned (see
 * `thin.ts`), always keeping the chosen point, so ten million rows give a few thousand points.
 * The sweep is thinned by the shape of precision and recall against the threshold; every
 * value at a kept threshold is exact.
 */
import { EngineError, throwIfCancelled } from '../errors.js';
import { formatLabel, positiveIndicator } from '../labels.js';
import { requireNumberColumn } from '../load/columns.js';
import { binaryMetricsFromCounts, fbetaFromPR, type BinaryCounts } from '../metrics/counts.js';
import {
  averagePrecisionFromScoreCurve,
  prCurveFromScoreCurve,
  rejectAllThreshold,
  rocAucFromScoreCurve,
  scoreCurve,
  type ScoreCurve,
} from '../metrics/curves.js';
import {
  pickThreshold,
  type ErrorCosts,
  type OperatingPoint,
  type ThresholdRule,
} from '../metrics/threshold.js';
import { requireColumn } from '../slice.js';
import { cellValue, type Column, type Label, type Table } from '../table.js';
import { finiteOrNull, requireDistinctNames, tableLabel } from './common.js';
import { explainBinary } from './explain.js';
import { DEFAULT_MAX_POINTS, takeAt, thinPolyline } from './thin.js';
import type {
  AnalysisWarning,
  ChosenPoint,
  RuleSummary,
  SweepSeries,
  ThinnedCurve,
  ThresholdAnalysisResult,
  ThresholdModelResult,
  ThresholdOptions,
} from './types.js';
import * as warn from './warnings.js';

/** The rule in words, as warnings and displays name it. */
export function describeRule(rule: ThresholdRule): RuleSummary {
  switch (rule.kind) {
    case 'max-f1':
      return { kind: rule.kind, description: 'max F1', parameter: null, costs: null };
    case 'max-fbeta':
      return {
        kind: rule.kind,
        description: `max F-beta (β = ${rule.beta})`,
        parameter: rule.beta,
        costs: null,
      };
    case 'min-recall':
      return {
        kind: rule.kind,
        description: `recall ≥ ${rule.recall}`,
        parameter: rule.recall,
        costs: null,
      };
    case 'min-precision':
      return {
        kind: rule.kind,
        description: `precision ≥ ${rule.precision}`,
        parameter: rule.precision,
        costs: null,
      };
    case 'min-cost':
      return {
        kind: rule.kind,
        description: `min cost (FP ${rule.costs.falsePositive}, FN ${rule.costs.falseNegative})`,
        parameter: null,
        costs: rule.costs,
      };
    case 'fixed':
      return {
        kind: rule.kind,
        description: `at ${rule.threshold}`,
        parameter: rule.threshold,
        costs: null,
      };
  }
}

/**
 * The positive label as the column holds it (a text "1" is the number 1 in a numeric column)
 * and its indicator; an error when the column holds exactly two labels and neither is it (a
 * misspelling; with one label or many, an absent positive is plausible and gives all zeros).
 */
export function requirePositiveIndicator(
  column: Column,
  positive: Label,
): { readonly label: Label; readonly isPositive: Uint8Array } {
  const isPositive = positiveIndicator(column, positive);
  const numeric = column.kind === 'number' && typeof positive === 'string';
  const label = numeric && Number.isFinite(Number(positive)) ? Number(positive) : positive;
  if (isPositive.includes(1)) return { label, isPositive };
  const present = new Set<Label>();
  for (let row = 0; row < isPositive.length && present.size <= 20; row++) {
    const value = cellValue(column, row);
    if (value !== null) present.add(value);
  }
  // One value: a test set without positives is possible. Two: the positive one is misspelt.
  if (present.size !== 2) return { label, isPositive };
  throw new EngineError(
    'unknown-label',
    `the positive label ${formatLabel(positive)} does not occur in "${column.name}", ` +
      `which holds ${[...present].map(formatLabel).join(', ')}`,
    { column: column.name },
  );
}

/**
 * Index into the curve's points of an operating point (−1: nothing predicted positive).
 * Each distinct score adds at least one row, so tp + fp identifies the point.
 */
function curveIndexOf(curve: ScoreCurve, point: BinaryCounts): number {
  const predicted = point.tp + point.fp;
  if (predicted === 0) return -1;
  let lo = 0;
  let hi = curve.tps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (curve.tps[mid] + curve.fps[mid] < predicted) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function chosenPoint(point: OperatingPoint, objective: number, ties: number): ChosenPoint {
  const m = point.metrics;
  const negatives = point.fp + point.tn;
  return {
    threshold: finiteOrNull(point.threshold),
    tp: point.tp,
    fp: point.fp,
    fn: point.fn,
    tn: point.tn,
    objective,
    tiedThresholds: ties,
    accuracy: m.accuracy,
    precision: m.precision,
    recall: m.recall,
    specificity: m.specificity,
    f1: m.f1,
    fpr: negatives === 0 ? 0 : point.fp / negatives,
    balancedAccuracy: m.balancedAccuracy,
    mcc: m.mcc,
    illDefined: [...m.illDefined],
  };
}

function rocCurveThinned(
  curve: ScoreCurve,
  chosen: number | null,
  maxPoints: number,
): ThinnedCurve {
  const m = curve.tps.length;
  if (curve.positives === 0 || curve.negatives === 0) {
    // A rate of an absent class is 0/0 at every point: there is no curve to draw.
    return {
      x: [],
      y: [],
      threshold: [],
      chosenIndex: null,
      originalPoints: m + 1,
      maxDeviation: 0,
    };
  }
  const fpr = new Float64Array(m + 1);
  const tpr = new Float64Array(m + 1);
  for (let k = 0; k < m; k++) {
    fpr[k + 1] = curve.fps[k] / curve.negatives;
    tpr[k + 1] = curve.tps[k] / curve.positives;
  }
  const keep = chosen === null ? [] : [chosen + 1];
  const { indices, maxDeviation } = thinPolyline([fpr, tpr], { maxPoints, keep });
  const top = finiteOrNull(rejectAllThreshold(curve));
  return {
    x: takeAt(fpr, indices),
    y: takeAt(tpr, indices),
    threshold: Array.from(indices, (i) => (i === 0 ? top : curve.thresholds[i - 1])),
    chosenIndex: chosen === null ? null : indices.indexOf(chosen + 1),
    originalPoints: m + 1,
    maxDeviation,
  };
}

function prCurveThinned(curve: ScoreCurve, chosen: number | null, maxPoints: number): ThinnedCurve {
  const pr = prCurveFromScoreCurve(curve);
  const m = curve.tps.length;
  // Curve index k is PR point m − 1 − k; nothing predicted positive is the final point.
  const prIndex = chosen === null ? null : chosen < 0 ? m : m - 1 - chosen;
  const { indices, maxDeviation } = thinPolyline([pr.recall, pr.precision], {
    maxPoints,
    keep: prIndex === null ? [] : [prIndex],
  });
  return {
    x: takeAt(pr.recall, indices),
    y: takeAt(pr.precision, indices),
    threshold: Array.from(indices, (i) => (i < m ? pr.thresholds[i] : null)),
    chosenIndex: prIndex === null ? null : indices.indexOf(prIndex),
    originalPoints: m + 1,
    maxDeviation,
  };
}

function sweepThinned(
  curve: ScoreCurve,
  chosen: number | null,
  maxPoints: number,
  beta: number | null,
  costs: ErrorCosts | null,
): SweepSeries {
  const m = curve.tps.length;
  const { positives, negatives } = curve;
  // Sweep point i (increasing thresholds) is curve point m − 1 − i.
  const low = curve.thresholds[m - 1];
  const span = curve.thresholds[0] - low;
  const position = new Float64Array(m);
  const precision = new Float64Array(m);
  const recall = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const k = m - 1 - i;
    const tp = curve.tps[k];
    position[i] = span > 0 ? (curve.thresholds[k] - low) / span : 0;
    precision[i] = tp / (tp + curve.fps[k]);
    recall[i] = positives === 0 ? 0 : tp / positives;
  }
  const chosenIndex = chosen === null || chosen < 0 ? null : m - 1 - chosen;
  const { indices, maxDeviation } = thinPolyline([position, precision, recall], {
    maxPoints,
    keep: chosenIndex === null ? [] : [chosenIndex],
  });
  const pick = (f: (counts: BinaryCounts, k: number) => number): number[] =>
    Array.from(indices, (i) => {
      const k = m - 1 - i;
      const tp = curve.tps[k];
      const fp = curve.fps[k];
      return f({ tp, fp, fn: positives - tp, tn: negatives - fp }, k);
    });
  const metrics = Array.from(indices, (i) => {
    const k = m - 1 - i;
    const tp = curve.tps[k];
    const fp = curve.fps[k];
    return binaryMetricsFromCounts({ tp, fp, fn: positives - tp, tn: negatives - fp });
  });
  return {
    threshold: pick((_, k) => curve.thresholds[k]),
    tp: pick((c) => c.tp),
    fp: pick((c) => c.fp),
    fn: pick((c) => c.fn),
    tn: pick((c) => c.tn),
    precision: metrics.map((x) => x.precision),
    recall: metrics.map((x) => x.recall),
    specificity: metrics.map((x) => x.specificity),
    f1: metrics.map((x) => x.f1),
    accuracy: metrics.map((x) => x.accuracy),
    beta,
    fbeta: beta === null ? null : metrics.map((x) => fbetaFromPR(x.precision, x.recall, beta)),
    costs,
    cost:
      costs === null ? null : pick((c) => costs.falsePositive * c.fp + costs.falseNegative * c.fn),
    chosenIndex: chosenIndex === null ? null : indices.indexOf(chosenIndex),
    originalPoints: m,
    maxDeviation,
  };
}

/** Curves, areas, the chosen operating point and a sweep for each model's score column. */
export function analyseThresholds(
  table: Table,
  options: ThresholdOptions,
): ThresholdAnalysisResult {
  if (options.models.length === 0) {
    throw new EngineError('bad-argument', 'a threshold analysis needs at least one score column');
  }
  requireDistinctNames(
    options.models.map((m) => m.name),
    'model',
  );
  if (table.nRows === 0) {
    throw new EngineError('bad-argument', 'the table has no rows', { file: table.source.path });
  }
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const rule: ThresholdRule = options.pick ?? { kind: 'max-f1' };
  const ruleSummary = describeRule(rule);
  const labelColumn = requireColumn(table, options.label);
  const { label: positiveLabel, isPositive } = requirePositiveIndicator(
    labelColumn,
    options.positive,
  );
  let positives = 0;
  for (const v of isPositive) positives += v;
  const beta = rule.kind === 'max-fbeta' ? rule.beta : (options.beta ?? null);
  const costs = rule.kind === 'min-cost' ? rule.costs : (options.costs ?? null);
  const warnings: AnalysisWarning[] = [];

  const models = options.models.map((spec, j): ThresholdModelResult => {
    throwIfCancelled(options.cancel);
    options.onProgress?.({ phase: 'thresholds', done: j, total: options.models.length });
    const scores = requireNumberColumn(table, spec.scoreColumn).values;
    const curve = scoreCurve(scores, isPositive, {
      cancel: options.cancel,
      source: { file: table.source.path, column: spec.scoreColumn },
    });
    const pick = pickThreshold(curve, rule);
    const chosenCurveIndex = pick.found ? curveIndexOf(curve, pick.point) : null;
    throwIfCancelled(options.cancel);
    const chosen = pick.found ? chosenPoint(pick.point, pick.objective, pick.tiedThresholds) : null;
    if (!pick.found)
      warnings.push(warn.thresholdNotFound(spec.name, ruleSummary.description, pick.reason));
    return {
      name: spec.name,
      scoreColumn: spec.scoreColumn,
      rocAuc: finiteOrNull(rocAucFromScoreCurve(curve)),
      averagePrecision: averagePrecisionFromScoreCurve(curve),
      roc: rocCurveThinned(curve, chosenCurveIndex, maxPoints),
      pr: prCurveThinned(curve, chosenCurveIndex, maxPoints),
      sweep: sweepThinned(curve, chosenCurveIndex, maxPoints, beta, costs),
      chosen,
      notFound: pick.found ? null : pick.reason,
      explanation: pick.found
        ? explainBinary(spec.name, pick.point, pick.point.metrics, chosen?.threshold ?? null)
        : null,
    };
  });
  options.onProgress?.({
    phase: 'thresholds',
    done: options.models.length,
    total: options.models.length,
  });
  const picked = models.filter((m) => m.chosen !== null).map((m) => m.name);
  if (rule.kind !== 'fixed' && picked.length > 0) {
    warnings.unshift(
      warn.thresholdOnEvaluationRows(
        picked,
        tableLabel(table, options.tableName),
        ruleSummary.description,
      ),
    );
  }
  return {
    kind: 'threshold',
    table: tableLabel(table, options.tableName),
    labelColumn: options.label,
    positiveLabel,
    n: table.nRows,
    positives,
    negatives: table.nRows - positives,
    rule: ruleSummary,
    models,
    warnings,
  };
}
