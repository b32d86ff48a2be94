/**
 * Deltas in words: "+3.0 points of accuracy, 95% CI [-0.4, +6.2], p = 0.09: not significant at
 * this test size". The display shows these strings as they are and the language's tests check
 * them, so every result carries its statement.
 *
 * Shares (accuracy, precision, AUC, ...) are written in points (1 point = 0.01, one decimal);
 * other metrics (losses, errors) as values with three significant digits and a reminder of
 * which direction is better.
 */
import { CLASSIFICATION_METRICS } from '../metrics/classification.js';
import type { ComparisonMetricName } from './types.js';

/** Metrics that are fractions of a whole (or correlations in [−1, 1]), written in points. */
const SHARE_METRICS: ReadonlySet<string> = new Set([
  ...CLASSIFICATION_METRICS,
  'roc_auc',
  'average_precision',
]);

/** Metrics where lower is better. */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
  'log_loss',
  'brier',
  'mse',
  'rmse',
  'mae',
  'mape',
  'median_absolute_error',
  'max_error',
]);

/** Every metric a comparison knows has a name for sentences. */
const DISPLAY_NAMES: Readonly<Record<ComparisonMetricName, string>> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
  f0_5: 'F0.5',
  f2: 'F2',
  fbeta: 'F-beta',
  specificity: 'specificity',
  balanced_accuracy: 'balanced accuracy',
  mcc: 'MCC',
  cohen_kappa: "Cohen's kappa",
  roc_auc: 'ROC AUC',
  average_precision: 'average precision',
  log_loss: 'log loss',
  brier: 'Brier score',
  mse: 'MSE',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  explained_variance: 'explained variance',
  mape: 'MAPE',
  median_absolute_error: 'median absolute error',
  max_error: 'max error',
};

/** How a metric is named in sentences ("F1", "balanced accuracy"); unknown names as given. */
export function metricDisplayName(metric: string): string {
  return (DISPLAY_NAMES as Readonly<Record<string, string>>)[metric] ?? metric;
}

/** Whether the metric is a share whose differences read as points. */
export function isShareMetric(metric: string): boolean {
  return SHARE_METRICS.has(metric);
}

export function higherIsBetter(metric: string): boolean {
  return !LOWER_IS_BETTER.has(metric);
}

/** A difference of shares in points with a sign: 0.03 → "+3.0", −0.004 → "-0.4", 0 → "0.0". */
export function formatPoints(delta: number): string {
  const text = (delta * 100).toFixed(1);
  if (Number(text) === 0) return '0.0';
  return delta > 0 ? `+${text}` : text;
}

/** A signed value with three significant digits: 0.01234 → "+0.0123". */
export function formatSignedValue(delta: number): string {
  if (delta === 0) return '0';
  const text = String(Number(delta.toPrecision(3)));
  return delta > 0 ? `+${text}` : text;
}

/** Below this a p-value is given as "< 0.001": three decimals would show it as 0.000. */
export const P_VALUE_FLOOR = 0.001;

/**
 * A p-value's digits, the one rounding of p-values in every table, sentence and report:
 * three decimals, as p-values are conventionally reported (0.04277 → "0.043", 0.5 → "0.500",
 * 1 → "1.000"), and "< 0.001" below the floor.
 */
export function formatPValue(p: number): string {
  if (p < P_VALUE_FLOOR) return `< ${P_VALUE_FLOOR}`;
  return p.toFixed(3);
}

/** A p-value in a sentence: "p = 0.043", "p < 0.001". */
export function pValueText(p: number): string {
  const digits = formatPValue(p);
  return digits.startsWith('<') ? `p ${digits}` : `p = ${digits}`;
}

export interface DeltaStatementInput {
  readonly metric: string;
  /** model − reference; null when the metric is undefined for either. */
  readonly delta: number | null;
  readonly interval?: {
    readonly lower: number;
    readonly upper: number;
    readonly confidence: number;
  } | null;
  readonly pValue?: number | null;
  /** The significance level of the p-value; 0.05 by default. */
  readonly alpha?: number;
  /** Whether to end with the verdict ("not significant at this test size"); true by default. */
  readonly verdict?: boolean;
}

/**
 * The delta in words, with its interval and p-value when there are any, and a verdict:
 * "significant at the 5% level" when the p-value is below alpha and the interval (if any)
 * excludes 0; "not significant at this test size" when neither says so; "borderline" when the
 * test and the interval disagree. Without either, no verdict.
 */
export function describeDelta(input: DeltaStatementInput): string {
  const name = metricDisplayName(input.metric);
  if (input.delta === null) return `${name} is undefined for one of the models`;
  const share = isShareMetric(input.metric);
  const format = share ? formatPoints : formatSignedValue;
  const parts: string[] = [
    share
      ? `${format(input.delta)} points of ${name}`
      : `${format(input.delta)} ${name} (${higherIsBetter(input.metric) ? 'higher' : 'lower'} is better)`,
  ];
  const interval = input.interval ?? null;
  const p = input.pValue ?? null;
  const alpha = input.alpha ?? 0.05;
  if (interval !== null) {
    const level = Number((interval.confidence * 100).toPrecision(4));
    parts.push(`${level}% CI [${format(interval.lower)}, ${format(interval.upper)}]`);
  }
  if (p !== null) parts.push(pValueText(p));
  const text = parts.join(', ');
  if ((interval === null && p === null) || input.verdict === false) return text;

  const intervalSays = interval === null ? null : interval.lower > 0 || interval.upper < 0;
  const testSays = p === null ? null : p < alpha;
  if (intervalSays !== null && testSays !== null && intervalSays !== testSays) {
    return `${text}: borderline, the test and the interval disagree`;
  }
  if (!(testSays ?? intervalSays)) return `${text}: not significant at this test size`;
  const level = interval === null || p !== null ? alpha : 1 - interval.confidence;
  return `${text}: significant at the ${Number((level * 100).toPrecision(3))}% level`;
}
