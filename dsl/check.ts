/**
 * The checker: a parsed cell and the session → the cell's plan, or every problem in it.
 *
 * It walks the statements in order with a scope that starts as the session and takes in each
 * statement's bindings, parameters and defaults, so a statement sees what the ones above it
 * will have bound. Each statement is checked in two parts:
 *
 * - `planStatement`, on the program alone: names bound and of the right kind (table or
 *   result), parameters defined and of the right type, values in range, metrics known, model
 *   and part names distinct, files present, split shares adding up to 100%, `check` paths
 *   that the bound result can have. Its output is the normalised `PlannedStatement`.
 * - `checkData`, on the tables and results the statement uses: columns present, labels that
 *   are class labels and contain the positive label, scores that are numbers (and
 *   probabilities where needed), split counts that fit the table, `check` paths the result
 *   really has. When everything a statement uses was bound before the cell, this runs here;
 *   when it uses a name bound earlier in the same cell, the runner runs it as soon as that
 *   statement has run (the plan's `dataChecked` says which).
 *
 * The checker reports every problem it finds, not only the first, and never throws for any
 * program.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import {
  COMPARISON_METRICS,
  REGRESSION_METRICS,
  SCORE_METRICS,
  isComparisonMetricName,
  type Label,
} from '../engine/analysis/index.js';
import { compareLabels, labelIndex, MAX_NUMERIC_CLASSES } from '../engine/labels.js';
import { parseDecimalText } from '../engine/load/decimal.js';
import { formatFromPath, type LoadFormat } from '../engine/load/index.js';
import { findColumn, type Column, type Table } from '../engine/table.js';
import type {
  CalibrationStatement,
  CheckLeakageStatement,
  LeakageStatement,
  CheckStatement,
  CompareStatement,
  CurveStatement,
  Expr,
  LoadStatement,
  Name,
  ParamStatement,
  Program,
  ReportStatement,
  ScoreSpec,
  SetPositiveStatement,
  SetSeedStatement,
  ShowStatement,
  Span,
  SplitByStatement,
  SplitIntoStatement,
  Statement,
  ThresholdStatement,
  Value,
} from './ast.js';
import { atMostMaxDiagnostics, type Diagnostic } from './diagnostics.js';
import * as messages from './messages.js';
import type {
  CellPlan,
  PlannedCalibration,
  PlannedCompare,
  PlannedCurve,
  PlannedLabel,
  PlannedLeakage,
  PlannedScore,
  PlannedSplitBy,
  PlannedStatement,
  PlannedThreshold,
  Ref,
} from './plan.js';
import type { ParamValue, Session } from './session.js';
import {
  BINS_RANGE,
  PATIENCE_RANGE,
  RESAMPLES_RANGE,
  SEED_RANGE,
  SHOW_LIMIT_RANGE,
  SPLIT_ROWS_RANGE,
  type IntegerRange,
} from './limits.js';
import { seedOverride } from './session.js';
import { suggest } from './suggest.js';
import {
  CALIBRATION_RESERVED,
  COMPARISON_RESERVED,
  THRESHOLD_RESERVED,
  followPath,
  pathsOf,
  plannedKeys,
  resultKeys,
  tableKeys,
  type CheckedExpr,
  type ExprType,
  type KeyNode,
  type TaskHint,
} from './values.js';

const SEED_HINT = 'a seed is a whole number; the same seed gives the same rows on every machine';
const BETA_HINT = 'β above 1 weighs recall more, below 1 precision more';

/** The seed used when neither the statement nor `set seed` gives one. */
export const DEFAULT_SEED = 0;
/** The default number of calibration bins, and of epochs of patience (as the engine's). */
export const DEFAULT_BINS = 10;
export const DEFAULT_PATIENCE = 3;

export interface CheckOptions {
  /** The cell's text, which the program's spans index. */
  readonly source: string;
  /** Relative file names are resolved against it; the working directory by default. */
  readonly baseDir?: string;
}

/** The checker's answer: a plan, or at least one diagnostic, in source order. */
export type Checked =
  | { readonly ok: true; readonly plan: CellPlan }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

// ---------------------------------------------------------------------------------------------
// Scope: what the checker knows about each name at a point of the cell

/** A name as the checker knows it. `producer` is the index of the statement of this cell
 * that binds it, or -1 when it was bound before the cell. */
type ScopeEntry =
  | {
      readonly kind: 'table';
      readonly name: string;
      readonly producer: number;
      /** Known for tables bound before the cell. */
      readonly table: Table | null;
      readonly origin: { readonly line: number; readonly statement: string };
    }
  | {
      readonly kind: 'result';
      readonly name: string;
      readonly producer: number;
      /** The result's key tree (exact or planned); null when its statement has errors. */
      readonly keys: KeyNode | null;
      readonly origin: { readonly line: number; readonly statement: string };
    };

interface ScopeParam {
  readonly value: ParamValue;
  readonly type: 'string' | 'number' | 'percent';
}

interface Scope {
  readonly names: Map<string, ScopeEntry>;
  readonly params: Map<string, ScopeParam>;
  positive: PlannedLabel | null;
  seed: number | null;
}

function sessionScope(session: Session): Scope {
  const names = new Map<string, ScopeEntry>();
  for (const b of session.bindings()) {
    const origin = { line: b.origin.line, statement: firstWords(b.origin.statement) };
    names.set(
      b.name,
      b.kind === 'table'
        ? { kind: 'table', name: b.name, producer: -1, table: b.table, origin }
        : { kind: 'result', name: b.name, producer: -1, keys: resultKeys(b.result), origin },
    );
  }
  const params = new Map<string, ScopeParam>();
  for (const p of session.params()) {
    params.set(p.name, { value: p.value, type: p.type });
  }
  const positive = session.positiveDefault();
  return {
    names,
    params,
    positive:
      positive === null
        ? null
        : { value: positive.value, span: positive.origin.span, from: 'session' },
    seed: session.seedDefault(),
  };
}

/** The word a statement starts with, for "bound by the `compare` at line 3". */
function firstWords(statement: string): string {
  return /^\S+/u.exec(statement.trimStart())?.[0] ?? statement;
}

// ---------------------------------------------------------------------------------------------
// Entry

/** Checks a parsed cell against the session (see the module comment). */
export function check(program: Program, session: Session, options: CheckOptions): Checked {
  const scope = sessionScope(session);
  const context: CheckContext = {
    source: options.source,
    baseDir: options.baseDir ?? process.cwd(),
    overrides: session.paramOverrides(),
  };
  const statements: PlannedStatement[] = [];
  const dataChecked: boolean[] = [];
  const diagnostics: Diagnostic[] = [];
  program.statements.forEach((statement, index) => {
    const checker = new StatementChecker(context, scope, index);
    const planned = checker.plan(statement);
    diagnostics.push(...checker.diagnostics);
    if (planned === undefined) return;
    statements.push(planned);
    const ready = planned.dependsOn.length === 0;
    if (ready) diagnostics.push(...checkData(planned, sessionData(session)));
    dataChecked.push(ready);
  });
  if (diagnostics.length > 0) {
    const sorted = [...diagnostics].sort((a, b) => a.span.start - b.span.start);
    return { ok: false, diagnostics: atMostMaxDiagnostics(sorted, messages.tooManyCheckProblems) };
  }
  return { ok: true, plan: { kind: 'CellPlan', text: options.source, statements, dataChecked } };
}

interface CheckContext {
  readonly source: string;
  readonly baseDir: string;
  readonly overrides: ReadonlyMap<string, ParamValue>;
}

// ---------------------------------------------------------------------------------------------
// Values: literals and parameters

interface Resolved {
  readonly value: string | number;
  readonly type: 'string' | 'number' | 'percent';
  readonly span: Span;
  /** The parameter it came from, or null for a literal. */
  readonly param: string | null;
  /** A number literal as written: a message quotes it, not its nearest double. */
  readonly text?: string;
}

/** A whole number as a message shows it: as the program wrote it, when short enough. */
function shownNumber(v: Resolved, n: number): string {
  return v.text !== undefined && v.text.length <= 40 ? v.text : String(n);
}

function describeResolved(v: Resolved): string {
  if (v.type === 'string') return `the text ${JSON.stringify(v.value)}`;
  if (v.type === 'percent') return `${Number(((v.value as number) * 100).toPrecision(12))}%`;
  return String(v.value);
}

/** Text given to `--set` as the type of a parameter's default, or null when it is not one. */
function convertOverride(
  raw: ParamValue,
  type: 'string' | 'number' | 'percent',
): ScopeParam | null {
  if (type === 'string') return { value: String(raw), type: 'string' };
  if (typeof raw === 'number') return Number.isFinite(raw) ? { value: raw, type: 'number' } : null;
  const text = raw.trim();
  const percent = /^(-?\d+(?:\.\d+)?)%$/u.exec(text);
  if (percent !== null) return { value: Number(percent[1]) / 100, type: 'percent' };
  if (/^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/u.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? { value: n, type: 'number' } : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// One statement, on the program alone

class StatementChecker {
  readonly diagnostics: Diagnostic[] = [];
  readonly #dependsOn = new Set<number>();

  constructor(
    private readonly context: CheckContext,
    private readonly scope: Scope,
    private readonly index: number,
  ) {}

  private report(span: Span, message: messages.Message): void {
    this.diagnostics.push({ ...message, span });
  }

  private ref(name: Name): Ref {
    return { name: name.text, span: name.span };
  }

  // --- values

  private resolve(value: Value): Resolved | undefined {
    if (value.kind !== 'ParamRef') {
      return {
        value: value.value,
        type: value.kind === 'String' ? 'string' : value.kind === 'Percent' ? 'percent' : 'number',
        span: value.span,
        param: null,
        ...(value.kind === 'Number' ? { text: value.text } : {}),
      };
    }
    const param = this.scope.params.get(value.name);
    if (param === undefined) {
      this.report(
        value.span,
        messages.unknownParam(value.name, suggest(value.name, this.scope.params.keys())),
      );
      return undefined;
    }
    return { value: param.value, type: param.type, span: value.span, param: value.name };
  }

  /** A whole number within `range`; `hint` says what it counts, for a value out of range. */
  private wholeNumber(
    value: Value,
    what: string,
    range: IntegerRange,
    hint: string,
  ): number | undefined {
    const v = this.resolve(value);
    if (v === undefined) return undefined;
    if (v.type !== 'number') {
      this.report(v.span, messages.wrongType(what, 'a whole number', describeResolved(v), v.param));
      return undefined;
    }
    const n = v.value as number;
    if (!Number.isInteger(n) || n < range.min || n > range.max) {
      this.report(
        v.span,
        messages.outOfRange(
          what,
          messages.wholeNumberRange(range),
          shownNumber(v, n),
          v.param,
          hint,
        ),
      );
      return undefined;
    }
    return n;
  }

  /** A number (or percentage) with `test` as its range rule, described by `rule`. */
  private number(
    value: Value,
    what: string,
    test: (x: number) => boolean,
    rule: string,
    hint: string,
  ): number | undefined {
    const v = this.resolve(value);
    if (v === undefined) return undefined;
    if (v.type === 'string') {
      this.report(v.span, messages.wrongType(what, 'a number', describeResolved(v), v.param));
      return undefined;
    }
    const n = v.value as number;
    if (!test(n)) {
      this.report(v.span, messages.outOfRange(what, rule, describeResolved(v), v.param, hint));
      return undefined;
    }
    return n;
  }

  private share(value: Value, what: string): number | undefined {
    return this.number(
      value,
      what,
      (x) => x >= 0 && x <= 1,
      'between 0 and 1 (0% and 100%)',
      'write a share as a fraction (0.95) or a percentage (95%)',
    );
  }

  private text(value: Value, what: string): string | undefined {
    const v = this.resolve(value);
    if (v === undefined) return undefined;
    if (v.type !== 'string') {
      this.report(
        v.span,
        messages.wrongType(what, 'text in double quotes', describeResolved(v), v.param),
      );
      return undefined;
    }
    return v.value as string;
  }

  private label(value: Value): Label | undefined {
    const v = this.resolve(value);
    if (v === undefined) return undefined;
    if (v.type === 'percent') {
      this.report(
        v.span,
        messages.wrongType('a label', 'text or a number', describeResolved(v), v.param),
      );
      return undefined;
    }
    return v.value;
  }

  private seed(value: Value | undefined): number | undefined {
    if (value === undefined) return this.scope.seed ?? DEFAULT_SEED;
    return this.wholeNumber(value, 'a seed', SEED_RANGE, SEED_HINT);
  }

  private positive(
    clause: { value: Value; span: Span } | undefined,
  ): PlannedLabel | null | undefined {
    if (clause === undefined) return this.scope.positive;
    const value = this.label(clause.value);
    return value === undefined ? undefined : { value, span: clause.value.span, from: 'statement' };
  }

  // --- names

  private lookup(name: Name, wanted: messages.NameKind): ScopeEntry | undefined {
    const entry = this.scope.names.get(name.text);
    if (entry === undefined) {
      const candidates = [...this.scope.names.values()]
        .filter((e) => wanted === 'table or result' || e.kind === wanted)
        .map((e) => e.name);
      this.report(
        name.span,
        messages.unknownName(name.text, wanted, suggest(name.text, candidates), candidates),
      );
      return undefined;
    }
    if (entry.producer >= 0) this.#dependsOn.add(entry.producer);
    if (wanted !== 'table or result' && entry.kind !== wanted) {
      this.report(name.span, messages.wrongKind(name.text, entry.kind, wanted, entry.origin));
      return undefined;
    }
    return entry;
  }

  private table(name: Name): Ref {
    this.lookup(name, 'table');
    return this.ref(name);
  }

  private distinctNames(names: readonly Ref[], reserved: readonly string[] | null): void {
    const first = new Map<string, Ref>();
    for (const name of names) {
      const earlier = first.get(name.name);
      if (earlier !== undefined)
        this.report(name.span, messages.duplicateModel(name.name, earlier.span));
      else first.set(name.name, name);
      if (reserved?.includes(name.name))
        this.report(name.span, messages.reservedModelName(name.name, reserved));
    }
  }

  // --- binding in the scope

  private bindTable(name: Ref, base: Base): void {
    this.scope.names.set(name.name, {
      kind: 'table',
      name: name.name,
      producer: this.index,
      table: null,
      origin: { line: base.line, statement: firstWords(base.text) },
    });
  }

  private bindResult(name: Ref, keys: KeyNode | null, base: Base): void {
    this.scope.names.set(name.name, {
      kind: 'result',
      name: name.name,
      producer: this.index,
      keys,
      origin: { line: base.line, statement: firstWords(base.text) },
    });
  }

  /**
   * The keys the result of `planned` will have, for the paths of later `check`s; null when
   * there is no plan or the cell already has problems (the plan's names may then be wrong).
   */
  private keysWhenClean(planned: KeyedPlan | undefined): KeyNode | null {
    if (planned === undefined || this.diagnostics.length > 0) return null;
    const task = planned.kind === 'compare' ? this.taskHint(planned) : null;
    return plannedKeys({ ...planned, dependsOn: [] }, task);
  }

  // --- statements

  /**
   * The planned statement, or undefined when its problems leave nothing to plan. A statement
   * with problems may still be planned (so that its data can be checked too); the cell then
   * has diagnostics and does not run.
   */
  plan(statement: Statement): PlannedStatement | undefined {
    const text = this.context.source.slice(statement.span.start, statement.span.end);
    const base = {
      line: statement.span.line,
      span: statement.span,
      text,
      syntax: statement.kind,
    };
    const planned = this.planKind(statement, base);
    if (planned === undefined) return undefined;
    return {
      ...planned,
      dependsOn: [...this.#dependsOn].sort((a, b) => a - b),
    } as PlannedStatement;
  }

  private planKind(
    s: Statement,
    base: { line: number; span: Span; text: string; syntax: Statement['kind'] },
  ): Unplanned | undefined {
    switch (s.kind) {
      case 'Load':
        return this.planLoad(s, base);
      case 'SplitInto':
        return this.planSplitInto(s, base);
      case 'SplitBy':
        return this.planSplitBy(s, base);
      case 'Compare':
        return this.planCompare(s, base);
      case 'Threshold':
        return this.planThreshold(s, base);
      case 'Calibration':
        return this.planCalibration(s, base);
      case 'Curve':
        return this.planCurve(s, base);
      case 'Report':
        return this.planReport(s, base);
      case 'Check':
        return this.planCheck(s, base);
      case 'CheckLeakage':
        return this.planCheckLeakage(s, base);
      case 'Leakage':
        return this.planLeakage(s, base);
      case 'Show':
        return this.planShow(s, base);
      case 'SetPositive':
        return this.planSetPositive(s, base);
      case 'SetSeed':
        return this.planSetSeed(s, base);
      case 'Param':
        return this.planParam(s, base);
    }
  }

  private planLoad(s: LoadStatement, base: Base): Unplanned | undefined {
    const bind = this.ref(s.as.name);
    const written = this.text(s.file, 'a file name');
    this.bindTable(bind, base);
    if (written === undefined) return undefined;
    const path = isAbsolute(written) ? written : resolve(this.context.baseDir, written);
    const fileSpan = s.file.span;
    let format: LoadFormat | undefined = s.format?.format;
    const problem = fileProblem(written, path);
    if (problem !== null) this.report(fileSpan, problem);
    format ??= formatFromPath(written);
    if (format === undefined) {
      this.report(fileSpan, messages.unknownFormat(written));
      return undefined;
    }
    return { ...base, kind: 'load', keyword: 'load', written, path, format, bind };
  }

  private planSplitInto(s: SplitIntoStatement, base: Base): Unplanned | undefined {
    const table = this.table(s.table);
    const names = s.parts.map((p) => this.ref(p.name));
    const firstOf = new Map<string, Ref>();
    for (const name of names) {
      const earlier = firstOf.get(name.name);
      if (earlier !== undefined)
        this.report(name.span, messages.duplicatePart(name.name, earlier.span));
      else firstOf.set(name.name, name);
    }
    const sizes = s.parts.map((p) => {
      const v = this.resolve(p.size);
      if (v === undefined) return undefined;
      if (v.type === 'string') {
        this.report(
          v.span,
          messages.wrongType(
            'the size of a part',
            'a share or a number of rows',
            describeResolved(v),
            v.param,
          ),
        );
        return undefined;
      }
      const n = v.value as number;
      if (v.type === 'percent' || !Number.isInteger(n)) {
        if (!(n > 0 && n <= 1)) {
          this.report(
            v.span,
            messages.outOfRange(
              'a share',
              'more than 0% and at most 100%',
              describeResolved(v),
              v.param,
              'give each part its share of the rows, as in `train 80%, test 20%`',
            ),
          );
          return undefined;
        }
        return { fraction: n };
      }
      if (n < SPLIT_ROWS_RANGE.min || n > SPLIT_ROWS_RANGE.max) {
        this.report(
          v.span,
          messages.outOfRange(
            'a number of rows',
            messages.wholeNumberRange(SPLIT_ROWS_RANGE),
            shownNumber(v, n),
            v.param,
            'a part of a split is a share (80%) or a number of rows (800)',
          ),
        );
        return undefined;
      }
      return { count: n };
    });
    const seed = this.seed(s.seed?.seed);
    const stratifyBy = s.stratify === undefined ? null : this.ref(s.stratify.column);
    for (const name of names) this.bindTable(name, base);
    if (sizes.some((size) => size === undefined) || seed === undefined) return undefined;
    const known = sizes as ({ fraction: number } | { count: number })[];
    const fractions = known.filter((k): k is { fraction: number } => 'fraction' in k);
    if (fractions.length > 0 && fractions.length < known.length) {
      this.report(
        spanOver(s.parts[0].span, s.parts[s.parts.length - 1].span),
        messages.mixedSplitSizes(),
      );
      return undefined;
    }
    if (fractions.length > 0) {
      const sum = fractions.reduce((a, f) => a + f.fraction, 0);
      if (Math.abs(sum - 1) > 1e-9) {
        this.report(
          spanOver(s.parts[0].span, s.parts[s.parts.length - 1].span),
          messages.splitFractionSum(sum),
        );
        return undefined;
      }
    }
    return {
      ...base,
      kind: 'split-into',
      keyword: 'split',
      table,
      parts: names.map((name, i) => ({ name, size: known[i] })),
      seed,
      stratifyBy,
    };
  }

  private planSplitBy(s: SplitByStatement, base: Base): Unplanned {
    const planned: Omit<PlannedSplitBy, 'dependsOn'> = {
      ...base,
      kind: 'split-by',
      keyword: 'split',
      table: this.table(s.table),
      column: this.ref(s.column),
      bind: s.as === undefined ? null : this.ref(s.as.name),
    };
    if (planned.bind !== null) {
      this.bindResult(planned.bind, plannedKeys({ ...planned, dependsOn: [] }), base);
    }
    return planned;
  }

  private planCompare(s: CompareStatement, base: Base): Unplanned | undefined {
    const table = this.table(s.table);
    const bind = s.as === undefined ? null : this.ref(s.as.name);
    if (s.models.length < 2)
      this.report(
        spanOver(s.models[0].span, s.models[s.models.length - 1].span),
        messages.tooFewModels(),
      );
    const models = s.models.map((m) => ({
      name: this.ref(m.name ?? m.predictions),
      predictions: this.ref(m.predictions),
      scores: m.scores === undefined ? null : this.ref(m.scores),
    }));
    this.distinctNames(
      models.map((m) => m.name),
      bind === null ? null : COMPARISON_RESERVED,
    );
    const metricNames = s.metrics?.metrics ?? null;
    for (const metric of metricNames ?? []) {
      if (!isComparisonMetricName(metric.text)) {
        this.report(
          metric.span,
          messages.unknownMetric(
            metric.text,
            suggest(metric.text, COMPARISON_METRICS),
            COMPARISON_METRICS,
          ),
        );
      } else if (
        (SCORE_METRICS as readonly string[]).includes(metric.text) &&
        models.every((m) => m.scores === null)
      ) {
        this.report(metric.span, messages.metricNeedsScores(metric.text));
      }
    }
    const fbeta = metricNames?.find((m) => m.text === 'fbeta');
    let beta: number | null = null;
    if (s.beta !== undefined) {
      const b = this.number(
        s.beta.beta,
        'β',
        (x) => x > 0 && Number.isFinite(x),
        'more than 0',
        BETA_HINT,
      );
      if (fbeta === undefined) this.report(s.beta.span, messages.betaWithoutFbeta());
      beta = b ?? null;
    } else if (fbeta !== undefined) {
      this.report(fbeta.span, messages.fbetaNeedsBeta());
    }
    const positive = this.positive(s.positive);
    let bootstrap: PlannedCompare['bootstrap'] = null;
    if (s.significance?.kind === 'Bootstrap') {
      const resamples = this.wholeNumber(
        s.significance.resamples,
        'the number of resamples',
        RESAMPLES_RANGE,
        'a thousand resamples or more give stable 95% intervals',
      );
      const seed = this.seed(s.significance.seed);
      if (resamples !== undefined && seed !== undefined) bootstrap = { resamples, seed };
    }
    const planned: Omit<PlannedCompare, 'dependsOn'> | undefined =
      positive === undefined
        ? undefined
        : {
            ...base,
            kind: 'compare',
            keyword: 'compare',
            table,
            label: this.ref(s.label),
            models,
            positive,
            metrics: metricNames?.map((m) => this.ref(m)) ?? null,
            beta,
            average: s.average?.average ?? null,
            by: s.by === undefined ? null : this.ref(s.by.column),
            bootstrap,
            explain: s.explain !== undefined,
            bind,
          };
    if (bind !== null) this.bindResult(bind, this.keysWhenClean(planned), base);
    return planned;
  }

  /**
   * Whether a comparison is a classification or a regression, as far as the statement says
   * (see TaskHint) or, for a table bound before the cell, its columns show.
   */
  private taskHint(planned: Unplanned & { kind: 'compare' }): TaskHint {
    const metrics = planned.metrics?.map((m) => m.name) ?? [];
    const isRegressionMetric = (m: string): boolean =>
      (REGRESSION_METRICS as readonly string[]).includes(m);
    if (
      planned.positive?.from === 'statement' ||
      planned.average !== null ||
      planned.models.some((m) => m.scores !== null) ||
      metrics.some((m) => isComparisonMetricName(m) && !isRegressionMetric(m))
    ) {
      return 'classification';
    }
    if (metrics.some(isRegressionMetric)) return 'regression';
    const entry = this.scope.names.get(planned.table.name);
    if (entry?.kind !== 'table' || entry.table === null) return null;
    const table = entry.table;
    const columns = [planned.label, ...planned.models.map((m) => m.predictions)].map((ref) =>
      findColumn(table, ref.name),
    );
    if (columns.some((c) => c === undefined)) return null;
    return columns.some((c) => c !== undefined && firstNonLabel(c) !== null)
      ? 'regression'
      : 'classification';
  }

  private scoreModels(
    specs: readonly ScoreSpec[],
    bound: boolean,
    reserved: readonly string[],
  ): PlannedScore[] {
    const models = specs.map((spec) => ({
      name: this.ref(spec.name ?? spec.scores),
      scores: this.ref(spec.scores),
    }));
    this.distinctNames(
      models.map((m) => m.name),
      bound ? reserved : null,
    );
    return models;
  }

  private planThreshold(s: ThresholdStatement, base: Base): Unplanned | undefined {
    const table = this.table(s.table);
    const bind = s.as === undefined ? null : this.ref(s.as.name);
    const models = this.scoreModels(s.scores, bind !== null, THRESHOLD_RESERVED);
    const positive = this.positive(s.positive);
    const rule = this.rule(s.pick);
    const planned: Omit<PlannedThreshold, 'dependsOn'> | undefined =
      positive === undefined || rule === undefined
        ? undefined
        : {
            ...base,
            kind: 'threshold',
            keyword: 'threshold',
            table,
            label: this.ref(s.label),
            models,
            positive,
            rule,
            ruleWritten: s.pick !== undefined,
            explain: s.explain !== undefined,
            bind,
          };
    if (bind !== null) this.bindResult(bind, this.keysWhenClean(planned), base);
    return planned;
  }

  private rule(pick: ThresholdStatement['pick']): PlannedThreshold['rule'] | undefined {
    if (pick === undefined) return { kind: 'max-f1' };
    switch (pick.kind) {
      case 'PickMaxF1':
        return { kind: 'max-f1' };
      case 'PickMaxFbeta': {
        const beta = this.number(
          pick.beta,
          'β',
          (x) => x > 0 && Number.isFinite(x),
          'more than 0',
          BETA_HINT,
        );
        return beta === undefined ? undefined : { kind: 'max-fbeta', beta };
      }
      case 'PickRecallAtLeast': {
        const recall = this.share(pick.recall, 'a recall');
        return recall === undefined ? undefined : { kind: 'min-recall', recall };
      }
      case 'PickPrecisionAtLeast': {
        const precision = this.share(pick.precision, 'a precision');
        return precision === undefined ? undefined : { kind: 'min-precision', precision };
      }
      case 'PickMinCost': {
        const cost = (v: Value): number | undefined =>
          this.number(
            v,
            'a cost',
            (x) => x >= 0 && Number.isFinite(x),
            '0 or more',
            'a cost is what one false positive (`fp`) or false negative (`fn`) costs',
          );
        const falsePositive = cost(pick.falsePositiveCost);
        const falseNegative = cost(pick.falseNegativeCost);
        return falsePositive === undefined || falseNegative === undefined
          ? undefined
          : { kind: 'min-cost', costs: { falsePositive, falseNegative } };
      }
      case 'PickAt': {
        const threshold = this.number(
          pick.threshold,
          'a threshold',
          Number.isFinite,
          'a finite number',
          'rows whose score is at or above the threshold count as positive',
        );
        return threshold === undefined ? undefined : { kind: 'fixed', threshold };
      }
    }
  }

  private planCalibration(s: CalibrationStatement, base: Base): Unplanned | undefined {
    const table = this.table(s.table);
    const bind = s.as === undefined ? null : this.ref(s.as.name);
    const models = this.scoreModels(s.scores, bind !== null, CALIBRATION_RESERVED);
    const positive = this.positive(s.positive);
    const bins =
      s.bins === undefined
        ? DEFAULT_BINS
        : this.wholeNumber(
            s.bins.bins,
            'the number of bins',
            BINS_RANGE,
            'ten equal-width bins is usual; with few rows, fewer',
          );
    const planned: Omit<PlannedCalibration, 'dependsOn'> | undefined =
      positive === undefined || bins === undefined
        ? undefined
        : {
            ...base,
            kind: 'calibration',
            keyword: 'calibration',
            table,
            label: this.ref(s.label),
            models,
            positive,
            bins,
            bind,
          };
    if (bind !== null) this.bindResult(bind, this.keysWhenClean(planned), base);
    return planned;
  }

  private planCurve(s: CurveStatement, base: Base): Unplanned | undefined {
    const table = this.table(s.table);
    const bind = s.as === undefined ? null : this.ref(s.as.name);
    const column = (clause: { column: Name } | undefined, fallback: string): Ref =>
      clause === undefined ? { name: fallback, span: s.table.span } : this.ref(clause.column);
    const patience =
      s.patience === undefined
        ? DEFAULT_PATIENCE
        : this.wholeNumber(
            s.patience.patience,
            'the patience',
            PATIENCE_RANGE,
            'the patience is the number of epochs without a new best validation loss before stopping',
          );
    const planned: Omit<PlannedCurve, 'dependsOn'> | undefined =
      patience === undefined
        ? undefined
        : {
            ...base,
            kind: 'curve',
            keyword: 'curve',
            table,
            epoch: column(s.epoch, 'epoch'),
            trainLoss: column(s.train, 'train_loss'),
            valLoss: column(s.val, 'val_loss'),
            patience,
            bind,
          };
    if (bind !== null) {
      const keys = planned === undefined ? null : plannedKeys({ ...planned, dependsOn: [] });
      this.bindResult(bind, keys, base);
    }
    return planned;
  }

  private planReport(s: ReportStatement, base: Base): Unplanned | undefined {
    const title = s.title === undefined ? null : this.text(s.title.title, 'a title');
    if (title === undefined) return undefined;
    if (s.file === undefined)
      return { ...base, kind: 'report', keyword: 'report', file: null, fileSpan: base.span, title };
    const written = this.text(s.file, 'a file name');
    if (written === undefined) return undefined;
    const extension = /\.([^./\\]+)$/u.exec(written)?.[1]?.toLowerCase();
    if (extension === 'html' || extension === 'md') {
      return {
        ...base,
        kind: 'report',
        keyword: 'report',
        file: { written, format: extension },
        fileSpan: s.file.span,
        title,
      };
    }
    this.report(s.file.span, messages.reportFormat(written));
    return undefined;
  }

  private planCheck(s: CheckStatement, base: Base): Unplanned | undefined {
    const expr = this.expr(s.expr);
    if (expr === undefined) return undefined;
    if (expr.type !== 'boolean') {
      this.report(
        s.expr.span,
        messages.notACondition(expr.type === 'number' ? 'a number' : 'text'),
      );
      return undefined;
    }
    return {
      ...base,
      kind: 'check',
      keyword: 'check',
      expr,
      source: this.context.source.slice(s.expr.span.start, s.expr.span.end),
    };
  }

  private planCheckLeakage(s: CheckLeakageStatement, base: Base): Unplanned {
    return {
      ...base,
      kind: 'check-leakage',
      keyword: 'check',
      train: this.table(s.train),
      test: this.table(s.test),
      column: this.ref(s.column),
      normalized: s.normalized !== undefined,
    };
  }

  private planLeakage(s: LeakageStatement, base: Base): Unplanned {
    const bind = s.as === undefined ? null : this.ref(s.as.name);
    const planned: Omit<PlannedLeakage, 'dependsOn'> = {
      ...base,
      kind: 'leakage',
      keyword: 'leakage',
      train: this.table(s.train),
      test: this.table(s.test),
      column: this.ref(s.column),
      normalized: s.normalized !== undefined,
      bind,
    };
    if (bind !== null) this.bindResult(bind, this.keysWhenClean(planned), base);
    return planned;
  }

  private planShow(s: ShowStatement, base: Base): Unplanned | undefined {
    const entry = this.lookup(s.target, 'table or result');
    const limit =
      s.limit === undefined
        ? null
        : this.wholeNumber(
            s.limit.limit,
            'the limit',
            SHOW_LIMIT_RANGE,
            'the limit is the number of rows to show',
          );
    if (entry === undefined || limit === undefined) return undefined;
    return {
      ...base,
      kind: 'show',
      keyword: 'show',
      target: this.ref(s.target),
      targetKind: entry.kind,
      limit,
    };
  }

  private planSetPositive(s: SetPositiveStatement, base: Base): Unplanned | undefined {
    const value = this.label(s.value);
    if (value === undefined) return undefined;
    this.scope.positive = { value, span: s.value.span, from: 'session' };
    return { ...base, kind: 'set-positive', keyword: 'set', value };
  }

  private planSetSeed(s: SetSeedStatement, base: Base): Unplanned | undefined {
    const written = this.wholeNumber(s.seed, 'a seed', SEED_RANGE, SEED_HINT);
    if (written === undefined) return undefined;
    const override = seedOverride(this.context.overrides);
    const seed = override ?? written;
    this.scope.seed = seed;
    return { ...base, kind: 'set-seed', keyword: 'set', seed, overridden: override !== null };
  }

  private planParam(s: ParamStatement, base: Base): Unplanned | undefined {
    const type =
      s.value.kind === 'String' ? 'string' : s.value.kind === 'Percent' ? 'percent' : 'number';
    const defaultValue = s.value.value;
    const raw = this.context.overrides.get(s.name.text);
    let param: ScopeParam = { value: defaultValue, type };
    if (raw !== undefined) {
      const converted = convertOverride(raw, type);
      if (converted === null) {
        this.report(
          s.name.span,
          messages.overrideType(s.name.text, type === 'string' ? 'text' : 'a number', String(raw)),
        );
        // Bound with its default all the same: its uses are not also "unknown parameter".
        this.scope.params.set(s.name.text, param);
        return undefined;
      }
      param = converted;
    }
    this.scope.params.set(s.name.text, param);
    return {
      ...base,
      kind: 'param',
      keyword: 'param',
      name: this.ref(s.name),
      value: param.value,
      type: param.type,
      defaultValue,
      overridden: raw !== undefined,
    };
  }

  // --- check expressions

  private expr(e: Expr): CheckedExpr | undefined {
    switch (e.kind) {
      case 'String':
        return { kind: 'literal', type: 'string', value: e.value, span: e.span };
      case 'Number':
      case 'Percent':
        return { kind: 'literal', type: 'number', value: e.value, span: e.span };
      case 'Ref':
        return this.pathExpr(e.path, e.span);
      case 'Unary': {
        const operand = this.expr(e.operand);
        if (operand === undefined) return undefined;
        const wanted: ExprType = e.op === 'not' ? 'boolean' : 'number';
        if (operand.type !== wanted) {
          this.report(
            e.operand.span,
            messages.operandType(
              e.op,
              wanted === 'boolean' ? 'a condition' : 'a number',
              typeWords(operand.type),
            ),
          );
          return undefined;
        }
        return { kind: 'unary', type: wanted, op: e.op, operand, span: e.span };
      }
      case 'Binary': {
        const left = this.expr(e.left);
        const right = this.expr(e.right);
        if (left === undefined || right === undefined) return undefined;
        const op = e.op;
        if (op === 'and' || op === 'or') {
          for (const [side, node] of [
            [left, e.left],
            [right, e.right],
          ] as const) {
            if (side.type !== 'boolean') {
              this.report(
                node.span,
                messages.operandType(
                  op,
                  'conditions on both sides, such as `R.delta.f1 > 0`',
                  typeWords(side.type),
                ),
              );
              return undefined;
            }
          }
          return { kind: 'binary', type: 'boolean', op, left, right, span: e.span };
        }
        if (op === '==' || op === '!=') {
          if (left.type !== right.type || left.type === 'boolean') {
            this.report(
              e.span,
              messages.operandType(
                op,
                'two numbers or two texts',
                `${typeWords(left.type)} and ${typeWords(right.type)}`,
              ),
            );
            return undefined;
          }
          return { kind: 'binary', type: 'boolean', op, left, right, span: e.span };
        }
        for (const [side, node] of [
          [left, e.left],
          [right, e.right],
        ] as const) {
          if (side.type !== 'number') {
            this.report(
              node.span,
              messages.operandType(op, 'numbers on both sides', typeWords(side.type)),
            );
            return undefined;
          }
        }
        const comparison = ['<', '<=', '>', '>='].includes(op);
        return {
          kind: 'binary',
          type: comparison ? 'boolean' : 'number',
          op,
          left,
          right,
          span: e.span,
        };
      }
    }
  }

  private pathExpr(path: readonly Name[], span: Span): CheckedExpr | undefined {
    const [head, ...rest] = path;
    const text = path.map((p) => p.text).join('.');
    if (rest.length === 0) {
      const param = this.scope.params.get(head.text);
      if (param !== undefined) {
        return {
          kind: 'param',
          type: param.type === 'string' ? 'string' : 'number',
          name: head.text,
          value: param.value,
          span,
        };
      }
      const entry = this.scope.names.get(head.text);
      if (entry !== undefined) {
        this.report(
          span,
          messages.resultNotANumber(
            head.text,
            entry.kind === 'table' ? `${head.text}.rows` : `${head.text}.${exampleKey(entry.keys)}`,
          ),
        );
        return undefined;
      }
      const candidates = [...this.scope.params.keys(), ...this.scope.names.keys()];
      this.report(span, messages.unknownParam(head.text, suggest(head.text, candidates)));
      return undefined;
    }
    const entry = this.lookup(head, 'table or result');
    if (entry === undefined) return undefined;
    const checked: CheckedExpr = {
      kind: 'path',
      type: 'number',
      binding: head.text,
      keys: rest.map((p) => p.text),
      text,
      span,
      segmentSpans: path.map((p) => p.span),
    };
    // Paths into names bound before the cell are checked on the data (checkData); here only
    // those into this cell's results, against the shape their statements will give.
    if (entry.producer >= 0) {
      const keys = entry.kind === 'table' ? tableKeyShape : entry.keys;
      if (keys !== null) {
        const problem = pathProblem(checked, keys, true);
        if (problem !== null) {
          this.diagnostics.push(problem);
          return undefined;
        }
      }
    }
    return checked;
  }
}

type Base = { line: number; span: Span; text: string; syntax: Statement['kind'] };

/** A planned statement before its dependencies are known. */
type Unplanned = PlannedStatement extends infer T
  ? T extends PlannedStatement
    ? Omit<T, 'dependsOn'>
    : never
  : never;

/** The planned statements whose results have keys that a `check` path can name. */
type KeyedPlan = Extract<
  Unplanned,
  { kind: 'compare' | 'threshold' | 'calibration' | 'curve' | 'split-by' | 'leakage' }
>;

const tableKeyShape: KeyNode = {
  kind: 'keys',
  keys: new Map([
    ['rows', { kind: 'later' }],
    ['columns', { kind: 'later' }],
  ]),
};

function typeWords(type: ExprType): string {
  return type === 'number' ? 'a number' : type === 'string' ? 'text' : 'a condition';
}

/** A key path that ends at a number, for "such as `R.finetuned.f1`". */
function exampleKey(keys: KeyNode | null): string {
  const out: string[] = [];
  let node = keys;
  const skipped = new Set(['delta', 'interval', 'by', 'per_class']);
  while (node !== null && node.kind === 'keys' && out.length < 4) {
    // A model's branch before the result's own numbers: `R.base.accuracy`, not `R.n`.
    const entries = [...node.keys.entries()].filter(([k]) => !skipped.has(k));
    const preferred = entries.find(([, child]) => child.kind === 'keys') ?? entries[0];
    if (preferred === undefined) break;
    out.push(preferred[0]);
    node = preferred[1];
  }
  return out.length === 0 ? 'KEY' : out.join('.');
}

function spanOver(first: Span, last: Span): Span {
  return { start: first.start, end: last.end, line: first.line, col: first.col };
}

/** The diagnostic for a path its key tree does not have, or null when it has it. */
export function pathProblem(
  path: Extract<CheckedExpr, { kind: 'path' }>,
  root: KeyNode,
  planned: boolean,
): Diagnostic | null {
  const outcome = followPath(root, path.keys);
  if (outcome.kind === 'number') return null;
  const segments = [path.binding, ...path.keys];
  if (outcome.kind === 'too-long') {
    const at = path.segmentSpans[outcome.index + 1];
    return {
      ...messages.pathTooLong(
        segments.slice(0, outcome.index + 1).join('.'),
        path.keys[outcome.index],
      ),
      span: at,
    };
  }
  if (outcome.kind === 'not-a-number') {
    return {
      ...messages.pathNotANumber(path.text, outcome.available, outcome.openTo, planned),
      span: path.span,
    };
  }
  const key = path.keys[outcome.index];
  const prefix = segments.slice(0, outcome.index + 1).join('.');
  return {
    ...messages.unknownKey(
      prefix,
      key,
      suggest(key, outcome.available),
      outcome.available,
      outcome.openTo,
      planned,
    ),
    span: path.segmentSpans[outcome.index + 1],
  };
}

/**
 * What is wrong with a data file the program names, if anything: missing (with suggestions),
 * a link loop (without them: the other half of the loop is no answer), a directory, or not a
 * regular file at all (a FIFO or a device would block the read).
 */
function fileProblem(written: string, path: string): messages.Message | null {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ELOOP') return messages.symlinkLoop(written);
    const target = danglingLinkTarget(path);
    if (target !== null) return messages.danglingSymlink(written, target);
    return missingFile(written, path);
  }
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return messages.notAFile(written);
  return messages.notARegularFile(
    written,
    stats.isFIFO()
      ? 'a named pipe (FIFO)'
      : stats.isSocket()
        ? 'a socket'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'a device'
          : 'a special file',
  );
}

/** Where a symbolic link that leads nowhere points, or null when `path` is no such link. */
function danglingLinkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}

function missingFile(written: string, path: string): messages.Message {
  const directory = dirname(path);
  const shownDirectory = dirname(written) === '.' ? './' : `${dirname(written)}/`;
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    return messages.fileNotFound(written, [], null, shownDirectory);
  }
  const entries = readdirSync(directory).sort();
  const prefix =
    dirname(written) === '.' && !written.startsWith('./') ? '' : `${dirname(written)}/`;
  const suggestions = suggest(basename(written), entries).map((name) => `${prefix}${name}`);
  const dataFiles = entries.filter((name) => formatFromPath(name) !== undefined);
  return messages.fileNotFound(written, suggestions, dataFiles, shownDirectory);
}

// ---------------------------------------------------------------------------------------------
// Checks on data

/** What the data checks read: the tables and results bound by the time a statement runs. */
export interface DataScope {
  table(name: string): Table | undefined;
  result(name: string): KeyNode | undefined;
}

/** The session as a DataScope. */
export function sessionData(session: Session): DataScope {
  return {
    table(name) {
      const b = session.binding(name);
      return b?.kind === 'table' ? b.table : undefined;
    },
    result(name) {
      const b = session.binding(name);
      if (b === undefined) return undefined;
      return b.kind === 'table' ? tableKeys(b.table) : resultKeys(b.result);
    },
  };
}

/**
 * The problems a planned statement has on the data it uses (see the module comment). Tables
 * and results it names must be bound in `data` (the runner calls this once they are).
 */
export function checkData(planned: PlannedStatement, data: DataScope): Diagnostic[] {
  const found: Diagnostic[] = [];
  const report = (span: Span, message: messages.Message): void => {
    found.push({ ...message, span });
  };
  const tableOf = (ref: Ref): Table | undefined => data.table(ref.name);
  // Nothing else is worth saying about a statement on a table without rows.
  const needsRows = tableNeedingRows(planned);
  const rowless = needsRows === null ? undefined : tableOf(needsRows);
  if (needsRows !== null && rowless !== undefined && rowless.nRows === 0) {
    const fromSplit = rowless.source.derivedFrom?.startsWith('split of ') === true;
    const statement = planned.kind === 'check-leakage' ? 'check leakage' : planned.keyword;
    report(needsRows.span, messages.emptyTable(needsRows.name, statement, fromSplit));
    return found;
  }
  /** The named columns, reporting those the table lacks; undefined if any is missing. */
  const columns = (table: Ref, refs: readonly (Ref | null)[]): (Column | null)[] | undefined => {
    const t = tableOf(table);
    if (t === undefined) return undefined;
    let missing = false;
    const out = refs.map((ref) => {
      if (ref === null) return null;
      const column = findColumn(t, ref.name);
      if (column === undefined) {
        missing = true;
        const names = t.columns.map((c) => c.name);
        report(
          ref.span,
          messages.unknownColumn(ref.name, table.name, names, suggest(ref.name, names)),
        );
        return null;
      }
      return column;
    });
    return missing ? undefined : out;
  };

  switch (planned.kind) {
    case 'split-into': {
      const t = tableOf(planned.table);
      if (t === undefined) break;
      if (planned.stratifyBy !== null) columns(planned.table, [planned.stratifyBy]);
      const counts = planned.parts.map((p) => p.size.count);
      if (counts.every((c): c is number => c !== undefined)) {
        const sum = counts.reduce((a, b) => a + b, 0);
        if (sum > t.nRows) {
          const first = planned.parts[0].name.span;
          const last = planned.parts[planned.parts.length - 1].name.span;
          report(spanOver(first, last), messages.splitCountSum(sum, planned.table.name, t.nRows));
        }
      }
      break;
    }
    case 'split-by':
      columns(planned.table, [planned.column]);
      break;
    case 'compare':
      checkCompareData(planned, tableOf(planned.table), report, columns);
      break;
    case 'threshold':
    case 'calibration':
      checkScoreData(planned, tableOf(planned.table), report, columns);
      break;
    case 'curve': {
      const t = tableOf(planned.table);
      if (t === undefined) break;
      const names = t.columns.map((c) => c.name);
      const roles = [
        ['epoch', planned.epoch],
        ['train', planned.trainLoss],
        ['val', planned.valLoss],
      ] as const;
      for (const [role, ref] of roles) {
        const column = findColumn(t, ref.name);
        if (column === undefined) {
          const defaulted = ref.span === planned.table.span;
          report(
            ref.span,
            defaulted
              ? messages.defaultColumnMissing(role, ref.name, planned.table.name, names)
              : messages.unknownColumn(
                  ref.name,
                  planned.table.name,
                  names,
                  suggest(ref.name, names),
                ),
          );
        } else {
          const bad = firstNonNumber(column);
          if (bad !== null)
            report(
              ref.span,
              messages.notNumeric(ref.name, planned.table.name, bad.row, bad.value, 'column'),
            );
        }
      }
      break;
    }
    case 'check-leakage':
    case 'leakage':
      columns(planned.train, [planned.column]);
      columns(planned.test, [planned.column]);
      break;
    case 'check':
      for (const path of pathsOf(planned.expr)) {
        const keys = data.result(path.binding);
        if (keys === undefined) continue;
        const problem = pathProblem(path, keys, false);
        if (problem !== null) found.push(problem);
      }
      break;
    default:
      break;
  }
  return found;
}

/**
 * The table a statement computes on, which must have rows: none for `show` (an empty table
 * shows as such) and statements on results; the test table of a leakage check.
 */
function tableNeedingRows(planned: PlannedStatement): Ref | null {
  switch (planned.kind) {
    case 'split-into':
    case 'split-by':
    case 'compare':
    case 'threshold':
    case 'calibration':
    case 'curve':
      return planned.table;
    case 'check-leakage':
    case 'leakage':
      return planned.test;
    default:
      return null;
  }
}

type Report = (span: Span, message: messages.Message) => void;
type Columns = (table: Ref, refs: readonly (Ref | null)[]) => (Column | null)[] | undefined;

function checkCompareData(
  planned: PlannedCompare,
  table: Table | undefined,
  report: Report,
  columns: Columns,
): void {
  if (table === undefined) return;
  const found = columns(planned.table, [
    planned.label,
    ...planned.models.flatMap((m) => [m.predictions, m.scores]),
    planned.by,
  ]);
  if (found === undefined) return;
  const truth = found[0] as Column;
  const preds = planned.models.map((_, j) => found[1 + 2 * j] as Column);
  planned.models.forEach((m, j) => {
    const scores = found[2 + 2 * j];
    if (m.scores === null || scores === null) return;
    const bad = firstNonNumber(scores);
    if (bad !== null)
      report(
        m.scores.span,
        messages.notNumeric(m.scores.name, planned.table.name, bad.row, bad.value, 'score column'),
      );
  });
  const requested = planned.metrics ?? [];
  const classOption =
    (planned.positive?.from === 'statement' ? 'positive' : null) ??
    (planned.models.some((m) => m.scores !== null) ? 'score' : null) ??
    (planned.average !== null ? 'average' : null) ??
    requested.find(
      (m) =>
        isComparisonMetricName(m.name) &&
        !(REGRESSION_METRICS as readonly string[]).includes(m.name),
    )?.name ??
    null;
  const nonLabel = [truth, ...preds].map(firstNonLabel).find((x) => x !== null) ?? null;
  if (nonLabel !== null) {
    // Numbers that are not class labels: a regression.
    if (classOption !== null) {
      report(
        planned.label.span,
        messages.regressionWithClassOptions(
          nonLabel.column,
          planned.table.name,
          nonLabel,
          classOption,
        ),
      );
    }
    return;
  }
  for (const metric of requested) {
    if ((REGRESSION_METRICS as readonly string[]).includes(metric.name)) {
      report(metric.span, messages.regressionMetricOnClasses(metric.name, planned.label.name));
    }
  }
  const labels = distinctLabels([truth, ...preds]);
  const positive = planned.positive;
  if (positive !== null && labels.length >= 2 && labelIndex(labels, positive.value) < 0) {
    // A session default is only used where it fits; on several labels it is not used at all.
    if (!(positive.from === 'session' && labels.length > 2)) {
      report(
        positive.from === 'statement' ? positive.span : planned.label.span,
        positiveMessage(positive, planned.label.name, labels),
      );
    }
  }
  if (requested.some((m) => m.name === 'log_loss' || m.name === 'brier')) {
    planned.models.forEach((m, j) => {
      const scores = found[2 + 2 * j];
      if (m.scores === null || scores === null) return;
      const bad = firstNonProbability(scores);
      if (bad !== null) {
        report(
          m.scores.span,
          messages.notProbabilities(
            m.scores.name,
            planned.table.name,
            bad.row,
            bad.value,
            'log loss or the Brier score',
          ),
        );
      }
    });
  }
}

function checkScoreData(
  planned: PlannedThreshold | PlannedCalibration,
  table: Table | undefined,
  report: Report,
  columns: Columns,
): void {
  if (table === undefined) return;
  const found = columns(planned.table, [planned.label, ...planned.models.map((m) => m.scores)]);
  if (found === undefined) return;
  const truth = found[0] as Column;
  const nonLabel = firstNonLabel(truth);
  if (nonLabel !== null) {
    report(
      planned.label.span,
      messages.notClassLabels(planned.label.name, planned.table.name, nonLabel, planned.keyword),
    );
  } else {
    const labels = distinctLabels([truth]);
    const positive = planned.positive;
    if (positive !== null) {
      if (labels.length >= 2 && labelIndex(labels, positive.value) < 0) {
        report(
          positive.from === 'statement' ? positive.span : planned.label.span,
          positiveMessage(positive, planned.label.name, labels),
        );
      }
    } else if (defaultPositive(labels) === null) {
      report(planned.label.span, messages.positiveNeeded(planned.label.name, labels));
    }
  }
  planned.models.forEach((m, j) => {
    const scores = found[1 + j] as Column;
    const bad = firstNonNumber(scores);
    if (bad !== null) {
      report(
        m.scores.span,
        messages.notNumeric(m.scores.name, planned.table.name, bad.row, bad.value, 'score column'),
      );
      return;
    }
    if (planned.kind === 'calibration') {
      const outside = firstNonProbability(scores);
      if (outside !== null) {
        report(
          m.scores.span,
          messages.notProbabilities(
            m.scores.name,
            planned.table.name,
            outside.row,
            outside.value,
            '`calibration`',
          ),
        );
      }
    }
  });
}

function positiveMessage(
  positive: PlannedLabel,
  column: string,
  labels: readonly Label[],
): messages.Message {
  const suggestions =
    typeof positive.value === 'string'
      ? suggest(
          positive.value,
          labels.filter((l): l is string => typeof l === 'string'),
        )
      : [];
  return messages.unknownPositive(
    positive.value,
    column,
    labels,
    suggestions,
    positive.from === 'session' ? positive.span.line : null,
  );
}

/**
 * The positive label taken when none is given: 1 for labels among 0 and 1 (scikit-learn's
 * convention), else the last of exactly two sorted labels; null when there is no such choice.
 */
export function defaultPositive(labels: readonly Label[]): Label | null {
  if (labels.length > 0 && labels.every((l) => l === 0 || l === 1)) return 1;
  if (labels.length === 2) return labels[1];
  return null;
}

/** The distinct present labels of the columns, sorted; at most 21 (enough to tell). */
export function distinctLabels(columns: readonly Column[]): Label[] {
  const found = new Set<Label>();
  for (const column of columns) {
    if (column.kind === 'string') {
      const used = new Uint8Array(column.categories.length);
      for (const code of column.codes) if (code >= 0) used[code] = 1;
      column.categories.forEach((c, i) => {
        if (used[i] === 1) found.add(c);
      });
    } else {
      const scan = scanNumbers(column.values);
      for (const v of scan.distinct) found.add(v);
    }
  }
  return [...found].sort(compareLabels);
}

/** The most distinct whole numbers a column may hold and still hold class labels (the engine's). */
const MAX_CLASSES = MAX_NUMERIC_CLASSES;

/**
 * One pass over numbers, for labels: the distinct present values (at most MAX_CLASSES + 1, in
 * the order met) and the first row that shows they are not class labels (a value that is not
 * a whole number, or one distinct value too many), or -1. The few distinct values are kept in
 * a small array, since a label column has a handful and a hash per row costs more.
 */
function scanNumbers(values: Float64Array): { distinct: number[]; nonLabelRow: number } {
  const distinct: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    let known = false;
    for (let k = 0; k < distinct.length; k++) {
      if (distinct[k] === v) {
        known = true;
        break;
      }
    }
    if (known) continue;
    if (!Number.isInteger(v)) return { distinct, nonLabelRow: i };
    distinct.push(v);
    if (distinct.length > MAX_CLASSES) return { distinct, nonLabelRow: i };
  }
  return { distinct, nonLabelRow: -1 };
}

/**
 * The first row showing that a numeric column does not hold class labels (a value that is
 * not a whole number, or a 21st distinct one), or null. Agrees with the engine's
 * `isCategorical`, which decides whether a comparison is a regression.
 */
function firstNonLabel(column: Column): { row: number; value: number; column: string } | null {
  if (column.kind === 'string') return null;
  const { nonLabelRow } = scanNumbers(column.values);
  return nonLabelRow < 0
    ? null
    : { row: nonLabelRow + 1, value: column.values[nonLabelRow], column: column.name };
}

/** The first row that holds no number (text that is not a number, or nothing), or null. */
function firstNonNumber(column: Column): { row: number; value: string | null } | null {
  if (column.kind === 'number') {
    const values = column.values;
    for (let i = 0; i < values.length; i++)
      if (values[i] !== values[i]) return { row: i + 1, value: null };
    return null;
  }
  const numeric = column.categories.map((c) => !Number.isNaN(parseDecimalText(c)));
  const codes = column.codes;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < 0) return { row: i + 1, value: null };
    if (!numeric[code]) return { row: i + 1, value: column.categories[code] };
  }
  return null;
}

/** The first row whose score is outside [0, 1] (a numeric column), or null. */
function firstNonProbability(column: Column): { row: number; value: number } | null {
  if (column.kind === 'number') {
    const values = column.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 1)) return { row: i + 1, value: v };
    }
    return null;
  }
  const numbers = column.categories.map(parseDecimalText);
  const codes = column.codes;
  for (let i = 0; i < codes.length; i++) {
    const v = numbers[codes[i]];
    if (!(v >= 0 && v <= 1)) return { row: i + 1, value: v };
  }
  return null;
}
