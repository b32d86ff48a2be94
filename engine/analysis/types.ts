/**
 * Result and option types of the engine's high-level analyses: the seam between the language
 * (`dsl/`, which calls the analyses) and the display (`display/`, which renders their results).
 *
 * Every result is a plain, JSON-serialisable object discriminated on `kind`:
 * `JSON.parse(JSON.stringify(result))` deep-equals the result. That means no typed arrays, no
 * NaN or ±Infinity (an undefined value is `null`), no `undefined` fields (an absent value is
 * `null`), and no Maps. Every number a display shows is in the result, so the language's
 * `--json` output is exactly these objects.
 *
 * Conventions shared by every result:
 * - rows are reported 1-based (as in error messages); indices into result arrays are 0-based;
 * - a metric that is a share (accuracy, precision, ...) is a fraction in [0, 1], never a
 *   percentage; statements in words convert to points (1 point = 0.01);
 * - model lists keep the caller's order, and the first model is the reference ("base").
 */
import type { CancelToken } from '../errors.js';
import type { LabelTask } from '../labels.js';
import type {
  Average,
  ClassificationMetrics,
  ClassificationMetricName,
} from '../metrics/classification.js';
import type { CalibrationBin } from '../metrics/calibration.js';
import type { RegressionMetrics } from '../metrics/regression.js';
import type { ErrorCosts, ThresholdRule } from '../metrics/threshold.js';
import type { Label } from '../table.js';

export type { Label, LabelTask, ThresholdRule, ErrorCosts, Average };

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** A JSON scalar: what warning details and table cells hold. */
export type JsonScalar = string | number | boolean | null;

/** How far a long analysis has got: `done` of `total` units of `phase`, 0 ≤ done ≤ total. */
export interface AnalysisProgress {
  /** What is being done, in words ("bootstrap finetuned vs base", "slices"). */
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export type ProgressCallback = (progress: AnalysisProgress) => void;

/** Options every long-running analysis accepts. */
export interface RunOptions {
  /** Polled between chunks of work; a cancelled run throws EngineError 'interrupted'. */
  readonly cancel?: CancelToken;
  readonly onProgress?: ProgressCallback;
}

/** The warning codes of the catalogue in `warnings.ts`. */
export const WARNING_CODES = [
  'accuracy-paradox',
  'difference-not-significant',
  'few-discordant-pairs',
  'ill-defined-metric',
  'threshold-on-evaluation-rows',
  'threshold-not-found',
  'leakage',
  'overfitting',
  'positive-label-assumed',
  'positive-label-ignored',
  'scores-not-probabilities',
  'slices-omitted',
  // A split part without rows; a comparison of labels made a regression by one column.
  'empty-split-part',
  'treated-as-regression',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/**
 * A warning in plain words. `message` is complete on its own (one to three sentences);
 * `details` holds the numbers behind it for displays that want to lay them out, keyed by
 * camelCase names documented at the warning's function in `warnings.ts`. `model` names the
 * model it is about, or is null when it concerns the whole analysis.
 */
export interface AnalysisWarning {
  readonly code: WarningCode;
  /** 'warning': the numbers may mislead; 'note': worth knowing, nothing wrong. */
  readonly severity: 'warning' | 'note';
  readonly model: string | null;
  readonly message: string;
  readonly details: Readonly<Record<string, JsonScalar | readonly JsonScalar[]>>;
}

/**
 * One metric's formula with the actual counts substituted, for teaching: e.g.
 * `{metric: 'precision', formula: 'TP / (TP + FP)', substituted: '85 / (85 + 10)', value:
 * 0.8947…}`. `value` is the metric as reported (so a 0/0 shows 0 and `note` says why), null
 * only when the metric is undefined.
 */
export interface MetricExplanation {
  readonly metric: string;
  readonly formula: string;
  readonly substituted: string;
  readonly value: number | null;
  /** A remark such as "0 / 0 is undefined; reported as 0", or null. */
  readonly note: string | null;
}

/** The confusion counts of one binary model about the positive label; they add up to n. */
export interface ConfusionCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

/**
 * The formulas of one model's metrics with its counts substituted. `threshold` is the
 * decision threshold when the predictions come from a score (a threshold analysis), else null.
 * `counts` is null for a multiclass model (whose explanation covers accuracy only).
 */
export interface ModelExplanation {
  readonly model: string;
  readonly threshold: number | null;
  readonly counts: ConfusionCounts | null;
  readonly metrics: readonly MetricExplanation[];
}

// ---------------------------------------------------------------------------------------------
// summarizeTable

export interface NumberColumnSummary {
  readonly name: string;
  readonly type: 'number';
  readonly missing: number;
  /** Over the present values; all three null when every value is missing. */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Whether the values look like class labels (whole numbers, at most 20 distinct). */
  readonly categorical: boolean;
}

export interface TextColumnSummary {
  readonly name: string;
  readonly type: 'text';
  readonly missing: number;
  /** Distinct present values. */
  readonly distinct: number;
  /** The most frequent values (at most 5), most frequent first, ties in first-seen order. */
  readonly top: readonly { readonly value: string; readonly count: number }[];
}

export type ColumnSummary = NumberColumnSummary | TextColumnSummary;

/** Where a table came from; null fields are unknown (e.g. a derived table has no file). */
export interface SourceSummary {
  readonly path: string | null;
  readonly format: string | null;
  readonly sha256: string | null;
  readonly derivedFrom: string | null;
}

/**
 * What `load` and `show` display. `preview.rows` holds the first `preview.rows.length` rows,
 * one cell per column of `preview.columns` (null = missing): the table's first columns, at most
 * `PREVIEW_COLUMNS` of them; `preview.truncated` says whether the table has more rows than shown.
 */
export interface TableSummary {
  readonly kind: 'table-summary';
  readonly name: string;
  readonly rows: number;
  readonly columns: readonly ColumnSummary[];
  readonly preview: {
    readonly columns: readonly string[];
    readonly rows: readonly (readonly (Label | null)[])[];
    readonly truncated: boolean;
  };
  readonly source: SourceSummary;
}

// ---------------------------------------------------------------------------------------------
// compareModels

/** One model under comparison: its prediction column and, optionally, a score column. */
export interface ModelSpec {
  readonly name: string;
  readonly predictionColumn: string;
  /** Score (probability) of the positive label; binary tasks only. */
  readonly scoreColumn?: string;
}

/** Score metrics a binary comparison can report when models have score columns. */
export const SCORE_METRICS = ['roc_auc', 'average_precision', 'log_loss', 'brier'] as const;
export type ScoreMetricName = (typeof SCORE_METRICS)[number];

/** Regression metrics, as the language writes them. */
export const REGRESSION_METRICS = [
  'mse',
  'rmse',
  'mae',
  'r2',
  'explained_variance',
  'mape',
  'median_absolute_error',
  'max_error',
] as const;
export type RegressionMetricName = (typeof REGRESSION_METRICS)[number];

/** Every metric name a comparison accepts. */
export type ComparisonMetricName =
  ClassificationMetricName | ScoreMetricName | RegressionMetricName;

export interface BootstrapRequest {
  /** Number of resamples, a whole number ≥ 1. */
  readonly resamples: number;
  readonly seed: number;
  /** Two-sided coverage in (0, 1); 0.95 by default. */
  readonly confidence?: number;
}

export interface SignificanceOptions {
  /** McNemar's exact test on accuracy; on by default for classification. */
  readonly mcnemar?: boolean;
  /** A paired bootstrap interval for every delta that supports one. */
  readonly bootstrap?: BootstrapRequest;
}

export interface CompareOptions extends RunOptions {
  /** The table's name in the session, for messages and reports. */
  readonly tableName?: string;
  readonly label: string;
  /** The positive label of a binary task (a text label matches numbers that parse to it). */
  readonly positive?: Label;
  /** Two or more; the first is the reference and every delta is against it. */
  readonly models: readonly ModelSpec[];
  /** Metric names; a default list per task when absent. */
  readonly metrics?: readonly string[];
  /** For precision, recall and F-scores: `binary` for binary tasks, `macro` otherwise. */
  readonly average?: Average;
  /** The beta of `fbeta`. */
  readonly beta?: number;
  /** Forces the task instead of inferring it from the columns. */
  readonly task?: LabelTask;
  /** Slice column for the per-slice table. */
  readonly by?: string;
  readonly significance?: SignificanceOptions;
  /** Defaults to "id" when the table has such a column. */
  readonly idColumn?: string;
  /** Defaults to "text" when the table has such a column. */
  readonly textColumn?: string;
  /** How many fixed and how many broken rows to list; 10 by default. */
  readonly examples?: number;
  /** At most this many slices are listed (the largest); 100 by default. */
  readonly maxSlices?: number;
}

/** Score metrics of one binary model; null where undefined or not computable. */
export interface ScoreMetrics {
  readonly scoreColumn: string;
  /** Null when only one class is present. */
  readonly rocAuc: number | null;
  readonly averagePrecision: number;
  /** Null when the scores are not probabilities in [0, 1] (a warning says so). */
  readonly logLoss: number | null;
  readonly brier: number | null;
}

export interface ClassificationModelResult {
  readonly name: string;
  readonly predictionColumn: string;
  readonly scoreColumn: string | null;
  /** The engine's full metrics (binary: about the positive label; its labels in sorted order). */
  readonly metrics: ClassificationMetrics;
  readonly scores: ScoreMetrics | null;
}

export interface RegressionModelResult {
  readonly name: string;
  readonly predictionColumn: string;
  readonly metrics: RegressionMetrics;
}

/** The selected metrics side by side: `values[m][j]` is metric m of model j (null: undefined). */
export interface MetricTable {
  readonly metrics: readonly ComparisonMetricName[];
  readonly models: readonly string[];
  readonly values: readonly (readonly (number | null)[])[];
  /** Per metric: whether a higher value is better (false for losses and errors). */
  readonly higherIsBetter: readonly boolean[];
}

/**
 * A percentile bootstrap interval for a delta (model − reference), resampling the rows
 * jointly for both models. `lower ≤ upper`; resamples where the metric was undefined are left
 * out and counted in `undefinedResamples`.
 */
export interface DeltaInterval {
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
  readonly resamples: number;
  readonly undefinedResamples: number;
  readonly seed: number;
  /** 'multinomial' / 'rows': engine/stats/bootstrap.ts's methods (same distribution). */
  readonly method: 'multinomial' | 'rows';
}

/**
 * One metric of one model against the reference. `delta` = `value` − `reference` (null when
 * either is null). `pValue` is McNemar's exact p for accuracy, null for other metrics.
 * `statement` phrases the delta in words (see `statements.ts`), e.g. "+3.0 points of
 * accuracy, 95% CI [-0.4, +6.2], p = 0.09: not significant at this test size".
 */
export interface MetricDelta {
  readonly metric: ComparisonMetricName;
  readonly reference: number | null;
  readonly value: number | null;
  readonly delta: number | null;
  readonly higherIsBetter: boolean;
  readonly interval: DeltaInterval | null;
  readonly pValue: number | null;
  readonly statement: string;
}

/** One row shown as an example of a fixed or broken prediction. */
export interface ExampleRow {
  /** 1-based data row. */
  readonly row: number;
  /** The id column's value, or null when there is no id column. */
  readonly id: Label | null;
  /** The text column's value, or null when there is none. */
  readonly text: string | null;
  readonly label: Label;
  readonly referencePrediction: Label;
  readonly modelPrediction: Label;
  /** Score columns' values when the models have them, else null. */
  readonly referenceScore: number | null;
  readonly modelScore: number | null;
}

/** McNemar's test on the discordant rows. */
export interface McNemarResult {
  /** Exact two-sided p; 1 when there are no discordant rows. */
  readonly exactP: number;
  /** Chi-square with continuity correction and its p; null with no discordant rows. */
  readonly chiSquare: number | null;
  readonly chiSquareP: number | null;
}

/**
 * Reference vs model on the same rows ("correct" = prediction equals label).
 * Invariants: bothCorrect + bothWrong + fixed + broken = n; discordant = fixed + broken;
 * `fixedExamples` / `brokenExamples` are the first rows of each kind in row order, at most
 * the requested number.
 */
export interface PairedSummary {
  readonly n: number;
  readonly referenceCorrect: number;
  readonly modelCorrect: number;
  readonly bothCorrect: number;
  readonly bothWrong: number;
  /** Reference wrong, model right. */
  readonly fixed: number;
  /** Reference right, model wrong. */
  readonly broken: number;
  readonly discordant: number;
  readonly accuracyDelta: number;
  /** Null when McNemar was turned off. */
  readonly mcnemar: McNemarResult | null;
  readonly fixedExamples: readonly ExampleRow[];
  readonly brokenExamples: readonly ExampleRow[];
}

/**
 * Everything about one model against the reference. `metrics` follows `MetricTable.metrics`.
 * `paired` is null for regression. `headline` is the statement of the first metric with the
 * model names, e.g. "finetuned vs base: +3.0 points of accuracy, …".
 */
export interface ModelDelta {
  readonly model: string;
  readonly reference: string;
  readonly metrics: readonly MetricDelta[];
  readonly paired: PairedSummary | null;
  readonly headline: string;
}

/**
 * Metrics per slice. `rows` are in slice-value order (numbers, then text, missing last);
 * `values[m][j]` of a row is metric m of model j on that slice's rows (null: undefined there).
 * When there were more than `maxSlices` slices only the largest are listed and `omitted`
 * counts the rest.
 */
export interface SliceTable {
  readonly column: string;
  readonly metrics: readonly ComparisonMetricName[];
  readonly models: readonly string[];
  readonly rows: readonly {
    readonly value: Label | null;
    readonly n: number;
    readonly values: readonly (readonly (number | null)[])[];
  }[];
  readonly omitted: number;
}

/**
 * Precision, recall and F1 per label and model. `labels` is the union over the truth and all
 * models, sorted; `rows[i].models[j]` is null when label i occurs in neither the truth nor
 * model j's predictions. `support` counts true rows of the label.
 */
export interface PerClassTable {
  readonly labels: readonly Label[];
  readonly models: readonly string[];
  readonly rows: readonly {
    readonly label: Label;
    readonly support: number;
    readonly models: readonly ({
      readonly precision: number;
      readonly recall: number;
      readonly f1: number;
      readonly predicted: number;
    } | null)[];
  }[];
}

interface ComparisonBase {
  readonly kind: 'comparison';
  readonly table: string | null;
  readonly n: number;
  readonly labelColumn: string;
  readonly idColumn: string | null;
  readonly textColumn: string | null;
  readonly metricTable: MetricTable;
  /** One per model after the first, in model order. */
  readonly deltas: readonly ModelDelta[];
  readonly slices: SliceTable | null;
  readonly warnings: readonly AnalysisWarning[];
}

export interface ClassificationComparison extends ComparisonBase {
  readonly task: 'binary' | 'multiclass';
  /** Binary: the positive label; multiclass: null. */
  readonly positiveLabel: Label | null;
  readonly negativeLabel: Label | null;
  /** Sorted union of the labels in the truth and every model's predictions. */
  readonly labels: readonly Label[];
  readonly average: Average;
  readonly models: readonly ClassificationModelResult[];
  readonly perClass: PerClassTable;
  /** One per model: binary models' formulas with counts; multiclass: accuracy only. */
  readonly explanation: readonly ModelExplanation[];
}

export interface RegressionComparison extends ComparisonBase {
  readonly task: 'regression';
  readonly models: readonly RegressionModelResult[];
}

export type ComparisonResult = ClassificationComparison | RegressionComparison;

// ---------------------------------------------------------------------------------------------
// analyseThresholds

export interface ThresholdModelSpec {
  readonly name: string;
  readonly scoreColumn: string;
}

export interface ThresholdOptions extends RunOptions {
  readonly tableName?: string;
  readonly label: string;
  readonly positive: Label;
  readonly models: readonly ThresholdModelSpec[];
  /** How to pick the threshold; max F1 by default. */
  readonly pick?: ThresholdRule;
  /** Also show the cost of each threshold in the sweep (min-cost rules carry their own). */
  readonly costs?: ErrorCosts;
  /** Also show F-beta in the sweep (max-fbeta rules carry their own). */
  readonly beta?: number;
  /** At most this many points per displayed curve; 2000 by default. */
  readonly maxPoints?: number;
}

/**
 * A curve thinned for display. All arrays have the same length (the kept points, in curve
 * order), a subset of the full curve's points including its first and last. `threshold[i]` is
 * null where a point has no threshold (the PR curve's last point, or a ROC start above every
 * score that cannot be written as a number). `chosenIndex` is the chosen operating point's
 * index in these arrays (null when nothing was chosen). `maxDeviation` is the largest distance,
 * on the unit square, from a dropped point to the chord that replaced it (an upper bound on its
 * distance to the thinned polyline). A ROC curve is empty (no points) when the positive or the
 * negative class is absent, since one of its rates is then 0/0 everywhere.
 */
export interface ThinnedCurve {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly threshold: readonly (number | null)[];
  readonly chosenIndex: number | null;
  readonly originalPoints: number;
  readonly maxDeviation: number;
}

/**
 * Metrics against threshold for a slider, thinned like the curves: every array has one entry
 * per kept threshold, increasing. Counts and metrics are those of predicting positive for
 * `score >= threshold[i]`; tp + fp + fn + tn = n at every i. `fbeta` / `cost` are null unless
 * asked for. `chosenIndex`: the chosen point's index, when it is one of the thresholds.
 */
export interface SweepSeries {
  readonly threshold: readonly number[];
  readonly tp: readonly number[];
  readonly fp: readonly number[];
  readonly fn: readonly number[];
  readonly tn: readonly number[];
  readonly precision: readonly number[];
  readonly recall: readonly number[];
  readonly specificity: readonly number[];
  readonly f1: readonly number[];
  readonly accuracy: readonly number[];
  readonly beta: number | null;
  readonly fbeta: readonly number[] | null;
  readonly costs: ErrorCosts | null;
  readonly cost: readonly number[] | null;
  readonly chosenIndex: number | null;
  readonly originalPoints: number;
  readonly maxDeviation: number;
}

/**
 * The operating point a rule chose, computed on all rows: predicting positive for
 * `score >= threshold`. `objective` is what the rule optimised or met (F1, F-beta, recall,
 * precision, cost, or the threshold itself); `tiedThresholds` how many thresholds reach it.
 */
export interface ChosenPoint extends ConfusionCounts {
  readonly threshold: number | null;
  readonly objective: number;
  readonly tiedThresholds: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly specificity: number;
  readonly f1: number;
  readonly fpr: number;
  readonly balancedAccuracy: number;
  readonly mcc: number;
  /** Which metrics had a zero denominator (reported as 0). */
  readonly illDefined: readonly string[];
}

export interface ThresholdModelResult {
  readonly name: string;
  readonly scoreColumn: string;
  /** From all rows; null when one class is absent. */
  readonly rocAuc: number | null;
  readonly averagePrecision: number;
  /** x = false-positive rate, y = true-positive rate (the full curve, thinned). */
  readonly roc: ThinnedCurve;
  /** x = recall, y = precision. */
  readonly pr: ThinnedCurve;
  readonly sweep: SweepSeries;
  /** Null when the rule found no threshold; `notFound` then says why. */
  readonly chosen: ChosenPoint | null;
  readonly notFound: string | null;
  /** The formulas at the chosen point; null when nothing was chosen. */
  readonly explanation: ModelExplanation | null;
}

/** A rule in words and as data. */
export interface RuleSummary {
  readonly kind: ThresholdRule['kind'];
  /** E.g. "max F1", "recall ≥ 0.9", "min cost (FP 1, FN 5)", "at 0.5". */
  readonly description: string;
  /** The rule's parameter (beta, recall, precision, threshold) or null. */
  readonly parameter: number | null;
  readonly costs: ErrorCosts | null;
}

export interface ThresholdAnalysisResult {
  readonly kind: 'threshold';
  readonly table: string | null;
  readonly labelColumn: string;
  readonly positiveLabel: Label;
  readonly n: number;
  readonly positives: number;
  readonly negatives: number;
  readonly rule: RuleSummary;
  readonly models: readonly ThresholdModelResult[];
  readonly warnings: readonly AnalysisWarning[];
}

// ---------------------------------------------------------------------------------------------
// calibrationAnalysis

export interface CalibrationAnalysisOptions extends RunOptions {
  readonly tableName?: string;
  readonly label: string;
  readonly positive: Label;
  readonly models: readonly ThresholdModelSpec[];
  /** Uniform bins; 10 by default. */
  readonly bins?: number;
}

/** One model's reliability diagram; `bins` holds every bin, empty ones with null means. */
export interface CalibrationModelResult {
  readonly name: string;
  readonly scoreColumn: string;
  readonly bins: readonly CalibrationBin[];
  readonly binEdges: readonly number[];
  /** Fraction positive and mean score of the non-empty bins, in bin order (sklearn's). */
  readonly probTrue: readonly number[];
  readonly probPred: readonly number[];
  readonly ece: number;
  readonly mce: number;
  readonly brier: number;
}

export interface CalibrationAnalysisResult {
  readonly kind: 'calibration';
  readonly table: string | null;
  readonly labelColumn: string;
  readonly positiveLabel: Label;
  readonly n: number;
  readonly nBins: number;
  readonly models: readonly CalibrationModelResult[];
  readonly warnings: readonly AnalysisWarning[];
}

// ---------------------------------------------------------------------------------------------
// lossCurveAnalysis

export interface LossCurveOptions {
  readonly tableName?: string;
  /** Column names; "epoch", "train_loss", "val_loss" by default. */
  readonly epoch?: string;
  readonly trainLoss?: string;
  readonly valLoss?: string;
  /** Early-stopping patience in epochs; 3 by default. */
  readonly patience?: number;
  /** At most this many points per plotted series; 2000 by default. */
  readonly maxPoints?: number;
}

/**
 * Training and validation loss by epoch. `series` is in increasing epoch order (thinned to
 * `maxPoints` for very long logs, always keeping the first, last, best, early-stop and
 * overfitting-start epochs). Epoch fields are epoch numbers as logged, not indices.
 */
export interface LossCurveResult {
  readonly kind: 'loss-curve';
  readonly table: string | null;
  readonly columns: {
    readonly epoch: string;
    readonly trainLoss: string;
    readonly valLoss: string;
  };
  readonly epochs: number;
  readonly series: {
    readonly epoch: readonly number[];
    readonly trainLoss: readonly number[];
    readonly valLoss: readonly number[];
  };
  readonly bestEpoch: number;
  readonly bestValLoss: number;
  readonly trainLossAtBest: number;
  readonly finalValLoss: number;
  readonly finalTrainLoss: number;
  readonly valLossRiseAfterBest: number;
  readonly epochsAfterBest: number;
  readonly patience: number;
  readonly earlyStopEpoch: number | null;
  readonly overfittingStartEpoch: number | null;
  readonly warnings: readonly AnalysisWarning[];
}

// ---------------------------------------------------------------------------------------------
// leakageAnalysis

export interface LeakageAnalysisOptions {
  /** The two tables' names in the session, for messages. */
  readonly trainName?: string;
  readonly testName?: string;
  readonly column: string;
  readonly normalize?: boolean;
  /** Row ids in the result come from this column ("id" when present), else row numbers. */
  readonly idColumn?: string;
  /** At most this many shared values and ids are listed; 100 by default. */
  readonly maxListed?: number;
}

/** One value found in both tables, with the ids of the rows holding it on each side. */
export interface LeakedValueSummary {
  readonly text: string;
  readonly trainIds: readonly Label[];
  readonly testIds: readonly Label[];
}

/**
 * Matches under one comparison rule. Lists are cut to `maxListed` entries; the counts are
 * always complete, and `truncated` says whether any list was cut.
 */
export interface LeakageMatchSummary {
  readonly duplicateTextCount: number;
  readonly duplicates: readonly LeakedValueSummary[];
  readonly leakedTestRows: number;
  readonly leakedTestIds: readonly Label[];
  readonly leakedTrainIds: readonly Label[];
  readonly leakedTestFraction: number;
  readonly truncated: boolean;
}

export interface LeakageAnalysisResult extends LeakageMatchSummary {
  readonly kind: 'leakage';
  readonly train: string | null;
  readonly test: string | null;
  readonly column: string;
  /** The id column used, or null when ids are 1-based row numbers. */
  readonly idColumn: string | null;
  readonly trainRows: number;
  readonly testRows: number;
  /** Matches after lowercasing and collapsing white space; null unless asked for. */
  readonly normalized: LeakageMatchSummary | null;
  readonly warnings: readonly AnalysisWarning[];
}

// ---------------------------------------------------------------------------------------------
// splitSummary and sliceSummary

/**
 * One part of a split. `share` = size / source rows. Class counts and proportions follow
 * `SplitSummaryResult.classes`; null when there is no class column.
 */
export interface SplitPartSummary {
  readonly name: string;
  readonly size: number;
  readonly share: number;
  readonly classCounts: readonly number[] | null;
  readonly classProportions: readonly number[] | null;
}

/**
 * A seeded split. `classes` (label order, missing as null last) and the class arrays are null
 * without a class column. `maxProportionGap` is the largest |part proportion − overall
 * proportion| over parts and classes (null without a class column).
 */
export interface SplitSummaryResult {
  readonly kind: 'split';
  readonly source: string | null;
  readonly rows: number;
  readonly seed: number;
  readonly stratifiedBy: string | null;
  readonly classColumn: string | null;
  readonly classes: readonly (Label | null)[] | null;
  readonly classCounts: readonly number[] | null;
  readonly classProportions: readonly number[] | null;
  readonly parts: readonly SplitPartSummary[];
  /** Rows in no part (when parts are given as counts that add up to less than the table). */
  readonly unassigned: number;
  readonly maxProportionGap: number | null;
  /** An empty part ('empty-split-part'). */
  readonly warnings: readonly AnalysisWarning[];
}

/**
 * The slices of a table by one column's values, in slice-value order; at most `maxSlices`
 * largest are listed and `omitted` counts the rest. `share` = n / rows.
 */
export interface SliceSummaryResult {
  readonly kind: 'slices';
  readonly source: string | null;
  readonly column: string;
  readonly rows: number;
  readonly sliceCount: number;
  readonly slices: readonly {
    readonly value: Label | null;
    readonly n: number;
    readonly share: number;
  }[];
  readonly omitted: number;
}

/** Every analysis result, discriminated on `kind`. */
export type AnalysisResult =
  | TableSummary
  | ComparisonResult
  | ThresholdAnalysisResult
  | CalibrationAnalysisResult
  | LossCurveResult
  | LeakageAnalysisResult
  | SplitSummaryResult
  | SliceSummaryResult;
