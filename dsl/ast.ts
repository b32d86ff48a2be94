/**
 * The syntax tree of an Evalbook cell, as the parser gives it.
 *
 * Every node is a plain object discriminated on `kind` and carries the `span` of the source
 * text it came from. The tree records what was written, not what it means: names are not yet
 * resolved (a `ParamRef` may name no parameter, a `Name` no column), and value types are not
 * yet checked beyond what the grammar fixes (a count is a number or a parameter, never a
 * string). Optional clauses, which may be written in any order, sit in named fields; each
 * appears at most once (the parser reports a repeated clause).
 */

/**
 * Where a node is in the cell text. `start` and `end` are offsets (UTF-16 code units, as in a
 * JavaScript string), `start <= end`, end exclusive; `line` and `col` are the 1-based position
 * of `start`. A node's span covers all of its tokens, parentheses included.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

// ---------------------------------------------------------------------------------------------
// Names and values

/**
 * A name of a table, column, result, metric or parameter. `text` is the name itself: for a
 * backticked name (`` `my col` ``) the text between the backticks. It is never empty and
 * holds no backtick or line break (a name could not be written otherwise).
 */
export interface Name {
  readonly kind: 'Name';
  readonly text: string;
  readonly span: Span;
}

/** A string literal; `value` has its escapes decoded. */
export interface StringLiteral {
  readonly kind: 'String';
  readonly value: string;
  readonly span: Span;
}

/**
 * A number literal. `text` is how it was written, sign included (`-1`, `1e-3`), so that the
 * printer gives it back unchanged; `value` is finite.
 */
export interface NumberLiteral {
  readonly kind: 'Number';
  readonly value: number;
  readonly text: string;
  readonly span: Span;
}

/** A percentage: `value` is the fraction (`80%` → 0.8), `text` is as written (`80%`). */
export interface PercentLiteral {
  readonly kind: 'Percent';
  readonly value: number;
  readonly text: string;
  readonly span: Span;
}

export type Literal = StringLiteral | NumberLiteral | PercentLiteral;

/** A bare name where a literal is expected: it refers to a `param` (not checked here). */
export interface ParamRef {
  readonly kind: 'ParamRef';
  readonly name: string;
  readonly span: Span;
}

/** Where a literal is expected, a parameter may stand in its place. */
export type Value = Literal | ParamRef;

// ---------------------------------------------------------------------------------------------
// Expressions (in `check`)

export const COMPARISON_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export const ARITHMETIC_OPERATORS = ['+', '-', '*', '/'] as const;
export type ArithmeticOperator = (typeof ARITHMETIC_OPERATORS)[number];
export const LOGICAL_OPERATORS = ['and', 'or'] as const;
export type LogicalOperator = (typeof LOGICAL_OPERATORS)[number];
export type BinaryOperator = ComparisonOperator | ArithmeticOperator | LogicalOperator;

/**
 * `left op right`. Comparisons do not chain (`a < b < c` is a syntax error), so a comparison
 * operand is a comparison only if it was parenthesised.
 */
export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `-x` or `not x`. */
export interface UnaryExpr {
  readonly kind: 'Unary';
  readonly op: '-' | 'not';
  readonly operand: Expr;
  readonly span: Span;
}

/**
 * A dotted path such as `R.finetuned.f1` or `` R.by.`hard ham`.recall ``: a bound result and
 * the keys into it, or (one segment) a parameter. `path` has at least one element.
 */
export interface RefExpr {
  readonly kind: 'Ref';
  readonly path: readonly Name[];
  readonly span: Span;
}

export type Expr = BinaryExpr | UnaryExpr | RefExpr | Literal;

// ---------------------------------------------------------------------------------------------
// Clauses: optional parts of a statement, written after its required parts in any order

/** `as NAME`: binds the statement's result (or table) to a name. */
export interface AsClause {
  readonly kind: 'As';
  readonly name: Name;
  readonly span: Span;
}

export const FILE_FORMATS = ['csv', 'tsv', 'json', 'jsonl', 'parquet'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** `format csv`: overrides the format guessed from the file's extension. */
export interface FormatClause {
  readonly kind: 'Format';
  readonly format: FileFormat;
  readonly span: Span;
}

/** `seed N` */
export interface SeedClause {
  readonly kind: 'Seed';
  readonly seed: Value;
  readonly span: Span;
}

/** `stratify by COL` */
export interface StratifyClause {
  readonly kind: 'Stratify';
  readonly column: Name;
  readonly span: Span;
}

/** `positive V`: the label value that counts as positive. */
export interface PositiveClause {
  readonly kind: 'Positive';
  readonly value: Value;
  readonly span: Span;
}

/** `metrics m, ...`: metric names (checked later); at least one. */
export interface MetricsClause {
  readonly kind: 'Metrics';
  readonly metrics: readonly Name[];
  readonly span: Span;
}

/** `beta B`: the β of the `fbeta` metric. */
export interface BetaClause {
  readonly kind: 'Beta';
  readonly beta: Value;
  readonly span: Span;
}

export const AVERAGE_MODES = ['binary', 'macro', 'micro', 'weighted'] as const;
export type AverageMode = (typeof AVERAGE_MODES)[number];

/** `average macro` */
export interface AverageClause {
  readonly kind: 'Average';
  readonly average: AverageMode;
  readonly span: Span;
}

/** `by COL`: metrics per slice of a column. */
export interface ByClause {
  readonly kind: 'By';
  readonly column: Name;
  readonly span: Span;
}

/** `significance mcnemar` */
export interface McNemarClause {
  readonly kind: 'McNemar';
  readonly span: Span;
}

/** `significance bootstrap N [seed S]` */
export interface BootstrapClause {
  readonly kind: 'Bootstrap';
  readonly resamples: Value;
  readonly seed?: Value;
  readonly span: Span;
}

export type SignificanceClause = McNemarClause | BootstrapClause;

/** `explain`: plain-words explanations next to the numbers. */
export interface ExplainClause {
  readonly kind: 'Explain';
  readonly span: Span;
}

/** `pick max f1` */
export interface PickMaxF1 {
  readonly kind: 'PickMaxF1';
  readonly span: Span;
}

/** `pick max fbeta B` */
export interface PickMaxFbeta {
  readonly kind: 'PickMaxFbeta';
  readonly beta: Value;
  readonly span: Span;
}

/** `pick recall >= x`: the highest threshold whose recall is at least x. */
export interface PickRecallAtLeast {
  readonly kind: 'PickRecallAtLeast';
  readonly recall: Value;
  readonly span: Span;
}

/** `pick precision >= x`: the lowest threshold whose precision is at least x. */
export interface PickPrecisionAtLeast {
  readonly kind: 'PickPrecisionAtLeast';
  readonly precision: Value;
  readonly span: Span;
}

/** `pick min cost fp A fn B`: the threshold of least A·FP + B·FN. */
export interface PickMinCost {
  readonly kind: 'PickMinCost';
  readonly falsePositiveCost: Value;
  readonly falseNegativeCost: Value;
  readonly span: Span;
}

/** `pick at t`: a fixed threshold. */
export interface PickAt {
  readonly kind: 'PickAt';
  readonly threshold: Value;
  readonly span: Span;
}

/** How `threshold` chooses its operating point. */
export type PickClause =
  PickMaxF1 | PickMaxFbeta | PickRecallAtLeast | PickPrecisionAtLeast | PickMinCost | PickAt;

/** `title "..."` */
export interface TitleClause {
  readonly kind: 'Title';
  readonly title: Value;
  readonly span: Span;
}

/** `normalized`: values also match after normalisation (case and spacing). */
export interface NormalizedClause {
  readonly kind: 'Normalized';
  readonly span: Span;
}

/** `bins N` */
export interface BinsClause {
  readonly kind: 'Bins';
  readonly bins: Value;
  readonly span: Span;
}

/** `epoch COL`: the loss log's epoch column. */
export interface EpochClause {
  readonly kind: 'Epoch';
  readonly column: Name;
  readonly span: Span;
}

/** `train COL`: the training-loss column. */
export interface TrainClause {
  readonly kind: 'Train';
  readonly column: Name;
  readonly span: Span;
}

/** `val COL`: the validation-loss column. */
export interface ValClause {
  readonly kind: 'Val';
  readonly column: Name;
  readonly span: Span;
}

/** `patience N`: epochs without improvement before early stopping would stop. */
export interface PatienceClause {
  readonly kind: 'Patience';
  readonly patience: Value;
  readonly span: Span;
}

/** `limit N` */
export interface LimitClause {
  readonly kind: 'Limit';
  readonly limit: Value;
  readonly span: Span;
}

export type Clause =
  | AsClause
  | FormatClause
  | SeedClause
  | StratifyClause
  | PositiveClause
  | MetricsClause
  | BetaClause
  | AverageClause
  | ByClause
  | SignificanceClause
  | ExplainClause
  | PickClause
  | TitleClause
  | NormalizedClause
  | BinsClause
  | EpochClause
  | TrainClause
  | ValClause
  | PatienceClause
  | LimitClause;

// ---------------------------------------------------------------------------------------------
// Parts of statements

/** One part of `split ... into`: `train 80%`. */
export interface SplitPart {
  readonly kind: 'SplitPart';
  readonly name: Name;
  /** A fraction, a percentage or a row count (told apart by the checker). */
  readonly size: Value;
  readonly span: Span;
}

/**
 * One model in `compare`: `[name =] prediction_column [score score_column]`. Without a name
 * the model is called after its prediction column.
 */
export interface ModelSpec {
  readonly kind: 'Model';
  readonly name?: Name;
  readonly predictions: Name;
  /** The column of the positive class's score, for AUC and average precision. */
  readonly scores?: Name;
  readonly span: Span;
}

/** One score column in `threshold` or `calibration`: `[name =] score_column`. */
export interface ScoreSpec {
  readonly kind: 'Score';
  readonly name?: Name;
  readonly scores: Name;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Statements

/** `load "file" as NAME [format F]` */
export interface LoadStatement {
  readonly kind: 'Load';
  readonly file: Value;
  readonly as: AsClause;
  readonly format?: FormatClause;
  readonly span: Span;
}

/** `split T into train 80%, test 20% [seed N] [stratify by COL]`: binds every part. */
export interface SplitIntoStatement {
  readonly kind: 'SplitInto';
  readonly table: Name;
  /** At least one part. */
  readonly parts: readonly SplitPart[];
  readonly seed?: SeedClause;
  readonly stratify?: StratifyClause;
  readonly span: Span;
}

/** `split T by COL [as NAME]`: slices for per-slice metrics. */
export interface SplitByStatement {
  readonly kind: 'SplitBy';
  readonly table: Name;
  readonly column: Name;
  readonly as?: AsClause;
  readonly span: Span;
}

/** `compare MODEL, ... on T against LABEL [clauses]` */
export interface CompareStatement {
  readonly kind: 'Compare';
  /** At least one model. */
  readonly models: readonly ModelSpec[];
  readonly table: Name;
  readonly label: Name;
  readonly positive?: PositiveClause;
  readonly metrics?: MetricsClause;
  readonly beta?: BetaClause;
  readonly average?: AverageClause;
  readonly by?: ByClause;
  readonly significance?: SignificanceClause;
  readonly explain?: ExplainClause;
  readonly as?: AsClause;
  readonly span: Span;
}

/** `threshold SCORE, ... on T against LABEL [clauses]` */
export interface ThresholdStatement {
  readonly kind: 'Threshold';
  /** At least one score column. */
  readonly scores: readonly ScoreSpec[];
  readonly table: Name;
  readonly label: Name;
  readonly positive?: PositiveClause;
  readonly pick?: PickClause;
  readonly explain?: ExplainClause;
  readonly as?: AsClause;
  readonly span: Span;
}

/** `calibration SCORE, ... on T against LABEL [clauses]` */
export interface CalibrationStatement {
  readonly kind: 'Calibration';
  /** At least one score column. */
  readonly scores: readonly ScoreSpec[];
  readonly table: Name;
  readonly label: Name;
  readonly positive?: PositiveClause;
  readonly bins?: BinsClause;
  readonly as?: AsClause;
  readonly span: Span;
}

/**
 * `curve LOG [epoch COL] [train COL] [val COL] [patience N] [as R]`: training and validation
 * loss by epoch. An absent column clause means the column of the default name (`epoch`,
 * `train_loss`, `val_loss`).
 */
export interface CurveStatement {
  readonly kind: 'Curve';
  readonly table: Name;
  readonly epoch?: EpochClause;
  readonly train?: TrainClause;
  readonly val?: ValClause;
  readonly patience?: PatienceClause;
  readonly as?: AsClause;
  readonly span: Span;
}

/** `report ["file"] [title "..."]` */
export interface ReportStatement {
  readonly kind: 'Report';
  /** Absent: a summary in the cell; present: a standalone `.html` or `.md` file. */
  readonly file?: Value;
  readonly title?: TitleClause;
  readonly span: Span;
}

/** `check EXPR`: fails the cell (and a headless run) when EXPR is false. */
export interface CheckStatement {
  readonly kind: 'Check';
  readonly expr: Expr;
  readonly span: Span;
}

/** `check leakage TRAIN, TEST on COL [normalized]`: rows of TEST whose COL is also in TRAIN. */
export interface CheckLeakageStatement {
  readonly kind: 'CheckLeakage';
  readonly train: Name;
  readonly test: Name;
  readonly column: Name;
  readonly normalized?: NormalizedClause;
  readonly span: Span;
}

/**
 * `leakage TRAIN, TEST on COL [normalized] [as NAME]`: the analysis of `check leakage`,
 * shown (and bound with `as`) but never failing the cell.
 */
export interface LeakageStatement {
  readonly kind: 'Leakage';
  readonly train: Name;
  readonly test: Name;
  readonly column: Name;
  readonly normalized?: NormalizedClause;
  readonly as?: AsClause;
  readonly span: Span;
}

/** `show NAME [limit N]` */
export interface ShowStatement {
  readonly kind: 'Show';
  readonly target: Name;
  readonly limit?: LimitClause;
  readonly span: Span;
}

/** `set positive V`: the session's default positive label. */
export interface SetPositiveStatement {
  readonly kind: 'SetPositive';
  readonly value: Value;
  readonly span: Span;
}

/** `set seed N`: the session's default seed. */
export interface SetSeedStatement {
  readonly kind: 'SetSeed';
  readonly seed: Value;
  readonly span: Span;
}

/** `param NAME = LITERAL`: a notebook parameter; the literal is its default. */
export interface ParamStatement {
  readonly kind: 'Param';
  readonly name: Name;
  readonly value: Literal;
  readonly span: Span;
}

export type Statement =
  | LoadStatement
  | SplitIntoStatement
  | SplitByStatement
  | CompareStatement
  | ThresholdStatement
  | CalibrationStatement
  | CurveStatement
  | ReportStatement
  | CheckStatement
  | CheckLeakageStatement
  | LeakageStatement
  | ShowStatement
  | SetPositiveStatement
  | SetSeedStatement
  | ParamStatement;

export type StatementKind = Statement['kind'];

/** A parsed cell: its statements in source order. The span covers the whole cell text. */
export interface Program {
  readonly kind: 'Program';
  readonly statements: readonly Statement[];
  readonly span: Span;
}

/** Any node of the tree. */
export type Node =
  Program | Statement | Clause | SplitPart | ModelSpec | ScoreSpec | Expr | Name | ParamRef;
