/**
 * ROC and precision-recall curves, ROC AUC and average precision, with scikit-learn's
 * semantics (`roc_curve`, `roc_auc_score`, `precision_recall_curve`,
 * `average_precision_score`).
 *
 * Everything is derived from one sorted pass, `scoreCurve`: the distinct scores from high to
 * low with the cumulative true- and false-positive counts at each. `rocPrSummary` builds
 * both curves and both areas from a single such pass.
 */
import { throwIfCancelled } from '../errors.js';
import {
  CANCEL_CHECK_ROWS,
  CompensatedSum,
  checkBinaryScores,
  type ScoreOptions,
} from './scores.js';

/**
 * Cumulative counts at every distinct score: predicting positive when `score >= thresholds[i]`
 * gives `tps[i]` true positives and `fps[i]` false positives.
 *
 * Invariants: the three arrays have the same length m ≥ 1; `thresholds` is strictly
 * decreasing; `tps` and `fps` are non-decreasing whole numbers, and the last point holds
 * every row: `tps[m-1] = positives`, `fps[m-1] = negatives`. It is sklearn's
 * `_binary_clf_curve` (fps, tps, thresholds) with the points in the same order.
 */
export interface ScoreCurve {
  readonly thresholds: Float64Array;
  readonly tps: Float64Array;
  readonly fps: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * ROC curve, sklearn's `roc_curve`: `fpr[i]`, `tpr[i]` are the rates when predicting
 * positive for `score >= thresholds[i]`. `thresholds[0]` is the highest score plus 1 (the
 * point (0, 0)); the rest are distinct scores, strictly decreasing. Both rates are
 * non-decreasing and end at 1. A rate whose class is absent from the data is NaN throughout.
 */
export interface RocCurve {
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  readonly thresholds: Float64Array;
}

/**
 * Precision-recall curve, sklearn's `precision_recall_curve`: `thresholds` are the distinct
 * scores in increasing order and `precision[i]`, `recall[i]` belong to `thresholds[i]`; both
 * have one extra last point, precision 1 and recall 0, without a threshold. Recall is
 * non-increasing. With no positive rows recall is 1 at every threshold (sklearn's choice).
 */
export interface PrCurve {
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly thresholds: Float64Array;
}

/** Both curves and both areas from one sort of the scores. */
export interface RocPrSummary {
  readonly curve: ScoreCurve;
  /** ROC curve with intermediate collinear points dropped (sklearn's default). */
  readonly roc: RocCurve;
  readonly pr: PrCurve;
  /** Trapezoidal area under the ROC curve; null when only one class is present. */
  readonly rocAuc: number | null;
  /** Step-sum average precision; 0 when there are no positive rows (as sklearn). */
  readonly averagePrecision: number;
}

// Sorting. A native Float64Array sort of 10M values takes over a second here. Distributing
// values into buckets by a monotone function of the value, (v − min)·scale truncated, and
// sorting each small bucket while it is in cache takes a fraction of that; skewed data only
// makes the buckets uneven, and a bucket that stays large is bucketed again over its own range.
const INSERTION_SORT_MAX = 32;
const NATIVE_SORT_BELOW = 128;
const VALUES_PER_BUCKET = 8;
const MAX_BUCKETS = 1 << 12;
const MAX_BUCKET_DEPTH = 4;
/** Below this many rows `scoreCurve` sorts each class whole instead of bucketing rows. */
const BUCKETED_CURVE_MIN_ROWS = 1 << 14;

/**
 * Sorts `values` ascending in place and returns it. Precondition: no NaN (callers check
 * their scores first). −0 and +0 compare equal and may come out in either order.
 */
export function sortFloat64Ascending(values: Float64Array): Float64Array {
  const scratch = new Float64Array(values.length > INSERTION_SORT_MAX ? values.length : 0);
  sortRange(values, scratch, 0, values.length, 0);
  return values;
}

function insertionSort(a: Float64Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= start && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * A monotone map of [min, max] onto bucket numbers 0 … buckets − 1: every rounded step of
 * (v − min)·scale is monotone, so bucket order agrees with value order and equal values
 * share a bucket; the clamp catches the top value rounding up to `buckets`. Null when the
 * range is too wide or too narrow for a finite scale.
 */
function bucketScale(min: number, max: number, buckets: number): number | null {
  const range = max - min;
  const scale = buckets / range;
  return Number.isFinite(range) && Number.isFinite(scale) ? scale : null;
}

/** Sorts a[start, end) ascending, using scratch[0, end − start). */
function sortRange(
  a: Float64Array,
  scratch: Float64Array,
  start: number,
  end: number,
  depth: number,
): void {
  const length = end - start;
  if (length <= INSERTION_SORT_MAX) {
    insertionSort(a, start, end);
    return;
  }
  if (length < NATIVE_SORT_BELOW || depth >= MAX_BUCKET_DEPTH) {
    a.subarray(start, end).sort();
    return;
  }
  let min = a[start];
  let max = min;
  for (let i = start + 1; i < end; i++) {
    const v = a[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  if (!(max > min)) return; // all equal
  const buckets = Math.min(MAX_BUCKETS, Math.floor(length / VALUES_PER_BUCKET));
  const scale = bucketScale(min, max, buckets);
  if (scale === null) {
    a.subarray(start, end).sort();
    return;
  }
  const last = buckets - 1;
  const bounds = new Uint32Array(buckets + 1);
  for (let i = start; i < end; i++) {
    const b = ((a[i] - min) * scale) | 0;
    bounds[(b > last ? last : b) + 1]++;
  }
  for (let b = 0; b < buckets; b++) bounds[b + 1] += bounds[b];
  const next = bounds.slice(0, buckets);
  for (let i = start; i < end; i++) {
    const v = a[i];
    const b = ((v - min) * scale) | 0;
    scratch[next[b > last ? last : b]++] = v;
  }
  a.set(scratch.subarray(0, length), start);
  for (let b = 0; b < buckets; b++) {
    const lo = start + bounds[b];
    const hi = start + bounds[b + 1];
    if (hi - lo > 1) sortRange(a, scratch, lo, hi, depth + 1);
  }
}

/**
 * The shared sorted pass: distinct scores from high to low with cumulative counts. Rejects
 * missing (NaN) and infinite scores with an EngineError naming the row.
 *
 * Large inputs are bucketed once by score, positives and negatives apart within each
 * bucket; then, bucket by bucket, the two runs are sorted (in cache) and merged into the
 * curve. Small inputs sort each class whole and merge once.
 */
export function scoreCurve(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
): ScoreCurve {
  const checked = checkBinaryScores(scores, isPositive, options);
  const { positives, negatives, minScore: min, maxScore: max } = checked;
  const n = scores.length;
  const buckets = Math.min(MAX_BUCKETS, Math.floor(n / VALUES_PER_BUCKET));
  const scale = max > min ? bucketScale(min, max, buckets) : null;
  throwIfCancelled(options.cancel);
  if (n < BUCKETED_CURVE_MIN_ROWS || scale === null) {
    return wholeSortCurve(scores, isPositive, positives, negatives);
  }

  // Counts and write cursors are interleaved per bucket, [2b] positives and [2b + 1]
  // negatives, and indexed without a branch on the label: the labels are in random order.
  const last = buckets - 1;
  const counts = new Uint32Array(2 * buckets);
  for (let i = 0; i < n; i++) {
    const b = ((scores[i] - min) * scale) | 0;
    counts[((b > last ? last : b) << 1) | negativeBit(isPositive[i])]++;
  }
  // Bucket b occupies [regionStart[b], regionStart[b + 1]): its positives, then negatives.
  const regionStart = new Uint32Array(buckets + 1);
  const cursor = new Uint32Array(2 * buckets);
  let largest = 0;
  for (let b = 0; b < buckets; b++) {
    const inPositive = counts[2 * b];
    const inNegative = counts[2 * b + 1];
    cursor[2 * b] = regionStart[b];
    cursor[2 * b + 1] = regionStart[b] + inPositive;
    regionStart[b + 1] = regionStart[b] + inPositive + inNegative;
    largest = Math.max(largest, inPositive, inNegative);
  }
  const grouped = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    const b = ((v - min) * scale) | 0;
    grouped[cursor[((b > last ? last : b) << 1) | negativeBit(isPositive[i])]++] = v;
  }

  return mergeBuckets(grouped, regionStart, counts, positives, negatives, largest, options);
}

/**
 * Sorts each bucket's two runs and merges them from the lowest bucket up, writing the
 * distinct scores in place at the front of `grouped`: the k-th distinct score is written
 * only after at least k + 1 rows have been read, and a bucket's positives are read from a
 * copy, so no unread value is overwritten. Counts from below give the counts from above
 * (tps = positives − positives below the score). The arrays are reversed at the end.
 */
function mergeBuckets(
  grouped: Float64Array,
  regionStart: Uint32Array,
  counts: Uint32Array,
  positives: number,
  negatives: number,
  largestRun: number,
  options: ScoreOptions,
): ScoreCurve {
  const buckets = regionStart.length - 1;
  const n = grouped.length;
  const scratch = new Float64Array(largestRun);
  // Pages never written are never touched, so sizing these for n costs only what is used.
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let m = 0;
  let positivesBelow = 0;
  let negativesBelow = 0;
  let sinceCheck = 0;
  for (let b = 0; b < buckets; b++) {
    const start = regionStart[b];
    const split = start + counts[2 * b];
    const end = regionStart[b + 1];
    if (end === start) continue;
    sortRange(grouped, scratch, start, split, 1);
    sortRange(grouped, scratch, split, end, 1);
    const pos = scratch;
    const posLength = split - start;
    pos.set(grouped.subarray(start, split));
    let i = 0;
    let j = split;
    while (i < posLength || j < end) {
      const s =
        i === posLength
          ? grouped[j]
          : j === end
            ? pos[i]
            : pos[i] < grouped[j]
              ? pos[i]
              : grouped[j];
      tps[m] = positives - positivesBelow;
      fps[m] = negatives - negativesBelow;
      // `===` treats −0 and +0 as one score, as numpy's diff does.
      while (i < posLength && pos[i] === s) {
        positivesBelow++;
        i++;
      }
      while (j < end && grouped[j] === s) {
        negativesBelow++;
        j++;
      }
      grouped[m++] = s;
    }
    sinceCheck += end - start;
    if (sinceCheck >= CANCEL_CHECK_ROWS) {
      throwIfCancelled(options.cancel);
      sinceCheck = 0;
    }
  }
  const thresholds = grouped.subarray(0, m).reverse();
  tps.subarray(0, m).reverse();
  fps.subarray(0, m).reverse();
  return trimmedCurve(thresholds, tps, fps, m, positives, negatives);
}

/** Short curves are copied out of their n-row buffers; long ones are views (≤ half unused). */
function trimmedCurve(
  thresholds: Float64Array,
  tps: Float64Array,
  fps: Float64Array,
  m: number,
  positives: number,
  negatives: number,
): ScoreCurve {
  const trim = (a: Float64Array): Float64Array =>
    m === a.length ? a : m * 2 < a.buffer.byteLength / 8 ? a.slice(0, m) : a.subarray(0, m);
  return { thresholds: trim(thresholds), tps: trim(tps), fps: trim(fps), positives, negatives };
}

/** 1 for a negative row (label byte 0), 0 for a positive one (any other byte), branch-free. */
function negativeBit(label: number): number {
  return ((label + 255) >> 8) ^ 1;
}

function wholeSortCurve(
  scores: Float64Array,
  isPositive: Uint8Array,
  positives: number,
  negatives: number,
): ScoreCurve {
  const n = scores.length;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (isPositive[i] !== 0) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  sortFloat64Ascending(pos);
  sortFloat64Ascending(neg);
  // Merge both sorted classes from the top, one point per distinct score.
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let i = positives - 1;
  let j = negatives - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (i >= 0 || j >= 0) {
    const s = i < 0 ? neg[j] : j < 0 ? pos[i] : pos[i] > neg[j] ? pos[i] : neg[j];
    while (i >= 0 && pos[i] === s) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === s) {
      fp++;
      j--;
    }
    thresholds[m] = s;
    tps[m] = tp;
    fps[m] = fp;
    m++;
  }
  return trimmedCurve(thresholds, tps, fps, m, positives, negatives);
}

/**
 * The extra first ROC threshold: the highest score plus 1, as the golden fixtures and
 * sklearn 1.2 write it. For scores so large that adding 1 changes nothing, +Infinity.
 */
export function rejectAllThreshold(curve: ScoreCurve): number {
  const top = curve.thresholds[0];
  return top + 1 > top ? top + 1 : Infinity;
}

/** ROC curve from the shared pass; `dropIntermediate` as sklearn (default true). */
export function rocCurveFromScoreCurve(curve: ScoreCurve, dropIntermediate = true): RocCurve {
  const { tps, fps } = curve;
  const m = tps.length;
  const dropping = dropIntermediate && m > 2;
  // Sized for every point; a short result is copied out below.
  const fpr = new Float64Array(m + 1);
  const tpr = new Float64Array(m + 1);
  const thresholds = new Float64Array(m + 1);
  thresholds[0] = rejectAllThreshold(curve);
  // sklearn divides by the last count; 0/0 makes every rate NaN when a class is absent.
  const { negatives, positives } = curve;
  fpr[0] = 0 / negatives;
  tpr[0] = 0 / positives;
  let r = 1;
  for (let k = 0; k < m; k++) {
    // A point is dropped when both cumulative counts have zero second difference at it: it
    // lies on the straight segment between its neighbours. The end points always stay.
    if (
      dropping &&
      k > 0 &&
      k < m - 1 &&
      fps[k - 1] - 2 * fps[k] + fps[k + 1] === 0 &&
      tps[k - 1] - 2 * tps[k] + tps[k + 1] === 0
    ) {
      continue;
    }
    fpr[r] = fps[k] / negatives;
    tpr[r] = tps[k] / positives;
    thresholds[r] = curve.thresholds[k];
    r++;
  }
  const trim = (a: Float64Array): Float64Array =>
    r === a.length ? a : r * 2 < a.length ? a.slice(0, r) : a.subarray(0, r);
  return { fpr: trim(fpr), tpr: trim(tpr), thresholds: trim(thresholds) };
}

/**
 * Area under the ROC curve by the trapezoid rule; null when only one class is present
 * (sklearn raises there). The sum runs over whole-number counts, exact below 2^53, and is
 * divided once, so the value is the exact area rounded once.
 */
export function rocAucFromScoreCurve(curve: ScoreCurve): number | null {
  if (curve.positives === 0 || curve.negatives === 0) return null;
  const { tps, fps } = curve;
  let twiceArea = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < tps.length; k++) {
    twiceArea += (fps[k] - prevFp) * (tps[k] + prevTp);
    prevTp = tps[k];
    prevFp = fps[k];
  }
  return twiceArea / (2 * curve.positives * curve.negatives);
}

/** Precision-recall curve from the shared pass (no points dropped). */
export function prCurveFromScoreCurve(curve: ScoreCurve): PrCurve {
  const { tps, fps } = curve;
  const m = tps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thresholds = new Float64Array(m);
  const positives = curve.positives;
  for (let k = 0; k < m; k++) {
    const r = m - 1 - k; // increasing thresholds
    const predicted = tps[k] + fps[k];
    precision[r] = predicted === 0 ? 0 : tps[k] / predicted;
    recall[r] = positives === 0 ? 1 : tps[k] / positives;
    thresholds[r] = curve.thresholds[k];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

/**
 * Average precision, sklearn's step sum: Σ_k (R_k − R_{k−1})·P_k over the thresholds from
 * high to low, with R_{−1} = 0. Recall and precision are formed as the PR curve forms them,
 * so with no positive rows (recall 1 everywhere) the result is 0, as sklearn's.
 */
export function averagePrecisionFromScoreCurve(curve: ScoreCurve): number {
  const { tps, fps } = curve;
  const positives = curve.positives;
  const sum = new CompensatedSum();
  let prevRecall = 0;
  for (let k = 0; k < tps.length; k++) {
    const recall = positives === 0 ? 1 : tps[k] / positives;
    const predicted = tps[k] + fps[k];
    const precision = predicted === 0 ? 0 : tps[k] / predicted;
    if (recall !== prevRecall) sum.add((recall - prevRecall) * precision);
    prevRecall = recall;
  }
  return sum.value;
}

/** ROC curve of the scores; `dropIntermediate` defaults to true as in sklearn. */
export function rocCurve(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions & { readonly dropIntermediate?: boolean } = {},
): RocCurve {
  return rocCurveFromScoreCurve(
    scoreCurve(scores, isPositive, options),
    options.dropIntermediate ?? true,
  );
}

export function rocAuc(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
): number | null {
  return rocAucFromScoreCurve(scoreCurve(scores, isPositive, options));
}

export function prCurve(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
): PrCurve {
  return prCurveFromScoreCurve(scoreCurve(scores, isPositive, options));
}

export function averagePrecision(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
): number {
  return averagePrecisionFromScoreCurve(scoreCurve(scores, isPositive, options));
}

/** ROC curve, PR curve, ROC AUC and average precision with one sort of the scores. */
export function rocPrSummary(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
): RocPrSummary {
  const curve = scoreCurve(scores, isPositive, options);
  return {
    curve,
    roc: rocCurveFromScoreCurve(curve, true),
    pr: prCurveFromScoreCurve(curve),
    rocAuc: rocAucFromScoreCurve(curve),
    averagePrecision: averagePrecisionFromScoreCurve(curve),
  };
}
