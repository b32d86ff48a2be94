/**
 * Binary metrics from the four confusion counts, as scikit-learn defines them.
 *
 * Every ratio whose denominator is zero is reported as `zeroDivision` (0 by default, as
 * sklearn's `zero_division=0`) and named in `illDefined`. F-beta is computed from the float
 * precision and recall — `(1 + b²)·P·R / (b²·P + R)` — not from counts, because that is what
 * sklearn does (P = R = 0.8 gives 0.8000000000000002, and the golden values depend on it).
 */
export interface BinaryCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export type IllDefinedMetric = 'precision' | 'recall' | 'specificity';

export interface BinaryCountMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly specificity: number;
  readonly f1: number;
  readonly f0_5: number;
  readonly f2: number;
  readonly balancedAccuracy: number;
  readonly mcc: number;
  readonly illDefined: readonly IllDefinedMetric[];
}

export function safeRatio(num: number, den: number, zeroDivision = 0): number {
  return den === 0 ? zeroDivision : num / den;
}

/** F-beta from precision and recall (sklearn: 0 when the denominator is 0). */
export function fbetaFromPR(precision: number, recall: number, beta: number): number {
  const b2 = beta * beta;
  const den = b2 * precision + recall;
  return den === 0 ? 0 : ((1 + b2) * precision * recall) / den;
}

/** Matthews correlation from binary counts; 0 when its denominator is 0 (as sklearn). */
export function mccFromCounts(c: BinaryCounts): number {
  const { tp, fp, fn, tn } = c;
  const n = tp + fp + fn + tn;
  // sklearn's form: cov(y, ŷ) / sqrt(cov(y, y) · cov(ŷ, ŷ)) over the confusion matrix.
  const tk = [tn + fp, fn + tp]; // true counts per class (neg, pos)
  const pk = [tn + fn, fp + tp]; // predicted counts per class
  const c0 = tp + tn;
  const covYtYp = c0 * n - (tk[0] * pk[0] + tk[1] * pk[1]);
  const covYpYp = n * n - (pk[0] * pk[0] + pk[1] * pk[1]);
  const covYtYt = n * n - (tk[0] * tk[0] + tk[1] * tk[1]);
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

export function binaryMetricsFromCounts(c: BinaryCounts, zeroDivision = 0): BinaryCountMetrics {
  const { tp, fp, fn, tn } = c;
  const n = tp + fp + fn + tn;
  const illDefined: IllDefinedMetric[] = [];
  if (tp + fp === 0) illDefined.push('precision');
  if (tp + fn === 0) illDefined.push('recall');
  if (tn + fp === 0) illDefined.push('specificity');
  const precision = safeRatio(tp, tp + fp, zeroDivision);
  const recall = safeRatio(tp, tp + fn, zeroDivision);
  const specificity = safeRatio(tn, tn + fp, zeroDivision);
  // Balanced accuracy averages the recalls of the classes present in the truth only.
  const recalls: number[] = [];
  if (tp + fn > 0) recalls.push(tp / (tp + fn));
  if (tn + fp > 0) recalls.push(tn / (tn + fp));
  const balancedAccuracy =
    recalls.length === 0 ? 0 : recalls.reduce((a, b) => a + b, 0) / recalls.length;
  return {
    accuracy: n === 0 ? 0 : (tp + tn) / n,
    precision,
    recall,
    specificity,
    f1: fbetaFromPR(precision, recall, 1),
    f0_5: fbetaFromPR(precision, recall, 0.5),
    f2: fbetaFromPR(precision, recall, 2),
    balancedAccuracy,
    mcc: mccFromCounts(c),
    illDefined,
  };
}
