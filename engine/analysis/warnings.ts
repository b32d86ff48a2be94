/**
 * The catalogue of analysis warnings: one function per warning code, each returning the
 * complete warning (code, plain-words message, the numbers behind it). Analyses build their
 * warnings only through these functions, and tests compare against them, so the wording lives
 * in one place.
 */
import type { AccuracyParadoxDiagnosis } from '../diagnose/paradox.js';
import { formatLabel } from '../labels.js';
import type { Label } from '../table.js';
import { describeDelta, metricDisplayName } from './statements.js';
import type { AnalysisWarning, DeltaInterval, JsonScalar } from './types.js';

/** A difference this large (in points for shares) "looks big" enough to need a test behind it. */
export const NOTABLE_SHARE_DELTA = 0.01;
/** For other metrics: a relative change of this much of the reference value. */
export const NOTABLE_RELATIVE_DELTA = 0.01;
/** Fewer discordant rows than this cannot separate two models reliably. */
export const MIN_DISCORDANT_PAIRS = 30;

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function labelScalar(label: Label): JsonScalar {
  return label;
}

/**
 * High accuracy that is mostly the majority class's share. Details: `accuracy`,
 * `baselineAccuracy` (always predicting `majorityLabel`), `majorityShare`, `minorityLabel`,
 * `minorityRecall`.
 */
export function accuracyParadox(model: string, d: AccuracyParadoxDiagnosis): AnalysisWarning {
  return {
    code: 'accuracy-paradox',
    severity: 'warning',
    model,
    message: `${model}: ${d.explanation}`,
    details: {
      accuracy: d.accuracy,
      baselineAccuracy: d.baseline.accuracy,
      majorityLabel: labelScalar(d.majorityLabel),
      majorityShare: d.majorityShare,
      minorityLabel: labelScalar(d.minorityLabel),
      minorityShare: d.minorityShare,
      minorityRecall: d.minorityRecall,
    },
  };
}

/** One difference that looks large but that the test set cannot confirm. */
export interface UnconfirmedDelta {
  readonly metric: string;
  readonly delta: number;
  readonly interval: DeltaInterval | null;
  readonly pValue: number | null;
}

/**
 * Differences that look large but could be chance at this test size (a p-value ≥ 0.05 or an
 * interval containing 0). Details: `n`, `metrics` (names), `deltas` (model − reference).
 */
export function differenceNotSignificant(
  model: string,
  reference: string,
  n: number,
  unconfirmed: readonly UnconfirmedDelta[],
): AnalysisWarning {
  const listed = unconfirmed.map((u) => describeDelta({ ...u, verdict: false })).join('; ');
  const what =
    unconfirmed.length === 1
      ? `the difference in ${metricDisplayName(unconfirmed[0].metric)}`
      : 'these differences';
  return {
    code: 'difference-not-significant',
    severity: 'warning',
    model,
    message:
      `${model} vs ${reference}: ${listed}. With ${n} rows, ${what} could be chance: ` +
      `the test set is too small to support it. Evaluate on more rows before claiming an improvement.`,
    details: {
      n,
      metrics: unconfirmed.map((u) => u.metric),
      deltas: unconfirmed.map((u) => u.delta),
    },
  };
}

/**
 * Few rows where exactly one of the two models is right: McNemar's test, and any claim about
 * the difference, rests on those rows only. With `significant` (the exact test still rejects
 * equality) it is a note that the verdict is fragile; otherwise a warning. Details:
 * `discordant`, `fixed`, `broken`, `minimum` (the rule of thumb, 30), `significant`.
 */
export function fewDiscordantPairs(
  model: string,
  reference: string,
  fixed: number,
  broken: number,
  significant = false,
): AnalysisWarning {
  const discordant = fixed + broken;
  const rows = discordant === 1 ? 'row' : 'rows';
  const verdict = significant
    ? 'The exact test still finds the difference significant, but a few rows either way ' +
      `would change that; aim for at least ${MIN_DISCORDANT_PAIRS}.`
    : `That is too few to tell the models apart reliably; aim for at least ${MIN_DISCORDANT_PAIRS}.`;
  return {
    code: 'few-discordant-pairs',
    severity: significant ? 'note' : 'warning',
    model,
    message:
      `${model} vs ${reference}: only ${discordant} ${rows} separate the models ` +
      `(${fixed} fixed, ${broken} broken); every other row is right for both or wrong for both. ` +
      verdict,
    details: { discordant, fixed, broken, minimum: MIN_DISCORDANT_PAIRS, significant },
  };
}

/**
 * Metrics whose denominator is zero, reported as 0. `reasons` says, per metric, which count is
 * zero (e.g. `precision: the model never predicts "spam"`). Details: `metrics`.
 */
export function illDefinedMetric(
  model: string,
  reasons: readonly { readonly metric: string; readonly reason: string }[],
): AnalysisWarning {
  const list = reasons.map((r) => `${metricDisplayName(r.metric)} (${r.reason})`).join(', ');
  const verb = reasons.length === 1 ? 'is' : 'are';
  return {
    code: 'ill-defined-metric',
    severity: 'warning',
    model,
    message: `${model}: ${list} ${verb} 0 / 0, undefined; reported as 0.`,
    details: { metrics: reasons.map((r) => r.metric) },
  };
}

/**
 * The threshold was chosen on the rows it is evaluated on, so its metrics are optimistic.
 * Details: `table`, `models`.
 */
export function thresholdOnEvaluationRows(
  models: readonly string[],
  table: string | null,
  rule: string,
): AnalysisWarning {
  const where = table === null ? 'this table' : `table ${table}`;
  return {
    code: 'threshold-on-evaluation-rows',
    severity: 'warning',
    model: models.length === 1 ? models[0] : null,
    message:
      `The threshold (${rule}) was picked on the same rows it is evaluated on (${where}), ` +
      `so the metrics at that threshold are optimistic. Pick the threshold on a validation ` +
      `split, then evaluate that fixed threshold on the test rows.`,
    details: { table, models: [...models] },
  };
}

/** The rule found no threshold. Details: `rule`, `reason`. */
export function thresholdNotFound(model: string, rule: string, reason: string): AnalysisWarning {
  return {
    code: 'threshold-not-found',
    severity: 'warning',
    model,
    message: `${model}: no threshold satisfies ${rule}: ${reason}.`,
    details: { rule, reason },
  };
}

/**
 * Test rows whose key also occurs in the training table. Details: `column`, `leakedTestRows`,
 * `testRows`, `leakedTestFraction`, `sharedValues`, `normalized` (whether these are the
 * matches after normalising text).
 */
export function leakage(
  train: string | null,
  test: string | null,
  column: string,
  leakedTestRows: number,
  testRows: number,
  sharedValues: number,
  normalized: boolean,
): AnalysisWarning {
  const trainName = train ?? 'the training table';
  const testName = test ?? 'the test table';
  const how = normalized
    ? `the same ${column} as a row of ${trainName} once case and white space are ignored`
    : `exactly the same ${column} as a row of ${trainName}`;
  const values = sharedValues === 1 ? 'value' : 'distinct values';
  return {
    code: 'leakage',
    severity: 'warning',
    model: null,
    message:
      `${leakedTestRows} of ${testRows} rows of ${testName} (${percent(leakedTestRows / testRows)}) ` +
      `have ${how} (${sharedValues} ${values}): a model trained on ${trainName} has seen them, ` +
      `so metrics on ${testName} are optimistic. Remove them from ${testName}, or deduplicate before splitting.`,
    details: {
      column,
      leakedTestRows,
      testRows,
      leakedTestFraction: testRows === 0 ? 0 : leakedTestRows / testRows,
      sharedValues,
      normalized,
    },
  };
}

/**
 * Validation loss rising while training loss falls. Details: `overfittingStartEpoch`,
 * `bestEpoch`, `bestValLoss`, `finalValLoss`, `earlyStopEpoch`, `patience`.
 */
export function overfitting(d: {
  readonly overfittingStartEpoch: number;
  readonly bestEpoch: number;
  readonly bestValLoss: number;
  readonly finalValLoss: number;
  readonly earlyStopEpoch: number | null;
  readonly patience: number;
}): AnalysisWarning {
  const stop =
    d.earlyStopEpoch === null
      ? `early stopping with patience ${d.patience} would not have stopped before the end`
      : `early stopping with patience ${d.patience} would stop at epoch ${d.earlyStopEpoch}`;
  return {
    code: 'overfitting',
    severity: 'warning',
    model: null,
    message:
      `From epoch ${d.overfittingStartEpoch} the validation loss rises while the training loss ` +
      `still falls: the model is overfitting. Validation loss was lowest at epoch ${d.bestEpoch} ` +
      `(${Number(d.bestValLoss.toPrecision(4))}, ${Number(d.finalValLoss.toPrecision(4))} at the end); ` +
      `${stop}. Use the checkpoint of epoch ${d.bestEpoch}.`,
    details: {
      overfittingStartEpoch: d.overfittingStartEpoch,
      bestEpoch: d.bestEpoch,
      bestValLoss: d.bestValLoss,
      finalValLoss: d.finalValLoss,
      earlyStopEpoch: d.earlyStopEpoch,
      patience: d.patience,
    },
  };
}

/** No positive label was given and one was taken. Details: `positive`, `labels`. */
export function positiveLabelAssumed(positive: Label, labels: readonly Label[]): AnalysisWarning {
  return {
    code: 'positive-label-assumed',
    severity: 'note',
    model: null,
    message:
      `No positive label was given; taking ${formatLabel(positive)}, the last of the sorted ` +
      `labels ${labels.map(formatLabel).join(', ')}. Precision, recall and F-scores are about it; ` +
      `name the positive label to choose another.`,
    details: { positive: labelScalar(positive), labels: labels.map(labelScalar) },
  };
}

/**
 * A positive label was given for a task with more than two labels, where precision, recall and
 * F-scores are averaged over all labels instead. Details: `positive`, `labels`.
 */
export function positiveLabelIgnored(positive: Label, labels: readonly Label[]): AnalysisWarning {
  return {
    code: 'positive-label-ignored',
    severity: 'note',
    model: null,
    message:
      `The positive label ${formatLabel(positive)} is not used: the labels are ` +
      `${labels.map(formatLabel).join(', ')}, so precision, recall and F-scores are averaged ` +
      `over all of them.`,
    details: { positive: labelScalar(positive), labels: labels.map(labelScalar) },
  };
}

/**
 * A score column that is not a probability, so log loss and Brier score are left out.
 * Details: `column`, `row` (1-based, the first offending row), `value`.
 */
export function scoresNotProbabilities(
  model: string,
  column: string,
  row: number,
  value: number,
): AnalysisWarning {
  return {
    code: 'scores-not-probabilities',
    severity: 'note',
    model,
    message:
      `${model}: the scores in ${column} are not all probabilities in [0, 1] (row ${row} has ` +
      `${value}), so log loss and the Brier score are not computed; ROC AUC and average ` +
      `precision only need the order of the scores.`,
    details: { column, row, value },
  };
}

/**
 * Parts of a split that got no rows (the table is too small for their share), which every
 * later statement on them would refuse. Details: `parts` (names), `rows` (of the table).
 */
export function emptySplitPart(parts: readonly string[], rows: number): AnalysisWarning {
  const names = parts.join(', ');
  const which = parts.length === 1 ? `Part ${names} has` : `Parts ${names} have`;
  return {
    code: 'empty-split-part',
    severity: 'warning',
    model: null,
    message:
      `${which} no rows: ${rows} ${rows === 1 ? 'row is' : 'rows are'} too few for ${parts.length === 1 ? 'its share' : 'their shares'}. ` +
      `A statement on an empty part cannot compute anything; give it a larger share, or split a larger table.`,
    details: { parts: [...parts], rows },
  };
}

/**
 * A comparison whose target holds class labels but one of whose prediction columns does not,
 * so it was computed as a regression. Details: `labelColumn`, `columns` (the prediction
 * columns that are not label columns), `row` (1-based) and `value`: the first value of the
 * first such column that is not a class label.
 */
export function treatedAsRegression(
  labelColumn: string,
  columns: readonly string[],
  row: number,
  value: number,
): AnalysisWarning {
  const [first] = columns;
  const names = columns.join(', ');
  const verb = columns.length === 1 ? 'is' : 'are';
  return {
    code: 'treated-as-regression',
    severity: 'warning',
    model: null,
    message:
      `Treated as regression because ${names} ${verb} not a label column (row ${row} of ${first} ` +
      `holds ${value}), although ${labelColumn} holds class labels. For a classification, ` +
      `predict labels in ${first}, and give continuous values as \`score\` of a model.`,
    details: { labelColumn, columns: [...columns], row, value },
  };
}

/** More slices than can be listed. Details: `column`, `shown`, `omitted`. */
export function slicesOmitted(column: string, shown: number, omitted: number): AnalysisWarning {
  return {
    code: 'slices-omitted',
    severity: 'note',
    model: null,
    message:
      `${column} has ${shown + omitted} distinct values; the ${shown} largest slices are listed ` +
      `and ${omitted} smaller ones are left out.`,
    details: { column, shown, omitted },
  };
}
