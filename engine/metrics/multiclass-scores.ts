/**
 * Scores of a multiclass classifier: one probability column per class. Log loss,
 * one-vs-rest ROC AUC (per class, macro and prevalence-weighted) and top-k accuracy, with
 * scikit-learn's semantics (`log_loss`, `roc_auc_score(multi_class="ovr")`,
 * `top_k_accuracy_score`).
 *
 * Inputs: `probabilities[c][i]` is the probability of class c for row i, the classes in a
 * fixed order (the caller's label order); `trueClass[i]` is the index of row i's true class
 * in that order.
 */
import { EngineError, throwIfCancelled, type CancelToken } from '../errors.js';
import { rocAucFromScoreCurve, scoreCurve } from './curves.js';
import { CANCEL_CHECK_ROWS, CompensatedSum, LOG_LOSS_EPS } from './scores.js';

export interface MulticlassScoreOptions {
  readonly cancel?: CancelToken;
  /** Where the probabilities came from: the file, and one column name per class. */
  readonly source?: { readonly file?: string; readonly columns?: readonly string[] };
}

/**
 * One-vs-rest ROC AUC. `perClass[c]` is the AUC of class c's column against "true class is
 * c", null when class c is absent from the truth (sklearn raises there). `macro` is the
 * plain mean, `weighted` the mean weighted by `support`; both are null when any class is
 * absent, since sklearn's roc_auc_score refuses such data.
 */
export interface OvrRocAuc {
  readonly perClass: readonly (number | null)[];
  /** Number of rows whose true class is c. */
  readonly support: readonly number[];
  readonly macro: number | null;
  readonly weighted: number | null;
}

/**
 * Checks shapes (at least two classes, equal column lengths, at least one row), that true
 * class indices are in range, and that every probability is in [0, 1]. Errors name the
 * 1-based row and, when known, the column.
 */
function checkInputs(
  probabilities: readonly Float64Array[],
  trueClass: Int32Array,
  options: MulticlassScoreOptions,
): void {
  const k = probabilities.length;
  const n = trueClass.length;
  const file = options.source?.file;
  const columnName = (c: number): string => options.source?.columns?.[c] ?? `class ${c}`;
  if (k < 2) {
    throw new EngineError('bad-argument', `multiclass scores need at least 2 classes, got ${k}`, {
      file,
    });
  }
  if (n === 0) throw new EngineError('bad-argument', 'no rows to score', { file });
  for (let c = 0; c < k; c++) {
    if (probabilities[c].length !== n) {
      throw new EngineError(
        'length-mismatch',
        `probability column ${columnName(c)} has ${probabilities[c].length} rows, the labels ${n}`,
        { file, column: options.source?.columns?.[c] },
      );
    }
  }
  for (let start = 0; start < n; start += CANCEL_CHECK_ROWS) {
    throwIfCancelled(options.cancel);
    const end = Math.min(n, start + CANCEL_CHECK_ROWS);
    for (let i = start; i < end; i++) {
      const t = trueClass[i];
      if (!(t >= 0 && t < k)) {
        throw new EngineError(
          'unknown-label',
          `row ${i + 1}: the true label has no probability column`,
          {
            file,
            row: i + 1,
          },
        );
      }
      for (let c = 0; c < k; c++) {
        const p = probabilities[c][i];
        if (!(p >= 0 && p <= 1)) {
          const where = { file, row: i + 1, column: options.source?.columns?.[c] };
          throw Number.isNaN(p)
            ? new EngineError(
                'missing-value',
                `probability ${columnName(c)} is missing in row ${i + 1}`,
                where,
              )
            : new EngineError(
                'score-out-of-range',
                `probability ${columnName(c)} is ${p} in row ${i + 1}; it must lie in [0, 1]`,
                where,
              );
        }
      }
    }
  }
}

/**
 * Multiclass log loss: each row's probabilities are clipped to [eps, 1 − eps]
 * (eps = 2.220446049250313e-16) and divided by their sum, and the mean of −log of the true
 * class's share is returned.
 */
export function multiclassLogLoss(
  probabilities: readonly Float64Array[],
  trueClass: Int32Array,
  options: MulticlassScoreOptions = {},
): number {
  checkInputs(probabilities, trueClass, options);
  const k = probabilities.length;
  const n = trueClass.length;
  const clip = (p: number): number => Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  const total = new CompensatedSum();
  for (let start = 0; start < n; start += CANCEL_CHECK_ROWS) {
    throwIfCancelled(options.cancel);
    const end = Math.min(n, start + CANCEL_CHECK_ROWS);
    for (let i = start; i < end; i++) {
      let rowSum = 0;
      for (let c = 0; c < k; c++) rowSum += clip(probabilities[c][i]);
      total.add(-Math.log(clip(probabilities[trueClass[i]][i]) / rowSum));
    }
  }
  return total.value / n;
}

/**
 * One-vs-rest ROC AUC. As sklearn, the rows must be probability distributions: a row whose
 * sum is not within numpy's `allclose` tolerance of 1 (|sum − 1| ≤ 1e-8 + 1e-5·|sum|) is
 * rejected with an error naming it.
 */
export function ovrRocAuc(
  probabilities: readonly Float64Array[],
  trueClass: Int32Array,
  options: MulticlassScoreOptions = {},
): OvrRocAuc {
  checkInputs(probabilities, trueClass, options);
  const k = probabilities.length;
  const n = trueClass.length;
  const support = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += probabilities[c][i];
    if (!(Math.abs(rowSum - 1) <= 1e-8 + 1e-5 * Math.abs(rowSum))) {
      throw new EngineError(
        'score-out-of-range',
        `the class probabilities of row ${i + 1} sum to ${rowSum}, not 1`,
        { file: options.source?.file, row: i + 1 },
      );
    }
    support[trueClass[i]]++;
  }
  const isClass = new Uint8Array(n);
  const perClass: (number | null)[] = [];
  for (let c = 0; c < k; c++) {
    throwIfCancelled(options.cancel);
    for (let i = 0; i < n; i++) isClass[i] = trueClass[i] === c ? 1 : 0;
    const curve = scoreCurve(probabilities[c], isClass, {
      cancel: options.cancel,
      source: { file: options.source?.file, column: options.source?.columns?.[c] },
    });
    perClass.push(rocAucFromScoreCurve(curve));
  }
  if (perClass.some((auc) => auc === null)) {
    return { perClass, support, macro: null, weighted: null };
  }
  const aucs = perClass as number[];
  let macro = 0;
  let weighted = 0;
  for (let c = 0; c < k; c++) {
    macro += aucs[c];
    weighted += aucs[c] * support[c];
  }
  return { perClass, support, macro: macro / k, weighted: weighted / n };
}

/**
 * Top-k accuracy: the share of rows whose true class is among the k most probable. Ties
 * follow sklearn's `top_k_accuracy_score`, which ranks classes by a stable sort of the
 * probabilities reversed: among equal probabilities the class later in the class order
 * ranks higher. So the true class c is in the top k when
 * #{j : p_j > p_c} + #{j > c : p_j = p_c} < k. With k ≥ the number of classes every row
 * counts (sklearn warns there).
 */
export function topKAccuracy(
  probabilities: readonly Float64Array[],
  trueClass: Int32Array,
  topK: number,
  options: MulticlassScoreOptions = {},
): number {
  if (!(Number.isInteger(topK) && topK >= 1)) {
    throw new EngineError('bad-argument', `k must be a whole number ≥ 1, got ${topK}`);
  }
  checkInputs(probabilities, trueClass, options);
  const k = probabilities.length;
  const n = trueClass.length;
  let hits = 0;
  for (let start = 0; start < n; start += CANCEL_CHECK_ROWS) {
    throwIfCancelled(options.cancel);
    const end = Math.min(n, start + CANCEL_CHECK_ROWS);
    for (let i = start; i < end; i++) {
      const t = trueClass[i];
      const pt = probabilities[t][i];
      let ahead = 0;
      for (let c = 0; c < k; c++) {
        const p = probabilities[c][i];
        if (p > pt || (p === pt && c > t)) ahead++;
      }
      if (ahead < topK) hits++;
    }
  }
  return hits / n;
}
