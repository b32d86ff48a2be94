/**
 * Metric formulas with the actual counts substituted, for teaching: next to "precision 0.8947"
 * the notebook can show "TP / (TP + FP) = 85 / (85 + 10)". The values are the metrics as the
 * engine reports them (a 0/0 is 0, with a note), not recomputed from the substituted text.
 */
import type { BinaryCountMetrics } from '../metrics/counts.js';
import type { ConfusionCounts, MetricExplanation, ModelExplanation } from './types.js';

/** The binary metrics an explanation shows; both the engine's metric results provide them. */
export type ExplainedBinaryMetrics = Omit<BinaryCountMetrics, 'illDefined'>;

const ZERO_DIVISION_NOTE = '0 / 0 is undefined; reported as 0';

function explained(
  metric: string,
  formula: string,
  substituted: string,
  value: number | null,
  undefinedRatio = false,
): MetricExplanation {
  return { metric, formula, substituted, value, note: undefinedRatio ? ZERO_DIVISION_NOTE : null };
}

/** A number as it appears in a substituted formula: whole counts as integers, else 4 decimals. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(4)));
}

/**
 * The formulas of a binary model at its counts: accuracy, precision, recall, specificity,
 * false-positive rate, F1, F0.5, F2, balanced accuracy and MCC. `threshold` is the decision
 * threshold when the predictions come from a score, else null.
 */
export function explainBinary(
  model: string,
  counts: ConfusionCounts,
  metrics: ExplainedBinaryMetrics,
  threshold: number | null = null,
): ModelExplanation {
  const { tp, fp, fn, tn } = counts;
  const fprDenominator = fp + tn;
  const fbeta = (metric: string, beta: number, value: number): MetricExplanation => {
    const b2 = beta * beta;
    return explained(
      metric,
      `(1 + β²) · TP / ((1 + β²) · TP + β² · FN + FP), β = ${beta}`,
      `${num(1 + b2)} · ${tp} / (${num(1 + b2)} · ${tp} + ${num(b2)} · ${fn} + ${fp})`,
      value,
      tp + fn + fp === 0,
    );
  };
  const positiveRecall = tp + fn === 0 ? null : `${tp} / (${tp} + ${fn})`;
  const negativeRecall = tn + fp === 0 ? null : `${tn} / (${tn} + ${fp})`;
  const presentRecalls = [positiveRecall, negativeRecall].filter((r): r is string => r !== null);
  return {
    model,
    threshold,
    counts: { tp, fp, fn, tn },
    metrics: [
      explained(
        'accuracy',
        '(TP + TN) / (TP + TN + FP + FN)',
        `(${tp} + ${tn}) / (${tp} + ${tn} + ${fp} + ${fn})`,
        metrics.accuracy,
        tp + tn + fp + fn === 0,
      ),
      explained(
        'precision',
        'TP / (TP + FP)',
        `${tp} / (${tp} + ${fp})`,
        metrics.precision,
        tp + fp === 0,
      ),
      explained(
        'recall',
        'TP / (TP + FN)',
        `${tp} / (${tp} + ${fn})`,
        metrics.recall,
        tp + fn === 0,
      ),
      explained(
        'specificity',
        'TN / (TN + FP)',
        `${tn} / (${tn} + ${fp})`,
        metrics.specificity,
        tn + fp === 0,
      ),
      explained(
        'fpr',
        'FP / (FP + TN)',
        `${fp} / (${fp} + ${tn})`,
        fprDenominator === 0 ? 0 : fp / fprDenominator,
        fprDenominator === 0,
      ),
      explained(
        'f1',
        '2 · TP / (2 · TP + FP + FN)',
        `2 · ${tp} / (2 · ${tp} + ${fp} + ${fn})`,
        metrics.f1,
        tp + fp + fn === 0,
      ),
      fbeta('f0_5', 0.5, metrics.f0_5),
      fbeta('f2', 2, metrics.f2),
      {
        metric: 'balanced_accuracy',
        formula: '(TP / (TP + FN) + TN / (TN + FP)) / 2',
        substituted:
          presentRecalls.length === 2
            ? `(${presentRecalls[0]} + ${presentRecalls[1]}) / 2`
            : (presentRecalls[0] ?? '0'),
        value: metrics.balancedAccuracy,
        note:
          presentRecalls.length === 2 ? null : 'only the classes present in the truth are averaged',
      },
      explained(
        'mcc',
        '(TP · TN − FP · FN) / √((TP + FP) · (TP + FN) · (TN + FP) · (TN + FN))',
        `(${tp} · ${tn} − ${fp} · ${fn}) / √((${tp} + ${fp}) · (${tp} + ${fn}) · (${tn} + ${fp}) · (${tn} + ${fn}))`,
        metrics.mcc,
        (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn) === 0,
      ),
    ],
  };
}

/** A multiclass model's accuracy: the diagonal of the confusion matrix over all rows. */
export function explainMulticlass(
  model: string,
  confusionMatrix: readonly (readonly number[])[],
  accuracy: number,
): ModelExplanation {
  const diagonal = confusionMatrix.map((row, i) => row[i]);
  let n = 0;
  for (const row of confusionMatrix) for (const v of row) n += v;
  return {
    model,
    threshold: null,
    counts: null,
    metrics: [
      explained(
        'accuracy',
        'correct / n (the diagonal of the confusion matrix over all rows)',
        `(${diagonal.join(' + ')}) / ${n}`,
        accuracy,
        n === 0,
      ),
    ],
  };
}
