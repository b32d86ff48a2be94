/**
 * Calibration of probability scores: a reliability diagram over uniform bins, expected and
 * maximum calibration error, and the Brier score. Binning is sklearn's
 * `calibration_curve(strategy="uniform")`: edges `numpy.linspace(0, 1, nBins + 1)`, and a
 * score goes to bin i when exactly i of the inner edges are strictly below it, so bins are
 * (lower, upper] and the first also takes 0.
 */
import { EngineError, throwIfCancelled } from '../errors.js';
import {
  CANCEL_CHECK_ROWS,
  CompensatedSum,
  brierScore,
  checkBinaryScores,
  type ScoreOptions,
} from './scores.js';

/** One reliability bin. The three means are null exactly when `count` is 0. */
/** The most bins a reliability diagram has: beyond it, bins hold one row or none. */
export const MAX_BINS = 10_000;

export interface CalibrationBin {
  /** 0-based bin index. */
  readonly bin: number;
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly positives: number;
  /** Mean score of the bin's rows. */
  readonly meanPredicted: number | null;
  /** Share of the bin's rows that are positive. */
  readonly fractionPositive: number | null;
  /** |fractionPositive − meanPredicted|. */
  readonly absGap: number | null;
}

/**
 * Calibration of one score column. `bins` holds all `nBins` bins (empty ones included);
 * `probTrue` and `probPred` are sklearn's arrays, over the non-empty bins only, in bin order.
 * `ece` = Σ over non-empty bins of (count / n)·absGap; `mce` = the largest absGap.
 */
export interface CalibrationResult {
  readonly nBins: number;
  /** nBins + 1 edges, as numpy's linspace computes them: i·(1/nBins), the last exactly 1. */
  readonly binEdges: Float64Array;
  readonly bins: readonly CalibrationBin[];
  readonly probTrue: Float64Array;
  readonly probPred: Float64Array;
  readonly ece: number;
  readonly mce: number;
  readonly brierScore: number;
  readonly n: number;
}

export interface CalibrationOptions extends ScoreOptions {
  /** Number of uniform bins, a whole number ≥ 1; 10 by default. */
  readonly nBins?: number;
}

/** numpy.linspace(0, 1, nBins + 1): start + i·step with step = 1 / nBins, last = 1. */
export function uniformBinEdges(nBins: number): Float64Array {
  const edges = new Float64Array(nBins + 1);
  const step = 1 / nBins;
  for (let i = 0; i < nBins; i++) edges[i] = i * step;
  edges[nBins] = 1;
  return edges;
}

/** Reliability bins, ECE, MCE and Brier score. Scores must be probabilities in [0, 1]. */
export function calibration(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: CalibrationOptions = {},
): CalibrationResult {
  const nBins = options.nBins ?? 10;
  if (!(Number.isInteger(nBins) && nBins >= 1)) {
    throw new EngineError(
      'bad-argument',
      `the number of bins must be a whole number ≥ 1, got ${nBins}`,
    );
  }
  if (nBins > MAX_BINS) {
    throw new EngineError(
      'bad-argument',
      `the number of bins must be at most ${MAX_BINS}, got ${nBins}`,
    );
  }
  checkBinaryScores(scores, isPositive, options, true);
  const n = scores.length;
  const edges = uniformBinEdges(nBins);
  const counts = new Float64Array(nBins);
  const positives = new Float64Array(nBins);
  // Sums in row order, as numpy's bincount adds them.
  const scoreSums = new Float64Array(nBins);
  const last = nBins - 1;
  for (let start = 0; start < n; start += CANCEL_CHECK_ROWS) {
    throwIfCancelled(options.cancel);
    const end = Math.min(n, start + CANCEL_CHECK_ROWS);
    for (let i = start; i < end; i++) {
      const s = scores[i];
      // A guess from the value, then corrected against the stored edges so that the rule
      // "number of inner edges strictly below s" holds exactly, whatever the rounding.
      let b = Math.ceil(s * nBins) - 1;
      if (b < 0) b = 0;
      else if (b > last) b = last;
      while (b > 0 && !(edges[b] < s)) b--;
      while (b < last && edges[b + 1] < s) b++;
      counts[b]++;
      scoreSums[b] += s;
      if (isPositive[i] !== 0) positives[b]++;
    }
  }
  const bins: CalibrationBin[] = [];
  const probTrue: number[] = [];
  const probPred: number[] = [];
  const ece = new CompensatedSum();
  let mce = 0;
  for (let b = 0; b < nBins; b++) {
    const count = counts[b];
    if (count === 0) {
      bins.push({
        bin: b,
        lower: edges[b],
        upper: edges[b + 1],
        count: 0,
        positives: 0,
        meanPredicted: null,
        fractionPositive: null,
        absGap: null,
      });
      continue;
    }
    const meanPredicted = scoreSums[b] / count;
    const fractionPositive = positives[b] / count;
    const absGap = Math.abs(fractionPositive - meanPredicted);
    bins.push({
      bin: b,
      lower: edges[b],
      upper: edges[b + 1],
      count,
      positives: positives[b],
      meanPredicted,
      fractionPositive,
      absGap,
    });
    probTrue.push(fractionPositive);
    probPred.push(meanPredicted);
    ece.add((count / n) * absGap);
    if (absGap > mce) mce = absGap;
  }
  return {
    nBins,
    binEdges: edges,
    bins,
    probTrue: Float64Array.from(probTrue),
    probPred: Float64Array.from(probPred),
    ece: ece.value,
    mce,
    brierScore: brierScore(scores, isPositive, options),
    n,
  };
}
