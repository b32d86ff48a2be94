/**
 * Probability scores of a binary classifier: log loss and Brier score, and the input checks
 * that every score metric shares (curves, thresholds, calibration).
 *
 * Inputs are two parallel arrays: `scores[i]` is the model's score for row i (float64, the
 * probability of the positive class for the probability metrics), and `isPositive[i]` is
 * non-zero exactly when row i's true label is the positive class.
 */
import { EngineError, throwIfCancelled, type CancelToken, type DataLocation } from '../errors.js';

/** scikit-learn's clipping for log loss: `np.finfo(np.float64).eps`. */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

/** Rows processed between two polls of the cancel token. */
export const CANCEL_CHECK_ROWS = 1 << 20;

/** Options shared by the score metrics. */
export interface ScoreOptions {
  readonly cancel?: CancelToken;
  /** Where the scores came from, so that an error can name the file and column. */
  readonly source?: Pick<DataLocation, 'file' | 'column'>;
}

/** What checking the inputs found: class sizes and the score range. */
export interface ScoreInputSummary {
  /** Rows whose true label is the positive class. */
  readonly positives: number;
  /** All other rows. */
  readonly negatives: number;
  readonly minScore: number;
  readonly maxScore: number;
}

/**
 * Checks that the arrays have the same length and at least one row, and that every score is
 * finite (NaN is a missing value; ±Infinity is out of range). With `probabilities`, every
 * score must also lie in [0, 1]. Errors name the 1-based row.
 */
export function checkBinaryScores(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
  probabilities = false,
): ScoreInputSummary {
  const n = scores.length;
  const where = options.source ?? {};
  if (isPositive.length !== n) {
    throw new EngineError(
      'length-mismatch',
      `${n} scores but ${isPositive.length} labels: they must describe the same rows`,
      where,
    );
  }
  if (n === 0) throw new EngineError('bad-argument', 'no rows to score', where);
  let positives = 0;
  let minScore = scores[0];
  let maxScore = scores[0];
  for (let start = 0; start < n; start += CANCEL_CHECK_ROWS) {
    throwIfCancelled(options.cancel);
    const end = Math.min(n, start + CANCEL_CHECK_ROWS);
    for (let i = start; i < end; i++) {
      const s = scores[i];
      // One comparison catches NaN, ±Infinity and, for probabilities, anything outside [0, 1].
      if (probabilities ? !(s >= 0 && s <= 1) : s - s !== 0) throw badScore(s, i, where);
      // (byte + 255) >> 8 is 1 for any non-zero byte: counted without a branch, since the
      // labels come in random order.
      positives += (isPositive[i] + 255) >> 8;
      if (s < minScore) minScore = s;
      else if (s > maxScore) maxScore = s;
    }
  }
  return { positives, negatives: n - positives, minScore, maxScore };
}

function badScore(score: number, index: number, where: ScoreOptions['source']): EngineError {
  const row = index + 1;
  const location = { ...where, row };
  const column = where?.column === undefined ? 'score' : `score in column "${where.column}"`;
  if (Number.isNaN(score)) {
    return new EngineError('missing-value', `${column} is missing in row ${row}`, location);
  }
  if (!Number.isFinite(score)) {
    return new EngineError(
      'score-out-of-range',
      `${column} is ${score} in row ${row}; scores must be finite`,
      location,
    );
  }
  return new EngineError(
    'score-out-of-range',
    `${column} is ${score} in row ${row}; a probability must lie in [0, 1]`,
    location,
  );
}

/**
 * Sum with Neumaier's compensation: long sums of small terms (10M rows) keep their last
 * digits, as numpy's pairwise summation does, so means agree with scikit-learn to 1e-15.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * Binary log loss (cross-entropy), as sklearn's `log_loss`: each score p is clipped to
 * [eps, 1 − eps], the pair (1 − p, p) is divided by its sum, and the mean of −log of the
 * true class's share is returned. Scores must be probabilities in [0, 1].
 */
export function logLoss(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
): number {
  checkBinaryScores(scores, isPositive, options, true);
  const n = scores.length;
  const total = new CompensatedSum();
  for (let start = 0; start < n; start += CANCEL_CHECK_ROWS) {
    throwIfCancelled(options.cancel);
    const end = Math.min(n, start + CANCEL_CHECK_ROWS);
    for (let i = start; i < end; i++) {
      const p = Math.min(Math.max(scores[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
      const q = 1 - p;
      // sklearn renormalises the clipped pair; q + p can differ from 1 in the last bit.
      const share = (isPositive[i] !== 0 ? p : q) / (q + p);
      total.add(-Math.log(share));
    }
  }
  return total.value / n;
}

/** Brier score: the mean of (y − p)², y = 1 for positive rows. Scores must be in [0, 1]. */
export function brierScore(
  scores: Float64Array,
  isPositive: Uint8Array,
  options: ScoreOptions = {},
): number {
  checkBinaryScores(scores, isPositive, options, true);
  const n = scores.length;
  const total = new CompensatedSum();
  for (let start = 0; start < n; start += CANCEL_CHECK_ROWS) {
    throwIfCancelled(options.cancel);
    const end = Math.min(n, start + CANCEL_CHECK_ROWS);
    for (let i = start; i < end; i++) {
      const d = (isPositive[i] !== 0 ? 1 : 0) - scores[i];
      total.add(d * d);
    }
  }
  return total.value / n;
}
