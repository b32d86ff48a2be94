/**
 * Result paths and `check` expressions.
 *
 * A bound result (or table) is addressed in `check` by a dotted path: `R.finetuned.f1`,
 * `R.delta.accuracy`, `T.threshold`, `C.base.ece`, `L.best_epoch`. The paths a result has are
 * a tree of keys (`KeyNode`) built from the result itself: branches name their keys, leaves
 * hold numbers (null where the number is undefined, such as ROC AUC with one class). Before a
 * statement has run, the checker builds the same tree from the statement's plan, with
 * `later` leaves and, where the keys depend on the data (the slices of `by`, the labels of
 * `per_class`), an open branch that takes any key; a key that is in no tree of the plan's
 * shape is a mistake caught before anything runs.
 *
 * docs/language.md, "Result paths", lists every path; this module is its implementation.
 */
import {
  REGRESSION_METRICS,
  SCORE_METRICS,
  type CalibrationAnalysisResult,
  type ClassificationComparison,
  type ComparisonResult,
  type Label,
  type LeakageAnalysisResult,
  type LeakageMatchSummary,
  type LossCurveResult,
  type RegressionComparison,
  type SliceSummaryResult,
  type ThresholdAnalysisResult,
} from '../engine/analysis/types.js';
import { CLASSIFICATION_METRICS } from '../engine/metrics/classification.js';
import type { Table } from '../engine/table.js';
import type {
  PlannedCalibration,
  PlannedCompare,
  PlannedCurve,
  PlannedLeakage,
  PlannedSplitBy,
  PlannedThreshold,
} from './plan.js';

// ---------------------------------------------------------------------------------------------
// Key trees

/**
 * One node of a result's key tree.
 * - `value`: a number of the result; null when it is undefined there (`why` says why).
 * - `later`: a number that exists once the statement has run (in trees built from a plan).
 * - `keys`: a branch; `keys` in the order they are listed to the user. `any`, when present,
 *   is the node for a key that is not listed (keys that come from the data, such as slice
 *   values, in a tree built from a plan).
 */
export type KeyNode =
  | { readonly kind: 'value'; readonly value: number | null; readonly why?: string }
  | { readonly kind: 'later' }
  | {
      readonly kind: 'keys';
      readonly keys: ReadonlyMap<string, KeyNode>;
      readonly any?: { readonly description: string; readonly node: KeyNode };
    };

const LATER: KeyNode = { kind: 'later' };

function value(x: number | null | undefined, why?: string): KeyNode {
  const v = x === undefined || x === null || !Number.isFinite(x) ? null : x;
  return v === null && why !== undefined
    ? { kind: 'value', value: null, why }
    : { kind: 'value', value: v };
}

function branch(
  entries: Iterable<readonly [string, KeyNode]>,
  any?: { readonly description: string; readonly node: KeyNode },
): KeyNode {
  const keys = new Map<string, KeyNode>();
  // The first entry of a key wins: reserved keys are added before names from the data.
  for (const [key, node] of entries) if (!keys.has(key)) keys.set(key, node);
  return any === undefined ? { kind: 'keys', keys } : { kind: 'keys', keys, any };
}

/** The key of a label or slice value in a path: numbers as written, missing as `missing`. */
export function labelKey(label: Label | null): string {
  return label === null ? 'missing' : String(label);
}

/** Metrics of a binary or multiclass model, by the names the language uses. */
export const CLASSIFICATION_KEYS = [...CLASSIFICATION_METRICS, ...SCORE_METRICS] as const;

/** Confusion counts of a binary model. */
export const COUNT_KEYS = ['tp', 'fp', 'fn', 'tn'] as const;

export const REGRESSION_KEYS = REGRESSION_METRICS;

/** Per-label keys under `per_class.<label>`. */
export const PER_CLASS_KEYS = ['precision', 'recall', 'f1', 'support'] as const;

/** What the paired comparison of two models gives, under `delta` and at the top of R. */
export const PAIRED_KEYS = ['p_value', 'fixed', 'broken'] as const;

/** Keys at the top of a comparison, which no model may be called. */
export const COMPARISON_RESERVED = ['n', 'delta', 'interval', 'by', ...PAIRED_KEYS] as const;

/** Keys of a threshold model, also at the top of a one-model threshold result. */
export const THRESHOLD_MODEL_KEYS = [
  'threshold',
  'precision',
  'recall',
  'f1',
  'specificity',
  'accuracy',
  'fpr',
  'balanced_accuracy',
  'mcc',
  'tp',
  'fp',
  'fn',
  'tn',
  'roc_auc',
  'average_precision',
] as const;

export const THRESHOLD_RESERVED = ['n', 'positives', 'negatives', ...THRESHOLD_MODEL_KEYS] as const;

export const CALIBRATION_MODEL_KEYS = ['ece', 'mce', 'brier'] as const;
export const CALIBRATION_RESERVED = ['n', 'bins', ...CALIBRATION_MODEL_KEYS] as const;

export const LOSS_CURVE_KEYS = [
  'best_epoch',
  'best_val_loss',
  'train_loss_at_best',
  'final_val_loss',
  'final_train_loss',
  'val_loss_rise_after_best',
  'epochs_after_best',
  'early_stop_epoch',
  'overfitting_start_epoch',
  'epochs',
  'patience',
] as const;

/** Counts of one comparison rule of a leakage result; also under `normalized`. */
export const LEAKAGE_MATCH_KEYS = [
  'leaked_test_rows',
  'leaked_test_fraction',
  'duplicate_texts',
] as const;
export const LEAKAGE_KEYS = ['train_rows', 'test_rows', ...LEAKAGE_MATCH_KEYS] as const;

export const SLICE_KEYS = ['n', 'count'] as const;
export const SLICE_VALUE_KEYS = ['n', 'share'] as const;

export const TABLE_KEYS = ['rows', 'columns'] as const;

// ---------------------------------------------------------------------------------------------
// Trees of results

function metricTableValue(
  result: ComparisonResult,
  metric: string,
  model: number,
): number | null | undefined {
  const m = result.metricTable.metrics.indexOf(metric as never);
  return m < 0 ? undefined : result.metricTable.values[m][model];
}

function classificationModelNode(result: ClassificationComparison, j: number): KeyNode {
  const model = result.models[j];
  const metrics = model.metrics;
  const fromTable = (name: string): number | null | undefined => metricTableValue(result, name, j);
  const entries: [string, KeyNode][] = [];
  const add = (name: string, fallback: number | null | undefined, why?: string): void => {
    const shown = fromTable(name);
    if (shown !== undefined) entries.push([name, value(shown, 'undefined on these rows')]);
    else if (fallback !== undefined) entries.push([name, value(fallback, why)]);
  };
  add('accuracy', metrics.accuracy);
  if (metrics.task === 'binary') {
    add('precision', metrics.precision);
    add('recall', metrics.recall);
    add('f1', metrics.f1);
    add('f0_5', metrics.f0_5);
    add('f2', metrics.f2);
    add('fbeta', undefined);
    add('specificity', metrics.specificity);
  } else {
    const averaged = result.average === 'binary' ? metrics.macro : metrics[result.average];
    add('precision', averaged.precision);
    add('recall', averaged.recall);
    add('f1', averaged.f1);
    add('fbeta', undefined);
  }
  add('balanced_accuracy', metrics.balancedAccuracy);
  add('mcc', metrics.mcc);
  add('cohen_kappa', metrics.cohenKappa, 'Cohen’s kappa is 0/0 with a single label');
  if (model.scores !== null) {
    add('roc_auc', model.scores.rocAuc, 'ROC AUC needs both classes among the labels');
    add('average_precision', model.scores.averagePrecision);
    add('log_loss', model.scores.logLoss, 'the scores are not all probabilities in [0, 1]');
    add('brier', model.scores.brier, 'the scores are not all probabilities in [0, 1]');
  }
  if (metrics.task === 'binary') {
    entries.push(['tp', value(metrics.tp)], ['fp', value(metrics.fp)]);
    entries.push(['fn', value(metrics.fn)], ['tn', value(metrics.tn)]);
  }
  entries.push([
    'per_class',
    branch(
      metrics.perClass.map((c) => [
        labelKey(c.label),
        branch([
          ['precision', value(c.precision)],
          ['recall', value(c.recall)],
          ['f1', value(c.f1)],
          ['support', value(c.support)],
        ]),
      ]),
    ),
  ]);
  return branch(entries);
}

function regressionModelNode(result: RegressionComparison, j: number): KeyNode {
  const m = result.models[j].metrics;
  const all: Record<(typeof REGRESSION_KEYS)[number], number> = {
    mse: m.mse,
    rmse: m.rmse,
    mae: m.mae,
    r2: m.r2,
    explained_variance: m.explainedVariance,
    mape: m.mape,
    median_absolute_error: m.medianAbsoluteError,
    max_error: m.maxError,
  };
  return branch(
    REGRESSION_KEYS.map((k) => {
      const shown = metricTableValue(result, k, j);
      return [k, value(shown === undefined ? all[k] : shown)] as const;
    }),
  );
}

function modelNode(result: ComparisonResult, j: number): KeyNode {
  return result.task === 'regression'
    ? regressionModelNode(result, j)
    : classificationModelNode(result, j);
}

/** Leaves of `a` minus leaves of `b`, key by key (for deltas of metrics not in the table). */
function differenceNode(a: KeyNode, b: KeyNode): KeyNode | undefined {
  if (a.kind !== 'keys' || b.kind !== 'keys') return undefined;
  const entries: [string, KeyNode][] = [];
  for (const [key, left] of a.keys) {
    const right = b.keys.get(key);
    if (left.kind !== 'value' || right?.kind !== 'value') continue;
    entries.push([
      key,
      left.value === null || right.value === null
        ? value(null, 'the metric is undefined for one of the models')
        : value(left.value - right.value),
    ]);
  }
  return branch(entries);
}

function deltaNode(result: ComparisonResult, j: number, models: readonly KeyNode[]): KeyNode {
  const d = result.deltas[j - 1];
  const fromTable = new Map(d.metrics.map((m) => [m.metric as string, m.delta]));
  const computed = differenceNode(models[j], models[0]);
  const entries: [string, KeyNode][] = [];
  if (computed?.kind === 'keys') {
    for (const [key, node] of computed.keys) {
      entries.push([
        key,
        fromTable.has(key) ? value(fromTable.get(key), 'undefined for one of the models') : node,
      ]);
    }
  }
  if (d.paired !== null) {
    entries.push(['p_value', value(d.paired.mcnemar?.exactP ?? null)]);
    entries.push(['fixed', value(d.paired.fixed)], ['broken', value(d.paired.broken)]);
  }
  return branch(entries);
}

function intervalNode(result: ComparisonResult, j: number): KeyNode {
  const d = result.deltas[j - 1];
  return branch(
    d.metrics
      .filter((m) => m.interval !== null)
      .map((m) => [
        m.metric,
        branch([
          ['lower', value(m.interval?.lower)],
          ['upper', value(m.interval?.upper)],
        ]),
      ]),
  );
}

/** The key tree of a comparison (see docs/language.md, "Result paths"). */
export function comparisonKeys(result: ComparisonResult): KeyNode {
  const models = result.models.map((_, j) => modelNode(result, j));
  const last = result.models.length - 1;
  const entries: [string, KeyNode][] = [['n', value(result.n)]];
  const deltas = result.models.map((_, j) => (j === 0 ? undefined : deltaNode(result, j, models)));
  const intervals = result.models.map((_, j) => (j === 0 ? undefined : intervalNode(result, j)));
  if (result.models.length === 2) {
    entries.push(['delta', deltas[1] as KeyNode]);
    const interval = intervals[1] as KeyNode;
    if (interval.kind === 'keys' && interval.keys.size > 0) entries.push(['interval', interval]);
  } else {
    entries.push([
      'delta',
      branch(result.models.slice(1).map((m, i) => [m.name, deltas[i + 1] as KeyNode])),
    ]);
    if (result.deltas.some((d) => d.metrics.some((m) => m.interval !== null))) {
      entries.push([
        'interval',
        branch(result.models.slice(1).map((m, i) => [m.name, intervals[i + 1] as KeyNode])),
      ]);
    }
  }
  const lastPaired = result.deltas[last - 1]?.paired ?? null;
  if (lastPaired !== null) {
    entries.push(['p_value', value(lastPaired.mcnemar?.exactP ?? null)]);
    entries.push(['fixed', value(lastPaired.fixed)], ['broken', value(lastPaired.broken)]);
  }
  if (result.slices !== null) {
    const slices = result.slices;
    entries.push([
      'by',
      branch(
        slices.rows.map((row) => [
          labelKey(row.value),
          branch([
            ['n', value(row.n)],
            ...slices.models.map(
              (model, j) =>
                [
                  model,
                  branch(
                    slices.metrics.map((metric, m) => [
                      metric,
                      value(row.values[m][j], 'undefined on this slice'),
                    ]),
                  ),
                ] as const,
            ),
          ]),
        ]),
      ),
    ]);
  }
  result.models.forEach((m, j) => entries.push([m.name, models[j]]));
  return branch(entries);
}

function thresholdModelNode(m: ThresholdAnalysisResult['models'][number]): KeyNode {
  const c = m.chosen;
  const why = m.notFound ?? 'no threshold was chosen';
  const at = (x: number | undefined): KeyNode => (c === null ? value(null, why) : value(x));
  return branch([
    ['threshold', at(c?.threshold ?? undefined)],
    ['precision', at(c?.precision)],
    ['recall', at(c?.recall)],
    ['f1', at(c?.f1)],
    ['specificity', at(c?.specificity)],
    ['accuracy', at(c?.accuracy)],
    ['fpr', at(c?.fpr)],
    ['balanced_accuracy', at(c?.balancedAccuracy)],
    ['mcc', at(c?.mcc)],
    ['tp', at(c?.tp)],
    ['fp', at(c?.fp)],
    ['fn', at(c?.fn)],
    ['tn', at(c?.tn)],
    ['roc_auc', value(m.rocAuc, 'ROC AUC needs both classes among the labels')],
    ['average_precision', value(m.averagePrecision)],
  ]);
}

/** One model's keys also at the top when there is only one model (`T.threshold`). */
function withSingleModel(entries: [string, KeyNode][], models: readonly KeyNode[]): void {
  if (models.length !== 1) return;
  const only = models[0];
  if (only.kind === 'keys') for (const [key, node] of only.keys) entries.push([key, node]);
}

export function thresholdKeys(result: ThresholdAnalysisResult): KeyNode {
  const models = result.models.map(thresholdModelNode);
  const entries: [string, KeyNode][] = [
    ['n', value(result.n)],
    ['positives', value(result.positives)],
    ['negatives', value(result.negatives)],
  ];
  withSingleModel(entries, models);
  result.models.forEach((m, j) => entries.push([m.name, models[j]]));
  return branch(entries);
}

export function calibrationKeys(result: CalibrationAnalysisResult): KeyNode {
  const models = result.models.map((m) =>
    branch([
      ['ece', value(m.ece)],
      ['mce', value(m.mce)],
      ['brier', value(m.brier)],
    ]),
  );
  const entries: [string, KeyNode][] = [
    ['n', value(result.n)],
    ['bins', value(result.nBins)],
  ];
  withSingleModel(entries, models);
  result.models.forEach((m, j) => entries.push([m.name, models[j]]));
  return branch(entries);
}

export function lossCurveKeys(result: LossCurveResult): KeyNode {
  return branch([
    ['best_epoch', value(result.bestEpoch)],
    ['best_val_loss', value(result.bestValLoss)],
    ['train_loss_at_best', value(result.trainLossAtBest)],
    ['final_val_loss', value(result.finalValLoss)],
    ['final_train_loss', value(result.finalTrainLoss)],
    ['val_loss_rise_after_best', value(result.valLossRiseAfterBest)],
    ['epochs_after_best', value(result.epochsAfterBest)],
    ['early_stop_epoch', value(result.earlyStopEpoch, 'early stopping would not have stopped')],
    ['overfitting_start_epoch', value(result.overfittingStartEpoch, 'no overfitting was found')],
    ['epochs', value(result.epochs)],
    ['patience', value(result.patience)],
  ]);
}

function leakageMatchKeys(match: LeakageMatchSummary): [string, KeyNode][] {
  return [
    ['leaked_test_rows', value(match.leakedTestRows)],
    ['leaked_test_fraction', value(match.leakedTestFraction)],
    ['duplicate_texts', value(match.duplicateTextCount)],
  ];
}

export function leakageKeys(result: LeakageAnalysisResult): KeyNode {
  const entries: [string, KeyNode][] = [
    ['train_rows', value(result.trainRows)],
    ['test_rows', value(result.testRows)],
    ...leakageMatchKeys(result),
  ];
  if (result.normalized !== null)
    entries.push(['normalized', branch(leakageMatchKeys(result.normalized))]);
  return branch(entries);
}

export function sliceKeys(result: SliceSummaryResult): KeyNode {
  return branch([
    ['n', value(result.rows)],
    ['count', value(result.sliceCount)],
    ...result.slices.map(
      (s) =>
        [
          labelKey(s.value),
          branch([
            ['n', value(s.n)],
            ['share', value(s.share)],
          ]),
        ] as const,
    ),
  ]);
}

export function tableKeys(table: Table): KeyNode {
  return branch([
    ['rows', value(table.nRows)],
    ['columns', value(table.columns.length)],
  ]);
}

/** Results a name can be bound to with `as`. */
export type BindableResult =
  | ComparisonResult
  | ThresholdAnalysisResult
  | CalibrationAnalysisResult
  | LossCurveResult
  | SliceSummaryResult
  | LeakageAnalysisResult;

export function resultKeys(result: BindableResult): KeyNode {
  switch (result.kind) {
    case 'comparison':
      return comparisonKeys(result);
    case 'threshold':
      return thresholdKeys(result);
    case 'calibration':
      return calibrationKeys(result);
    case 'loss-curve':
      return lossCurveKeys(result);
    case 'slices':
      return sliceKeys(result);
    case 'leakage':
      return leakageKeys(result);
  }
}

// ---------------------------------------------------------------------------------------------
// Trees of plans: what a statement's result will have, before it has run

function laterKeys(keys: readonly string[]): KeyNode {
  return branch(keys.map((k) => [k, LATER]));
}

/**
 * What a comparison's statement says about its task before it runs: classification when it
 * names a positive label, score columns, an average or a classification metric; regression
 * when it names a regression metric; null when it does not tell (the keys of both are then
 * possible).
 */
export type TaskHint = 'classification' | 'regression' | null;

function classificationModelKeys(plan: PlannedCompare, hasScores: boolean): string[] {
  const fbeta = plan.metrics?.some((m) => m.name === 'fbeta') ?? false;
  return [
    ...CLASSIFICATION_KEYS.filter((k) => (k === 'fbeta' ? fbeta : true)).filter(
      (k) => hasScores || !(SCORE_METRICS as readonly string[]).includes(k),
    ),
    ...COUNT_KEYS,
  ];
}

function plannedComparisonKeys(plan: PlannedCompare, task: TaskHint): KeyNode {
  const perClass = branch([], {
    description: 'a label',
    node: laterKeys(PER_CLASS_KEYS),
  });
  const metricKeys = (hasScores: boolean): string[] => [
    ...(task === 'regression' ? [] : classificationModelKeys(plan, hasScores)),
    ...(task === 'classification' ? [] : REGRESSION_KEYS),
  ];
  const modelKeys = (hasScores: boolean): KeyNode =>
    branch([
      ...metricKeys(hasScores).map((k) => [k, LATER] as const),
      ...(task === 'regression' ? [] : [['per_class', perClass] as const]),
    ]);
  const paired = task === 'regression' ? [] : PAIRED_KEYS;
  const anyScores = plan.models.some((m) => m.scores !== null);
  const deltaKeys = laterKeys([...metricKeys(anyScores), ...paired]);
  const intervalKeys = branch(
    (
      plan.metrics?.map((m) => m.name) ??
      metricKeys(false).filter((k) => !COUNT_KEYS.includes(k as never))
    ).map((k) => [k, laterKeys(['lower', 'upper'])]),
  );
  const two = plan.models.length === 2;
  const others = plan.models.slice(1).map((m) => m.name.name);
  const entries: [string, KeyNode][] = [['n', LATER]];
  entries.push(['delta', two ? deltaKeys : branch(others.map((name) => [name, deltaKeys]))]);
  if (plan.bootstrap !== null) {
    entries.push([
      'interval',
      two ? intervalKeys : branch(others.map((name) => [name, intervalKeys])),
    ]);
  }
  for (const k of paired) entries.push([k, LATER]);
  if (plan.by !== null) {
    const slice = branch([
      ['n', LATER],
      ...plan.models.map((m) => [m.name.name, laterKeys(metricKeys(m.scores !== null))] as const),
    ]);
    entries.push(['by', branch([], { description: `a value of ${plan.by.name}`, node: slice })]);
  }
  for (const m of plan.models) entries.push([m.name.name, modelKeys(m.scores !== null)]);
  return branch(entries);
}

function plannedScoreKeys(
  names: readonly string[],
  top: readonly string[],
  modelKeys: readonly string[],
): KeyNode {
  const entries: [string, KeyNode][] = top.map((k) => [k, LATER]);
  if (names.length === 1) for (const k of modelKeys) entries.push([k, LATER]);
  for (const name of names) entries.push([name, laterKeys(modelKeys)]);
  return branch(entries);
}

/** The key tree a statement's result will have, with `later` leaves. */
export function plannedKeys(
  plan:
    | PlannedCompare
    | PlannedThreshold
    | PlannedCalibration
    | PlannedCurve
    | PlannedSplitBy
    | PlannedLeakage,
  task: TaskHint = null,
): KeyNode {
  switch (plan.kind) {
    case 'compare':
      return plannedComparisonKeys(plan, task);
    case 'threshold':
      return plannedScoreKeys(
        plan.models.map((m) => m.name.name),
        ['n', 'positives', 'negatives'],
        THRESHOLD_MODEL_KEYS,
      );
    case 'calibration':
      return plannedScoreKeys(
        plan.models.map((m) => m.name.name),
        ['n', 'bins'],
        CALIBRATION_MODEL_KEYS,
      );
    case 'curve':
      return laterKeys(LOSS_CURVE_KEYS);
    case 'split-by':
      return branch(
        SLICE_KEYS.map((k) => [k, LATER]),
        { description: `a value of ${plan.column.name}`, node: laterKeys(SLICE_VALUE_KEYS) },
      );
    case 'leakage':
      return branch([
        ...LEAKAGE_KEYS.map((k) => [k, LATER] as const),
        ...(plan.normalized ? [['normalized', laterKeys(LEAKAGE_MATCH_KEYS)] as const] : []),
      ]);
  }
}

// ---------------------------------------------------------------------------------------------
// Walking a path

/**
 * The outcome of following a path's keys from a root.
 * - `number`: the path ends at a number (`node` is a `value` or `later` leaf).
 * - `unknown-key`: `keys[index]` is not a key of the node reached; `available` lists that
 *   node's keys (and `openTo` describes keys from the data it would also take).
 * - `not-a-number`: the path stops at a branch; `available` lists its keys.
 * - `too-long`: `keys[index]` follows a number.
 */
export type PathOutcome =
  | { readonly kind: 'number'; readonly node: Extract<KeyNode, { kind: 'value' | 'later' }> }
  | {
      readonly kind: 'unknown-key' | 'not-a-number';
      readonly index: number;
      readonly available: readonly string[];
      readonly openTo?: string;
    }
  | { readonly kind: 'too-long'; readonly index: number };

export function followPath(root: KeyNode, keys: readonly string[]): PathOutcome {
  let node = root;
  for (let i = 0; i < keys.length; i++) {
    if (node.kind !== 'keys') return { kind: 'too-long', index: i };
    const next = node.keys.get(keys[i]) ?? node.any?.node;
    if (next === undefined) {
      return {
        kind: 'unknown-key',
        index: i,
        available: [...node.keys.keys()],
        openTo: node.any?.description,
      };
    }
    node = next;
  }
  if (node.kind === 'keys') {
    return {
      kind: 'not-a-number',
      index: keys.length,
      available: [...node.keys.keys()],
      openTo: node.any?.description,
    };
  }
  return { kind: 'number', node };
}

// The `check` expression language lives in expressions.ts; its names are kept here too.
export {
  type ExprType,
  type CheckedExpr,
  pathsOf,
  type EvaluatedRef,
  type Evaluation,
  type PathValues,
  evaluateCheck,
  formatCheckNumber,
  describeEvaluation,
} from './expressions.js';
