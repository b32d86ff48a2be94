/**
 * Classification metrics from label codes, with scikit-learn's semantics.
 *
 * Everything is derived from one confusion matrix, counted in a single pass over the codes
 * produced by `engine/labels.ts`. Binary results are about one positive label and always use a
 * 2×2 matrix (even when a label is absent from the data); multiclass results use the sorted
 * union of the labels present in the truth or in that model's predictions. A ratio with a zero
 * denominator is reported as 0 (sklearn's `zero_division=0`), named in `illDefined`, and given
 * again with 1 in `zeroDivision1`.
 *
 * Result field names are the camelCase of the golden files' keys (`confusion_matrix` →
 * `confusionMatrix`, `zero_division_1` → `zeroDivision1`); `readMetric` reads a result by
 * the metric names users type.
 */
import { EngineError } from '../errors.js';
import { formatLabel } from '../labels.js';
import type { Label } from '../table.js';
import {
  binaryMetricsFromCounts,
  fbetaFromPR,
  mccFromCounts,
  safeRatio,
  type BinaryCounts,
  type IllDefinedMetric,
} from './counts.js';

/**
 * A k×k confusion matrix, row-major: `counts[t * k + p]` is the number of rows whose true
 * label has code t and whose predicted label has code p. Counts are whole numbers stored as
 * float64 so that sums feed float formulas without conversion.
 */
export interface ConfusionMatrix {
  readonly k: number;
  readonly counts: Float64Array;
}

/** Counts a confusion matrix in one pass; every code must be in [0, k). */
export function confusionMatrix(truth: Int32Array, pred: Int32Array, k: number): ConfusionMatrix {
  if (truth.length !== pred.length) {
    throw new EngineError(
      'length-mismatch',
      `truth has ${truth.length} rows but predictions have ${pred.length}`,
    );
  }
  const counts = new Float64Array(k * k);
  for (let i = 0; i < truth.length; i++) counts[truth[i] * k + pred[i]]++;
  return { k, counts };
}

/** Precision, recall and F1 of one label treated as the positive class. */
export interface ClassMetrics {
  readonly label: Label;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows whose true label is this one. */
  readonly support: number;
  /** Rows predicted as this label. */
  readonly predicted: number;
}

/** An average of per-class precision, recall and F1 (F1 is averaged, not recomputed). */
export interface AveragedMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Metrics of one model on a two-label task, about `positiveLabel`. */
export interface BinaryClassificationMetrics {
  readonly task: 'binary';
  readonly n: number;
  /** The two labels, sorted; the order of `confusionMatrix` rows/columns and `perClass`. */
  readonly labels: readonly [Label, Label];
  readonly positiveLabel: Label;
  readonly negativeLabel: Label;
  /** 2×2, rows = true label, columns = predicted label, both in `labels` order. */
  readonly confusionMatrix: readonly (readonly number[])[];
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly support: { readonly positive: number; readonly negative: number };
  readonly predicted: { readonly positive: number; readonly negative: number };
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly specificity: number;
  readonly f1: number;
  readonly f0_5: number;
  readonly f2: number;
  /** Metrics whose denominator was zero (reported as 0 above). */
  readonly illDefined: readonly IllDefinedMetric[];
  /** The same metrics with a 0/0 reported as 1; F-scores recomputed from those P and R. */
  readonly zeroDivision1: {
    readonly precision: number;
    readonly recall: number;
    readonly f1: number;
    readonly f0_5: number;
    readonly f2: number;
    readonly specificity: number;
  };
  /** Mean recall over the labels present in the truth. */
  readonly balancedAccuracy: number;
  /** Matthews correlation; 0 when its denominator is 0. */
  readonly mcc: number;
  /** Unweighted Cohen's kappa; null when it is 0/0 (a single label in truth and predictions). */
  readonly cohenKappa: number | null;
  /** One entry per label, in `labels` order, each label treated as positive in turn. */
  readonly perClass: readonly ClassMetrics[];
  readonly macro: AveragedMetrics;
  readonly micro: AveragedMetrics;
  readonly weighted: AveragedMetrics;
}

/** Metrics of one model on a task with any number of labels. */
export interface MulticlassMetrics {
  readonly task: 'multiclass';
  readonly n: number;
  /** Sorted union of the labels in the truth and in this model's predictions. */
  readonly labels: readonly Label[];
  /** Rows = true label, columns = predicted label, in `labels` order. */
  readonly confusionMatrix: readonly (readonly number[])[];
  readonly accuracy: number;
  /** Mean recall over the labels present in the truth (a label only predicted is left out). */
  readonly balancedAccuracy: number;
  /** The multiclass R_K statistic; 0 when its denominator is 0. */
  readonly mcc: number;
  /** Null when 0/0 (a single label in truth and predictions). */
  readonly cohenKappa: number | null;
  readonly perClass: readonly ClassMetrics[];
  /** Plain mean over all `labels`; a 0/0 counts as 0. */
  readonly macro: AveragedMetrics;
  /** From counts pooled over all classes; equals accuracy for single-label predictions. */
  readonly micro: AveragedMetrics;
  /** Mean weighted by support. */
  readonly weighted: AveragedMetrics;
  readonly illDefined: {
    /** Labels never predicted: their precision is 0/0. */
    readonly precision: readonly Label[];
    /** Labels absent from the truth: their recall is 0/0. */
    readonly recall: readonly Label[];
  };
  /** `macro`, `weighted` and `perClass` with a 0/0 reported as 1. */
  readonly zeroDivision1: {
    readonly macro: AveragedMetrics;
    readonly weighted: AveragedMetrics;
    readonly perClass: readonly ClassMetrics[];
  };
}

export type ClassificationMetrics = BinaryClassificationMetrics | MulticlassMetrics;

/**
 * Binary metrics of one model. `labels` must hold exactly two labels (encode with the positive
 * label as an extra label so that a test set without it still gives two) and `positive` is
 * the code of the positive label.
 */
export function binaryClassificationMetrics(
  truth: Int32Array,
  pred: Int32Array,
  labels: readonly Label[],
  positive: number,
): BinaryClassificationMetrics {
  return binaryMetricsFromConfusion(confusionMatrix(truth, pred, labels.length), labels, positive);
}

export function binaryMetricsFromConfusion(
  cm: ConfusionMatrix,
  labels: readonly Label[],
  positive: number,
): BinaryClassificationMetrics {
  if (labels.length !== 2 || cm.k !== 2) {
    throw new EngineError(
      'bad-argument',
      `binary metrics need exactly two labels, found ${labels.length}: ` +
        labels.map(formatLabel).join(', '),
    );
  }
  if (positive !== 0 && positive !== 1) {
    throw new EngineError('bad-argument', `positive label code ${positive} is not 0 or 1`);
  }
  const negative = 1 - positive;
  const at = (t: number, p: number): number => cm.counts[t * 2 + p];
  const counts: BinaryCounts = {
    tp: at(positive, positive),
    fp: at(negative, positive),
    fn: at(positive, negative),
    tn: at(negative, negative),
  };
  const { tp, fp, fn, tn } = counts;
  const zd0 = binaryMetricsFromCounts(counts, 0);
  const zd1 = binaryMetricsFromCounts(counts, 1);
  const perClass = perClassMetrics(cm, labels, 0);
  return {
    task: 'binary',
    n: tp + fp + fn + tn,
    labels: [labels[0], labels[1]],
    positiveLabel: labels[positive],
    negativeLabel: labels[negative],
    confusionMatrix: matrixRows(cm),
    tp,
    fp,
    fn,
    tn,
    support: { positive: tp + fn, negative: tn + fp },
    predicted: { positive: tp + fp, negative: tn + fn },
    accuracy: zd0.accuracy,
    precision: zd0.precision,
    recall: zd0.recall,
    specificity: zd0.specificity,
    f1: zd0.f1,
    f0_5: zd0.f0_5,
    f2: zd0.f2,
    illDefined: zd0.illDefined,
    zeroDivision1: {
      precision: zd1.precision,
      recall: zd1.recall,
      f1: zd1.f1,
      f0_5: zd1.f0_5,
      f2: zd1.f2,
      specificity: zd1.specificity,
    },
    balancedAccuracy: zd0.balancedAccuracy,
    mcc: mccFromCounts(counts),
    cohenKappa: cohenKappa(cm),
    perClass,
    ...averages(perClass, cm),
  };
}

/**
 * Multiclass metrics of one model. `labels` may be the union over several models: labels
 * that neither the truth nor this model's predictions contain are dropped, so the result's
 * labels are this model's own union, as sklearn would compute it from these two columns.
 */
export function multiclassClassificationMetrics(
  truth: Int32Array,
  pred: Int32Array,
  labels: readonly Label[],
): MulticlassMetrics {
  return multiclassMetricsFromConfusion(confusionMatrix(truth, pred, labels.length), labels);
}

export function multiclassMetricsFromConfusion(
  full: ConfusionMatrix,
  allLabels: readonly Label[],
): MulticlassMetrics {
  const { cm, kept } = presentLabels(full);
  const labels = kept.map((i) => allLabels[i]);
  const perClass = perClassMetrics(cm, labels, 0);
  const perClass1 = perClassMetrics(cm, labels, 1);
  const n = total(cm);
  const avg = averages(perClass, cm);
  const avg1 = averages(perClass1, cm);
  return {
    task: 'multiclass',
    n,
    labels,
    confusionMatrix: matrixRows(cm),
    accuracy: safeRatio(trace(cm), n),
    balancedAccuracy: balancedAccuracy(cm),
    mcc: multiclassMcc(cm),
    cohenKappa: cohenKappa(cm),
    perClass,
    ...avg,
    illDefined: {
      precision: perClass.filter((c) => c.predicted === 0).map((c) => c.label),
      recall: perClass.filter((c) => c.support === 0).map((c) => c.label),
    },
    zeroDivision1: { macro: avg1.macro, weighted: avg1.weighted, perClass: perClass1 },
  };
}

/** The sub-matrix of the labels that occur as a true or a predicted label. */
function presentLabels(full: ConfusionMatrix): { cm: ConfusionMatrix; kept: number[] } {
  const { k, counts } = full;
  const kept: number[] = [];
  for (let c = 0; c < k; c++) {
    let seen = 0;
    for (let j = 0; j < k; j++) seen += counts[c * k + j] + counts[j * k + c];
    if (seen > 0) kept.push(c);
  }
  if (kept.length === k) return { cm: full, kept };
  const m = kept.length;
  const sub = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) sub[i * m + j] = counts[kept[i] * k + kept[j]];
  }
  return { cm: { k: m, counts: sub }, kept };
}

function matrixRows(cm: ConfusionMatrix): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < cm.k; t++)
    rows.push(Array.from(cm.counts.subarray(t * cm.k, (t + 1) * cm.k)));
  return rows;
}

function rowSums(cm: ConfusionMatrix): Float64Array {
  const out = new Float64Array(cm.k);
  for (let t = 0; t < cm.k; t++) for (let p = 0; p < cm.k; p++) out[t] += cm.counts[t * cm.k + p];
  return out;
}

function colSums(cm: ConfusionMatrix): Float64Array {
  const out = new Float64Array(cm.k);
  for (let t = 0; t < cm.k; t++) for (let p = 0; p < cm.k; p++) out[p] += cm.counts[t * cm.k + p];
  return out;
}

function trace(cm: ConfusionMatrix): number {
  let s = 0;
  for (let c = 0; c < cm.k; c++) s += cm.counts[c * cm.k + c];
  return s;
}

function total(cm: ConfusionMatrix): number {
  let s = 0;
  for (const v of cm.counts) s += v;
  return s;
}

function perClassMetrics(
  cm: ConfusionMatrix,
  labels: readonly Label[],
  zeroDivision: number,
): ClassMetrics[] {
  const support = rowSums(cm);
  const predicted = colSums(cm);
  return labels.map((label, c) => {
    const tp = cm.counts[c * cm.k + c];
    const precision = safeRatio(tp, predicted[c], zeroDivision);
    const recall = safeRatio(tp, support[c], zeroDivision);
    return {
      label,
      precision,
      recall,
      f1: fbetaFromPR(precision, recall, 1),
      support: support[c],
      predicted: predicted[c],
    };
  });
}

function averages(
  perClass: readonly ClassMetrics[],
  cm: ConfusionMatrix,
): { macro: AveragedMetrics; micro: AveragedMetrics; weighted: AveragedMetrics } {
  const k = perClass.length;
  let mp = 0;
  let mr = 0;
  let mf = 0;
  let wp = 0;
  let wr = 0;
  let wf = 0;
  let weight = 0;
  for (const c of perClass) {
    mp += c.precision;
    mr += c.recall;
    mf += c.f1;
    wp += c.precision * c.support;
    wr += c.recall * c.support;
    wf += c.f1 * c.support;
    weight += c.support;
  }
  // Micro: pooled counts. With one label per row, pooled tp = trace and pooled predicted =
  // pooled support = n, so precision = recall = accuracy.
  const n = total(cm);
  const microP = safeRatio(trace(cm), n);
  return {
    macro: { precision: mp / k, recall: mr / k, f1: mf / k },
    micro: { precision: microP, recall: microP, f1: fbetaFromPR(microP, microP, 1) },
    weighted: {
      precision: safeRatio(wp, weight),
      recall: safeRatio(wr, weight),
      f1: safeRatio(wf, weight),
    },
  };
}

function balancedAccuracy(cm: ConfusionMatrix): number {
  const support = rowSums(cm);
  let sum = 0;
  let present = 0;
  for (let c = 0; c < cm.k; c++) {
    if (support[c] === 0) continue;
    sum += cm.counts[c * cm.k + c] / support[c];
    present++;
  }
  return present === 0 ? 0 : sum / present;
}

/** Gorodkin's R_K, as sklearn computes it: cov(y, ŷ) / sqrt(cov(y, y) · cov(ŷ, ŷ)). */
function multiclassMcc(cm: ConfusionMatrix): number {
  const t = rowSums(cm);
  const p = colSums(cm);
  const n = total(cm);
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < cm.k; c++) {
    tp += t[c] * p[c];
    pp += p[c] * p[c];
    tt += t[c] * t[c];
  }
  const covYtYp = trace(cm) * n - tp;
  const covYpYp = n * n - pp;
  const covYtYt = n * n - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/**
 * Unweighted Cohen's kappa: 1 − observed disagreement / disagreement expected by chance.
 * Labels in neither truth nor predictions add nothing to either sum, so the full matrix gives
 * the same value as the matrix of present labels. Null when both are zero.
 */
function cohenKappa(cm: ConfusionMatrix): number | null {
  const t = rowSums(cm);
  const p = colSums(cm);
  const n = total(cm);
  let chanceAgreement = 0;
  for (let c = 0; c < cm.k; c++) chanceAgreement += t[c] * p[c];
  const expectedDisagreement = n - chanceAgreement / n;
  const observedDisagreement = n - trace(cm);
  if (expectedDisagreement === 0) return null;
  return 1 - observedDisagreement / expectedDisagreement;
}

// ---------------------------------------------------------------------------------------
// Single metrics by name, for the language's `metrics` lists and for resampling.

/** The classification metrics a user can name, as they are written in the language. */
export const CLASSIFICATION_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'f0_5',
  'f2',
  'fbeta',
  'specificity',
  'balanced_accuracy',
  'mcc',
  'cohen_kappa',
] as const;

export type ClassificationMetricName = (typeof CLASSIFICATION_METRICS)[number];

export function isClassificationMetricName(name: string): name is ClassificationMetricName {
  return (CLASSIFICATION_METRICS as readonly string[]).includes(name);
}

/** How precision, recall and F-scores are summarised over labels (sklearn's `average`). */
export const AVERAGES = ['binary', 'macro', 'micro', 'weighted'] as const;
export type Average = (typeof AVERAGES)[number];

/**
 * One metric, fully specified. `average` defaults to `binary` when a positive label is given
 * and to `macro` otherwise; `beta` is required for `fbeta`; `zeroDivision` defaults to 0.
 */
export interface MetricSpec {
  readonly name: ClassificationMetricName;
  readonly average?: Average;
  readonly beta?: number;
  readonly zeroDivision?: 0 | 1;
}

/**
 * The value of one metric on a confusion matrix. With `positive` (a label code) the matrix is
 * a binary task: every label is kept, and `binary` averages are about the positive label
 * against the rest. Without it, labels absent from both truth and predictions are dropped
 * first, as in `multiclassMetricsFromConfusion`. Returns NaN where the metric is undefined
 * (Cohen's kappa at 0/0); throws `bad-argument` for a combination that has no meaning.
 */
export function metricFromConfusion(
  cm: ConfusionMatrix,
  spec: MetricSpec,
  positive: number | null,
): number {
  const m = positive === null ? presentLabels(cm).cm : cm;
  const zd = spec.zeroDivision ?? 0;
  switch (spec.name) {
    case 'accuracy':
      return safeRatio(trace(m), total(m));
    case 'balanced_accuracy':
      return balancedAccuracy(m);
    case 'mcc':
      return multiclassMcc(m);
    case 'cohen_kappa':
      return cohenKappa(m) ?? NaN;
    case 'specificity': {
      if (positive === null) {
        throw new EngineError('bad-argument', 'specificity needs a positive label');
      }
      const c = oneVsRest(m, positive);
      return safeRatio(c.tn, c.tn + c.fp, zd);
    }
    default:
      return averagedScore(m, spec, positive, zd);
  }
}

function averagedScore(
  m: ConfusionMatrix,
  spec: MetricSpec,
  positive: number | null,
  zd: number,
): number {
  const beta = betaOf(spec);
  const average = spec.average ?? (positive === null ? 'macro' : 'binary');
  const pick = (p: number, r: number): number =>
    spec.name === 'precision' ? p : spec.name === 'recall' ? r : fbetaFromPR(p, r, beta);
  if (average === 'binary') {
    if (positive === null) {
      throw new EngineError('bad-argument', `average binary needs a positive label`);
    }
    const c = oneVsRest(m, positive);
    return pick(safeRatio(c.tp, c.tp + c.fp, zd), safeRatio(c.tp, c.tp + c.fn, zd));
  }
  if (average === 'micro') {
    const a = safeRatio(trace(m), total(m), zd);
    return pick(a, a);
  }
  const support = rowSums(m);
  const predicted = colSums(m);
  let sum = 0;
  let weight = 0;
  for (let c = 0; c < m.k; c++) {
    const tp = m.counts[c * m.k + c];
    const value = pick(safeRatio(tp, predicted[c], zd), safeRatio(tp, support[c], zd));
    const w = average === 'weighted' ? support[c] : 1;
    sum += value * w;
    weight += w;
  }
  return safeRatio(sum, weight);
}

function betaOf(spec: MetricSpec): number {
  switch (spec.name) {
    case 'f0_5':
      return 0.5;
    case 'f2':
      return 2;
    case 'fbeta':
      if (spec.beta === undefined || !(spec.beta > 0)) {
        throw new EngineError('bad-argument', 'fbeta needs a positive beta');
      }
      return spec.beta;
    default:
      return 1;
  }
}

/**
 * Whether `metricFromConfusion(cm, spec, positive)` depends on the matrix only through
 * `oneVsRest(cm, positive)`: the `binary`-averaged precision, recall and F-scores, and
 * specificity, given a positive label. Then `metricFromOneVsRest` gives the same value from the
 * four counts, without a matrix. Does not validate `spec` (a missing beta is still an error of
 * `metricFromConfusion`).
 */
export function dependsOnlyOnOneVsRest(spec: MetricSpec, positive: number | null): boolean {
  if (positive === null) return false;
  switch (spec.name) {
    case 'specificity':
      return true;
    case 'precision':
    case 'recall':
    case 'f1':
    case 'f0_5':
    case 'f2':
    case 'fbeta':
      return (spec.average ?? 'binary') === 'binary';
    default:
      return false;
  }
}

/**
 * `metricFromConfusion` for a metric where `dependsOnlyOnOneVsRest` holds, from the positive
 * label's counts (whole numbers) against the rest; the same formulas in the same order, so the
 * same value to the last bit. Throws `bad-argument` for other metrics and for `fbeta` without
 * a positive beta.
 */
export function metricFromOneVsRest(
  spec: MetricSpec,
  tp: number,
  fp: number,
  fn: number,
  tn: number,
): number {
  const zd = spec.zeroDivision ?? 0;
  if (spec.name === 'specificity') return safeRatio(tn, tn + fp, zd);
  if (!dependsOnlyOnOneVsRest(spec, 0)) {
    throw new EngineError('bad-argument', `${spec.name} needs the whole confusion matrix`);
  }
  const precision = safeRatio(tp, tp + fp, zd);
  const recall = safeRatio(tp, tp + fn, zd);
  if (spec.name === 'precision') return precision;
  if (spec.name === 'recall') return recall;
  return fbetaFromPR(precision, recall, betaOf(spec));
}

/** Counts of one label against all others. */
export function oneVsRest(cm: ConfusionMatrix, positive: number): BinaryCounts {
  const { k, counts } = cm;
  let support = 0;
  let predicted = 0;
  let n = 0;
  for (let j = 0; j < k; j++) {
    support += counts[positive * k + j];
    predicted += counts[j * k + positive];
  }
  for (const v of counts) n += v;
  const tp = counts[positive * k + positive];
  return { tp, fp: predicted - tp, fn: support - tp, tn: n - support - predicted + tp };
}

/**
 * A metric of a computed result, by the name users write. Multiclass precision, recall and F1
 * are the macro averages; null where the result has no such value (multiclass specificity or
 * F-beta, `fbeta` without a beta, kappa at 0/0).
 */
export function readMetric(
  result: ClassificationMetrics,
  name: ClassificationMetricName,
): number | null {
  switch (name) {
    case 'accuracy':
      return result.accuracy;
    case 'balanced_accuracy':
      return result.balancedAccuracy;
    case 'mcc':
      return result.mcc;
    case 'cohen_kappa':
      return result.cohenKappa;
    case 'precision':
    case 'recall':
    case 'f1':
      return result.task === 'binary' ? result[name] : result.macro[name];
    case 'f0_5':
    case 'f2':
    case 'specificity':
      return result.task === 'binary' ? result[name] : null;
    case 'fbeta':
      return null;
  }
}
