/**
 * The checked plan of a cell: what the checker gives the runner.
 *
 * The plan is the normalised form of the program. The runner never sees the syntax tree's
 * sugar: parameters are replaced by their values, sizes are fractions or row counts,
 * percentages are fractions, defaults (`set positive`, `set seed`) are filled in, model names
 * are given (a model without `NAME =` is named after its column), and every name a statement
 * uses is known to be bound to what the statement needs (a table or a result). Every name the
 * statement took from the source keeps its span, so that a problem found later, on the data,
 * still points at the right place.
 */
import type { Span, StatementKind } from './ast.js';
import type { StatementKeyword } from './messages.js';
import type { Average, Label, ThresholdRule } from '../engine/analysis/types.js';
import type { LoadFormat } from '../engine/load/index.js';
import type { CheckedExpr } from './expressions.js';

/** A name from the source (a table, column, result, metric or part), with where it is. */
export interface Ref {
  readonly name: string;
  readonly span: Span;
}

/**
 * A positive label and where it comes from: the statement's own `positive` clause, or the
 * session default of `set positive` (`span` is then the clause of that `set`, possibly in an
 * earlier cell, and is only used in messages through `line`).
 */
export interface PlannedLabel {
  readonly value: Label;
  readonly span: Span;
  readonly from: 'statement' | 'session';
}

/**
 * What the checker settles on the data a statement uses (the labels present, the columns a
 * table has): null until the statement's tables are bound, then set by `settleData`, which
 * the checker calls for a statement on tables bound before the cell and the runner calls as
 * soon as the statements it depends on have run. The runner never picks a default itself.
 */
export type OnData<T> = T | null;

/** `split ... into`: the column whose class proportions the summary shows, if any. */
export interface SplitOnData {
  /** The `stratify by` column, else a column called `label` when the table has one. */
  readonly classColumn: string | null;
}

/** `compare`: the positive label the comparison is given. */
export interface CompareOnData {
  /**
   * The statement's own; the session default only where it fits (a classification with at
   * most two labels, one of them the default); null otherwise.
   */
  readonly positive: Label | null;
}

/** `threshold` and `calibration`: the positive label, given or the default. */
export interface ScoreOnData {
  readonly positive: Label;
  /** The sorted labels when the default was assumed among labels other than 0 and 1 (a note). */
  readonly assumedAmong: readonly Label[] | null;
}

/** What every planned statement has. */
interface PlannedBase {
  /** 1-based line of the statement's first token within its cell. */
  readonly line: number;
  readonly span: Span;
  /** The statement's source text (all of its lines, comments inside included). */
  readonly text: string;
  /** The word the statement starts with (`check leakage` is `check`). */
  readonly keyword: StatementKeyword;
  /** The syntax tree's statement kind. */
  readonly syntax: StatementKind;
  /**
   * Indices (into the cell plan's statements) of the earlier statements of this cell that
   * bind a name this one uses. Checks on data wait until all of them have run; empty when
   * every name it uses was bound in an earlier cell.
   */
  readonly dependsOn: readonly number[];
}

/** `load FILE as NAME [format F]`. */
export interface PlannedLoad extends PlannedBase {
  readonly kind: 'load';
  /** The file as written in the program (relative paths are kept relative). */
  readonly written: string;
  /** The file's absolute path (relative paths are resolved against the base directory). */
  readonly path: string;
  readonly format: LoadFormat;
  readonly bind: Ref;
}

/** One part of a split: a fraction of the table in (0, 1], or a number of rows. */
export type PlannedSplitSize =
  | { readonly fraction: number; readonly count?: never }
  | { readonly count: number; readonly fraction?: never };

/** `split T into NAME SIZE, ... [seed N] [stratify by COL]`: binds every part. */
export interface PlannedSplitInto extends PlannedBase {
  readonly kind: 'split-into';
  readonly table: Ref;
  /** All fractions (adding up to 1) or all counts (adding up to at most the table's rows). */
  readonly parts: readonly { readonly name: Ref; readonly size: PlannedSplitSize }[];
  readonly seed: number;
  readonly stratifyBy: Ref | null;
  readonly onData: OnData<SplitOnData>;
}

/** `split T by COL [as NAME]` */
export interface PlannedSplitBy extends PlannedBase {
  readonly kind: 'split-by';
  readonly table: Ref;
  readonly column: Ref;
  readonly bind: Ref | null;
}

/** One model of `compare`. `name` is given (the prediction column's name when not written). */
export interface PlannedModel {
  readonly name: Ref;
  readonly predictions: Ref;
  readonly scores: Ref | null;
}

/** One score column of `threshold` or `calibration`, named like a model. */
export interface PlannedScore {
  readonly name: Ref;
  readonly scores: Ref;
}

/** `compare ...`: at least two models with distinct names. */
export interface PlannedCompare extends PlannedBase {
  readonly kind: 'compare';
  readonly table: Ref;
  readonly label: Ref;
  readonly models: readonly PlannedModel[];
  readonly positive: PlannedLabel | null;
  /** Known metric names; null for the default set. */
  readonly metrics: readonly Ref[] | null;
  /** β of `fbeta`, > 0; set exactly when `fbeta` is among the metrics. */
  readonly beta: number | null;
  readonly average: Average | null;
  readonly by: Ref | null;
  /** McNemar is always on for classification; `bootstrap` when asked for. */
  readonly bootstrap: { readonly resamples: number; readonly seed: number } | null;
  readonly explain: boolean;
  readonly bind: Ref | null;
  readonly onData: OnData<CompareOnData>;
}

/** `threshold ...` */
export interface PlannedThreshold extends PlannedBase {
  readonly kind: 'threshold';
  readonly table: Ref;
  readonly label: Ref;
  readonly models: readonly PlannedScore[];
  readonly positive: PlannedLabel | null;
  readonly rule: ThresholdRule;
  /** Whether the rule was written (`pick ...`) or is the default max F1. */
  readonly ruleWritten: boolean;
  readonly explain: boolean;
  readonly bind: Ref | null;
  readonly onData: OnData<ScoreOnData>;
}

/** `calibration ...` */
export interface PlannedCalibration extends PlannedBase {
  readonly kind: 'calibration';
  readonly table: Ref;
  readonly label: Ref;
  readonly models: readonly PlannedScore[];
  readonly positive: PlannedLabel | null;
  /** Whole number ≥ 1. */
  readonly bins: number;
  readonly bind: Ref | null;
  readonly onData: OnData<ScoreOnData>;
}

/**
 * `curve T ...`. A column that was not named is the default one; its span is then the
 * table name's, where a message about it points.
 */
export interface PlannedCurve extends PlannedBase {
  readonly kind: 'curve';
  readonly table: Ref;
  readonly epoch: Ref;
  readonly trainLoss: Ref;
  readonly valLoss: Ref;
  /** Whole number ≥ 1. */
  readonly patience: number;
  readonly bind: Ref | null;
}

export type ReportFormat = 'html' | 'md';

/** `report [FILE] [title T]`: a summary in the cell (no file), or a file of the session. */
export interface PlannedReport extends PlannedBase {
  readonly kind: 'report';
  /** `written` as in the program; the file is placed by the runner's report directory. */
  readonly file: { readonly written: string; readonly format: ReportFormat } | null;
  /** Where the file name is in the source (the statement's span for a summary). */
  readonly fileSpan: Span;
  readonly title: string | null;
}

/** `check EXPR` */
export interface PlannedCheck extends PlannedBase {
  readonly kind: 'check';
  readonly expr: CheckedExpr;
  /** The expression as written. */
  readonly source: string;
}

/** `check leakage TRAIN, TEST on COL [normalized]` */
export interface PlannedCheckLeakage extends PlannedBase {
  readonly kind: 'check-leakage';
  readonly train: Ref;
  readonly test: Ref;
  readonly column: Ref;
  readonly normalized: boolean;
}

/** `leakage TRAIN, TEST on COL [normalized] [as NAME]`: never fails; `bind` is null without `as`. */
export interface PlannedLeakage extends PlannedBase {
  readonly kind: 'leakage';
  readonly train: Ref;
  readonly test: Ref;
  readonly column: Ref;
  readonly normalized: boolean;
  readonly bind: Ref | null;
}

/** `show NAME [limit N]`: a table, or a result shown again. */
export interface PlannedShow extends PlannedBase {
  readonly kind: 'show';
  readonly target: Ref;
  readonly targetKind: 'table' | 'result';
  /** Rows in the preview of a table; null for the default. */
  readonly limit: number | null;
}

/** `set positive V` */
export interface PlannedSetPositive extends PlannedBase {
  readonly kind: 'set-positive';
  readonly value: Label;
}

/** `set seed N`; `overridden` when the run's `seed` parameter replaced the written value. */
export interface PlannedSetSeed extends PlannedBase {
  readonly kind: 'set-seed';
  readonly seed: number;
  readonly overridden: boolean;
}

/** `param NAME = V`; `value` is the override when the run gave one, else the default. */
export interface PlannedParam extends PlannedBase {
  readonly kind: 'param';
  readonly name: Ref;
  readonly value: string | number;
  /** How the value was written; see ParamBinding. */
  readonly type: 'string' | 'number' | 'percent';
  readonly defaultValue: string | number;
  readonly overridden: boolean;
}

export type PlannedStatement =
  | PlannedLoad
  | PlannedSplitInto
  | PlannedSplitBy
  | PlannedCompare
  | PlannedThreshold
  | PlannedCalibration
  | PlannedCurve
  | PlannedReport
  | PlannedCheck
  | PlannedCheckLeakage
  | PlannedLeakage
  | PlannedShow
  | PlannedSetPositive
  | PlannedSetSeed
  | PlannedParam;

export type PlannedKind = PlannedStatement['kind'];

/**
 * A checked cell. `statements` are in source order, one per statement of the program.
 * `dataChecked[i]` says whether statement i's checks on data are done: true when every
 * name it uses was bound before the cell (the checker then checked its columns, labels and
 * scores); false when it depends on statements of this cell, in which case the runner checks
 * it as soon as those have run.
 */
export interface CellPlan {
  readonly kind: 'CellPlan';
  /** The cell's source text. */
  readonly text: string;
  /** Statements whose data was checked have their `onData` settled. */
  readonly statements: readonly PlannedStatement[];
  readonly dataChecked: readonly boolean[];
}
