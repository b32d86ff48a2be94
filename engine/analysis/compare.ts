/**
 * `compareModels`: two or more models' predictions on the same rows, side by side, with deltas
 * against the first model (the reference), their intervals and p-values, fixed and broken
 * examples, per-slice and per-class tables, warnings and worked formulas.
 *
 * The task is inferred from the columns (see `inferTask`) unless forced: class labels give a
 * binary or multiclass comparison, a numeric target with numeric predictions a regression one.
 * Classification metrics come from one confusion matrix per model over the union of all
 * labels, so the metric table, the slices and the bootstrap all compute them the same way.
 */
import { diagnoseFromConfusion } from '../diagnose/paradox.js';
import { EngineError, throwIfCancelled } from '../errors.js';
import {
  encodeLabels,
  formatLabel,
  inferTask,
  isCategorical,
  labelIndex,
  MAX_NUMERIC_CLASSES,
  type EncodedLabels,
  type LabelTask,
} from '../labels.js';
import { requireNumberColumn } from '../load/columns.js';
import {
  AVERAGES,
  binaryClassificationMetrics,
  CLASSIFICATION_METRICS,
  confusionMatrix,
  isClassificationMetricName,
  metricFromConfusion,
  multiclassClassificationMetrics,
  type Average,
  type ClassificationMetrics,
  type ConfusionMatrix,
  type MetricSpec,
} from '../metrics/classification.js';
import {
  averagePrecisionFromScoreCurve,
  rocAucFromScoreCurve,
  scoreCurve,
} from '../metrics/curves.js';
import { regressionMetrics, type RegressionMetrics } from '../metrics/regression.js';
import { brierScore, logLoss } from '../metrics/scores.js';
import { pairedComparison, type PairedComparison } from '../stats/paired.js';
import { bootstrapMetricDifference } from '../stats/bootstrap.js';
import { requireColumn, sliceBy, type SliceGroup } from '../slice.js';
import { cellValue, type Column, type Label, type Table } from '../table.js';
import {
  finiteOrNull,
  optionalColumn,
  phaseProgress,
  requireDistinctNames,
  requireWholeNumber,
  tableLabel,
} from './common.js';
import { explainBinary, explainMulticlass } from './explain.js';
import { bootstrapRegressionDifferences } from './regression-bootstrap.js';
import { describeDelta, higherIsBetter, isShareMetric } from './statements.js';
import {
  REGRESSION_METRICS,
  SCORE_METRICS,
  type AnalysisWarning,
  type ClassificationComparison,
  type ClassificationModelResult,
  type CompareOptions,
  type ComparisonMetricName,
  type ComparisonResult,
  type DeltaInterval,
  type ExampleRow,
  type MetricDelta,
  type MetricTable,
  type ModelDelta,
  type ModelExplanation,
  type PairedSummary,
  type PerClassTable,
  type RegressionComparison,
  type RegressionMetricName,
  type ScoreMetricName,
  type ScoreMetrics,
  type SliceTable,
} from './types.js';
import * as warn from './warnings.js';

export const DEFAULT_BINARY_METRICS: readonly ComparisonMetricName[] = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'specificity',
  'balanced_accuracy',
  'mcc',
];
export const DEFAULT_MULTICLASS_METRICS: readonly ComparisonMetricName[] = [
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'mcc',
  'cohen_kappa',
];
/** Added to the binary defaults when any model has a score column. */
export const DEFAULT_SCORE_METRICS: readonly ComparisonMetricName[] = SCORE_METRICS;
export const DEFAULT_REGRESSION_METRICS: readonly ComparisonMetricName[] = [
  'mse',
  'rmse',
  'mae',
  'r2',
  'mape',
];

export const DEFAULT_EXAMPLES = 10;
export const DEFAULT_MAX_SLICES = 100;
/** A p-value below this, or an interval excluding 0, confirms a difference. */
const ALPHA = 0.05;

/** Every metric name a comparison knows, for validation and did-you-mean lists. */
export const COMPARISON_METRICS: readonly ComparisonMetricName[] = [
  ...CLASSIFICATION_METRICS,
  ...SCORE_METRICS,
  ...REGRESSION_METRICS,
];

export function isComparisonMetricName(name: string): name is ComparisonMetricName {
  return (COMPARISON_METRICS as readonly string[]).includes(name);
}

function isScoreMetric(name: string): name is ScoreMetricName {
  return (SCORE_METRICS as readonly string[]).includes(name);
}

function isRegressionMetric(name: string): name is RegressionMetricName {
  return (REGRESSION_METRICS as readonly string[]).includes(name);
}

/** Compares the models of `options.models` on `table` (see the module comment). */
export function compareModels(table: Table, options: CompareOptions): ComparisonResult {
  if (options.models.length < 2) {
    throw new EngineError(
      'bad-argument',
      `a comparison needs at least two models, got ${options.models.length}`,
    );
  }
  requireDistinctNames(
    options.models.map((m) => m.name),
    'model',
  );
  if (table.nRows === 0) {
    throw new EngineError('bad-argument', 'the table has no rows to compare', {
      file: table.source.path,
    });
  }
  const truth = requireColumn(table, options.label);
  const preds = options.models.map((m) => requireColumn(table, m.predictionColumn));
  const task: LabelTask = options.task ?? inferTask(truth, preds);
  if (task !== 'regression') return compareClassification(table, options, task, truth, preds);
  const notes = options.task === undefined ? regressionByPredictions(options, truth, preds) : [];
  return compareRegression(table, options, notes);
}

/**
 * The warning for a regression that the target does not ask for: the target holds class
 * labels, and only prediction columns that do not made the comparison a regression.
 */
function regressionByPredictions(
  options: CompareOptions,
  truth: Column,
  preds: readonly Column[],
): AnalysisWarning[] {
  if (truth.kind !== 'number' || !isCategorical(truth)) return [];
  const continuous = options.models
    .map((model, j) => ({ column: model.predictionColumn, values: preds[j] }))
    .filter((p) => p.values.kind === 'number' && !isCategorical(p.values));
  if (continuous.length === 0) return [];
  const first = continuous[0].values;
  if (first.kind !== 'number') return [];
  const row = firstNonLabelRow(first.values);
  return [
    warn.treatedAsRegression(
      options.label,
      continuous.map((p) => p.column),
      row + 1,
      first.values[row],
    ),
  ];
}

/** The first value that is not a whole number, or the first distinct one too many (labels.ts). */
function firstNonLabelRow(values: Float64Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return i;
    seen.add(v);
    if (seen.size > MAX_NUMERIC_CLASSES) return i;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Classification

interface ResolvedLabels {
  readonly encoded: EncodedLabels;
  /** Code of the positive label (binary) or null (multiclass). */
  readonly positive: number | null;
  readonly warnings: AnalysisWarning[];
}

function resolveLabels(
  truth: Column,
  preds: readonly Column[],
  task: 'binary' | 'multiclass',
  positive: Label | undefined,
): ResolvedLabels {
  const present = encodeLabels(truth, preds);
  const labels = present.labels;
  if (task === 'multiclass') {
    const warnings = positive === undefined ? [] : [warn.positiveLabelIgnored(positive, labels)];
    return { encoded: present, positive: null, warnings };
  }
  if (labels.length > 2) {
    throw new EngineError(
      'bad-argument',
      `a binary comparison needs two labels, but "${truth.name}" and the predictions hold ` +
        `${labels.length}: ${labels.map(formatLabel).join(', ')}`,
      { column: truth.name },
    );
  }
  const warnings: AnalysisWarning[] = [];
  const numeric = labels.length > 0 && typeof labels[0] === 'number';
  let positiveLabel: Label;
  if (positive !== undefined) {
    const index = labelIndex(labels, positive);
    if (index >= 0) positiveLabel = labels[index];
    else if (labels.length === 2) {
      throw new EngineError(
        'unknown-label',
        `the positive label ${formatLabel(positive)} is not one of the labels ` +
          `${labels.map(formatLabel).join(', ')} of "${truth.name}" and the predictions`,
        { column: truth.name },
      );
    } else positiveLabel = numeric ? Number(positive) : String(positive);
  } else if (numeric && labels.every((l) => l === 0 || l === 1)) {
    positiveLabel = 1; // the 0/1 convention, as scikit-learn's pos_label=1
  } else {
    positiveLabel = labels[labels.length - 1];
    warnings.push(warn.positiveLabelAssumed(positiveLabel, labels));
  }
  const extraLabels: Label[] = [positiveLabel];
  const withPositive = new Set<Label>([...labels, positiveLabel]);
  if (withPositive.size < 2) {
    // Every row and prediction holds the positive label: the negative one has to be named.
    if (positiveLabel === 1) extraLabels.push(0);
    else if (positiveLabel === 0) extraLabels.push(1);
    else {
      throw new EngineError(
        'bad-argument',
        `every label in "${truth.name}" and the predictions is ${formatLabel(positiveLabel)}, ` +
          `so there is no negative label to compare against`,
        { column: truth.name },
      );
    }
  }
  // Encoding again costs a pass over every column: only when a label has to be added.
  const encoded = extraLabels.every((l) => labels.includes(l))
    ? present
    : encodeLabels(truth, preds, { extraLabels });
  return { encoded, positive: labelIndex(encoded.labels, positiveLabel), warnings };
}

function resolveAverage(task: 'binary' | 'multiclass', average: Average | undefined): Average {
  const chosen = average ?? (task === 'binary' ? 'binary' : 'macro');
  if (!(AVERAGES as readonly string[]).includes(chosen)) {
    throw new EngineError(
      'bad-argument',
      `unknown average "${chosen}"; use ${AVERAGES.join(', ')}`,
    );
  }
  if (chosen === 'binary' && task !== 'binary') {
    throw new EngineError(
      'bad-argument',
      'average binary needs a two-label task; use macro, micro or weighted for several labels',
    );
  }
  return chosen;
}

function unknownMetric(name: string): EngineError {
  return new EngineError(
    'bad-argument',
    `unknown metric "${name}"; known metrics: ${COMPARISON_METRICS.join(', ')}`,
  );
}

function resolveClassificationMetrics(
  requested: readonly string[] | undefined,
  task: 'binary' | 'multiclass',
  hasScores: boolean,
  beta: number | undefined,
): ComparisonMetricName[] {
  if (requested === undefined) {
    const defaults = task === 'binary' ? DEFAULT_BINARY_METRICS : DEFAULT_MULTICLASS_METRICS;
    return [...defaults, ...(hasScores ? DEFAULT_SCORE_METRICS : [])];
  }
  if (requested.length === 0) throw new EngineError('bad-argument', 'the metric list is empty');
  return requested.map((name): ComparisonMetricName => {
    if (isRegressionMetric(name)) {
      throw new EngineError(
        'bad-argument',
        `${name} is a regression metric, but this comparison is ${task} classification`,
      );
    }
    if (isScoreMetric(name)) {
      if (task !== 'binary') {
        throw new EngineError(
          'bad-argument',
          `${name} needs the score of a positive label; this comparison has several labels`,
        );
      }
      if (!hasScores) {
        throw new EngineError('bad-argument', `${name} needs a score column for a model`);
      }
      return name;
    }
    if (!isClassificationMetricName(name)) throw unknownMetric(name);
    if (name === 'specificity' && task !== 'binary') {
      throw new EngineError(
        'bad-argument',
        'specificity is about a negative class; it needs a two-label task',
      );
    }
    if (name === 'fbeta' && !(beta !== undefined && beta > 0 && Number.isFinite(beta))) {
      throw new EngineError('bad-argument', 'fbeta needs a positive beta');
    }
    return name;
  });
}

/** One model's inputs and computed results. */
interface ClassificationModel {
  readonly name: string;
  readonly predictionColumn: string;
  readonly scoreColumn: string | null;
  readonly codes: Int32Array;
  readonly confusion: ConfusionMatrix;
  readonly metrics: ClassificationMetrics;
  readonly scoreValues: Float64Array | null;
  readonly scores: ScoreMetrics | null;
  /** Whether every score is in [0, 1] (log loss and Brier are defined). */
  readonly probabilities: boolean;
}

/** The first row whose score is outside [0, 1], or -1. */
function firstNonProbability(scores: Float64Array): number {
  for (let i = 0; i < scores.length; i++) if (!(scores[i] >= 0 && scores[i] <= 1)) return i;
  return -1;
}

function scoreMetricsOf(
  column: string,
  scores: Float64Array,
  isPositive: Uint8Array,
  probabilities: boolean,
  table: Table,
  options: CompareOptions,
): ScoreMetrics {
  const source = { file: table.source.path, column };
  const curve = scoreCurve(scores, isPositive, { cancel: options.cancel, source });
  return {
    scoreColumn: column,
    rocAuc: finiteOrNull(rocAucFromScoreCurve(curve)),
    averagePrecision: averagePrecisionFromScoreCurve(curve),
    logLoss: probabilities ? logLoss(scores, isPositive, { cancel: options.cancel, source }) : null,
    brier: probabilities
      ? brierScore(scores, isPositive, { cancel: options.cancel, source })
      : null,
  };
}

function compareClassification(
  table: Table,
  options: CompareOptions,
  task: 'binary' | 'multiclass',
  truthColumn: Column,
  predColumns: readonly Column[],
): ClassificationComparison {
  const progress = options.onProgress;
  const { encoded, positive, warnings } = resolveLabels(
    truthColumn,
    predColumns,
    task,
    options.positive,
  );
  const { labels, truth } = encoded;
  const k = labels.length;
  const average = resolveAverage(task, options.average);
  const hasScores = options.models.some((m) => m.scoreColumn !== undefined);
  if (hasScores && task !== 'binary') {
    throw new EngineError(
      'bad-argument',
      'a score column is the score of the positive label, so it needs a two-label task; ' +
        `this comparison has ${k} labels`,
    );
  }
  const metricNames = resolveClassificationMetrics(options.metrics, task, hasScores, options.beta);
  const examples = requireWholeNumber('examples', options.examples ?? DEFAULT_EXAMPLES, 0);
  const idColumn = optionalColumn(table, options.idColumn, 'id');
  const textColumn = optionalColumn(table, options.textColumn, 'text');
  const mcnemar = options.significance?.mcnemar ?? true;

  const isPositive = positive === null ? null : indicatorOf(truth, positive);
  const models: ClassificationModel[] = options.models.map((spec, j) => {
    throwIfCancelled(options.cancel);
    progress?.({ phase: 'metrics', done: j, total: options.models.length });
    const codes = encoded.preds[j];
    const confusion = confusionMatrix(truth, codes, k);
    const metrics =
      positive === null
        ? multiclassClassificationMetrics(truth, codes, labels)
        : binaryClassificationMetrics(truth, codes, labels, positive);
    let scoreValues: Float64Array | null = null;
    let scores: ScoreMetrics | null = null;
    let probabilities = false;
    if (spec.scoreColumn !== undefined && isPositive !== null) {
      scoreValues = requireNumberColumn(table, spec.scoreColumn).values;
      const bad = firstNonProbability(scoreValues);
      probabilities = bad < 0;
      scores = scoreMetricsOf(
        spec.scoreColumn,
        scoreValues,
        isPositive,
        probabilities,
        table,
        options,
      );
      if (bad >= 0) {
        warnings.push(
          warn.scoresNotProbabilities(spec.name, spec.scoreColumn, bad + 1, scoreValues[bad]),
        );
      }
    }
    return {
      name: spec.name,
      predictionColumn: spec.predictionColumn,
      scoreColumn: spec.scoreColumn ?? null,
      codes,
      confusion,
      metrics,
      scoreValues,
      scores,
      probabilities,
    };
  });
  progress?.({ phase: 'metrics', done: models.length, total: models.length });

  const specOf = (name: ComparisonMetricName): MetricSpec | null =>
    isClassificationMetricName(name) ? { name, average, beta: options.beta } : null;
  const valueOn = (
    name: ComparisonMetricName,
    confusion: ConfusionMatrix,
    scores: ScoreMetrics | null,
  ): number | null => {
    const spec = specOf(name);
    if (spec !== null) return finiteOrNull(metricFromConfusion(confusion, spec, positive));
    if (scores === null) return null;
    switch (name) {
      case 'roc_auc':
        return scores.rocAuc;
      case 'average_precision':
        return scores.averagePrecision;
      case 'log_loss':
        return scores.logLoss;
      case 'brier':
        return scores.brier;
      default:
        return null;
    }
  };

  const metricTable = metricTableOf(metricNames, models, (m, name) =>
    valueOn(name, m.confusion, m.scores),
  );

  for (const model of models) {
    const illDefined = illDefinedReasons(model.metrics);
    if (illDefined.length > 0) warnings.push(warn.illDefinedMetric(model.name, illDefined));
  }
  for (const model of models) {
    const diagnosis = diagnoseFromConfusion(model.confusion, labels, { positive });
    if (diagnosis.applies) warnings.push(warn.accuracyParadox(model.name, diagnosis));
  }

  const reference = models[0];
  const deltas: ModelDelta[] = models.slice(1).map((model, index) => {
    const j = index + 1;
    const paired = pairedComparison(truth, reference.codes, model.codes);
    const bootstrap = options.significance?.bootstrap;
    const metricDeltas = metricNames.map((name, m): MetricDelta => {
      const spec = specOf(name);
      let interval: DeltaInterval | null = null;
      if (bootstrap !== undefined && spec !== null) {
        const result = bootstrapMetricDifference(truth, reference.codes, model.codes, k, spec, {
          resamples: bootstrap.resamples,
          seed: bootstrap.seed,
          confidence: bootstrap.confidence,
          positive,
          cancel: options.cancel,
          onProgress: phaseProgress(
            progress,
            `bootstrap ${model.name} vs ${reference.name}: ${name}`,
          ),
        });
        if (Number.isFinite(result.lower) && Number.isFinite(result.upper)) {
          interval = {
            lower: result.lower,
            upper: result.upper,
            confidence: result.confidence,
            resamples: result.resamples,
            undefinedResamples: result.undefinedResamples,
            seed: result.seed,
            method: result.method,
          };
        }
      }
      const pValue = mcnemar && name === 'accuracy' ? paired.mcnemarExactP : null;
      return metricDelta(
        name,
        metricTable.values[m][0],
        metricTable.values[m][j],
        interval,
        pValue,
      );
    });
    warnings.push(
      ...significanceWarnings(
        model.name,
        reference.name,
        table.nRows,
        metricDeltas,
        paired,
        mcnemar,
      ),
    );
    const pairedSummary = summarizePaired(paired, mcnemar, examples, (row) =>
      exampleRow(row, encoded, reference, model, idColumn, textColumn),
    );
    return modelDelta(model.name, reference.name, metricDeltas, pairedSummary);
  });

  const slices = sliceTable(table, options, metricNames, models, warnings, (indices) => {
    const perModel = models.map((model) => {
      const confusion = confusionOfRows(truth, model.codes, k, indices);
      const scores =
        model.scoreValues !== null && isPositive !== null && needsScores(metricNames)
          ? sliceScoreMetrics(model, indices, isPositive)
          : null;
      return metricNames.map((name) => valueOn(name, confusion, scores));
    });
    return metricNames.map((_, m) => perModel.map((values) => values[m]));
  });

  const explanation: ModelExplanation[] = models.map((model) =>
    model.metrics.task === 'binary'
      ? explainBinary(model.name, model.metrics, model.metrics)
      : explainMulticlass(model.name, model.metrics.confusionMatrix, model.metrics.accuracy),
  );

  const modelResults: ClassificationModelResult[] = models.map((m) => ({
    name: m.name,
    predictionColumn: m.predictionColumn,
    scoreColumn: m.scoreColumn,
    metrics: m.metrics,
    scores: m.scores,
  }));
  return {
    kind: 'comparison',
    task,
    table: tableLabel(table, options.tableName),
    n: table.nRows,
    labelColumn: options.label,
    idColumn: idColumn?.name ?? null,
    textColumn: textColumn?.name ?? null,
    positiveLabel: positive === null ? null : labels[positive],
    negativeLabel: positive === null ? null : labels[1 - positive],
    labels,
    average,
    models: modelResults,
    metricTable,
    deltas,
    slices,
    perClass: perClassTable(labels, truth, models),
    warnings,
    explanation,
  };
}

function indicatorOf(codes: Int32Array, positive: number): Uint8Array {
  const out = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] === positive ? 1 : 0;
  return out;
}

function needsScores(metrics: readonly ComparisonMetricName[]): boolean {
  return metrics.some(isScoreMetric);
}

function confusionOfRows(
  truth: Int32Array,
  pred: Int32Array,
  k: number,
  rows: Int32Array,
): ConfusionMatrix {
  const counts = new Float64Array(k * k);
  for (const i of rows) counts[truth[i] * k + pred[i]]++;
  return { k, counts };
}

function sliceScoreMetrics(
  model: ClassificationModel,
  rows: Int32Array,
  isPositive: Uint8Array,
): ScoreMetrics {
  const scores = Float64Array.from(rows, (i) => (model.scoreValues as Float64Array)[i]);
  const positives = Uint8Array.from(rows, (i) => isPositive[i]);
  const curve = scoreCurve(scores, positives);
  return {
    scoreColumn: model.scoreColumn as string,
    rocAuc: finiteOrNull(rocAucFromScoreCurve(curve)),
    averagePrecision: averagePrecisionFromScoreCurve(curve),
    logLoss: model.probabilities ? logLoss(scores, positives) : null,
    brier: model.probabilities ? brierScore(scores, positives) : null,
  };
}

/** Why each ill-defined metric of a model is 0 / 0, in words. */
function illDefinedReasons(metrics: ClassificationMetrics): { metric: string; reason: string }[] {
  if (metrics.task === 'binary') {
    const positive = formatLabel(metrics.positiveLabel);
    const negative = formatLabel(metrics.negativeLabel);
    return metrics.illDefined.map((metric) => ({
      metric,
      reason:
        metric === 'precision'
          ? `the model never predicts ${positive}`
          : metric === 'recall'
            ? `no row is truly ${positive}`
            : `no row is truly ${negative}`,
    }));
  }
  const reasons: { metric: string; reason: string }[] = [];
  const list = (labels: readonly Label[]): string => labels.map(formatLabel).join(', ');
  if (metrics.illDefined.precision.length > 0) {
    reasons.push({
      metric: 'precision',
      reason: `never predicted: ${list(metrics.illDefined.precision)}`,
    });
  }
  if (metrics.illDefined.recall.length > 0) {
    reasons.push({
      metric: 'recall',
      reason: `absent from the truth: ${list(metrics.illDefined.recall)}`,
    });
  }
  return reasons;
}

function perClassTable(
  labels: readonly Label[],
  truth: Int32Array,
  models: readonly ClassificationModel[],
): PerClassTable {
  const support = new Float64Array(labels.length);
  for (let i = 0; i < truth.length; i++) support[truth[i]]++;
  return {
    labels,
    models: models.map((m) => m.name),
    rows: labels.map((label, c) => ({
      label,
      support: support[c],
      models: models.map((model) => {
        const entry = model.metrics.perClass.find((p) => p.label === label);
        return entry === undefined
          ? null
          : {
              precision: entry.precision,
              recall: entry.recall,
              f1: entry.f1,
              predicted: entry.predicted,
            };
      }),
    })),
  };
}

function exampleRow(
  row: number,
  encoded: EncodedLabels,
  reference: ClassificationModel,
  model: ClassificationModel,
  idColumn: Column | null,
  textColumn: Column | null,
): ExampleRow {
  const text = textColumn === null ? null : cellValue(textColumn, row);
  return {
    row: row + 1,
    id: idColumn === null ? null : cellValue(idColumn, row),
    text: text === null ? null : String(text),
    label: encoded.labels[encoded.truth[row]],
    referencePrediction: encoded.labels[reference.codes[row]],
    modelPrediction: encoded.labels[model.codes[row]],
    referenceScore: reference.scoreValues === null ? null : reference.scoreValues[row],
    modelScore: model.scoreValues === null ? null : model.scoreValues[row],
  };
}

function summarizePaired(
  paired: PairedComparison,
  mcnemar: boolean,
  examples: number,
  example: (row: number) => ExampleRow,
): PairedSummary {
  const first = (rows: Int32Array): ExampleRow[] =>
    Array.from(rows.subarray(0, Math.min(examples, rows.length)), example);
  return {
    n: paired.n,
    referenceCorrect: paired.baseCorrect,
    modelCorrect: paired.ftCorrect,
    bothCorrect: paired.bothCorrect,
    bothWrong: paired.bothWrong,
    fixed: paired.fixed,
    broken: paired.broken,
    discordant: paired.discordant,
    accuracyDelta: paired.accuracyDelta,
    mcnemar: mcnemar
      ? {
          exactP: paired.mcnemarExactP,
          chiSquare: paired.mcnemarChi2Corrected.statistic,
          chiSquareP: paired.mcnemarChi2Corrected.pValue,
        }
      : null,
    fixedExamples: first(paired.fixedRows),
    brokenExamples: first(paired.brokenRows),
  };
}

// ---------------------------------------------------------------------------------------------
// Deltas, statements and significance warnings (shared by both kinds of task)

function metricDelta(
  metric: ComparisonMetricName,
  reference: number | null,
  value: number | null,
  interval: DeltaInterval | null,
  pValue: number | null,
): MetricDelta {
  const delta = reference === null || value === null ? null : value - reference;
  return {
    metric,
    reference,
    value,
    delta,
    higherIsBetter: higherIsBetter(metric),
    interval,
    pValue,
    statement: describeDelta({ metric, delta, interval, pValue, alpha: ALPHA }),
  };
}

function modelDelta(
  model: string,
  reference: string,
  metrics: readonly MetricDelta[],
  paired: PairedSummary | null,
): ModelDelta {
  return {
    model,
    reference,
    metrics,
    paired,
    headline: `${model} vs ${reference}: ${metrics[0].statement}`,
  };
}

/** Whether a delta is large enough that a reader would take it as a real change. */
function looksNotable(metric: string, delta: number, reference: number | null): boolean {
  if (isShareMetric(metric)) return Math.abs(delta) >= warn.NOTABLE_SHARE_DELTA;
  const scale = reference === null ? 0 : Math.abs(reference);
  return Math.abs(delta) >= warn.NOTABLE_RELATIVE_DELTA * scale && delta !== 0;
}

function significanceWarnings(
  model: string,
  reference: string,
  n: number,
  deltas: readonly MetricDelta[],
  paired: PairedComparison | null,
  mcnemar: boolean,
): AnalysisWarning[] {
  const unconfirmed: warn.UnconfirmedDelta[] = [];
  for (const d of deltas) {
    if (d.delta === null || !looksNotable(d.metric, d.delta, d.reference)) continue;
    const testFails = d.pValue !== null && d.pValue >= ALPHA;
    const intervalFails = d.interval !== null && d.interval.lower <= 0 && d.interval.upper >= 0;
    if (testFails || intervalFails) {
      unconfirmed.push({
        metric: d.metric,
        delta: d.delta,
        interval: d.interval,
        pValue: d.pValue,
      });
    }
  }
  // McNemar tests accuracy; when accuracy is not among the metrics, its verdict still counts.
  if (
    paired !== null &&
    mcnemar &&
    !deltas.some((d) => d.metric === 'accuracy') &&
    looksNotable('accuracy', paired.accuracyDelta, null) &&
    paired.mcnemarExactP >= ALPHA
  ) {
    unconfirmed.push({
      metric: 'accuracy',
      delta: paired.accuracyDelta,
      interval: null,
      pValue: paired.mcnemarExactP,
    });
  }
  const out: AnalysisWarning[] = [];
  if (unconfirmed.length > 0)
    out.push(warn.differenceNotSignificant(model, reference, n, unconfirmed));
  if (paired !== null && paired.discordant < warn.MIN_DISCORDANT_PAIRS) {
    const significant = mcnemar && paired.mcnemarExactP < ALPHA;
    out.push(warn.fewDiscordantPairs(model, reference, paired.fixed, paired.broken, significant));
  }
  return out;
}

/** The metric table of a comparison: `valueOf(model, metric)` for every metric and model. */
function metricTableOf<
  Metric extends ComparisonMetricName,
  Model extends { readonly name: string },
>(
  metricNames: readonly Metric[],
  models: readonly Model[],
  valueOf: (model: Model, metric: Metric) => number | null,
): MetricTable {
  return {
    metrics: metricNames,
    models: models.map((m) => m.name),
    values: metricNames.map((name) => models.map((m) => valueOf(m, name))),
    higherIsBetter: metricNames.map(higherIsBetter),
  };
}

/**
 * The per-slice table of a comparison `by` a column (null without `by`): the slices kept by
 * `limitSlices`, each with `valuesOf(its row indices)`, indexed by metric then model.
 */
function sliceTable(
  table: Table,
  options: CompareOptions,
  metricNames: readonly ComparisonMetricName[],
  models: readonly { readonly name: string }[],
  warnings: AnalysisWarning[],
  valuesOf: (indices: Int32Array) => (number | null)[][],
): SliceTable | null {
  if (options.by === undefined) return null;
  const groups = limitSlices(sliceBy(table, options.by), options, warnings);
  return {
    column: options.by,
    metrics: metricNames,
    models: models.map((m) => m.name),
    rows: groups.kept.map((group, g) => {
      throwIfCancelled(options.cancel);
      options.onProgress?.({ phase: 'slices', done: g, total: groups.kept.length });
      return { value: group.value, n: group.indices.length, values: valuesOf(group.indices) };
    }),
    omitted: groups.omitted,
  };
}

/** The slices to list: all, or the `maxSlices` largest (ties: earlier value), in value order. */
function limitSlices(
  groups: SliceGroup[],
  options: CompareOptions,
  warnings: AnalysisWarning[],
): { kept: SliceGroup[]; omitted: number } {
  const maxSlices = requireWholeNumber('maxSlices', options.maxSlices ?? DEFAULT_MAX_SLICES, 1);
  if (groups.length <= maxSlices) return { kept: groups, omitted: 0 };
  const keep = new Set(
    groups
      .map((g, i) => ({ i, n: g.indices.length }))
      .sort((a, b) => b.n - a.n || a.i - b.i)
      .slice(0, maxSlices)
      .map((e) => e.i),
  );
  const omitted = groups.length - maxSlices;
  warnings.push(warn.slicesOmitted(options.by as string, maxSlices, omitted));
  return { kept: groups.filter((_, i) => keep.has(i)), omitted };
}

// ---------------------------------------------------------------------------------------------
// Regression

function resolveRegressionMetrics(
  requested: readonly string[] | undefined,
): RegressionMetricName[] {
  if (requested === undefined) return DEFAULT_REGRESSION_METRICS as RegressionMetricName[];
  if (requested.length === 0) throw new EngineError('bad-argument', 'the metric list is empty');
  return requested.map((name) => {
    if (isRegressionMetric(name)) return name;
    if (isComparisonMetricName(name)) {
      throw new EngineError(
        'bad-argument',
        `${name} is a classification metric, but this comparison is a regression ` +
          `(numeric target and predictions); use ${REGRESSION_METRICS.join(', ')}`,
      );
    }
    throw unknownMetric(name);
  });
}

function regressionValue(metrics: RegressionMetrics, name: RegressionMetricName): number {
  switch (name) {
    case 'mse':
      return metrics.mse;
    case 'rmse':
      return metrics.rmse;
    case 'mae':
      return metrics.mae;
    case 'r2':
      return metrics.r2;
    case 'explained_variance':
      return metrics.explainedVariance;
    case 'mape':
      return metrics.mape;
    case 'median_absolute_error':
      return metrics.medianAbsoluteError;
    case 'max_error':
      return metrics.maxError;
  }
}

function compareRegression(
  table: Table,
  options: CompareOptions,
  notes: readonly AnalysisWarning[],
): RegressionComparison {
  const withScores = options.models.find((m) => m.scoreColumn !== undefined);
  if (withScores !== undefined) {
    throw new EngineError(
      'bad-argument',
      `model ${withScores.name} has a score column, but this comparison is a regression ` +
        '(numeric target and predictions); scores belong to binary classification',
    );
  }
  const metricNames = resolveRegressionMetrics(options.metrics);
  const truth = requireNumberColumn(table, options.label).values;
  const preds = options.models.map((m) => requireNumberColumn(table, m.predictionColumn).values);
  const idColumn = optionalColumn(table, options.idColumn, 'id');
  const textColumn = optionalColumn(table, options.textColumn, 'text');
  const models = options.models.map((spec, j) => ({
    name: spec.name,
    predictionColumn: spec.predictionColumn,
    metrics: regressionMetrics(truth, preds[j], {
      truth: options.label,
      pred: spec.predictionColumn,
    }),
  }));
  const metricTable = metricTableOf(metricNames, models, (m, name) =>
    finiteOrNull(regressionValue(m.metrics, name)),
  );
  const warnings: AnalysisWarning[] = [...notes];
  const bootstrap = options.significance?.bootstrap;
  const deltas = models.slice(1).map((model, index) => {
    const j = index + 1;
    const intervals =
      bootstrap === undefined
        ? metricNames.map(() => null)
        : bootstrapRegressionDifferences(truth, preds[0], preds[j], metricNames, {
            resamples: bootstrap.resamples,
            seed: bootstrap.seed,
            confidence: bootstrap.confidence,
            cancel: options.cancel,
            onProgress: phaseProgress(
              options.onProgress,
              `bootstrap ${model.name} vs ${models[0].name}`,
            ),
          });
    const metricDeltas = metricNames.map((name, m) =>
      metricDelta(name, metricTable.values[m][0], metricTable.values[m][j], intervals[m], null),
    );
    warnings.push(
      ...significanceWarnings(model.name, models[0].name, table.nRows, metricDeltas, null, false),
    );
    return modelDelta(model.name, models[0].name, metricDeltas, null);
  });

  const slices = sliceTable(table, options, metricNames, models, warnings, (indices) => {
    const y = Float64Array.from(indices, (i) => truth[i]);
    const perModel = preds.map((pred) =>
      regressionMetrics(
        y,
        Float64Array.from(indices, (i) => pred[i]),
      ),
    );
    return metricNames.map((name) =>
      perModel.map((metrics) => finiteOrNull(regressionValue(metrics, name))),
    );
  });
  return {
    kind: 'comparison',
    task: 'regression',
    table: tableLabel(table, options.tableName),
    n: table.nRows,
    labelColumn: options.label,
    idColumn: idColumn?.name ?? null,
    textColumn: textColumn?.name ?? null,
    models,
    metricTable,
    deltas,
    slices,
    warnings,
  };
}
