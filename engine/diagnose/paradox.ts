/**
 * The accuracy paradox: on imbalanced data a model can score high accuracy while missing most
 * of the rare class, because always predicting the most frequent label already scores the
 * majority's share. This diagnosis compares a model with that majority-class baseline.
 */
import { EngineError } from '../errors.js';
import { formatLabel } from '../labels.js';
import {
  binaryMetricsFromConfusion,
  confusionMatrix,
  multiclassMetricsFromConfusion,
  type ConfusionMatrix,
} from '../metrics/classification.js';
import type { Label } from '../table.js';

export interface AccuracyParadoxOptions {
  /** Code of the positive label (binary task); null or absent for multiclass. */
  readonly positive?: number | null;
  /** The data count as imbalanced when the rarest true class has at most this share. */
  readonly maxMinorityShare?: number;
  /** A minority-class recall below this counts as low. */
  readonly lowRecall?: number;
  /**
   * The model counts as "not much above" the baseline when its accuracy gain is below this
   * fraction of the room the baseline leaves (1 − baseline accuracy).
   */
  readonly minLiftFraction?: number;
}

export const PARADOX_DEFAULTS = {
  maxMinorityShare: 0.2,
  lowRecall: 0.5,
  minLiftFraction: 0.5,
} as const;

/**
 * The metrics of always predicting the most frequent true label (ties: the first label in
 * sorted order, as sklearn's `DummyClassifier(strategy="most_frequent")`). Precision, recall
 * and F1 are about the positive label in a binary task and macro averages otherwise.
 */
export interface MajorityBaseline {
  readonly predictedLabel: Label;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly balancedAccuracy: number;
  readonly mcc: number;
}

/**
 * Invariants: shares are in [0, 1]; `accuracyLift` = `accuracy` − `baseline.accuracy`;
 * `applies` holds exactly when `imbalanced`, `lowMinorityRecall` and `smallLift` all hold.
 */
export interface AccuracyParadoxDiagnosis {
  readonly n: number;
  readonly majorityLabel: Label;
  readonly majorityShare: number;
  /** The rarest label present in the truth (ties: first in sorted order). */
  readonly minorityLabel: Label;
  readonly minorityShare: number;
  readonly minorityRecall: number;
  /** Share of the positive label in the truth; null for a multiclass task. */
  readonly positiveShare: number | null;
  readonly baseline: MajorityBaseline;
  readonly accuracy: number;
  readonly accuracyLift: number;
  readonly imbalanced: boolean;
  readonly lowMinorityRecall: boolean;
  readonly smallLift: boolean;
  /** Whether high accuracy here is mostly the majority class's share. */
  readonly applies: boolean;
  /** One or two plain sentences saying why it applies or not. */
  readonly explanation: string;
}

/** The diagnosis for one model's predictions, from label codes over `labels`. */
export function diagnoseAccuracyParadox(
  truth: Int32Array,
  pred: Int32Array,
  labels: readonly Label[],
  options: AccuracyParadoxOptions = {},
): AccuracyParadoxDiagnosis {
  return diagnoseFromConfusion(confusionMatrix(truth, pred, labels.length), labels, options);
}

export function diagnoseFromConfusion(
  cm: ConfusionMatrix,
  labels: readonly Label[],
  options: AccuracyParadoxOptions = {},
): AccuracyParadoxDiagnosis {
  const { k, counts } = cm;
  const positive = options.positive ?? null;
  const maxMinorityShare = options.maxMinorityShare ?? PARADOX_DEFAULTS.maxMinorityShare;
  const lowRecall = options.lowRecall ?? PARADOX_DEFAULTS.lowRecall;
  const minLiftFraction = options.minLiftFraction ?? PARADOX_DEFAULTS.minLiftFraction;

  const support = new Float64Array(k);
  let n = 0;
  let correct = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) support[t] += counts[t * k + p];
    n += support[t];
    correct += counts[t * k + t];
  }
  if (n === 0) throw new EngineError('bad-argument', 'the accuracy paradox needs at least one row');
  let majority = 0;
  let minority = -1;
  for (let c = 0; c < k; c++) {
    if (support[c] > support[majority]) majority = c;
    if (support[c] > 0 && (minority < 0 || support[c] < support[minority])) minority = c;
  }

  const baseline = majorityBaseline(support, majority, labels, positive);
  const accuracy = correct / n;
  const minorityShare = support[minority] / n;
  const minorityRecall = counts[minority * k + minority] / support[minority];
  const accuracyLift = accuracy - baseline.accuracy;
  const imbalanced = minorityShare <= maxMinorityShare && minority !== majority;
  const lowMinorityRecall = minorityRecall < lowRecall;
  const smallLift = accuracyLift < minLiftFraction * (1 - baseline.accuracy);
  const diagnosis = {
    n,
    majorityLabel: labels[majority],
    majorityShare: support[majority] / n,
    minorityLabel: labels[minority],
    minorityShare,
    minorityRecall,
    positiveShare: positive === null ? null : support[positive] / n,
    baseline,
    accuracy,
    accuracyLift,
    imbalanced,
    lowMinorityRecall,
    smallLift,
    applies: imbalanced && lowMinorityRecall && smallLift,
  };
  return { ...diagnosis, explanation: explain(diagnosis, support[minority]) };
}

function majorityBaseline(
  support: Float64Array,
  majority: number,
  labels: readonly Label[],
  positive: number | null,
): MajorityBaseline {
  const k = support.length;
  const counts = new Float64Array(k * k);
  for (let t = 0; t < k; t++) counts[t * k + majority] = support[t];
  const cm = { k, counts };
  if (positive !== null) {
    const m = binaryMetricsFromConfusion(cm, labels, positive);
    return {
      predictedLabel: labels[majority],
      accuracy: m.accuracy,
      precision: m.precision,
      recall: m.recall,
      f1: m.f1,
      balancedAccuracy: m.balancedAccuracy,
      mcc: m.mcc,
    };
  }
  const m = multiclassMetricsFromConfusion(cm, labels);
  return {
    predictedLabel: labels[majority],
    accuracy: m.accuracy,
    precision: m.macro.precision,
    recall: m.macro.recall,
    f1: m.macro.f1,
    balancedAccuracy: m.balancedAccuracy,
    mcc: m.mcc,
  };
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function explain(d: Omit<AccuracyParadoxDiagnosis, 'explanation'>, minorityCount: number): string {
  const majority = formatLabel(d.majorityLabel);
  const minority = formatLabel(d.minorityLabel);
  const baseline =
    `always predicting ${majority} scores ${percent(d.baseline.accuracy)} accuracy, ` +
    `because ${percent(d.majorityShare)} of the rows are labelled ${majority}`;
  if (d.applies) {
    return (
      `Accuracy paradox: accuracy ${percent(d.accuracy)} is ${d.accuracyLift > 0 ? 'barely above' : 'no better than'} the baseline — ${baseline} — ` +
      `while the model finds only ${percent(d.minorityRecall)} of the ${minorityCount} rows labelled ${minority}. ` +
      `Judge it by recall, precision, F1 or balanced accuracy instead.`
    );
  }
  if (d.minorityLabel === d.majorityLabel) {
    return `No accuracy paradox to judge: every true label is ${majority}, so accuracy is just the share of rows predicted ${majority}.`;
  }
  if (!d.imbalanced) {
    return `No accuracy paradox: the rarest label ${minority} is ${percent(d.minorityShare)} of the rows, so accuracy is not dominated by one class.`;
  }
  if (!d.lowMinorityRecall) {
    return `No accuracy paradox, though the data are imbalanced (${baseline}): the model finds ${percent(d.minorityRecall)} of the ${minorityCount} rows labelled ${minority}.`;
  }
  return `No accuracy paradox, though the data are imbalanced (${baseline}): accuracy ${percent(d.accuracy)} is well above that baseline, even with recall ${percent(d.minorityRecall)} on ${minority}.`;
}
