/**
 * The runner: a cell's plan and the session → one outcome per statement, run in order.
 *
 * Each statement computes everything first (the engine does the work on typed arrays) and
 * then commits its changes to the session in one step, so a statement that fails, or is
 * interrupted, leaves the session as it was. Statements before it in the cell stay committed.
 * The cell stops at the first statement that fails.
 *
 * Checks on data that the checker could not make (a statement uses a table loaded earlier in
 * the same cell) are made here, as soon as the statements they depend on have run; problems
 * found then stop the cell before the next statement, with all of them reported at once.
 */
import { resolve } from 'node:path';
import {
  analyseThresholds,
  analysisWarnings,
  calibrationAnalysis,
  compareModels,
  leakageAnalysis,
  lossCurveAnalysis,
  sliceSummary,
  splitSummary,
  summarizeTable,
  type AnalysisProgress,
  type AnalysisWarning,
  type Label,
  type ThresholdAnalysisResult,
} from '../engine/analysis/index.js';
import { EngineError, throwIfCancelled, type CancelToken } from '../engine/errors.js';
import { loadFileTable, locationText, type LoadProgress } from '../engine/load/index.js';
import { makeTable } from '../engine/table.js';
import type { Span } from './ast.js';
import { sessionData, settleData } from './check.js';
import type { Diagnostic } from './diagnostics.js';
import * as messages from './messages.js';
import { checkReportTarget, realPathOf, ReportTargetError } from './report-targets.js';
import type {
  CellPlan,
  PlannedCalibration,
  PlannedCheck,
  PlannedCheckLeakage,
  PlannedLeakage,
  PlannedKind,
  PlannedLoad,
  PlannedReport,
  PlannedShow,
  PlannedSplitInto,
  PlannedStatement,
  PlannedThreshold,
  OnData,
  ReportFormat,
  Ref,
} from './plan.js';
import type {
  BindingOrigin,
  BoundTable,
  CellSource,
  CheckResult,
  RecordedResult,
  Session,
  SessionChange,
  SessionRecord,
  WrittenReport,
} from './session.js';
import {
  describeEvaluation,
  evaluateCheck,
  followPath,
  resultKeys,
  tableKeys,
  type BindableResult,
} from './values.js';

/** How far a statement has got, for a progress display. */
export interface StatementProgress {
  readonly line: number;
  readonly keyword: messages.StatementKeyword;
  /** What is being done, in words ("read", "bootstrap finetuned vs base"). */
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly unit: 'bytes' | 'rows' | 'steps';
}

/** A report to write: the session's record up to the `report` statement. */
export interface ReportRequest {
  /** The main file, or null for a summary in the cell. `path` is absolute. */
  readonly file: {
    readonly written: string;
    readonly path: string;
    readonly format: ReportFormat;
  } | null;
  readonly title: string;
  readonly record: SessionRecord;
  /**
   * To be called with every file the writer is about to write, before it writes any: throws
   * (ReportTargetError) when one would replace a loaded input or leave the output directory.
   */
  readonly checkTargets: (paths: readonly string[]) => void;
}

/** Writes a report's files and returns their paths (the main file first). */
export type ReportWriter = (request: ReportRequest) => Promise<readonly string[]>;

export interface RunOptions {
  /** Polled between statements and by the engine between chunks of work. */
  readonly cancel?: CancelToken;
  readonly onProgress?: (progress: StatementProgress) => void;
  /** Called with each outcome as soon as it is known, in order (awaited). */
  readonly onOutcome?: (outcome: StatementOutcome) => void | Promise<void>;
  /** Where relative report files go; the working directory by default. */
  readonly baseDir?: string;
  /** Writes report files; without it a `report "file"` statement fails. */
  readonly writeReport?: ReportWriter;
  /** Report files must stay inside `baseDir` (a notebook run's `--out`). */
  readonly confineReports?: boolean;
}

/** `set positive`, `set seed`, `param`: the value now in force. */
export interface SettingResult {
  readonly kind: 'setting';
  readonly setting: 'positive' | 'seed' | 'param';
  /** The parameter's name, or `positive` / `seed`. */
  readonly name: string;
  readonly value: string | number;
  /** Whether the run's parameters replaced the value written in the program. */
  readonly overridden: boolean;
}

/** `report`: the title, the file written (null for a summary), and the record it shows. */
export interface ReportResult {
  readonly kind: 'report';
  readonly title: string;
  readonly file: { readonly written: string; readonly format: ReportFormat } | null;
  /** The files written, as given by the writer (main file first); empty for a summary. */
  readonly files: readonly string[];
  readonly record: SessionRecord;
  /** A report written where an earlier one of the run was (W0310). */
  readonly warnings?: readonly Diagnostic[];
}

/** What a statement gives. */
export type StatementValue = RecordedResult | SettingResult | ReportResult;

/**
 * Why a statement failed: `check` (problems found on the data before it ran), `data` (the
 * engine refused the data), `check-failed` (an assertion that does not hold, or leakage),
 * `interrupted`. At least one diagnostic, each with a span in the cell text.
 */
export interface StatementError {
  readonly kind: 'check' | 'data' | 'check-failed' | 'interrupted';
  readonly diagnostics: readonly Diagnostic[];
}

interface OutcomeBase {
  /** Index of the statement in the plan. */
  readonly index: number;
  readonly line: number;
  readonly keyword: messages.StatementKeyword;
  readonly kind: PlannedKind;
  /** The name the statement bound (the first part, for `split ... into`), or null. */
  readonly name: string | null;
  readonly text: string;
  readonly span: Span;
}

/**
 * How one statement ended. An error may still carry a value to show: the failing check's
 * evaluation, or the leakage that made `check leakage` fail.
 */
export type StatementOutcome =
  | (OutcomeBase & {
      readonly status: 'ok';
      readonly value: StatementValue;
      readonly explain: boolean;
    })
  | (OutcomeBase & {
      readonly status: 'error';
      readonly error: StatementError;
      readonly value: RecordedResult | null;
    });

/** The title of a report that names none. */
export const DEFAULT_REPORT_TITLE = 'Evaluation report';

/** Runs a checked cell (see the module comment). */
export async function run(
  plan: CellPlan,
  session: Session,
  options: RunOptions = {},
): Promise<StatementOutcome[]> {
  const cell: CellSource = { text: plan.text };
  const outcomes: StatementOutcome[] = [];
  const dataChecked = [...plan.dataChecked];
  // Statements settled on the data here replace their plan's (see OnData).
  const statements = [...plan.statements];
  const readyAt = statementsByReadiness(plan);
  const emit = async (outcome: StatementOutcome): Promise<void> => {
    outcomes.push(outcome);
    await options.onOutcome?.(outcome);
  };
  for (let i = 0; i < plan.statements.length; i++) {
    const problems = checkReadyStatements(statements, dataChecked, readyAt[i], i, session);
    const planned = statements[i];
    if (problems !== null) {
      const first = statements[problems.index];
      await emit(
        errorOutcome(
          problems.index,
          first,
          { kind: 'check', diagnostics: problems.diagnostics },
          null,
        ),
      );
      break;
    }
    const outcome = await runOne(i, planned, cell, session, options);
    await emit(outcome);
    if (outcome.status === 'error') break;
  }
  return outcomes;
}

/**
 * The statements by the index of the statement before which their dependencies have all run
 * (one past their last dependency), each list in program order. Looking statements up this way
 * keeps a cell of many statements linear: scanning every later statement before each one was
 * quadratic.
 */
function statementsByReadiness(plan: CellPlan): number[][] {
  const ready: number[][] = plan.statements.map(() => []);
  plan.statements.forEach((statement, j) => {
    let at = 0;
    for (const d of statement.dependsOn) at = Math.max(at, d + 1);
    if (at < ready.length) ready[at].push(j);
  });
  return ready;
}

/**
 * Checks on data for the statements that can now be checked: every statement from `next` on
 * whose dependencies have all run, which are those of `readyNow` (statementsByReadiness) not yet
 * checked, settling each in `statements`. Returns the problems and the first statement they
 * concern.
 */
function checkReadyStatements(
  statements: PlannedStatement[],
  dataChecked: boolean[],
  readyNow: readonly number[],
  next: number,
  session: Session,
): { index: number; diagnostics: Diagnostic[] } | null {
  const diagnostics: Diagnostic[] = [];
  let first = -1;
  for (const j of readyNow) {
    if (j < next || dataChecked[j]) continue;
    dataChecked[j] = true;
    const settled = settleData(statements[j], sessionData(session));
    statements[j] = settled.planned;
    if (settled.diagnostics.length > 0 && first < 0) first = j;
    diagnostics.push(...settled.diagnostics);
  }
  return first < 0 ? null : { index: first, diagnostics };
}

function outcomeBase(index: number, planned: PlannedStatement): OutcomeBase {
  return {
    index,
    line: planned.line,
    keyword: planned.keyword,
    kind: planned.kind,
    name: boundName(planned),
    text: planned.text,
    span: planned.span,
  };
}

function boundName(planned: PlannedStatement): string | null {
  switch (planned.kind) {
    case 'load':
      return planned.bind.name;
    case 'split-into':
      return planned.parts[0].name.name;
    case 'split-by':
    case 'compare':
    case 'threshold':
    case 'calibration':
    case 'curve':
    case 'leakage':
      return planned.bind?.name ?? null;
    case 'param':
      return planned.name.name;
    default:
      return null;
  }
}

function errorOutcome(
  index: number,
  planned: PlannedStatement,
  error: StatementError,
  value: RecordedResult | null,
): StatementOutcome {
  return { ...outcomeBase(index, planned), status: 'error', error, value };
}

/** What one statement computed, before it is committed. */
interface Computed {
  readonly change: SessionChange;
  readonly value: StatementValue;
  /** A failed assertion: committed nothing, shows `value`, fails with this. */
  readonly failure?: StatementError;
}

async function runOne(
  index: number,
  planned: PlannedStatement,
  cell: CellSource,
  session: Session,
  options: RunOptions,
): Promise<StatementOutcome> {
  const origin: BindingOrigin = {
    cell: session.cellIndex(cell),
    line: planned.line,
    span: planned.span,
    statement: planned.text,
  };
  let computed: Computed;
  try {
    throwIfCancelled(options.cancel);
    computed = await compute(planned, session, origin, options);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return errorOutcome(index, planned, engineFailure(error, planned, session), null);
  }
  if (computed.failure !== undefined) {
    const shown =
      computed.value.kind === 'setting' || computed.value.kind === 'report' ? null : computed.value;
    return errorOutcome(index, planned, computed.failure, shown);
  }
  session.commit(cell, computed.change);
  return {
    ...outcomeBase(index, planned),
    status: 'ok',
    value: computed.value,
    explain: (planned.kind === 'compare' || planned.kind === 'threshold') && planned.explain,
  };
}

/** An engine error as the statement's failure: interrupted, or a data error. */
function engineFailure(
  error: EngineError,
  planned: PlannedStatement,
  session: Session,
): StatementError {
  if (error.code === 'interrupted') {
    return {
      kind: 'interrupted',
      diagnostics: [{ ...messages.interrupted(), span: keywordSpan(planned) }],
    };
  }
  let message = error.message;
  if (planned.kind === 'load' && planned.path !== planned.written) {
    message = message.split(planned.path).join(planned.written);
  }
  const { column, row } = error.location;
  const span =
    (column === undefined ? undefined : columnRefs(planned).find((r) => r.name === column)?.span) ??
    planned.span;
  // Where in the data: the engine names the file when it read it; otherwise it is the file of
  // the table the statement works on.
  const file =
    planned.kind === 'load'
      ? planned.written
      : (error.location.file ?? tableFile(planned, session));
  const where =
    column !== undefined || row !== undefined ? locationText({ file, column, row }) : '';
  const hints = where === '' || message.startsWith(where) ? [] : [`in ${where}`];
  return {
    kind: 'data',
    diagnostics: [{ ...messages.dataError(error.code, message, hints), span }],
  };
}

/** The file (or the description of the derived table) a statement's table came from. */
function tableFile(planned: PlannedStatement, session: Session): string | undefined {
  const ref = 'table' in planned ? planned.table : 'test' in planned ? planned.test : undefined;
  const b = ref === undefined ? undefined : session.binding(ref.name);
  if (b?.kind !== 'table') return undefined;
  return b.table.source.path ?? b.name;
}

/** The statement's first word, where a message about the whole statement points. */
function keywordSpan(planned: PlannedStatement): Span {
  const length = planned.text.match(/^\S+/u)?.[0].length ?? 1;
  return { ...planned.span, end: planned.span.start + length };
}

/** The column names a statement mentions, for pointing a data error at one of them. */
function columnRefs(planned: PlannedStatement): Ref[] {
  switch (planned.kind) {
    case 'compare':
      return [
        planned.label,
        ...planned.models.flatMap((m) =>
          m.scores === null ? [m.predictions] : [m.predictions, m.scores],
        ),
        ...(planned.by === null ? [] : [planned.by]),
      ];
    case 'threshold':
    case 'calibration':
      return [planned.label, ...planned.models.map((m) => m.scores)];
    case 'curve':
      return [planned.epoch, planned.trainLoss, planned.valLoss];
    case 'split-into':
      return planned.stratifyBy === null ? [] : [planned.stratifyBy];
    case 'split-by':
      return [planned.column];
    case 'check-leakage':
    case 'leakage':
      return [planned.column];
    default:
      return [];
  }
}

function boundTable(session: Session, ref: Ref): BoundTable {
  const b = session.binding(ref.name);
  if (b?.kind !== 'table') throw new Error(`internal error: ${ref.name} is not a bound table`);
  return b;
}

function progressOf(
  planned: PlannedStatement,
  options: RunOptions,
): ((p: AnalysisProgress) => void) | undefined {
  const listener = options.onProgress;
  if (listener === undefined) return undefined;
  return (p) =>
    listener({
      line: planned.line,
      keyword: planned.keyword,
      phase: p.phase,
      done: p.done,
      total: p.total,
      unit: 'steps',
    });
}

async function compute(
  planned: PlannedStatement,
  session: Session,
  origin: BindingOrigin,
  options: RunOptions,
): Promise<Computed> {
  const history: History = (result, name, tableIdentity = null) =>
    historyEntry(planned, result, name, tableIdentity);
  const onProgress = progressOf(planned, options);
  const cancel = options.cancel;
  switch (planned.kind) {
    case 'load':
      return computeLoad(planned, origin, options);
    case 'split-into':
      return computeSplit(planned, session, origin);
    case 'split-by': {
      const source = boundTable(session, planned.table);
      const result = sliceSummary(source.table, planned.column.name, {
        tableName: planned.table.name,
      });
      return resultComputed(planned, result, source, origin);
    }
    case 'compare': {
      const source = boundTable(session, planned.table);
      const result = compareModels(source.table, {
        tableName: planned.table.name,
        label: planned.label.name,
        positive: settled(planned).positive ?? undefined,
        models: planned.models.map((m) => ({
          name: m.name.name,
          predictionColumn: m.predictions.name,
          ...(m.scores === null ? {} : { scoreColumn: m.scores.name }),
        })),
        metrics: planned.metrics?.map((m) => m.name),
        average: planned.average ?? undefined,
        beta: planned.beta ?? undefined,
        by: planned.by?.name,
        significance: {
          mcnemar: true,
          ...(planned.bootstrap === null ? {} : { bootstrap: planned.bootstrap }),
        },
        cancel,
        onProgress,
      });
      const computed = resultComputed(planned, result, source, origin);
      if (planned.bootstrap === null) return computed;
      const seed = {
        name: `bootstrap of compare at line ${planned.line}`,
        value: planned.bootstrap.seed,
      };
      return { ...computed, change: { ...computed.change, seeds: [seed] } };
    }
    case 'threshold':
      return computeThreshold(planned, session, origin, options);
    case 'calibration': {
      const source = boundTable(session, planned.table);
      const { positive, warnings } = scorePositive(planned);
      const computed = calibrationAnalysis(source.table, {
        ...scoredModelsOn(planned, positive),
        bins: planned.bins,
        cancel,
        onProgress,
      });
      const result = { ...computed, warnings: [...warnings, ...computed.warnings] };
      return resultComputed(planned, result, source, origin);
    }
    case 'curve': {
      const source = boundTable(session, planned.table);
      const result = lossCurveAnalysis(source.table, {
        tableName: planned.table.name,
        epoch: planned.epoch.name,
        trainLoss: planned.trainLoss.name,
        valLoss: planned.valLoss.name,
        patience: planned.patience,
      });
      return resultComputed(planned, result, source, origin);
    }
    case 'check-leakage':
      return computeLeakage(planned, session, history);
    case 'leakage':
      return computeReportedLeakage(planned, session, origin);
    case 'check':
      return computeCheck(planned, session, history);
    case 'show':
      return computeShow(planned, session, history);
    case 'set-positive': {
      const value: Label = planned.value;
      return {
        change: { positive: { value, origin }, history: history(null, null) },
        value: { kind: 'setting', setting: 'positive', name: 'positive', value, overridden: false },
      };
    }
    case 'set-seed':
      return {
        change: { seed: planned.seed, history: history(null, null) },
        value: {
          kind: 'setting',
          setting: 'seed',
          name: 'seed',
          value: planned.seed,
          overridden: planned.overridden,
        },
      };
    case 'param':
      return {
        change: {
          param: {
            name: planned.name.name,
            value: planned.value,
            type: planned.type,
            defaultValue: planned.defaultValue,
            overridden: planned.overridden,
            origin,
          },
          history: history(null, planned.name.name),
        },
        value: {
          kind: 'setting',
          setting: 'param',
          name: planned.name.name,
          value: planned.value,
          overridden: planned.overridden,
        },
      };
    case 'report':
      return computeReport(planned, session, options, history, origin);
  }
}

type History = (
  result: RecordedResult | null,
  name: string | null,
  tableIdentity?: string | null,
) => SessionChange['history'];

/** A statement's entry in the session's history: where it is, and what it gave. */
function historyEntry(
  planned: PlannedStatement,
  result: RecordedResult | null,
  name: string | null,
  tableIdentity: string | null = null,
): SessionChange['history'] {
  return {
    line: planned.line,
    keyword: planned.keyword,
    statement: planned.text,
    name,
    result,
    tableIdentity,
  };
}

/**
 * What a statement that computes a result on one bound table commits: the result under its
 * `as` name (when it has one) and its history entry.
 */
function resultComputed(
  planned: PlannedStatement & { readonly bind: Ref | null },
  result: BindableResult,
  source: BoundTable,
  origin: BindingOrigin,
): Computed {
  const name = planned.bind?.name ?? null;
  const bindings: SessionChange['bindings'] =
    name === null ? [] : [{ kind: 'result', name, result, tableIdentity: source.identity, origin }];
  return {
    change: { bindings, history: historyEntry(planned, result, name, source.identity) },
    value: result,
  };
}

async function computeLoad(
  planned: PlannedLoad,
  origin: BindingOrigin,
  options: RunOptions,
): Promise<Computed> {
  const listener = options.onProgress;
  const { table: loaded, identity: fileIdentity } = await loadFileTable(planned.path, {
    format: planned.format,
    cancel: options.cancel,
    onProgress:
      listener &&
      ((p: LoadProgress) =>
        listener({
          line: planned.line,
          keyword: 'load',
          phase: p.phase,
          done: p.done,
          total: p.total,
          unit: p.unit,
        })),
  });
  // The table records the file as the program wrote it, so that results and reports hold no
  // machine-specific path.
  const table = makeTable(loaded.columns, { ...loaded.source, path: planned.written });
  const name = planned.bind.name;
  const summary = summarizeTable(table, name);
  const sha256 = loaded.source.sha256 ?? '';
  const identity = `file ${sha256}`;
  return {
    change: {
      bindings: [{ kind: 'table', name, table, summary, identity, origin }],
      input: { path: planned.written, sha256, format: planned.format, rows: table.nRows, name },
      loadedFile: { written: planned.written, identity: fileIdentity },
      history: historyEntry(planned, summary, name, identity),
    },
    value: summary,
  };
}

function computeSplit(
  planned: PlannedSplitInto,
  session: Session,
  origin: BindingOrigin,
): Computed {
  const source = boundTable(session, planned.table);
  const labelColumn = settled(planned).classColumn ?? undefined;
  const { summary, parts } = splitSummary(
    source.table,
    planned.parts.map((p) =>
      p.size.fraction === undefined
        ? { name: p.name.name, count: p.size.count }
        : { name: p.name.name, fraction: p.size.fraction },
    ),
    {
      tableName: planned.table.name,
      seed: planned.seed,
      ...(planned.stratifyBy === null ? {} : { stratifyBy: planned.stratifyBy.name }),
      ...(labelColumn === undefined ? {} : { labelColumn }),
    },
  );
  const how = `split seed ${planned.seed}${planned.stratifyBy === null ? '' : ` stratified by ${planned.stratifyBy.name}`} into ${planned.parts.map((p) => `${p.name.name} ${p.size.fraction ?? p.size.count}`).join(', ')}`;
  const bindings: BoundTable[] = parts.map((part) => ({
    kind: 'table',
    name: part.name,
    table: part.table,
    summary: summarizeTable(part.table, part.name),
    identity: `${source.identity} | ${how} | ${part.name}`,
    origin,
  }));
  return {
    change: {
      bindings,
      seeds: [
        {
          name: `split ${planned.table.name} into ${planned.parts.map((p) => p.name.name).join('/')}`,
          value: planned.seed,
        },
      ],
      history: historyEntry(planned, summary, planned.parts[0].name.name, source.identity),
    },
    value: summary,
  };
}

/** What the checker settled on the data; the runner runs only settled statements. */
function settled<T>(planned: { readonly onData: OnData<T>; readonly line: number }): T {
  if (planned.onData === null) {
    throw new Error(`internal error: the statement at line ${planned.line} was not settled`);
  }
  return planned.onData;
}

/** The positive label of `threshold` and `calibration`, with a note when it was assumed. */
function scorePositive(planned: PlannedThreshold | PlannedCalibration): {
  positive: Label;
  warnings: AnalysisWarning[];
} {
  const { positive, assumedAmong } = settled(planned);
  return {
    positive,
    warnings:
      assumedAmong === null ? [] : [analysisWarnings.positiveLabelAssumed(positive, assumedAmong)],
  };
}

/** What threshold and calibration analyses are told alike: the table, the label and the scores. */
function scoredModelsOn(
  planned: PlannedThreshold | PlannedCalibration,
  positive: Label,
): {
  tableName: string;
  label: string;
  positive: Label;
  models: { name: string; scoreColumn: string }[];
} {
  return {
    tableName: planned.table.name,
    label: planned.label.name,
    positive,
    models: planned.models.map((m) => ({ name: m.name.name, scoreColumn: m.scores.name })),
  };
}

function computeThreshold(
  planned: PlannedThreshold,
  session: Session,
  origin: BindingOrigin,
  options: RunOptions,
): Computed {
  const source = boundTable(session, planned.table);
  const { positive, warnings } = scorePositive(planned);
  const computed = analyseThresholds(source.table, {
    ...scoredModelsOn(planned, positive),
    pick: planned.rule,
    cancel: options.cancel,
    onProgress: progressOf(planned, options),
  });
  const tuned =
    planned.rule.kind === 'fixed'
      ? tunedOnSameRows(planned.rule.threshold, source, session, origin.cell)
      : null;
  const result: ThresholdAnalysisResult = {
    ...computed,
    warnings: [...warnings, ...(tuned === null ? [] : [tuned]), ...computed.warnings],
  };
  return resultComputed(planned, result, source, origin);
}

/**
 * The warning for a fixed threshold that an earlier `threshold ... pick` chose on the same
 * rows: evaluating it there is as optimistic as picking it there.
 */
function tunedOnSameRows(
  threshold: number,
  source: BoundTable,
  session: Session,
  currentCell: number,
): AnalysisWarning | null {
  for (const entry of [...session.history()].reverse()) {
    const result = entry.result;
    if (
      result?.kind !== 'threshold' ||
      entry.tableIdentity !== source.identity ||
      result.rule.kind === 'fixed'
    )
      continue;
    const models = result.models
      .filter((m) => m.chosen?.threshold !== null && m.chosen?.threshold !== undefined)
      .filter(
        (m) =>
          Math.abs((m.chosen?.threshold ?? NaN) - threshold) <=
          1e-12 * Math.max(1, Math.abs(threshold)),
      )
      .map((m) => m.name);
    if (models.length === 0) continue;
    const where =
      entry.cell !== currentCell
        ? `line ${entry.line} of cell ${entry.cell + 1}`
        : `line ${entry.line}`;
    return analysisWarnings.thresholdOnEvaluationRows(
      models,
      source.name,
      `${threshold}, picked by ${result.rule.description} at ${where}`,
    );
  }
  return null;
}

/** The leakage analysis both `check leakage` and `leakage` show, on their bound tables. */
function analyseLeakage(planned: PlannedCheckLeakage | PlannedLeakage, session: Session) {
  const train = boundTable(session, planned.train);
  const test = boundTable(session, planned.test);
  const result = leakageAnalysis(train.table, test.table, {
    trainName: planned.train.name,
    testName: planned.test.name,
    column: planned.column.name,
    normalize: planned.normalized,
  });
  return { test, result };
}

function computeLeakage(
  planned: PlannedCheckLeakage,
  session: Session,
  history: History,
): Computed {
  const { test, result } = analyseLeakage(planned, session);
  const change = { history: history(result, null, test.identity) };
  const leaked =
    result.leakedTestRows > 0
      ? { rows: result.leakedTestRows, normalized: false }
      : planned.normalized && (result.normalized?.leakedTestRows ?? 0) > 0
        ? { rows: result.normalized?.leakedTestRows ?? 0, normalized: true }
        : null;
  if (leaked === null) return { change, value: result };
  const message = messages.leakageFound(
    planned.test.name,
    planned.train.name,
    planned.column.name,
    leaked.rows,
    result.testRows,
    leaked.normalized,
  );
  return {
    change,
    value: result,
    failure: { kind: 'check-failed', diagnostics: [{ ...message, span: planned.span }] },
  };
}

/** `leakage`: the analysis of `check leakage`, shown and bound but never a failure. */
function computeReportedLeakage(
  planned: PlannedLeakage,
  session: Session,
  origin: BindingOrigin,
): Computed {
  const { test, result } = analyseLeakage(planned, session);
  return resultComputed(planned, result, test, origin);
}

function computeCheck(planned: PlannedCheck, session: Session, history: History): Computed {
  const evaluation = evaluateCheck(planned.expr, (path) => {
    const b = session.binding(path.binding);
    const root =
      b === undefined ? undefined : b.kind === 'table' ? tableKeys(b.table) : resultKeys(b.result);
    const outcome = root === undefined ? undefined : followPath(root, path.keys);
    if (outcome?.kind !== 'number' || outcome.node.kind !== 'value') {
      throw new Error(
        `internal error: ${path.text} was checked but is not a number of a bound result`,
      );
    }
    return { value: outcome.node.value, why: outcome.node.why ?? null };
  });
  const detail = describeEvaluation(planned.source, planned.expr.span.start, evaluation);
  const result: CheckResult = {
    kind: 'check',
    expression: planned.source.replace(/\s*\n\s*/gu, ' '),
    passed: evaluation.value === true,
    detail: `${evaluation.value === true ? '✓' : '✗'} ${detail}`,
    values: evaluation.refs.map((r) => ({ path: r.text, value: r.value })),
  };
  const change = { history: history(result, null) };
  if (evaluation.value === true) return { change, value: result };
  const message =
    evaluation.value === null
      ? messages.checkUndecided(detail, evaluation.undecided ?? 'a value is undefined')
      : messages.checkFailed(detail);
  return {
    change,
    value: result,
    failure: { kind: 'check-failed', diagnostics: [{ ...message, span: planned.expr.span }] },
  };
}

function computeShow(planned: PlannedShow, session: Session, history: History): Computed {
  const b = session.binding(planned.target.name);
  if (b === undefined) throw new Error(`internal error: ${planned.target.name} is not bound`);
  const value: RecordedResult =
    b.kind === 'table'
      ? summarizeTable(
          b.table,
          b.name,
          planned.limit === null ? {} : { previewRows: planned.limit },
        )
      : b.result;
  return { change: { history: history(null, null) }, value };
}

async function computeReport(
  planned: PlannedReport,
  session: Session,
  options: RunOptions,
  history: History,
  origin: BindingOrigin,
): Promise<Computed> {
  const record = session.record();
  const title = planned.title ?? DEFAULT_REPORT_TITLE;
  const value = (files: readonly string[], warnings: readonly Diagnostic[] = []): ReportResult => ({
    kind: 'report',
    title,
    file: planned.file,
    files,
    record,
    ...(warnings.length === 0 ? {} : { warnings }),
  });
  if (planned.file === null) return { change: { history: history(null, null) }, value: value([]) };
  const written = planned.file.written;
  const baseDir = options.baseDir ?? process.cwd();
  const path = resolve(baseDir, written);
  const failed = (message: messages.Message): Computed => ({
    change: { history: history(null, null) },
    value: value([]),
    failure: { kind: 'data', diagnostics: [{ ...message, span: planned.fileSpan }] },
  });
  if (options.writeReport === undefined) {
    throw new EngineError('bad-argument', `a report file cannot be written here: ${written}`);
  }
  const rules = {
    written,
    loaded: session.loadedFiles(),
    confineTo: options.confineReports === true ? baseDir : undefined,
  };
  let files: readonly string[];
  try {
    files = await options.writeReport({
      file: { ...planned.file, path },
      title,
      record,
      checkTargets: (paths) => {
        for (const target of paths) checkReportTarget(target, rules);
      },
    });
  } catch (error) {
    if (error instanceof ReportTargetError) return failed(error.diagnostic);
    return failed(messages.reportWriteFailed(written, errorReason(error)));
  }
  const real = realPathOf(path);
  const now = {
    path: real,
    cell: origin.cell,
    line: planned.line,
    statement: firstLine(planned.text),
  };
  const writtenBefore = session.reportWrittenTo(real);
  // A cell run again in a notebook rewrites its own report: that is no second report.
  const earlier =
    writtenBefore !== undefined &&
    writtenBefore.cell !== now.cell &&
    writtenBefore.line === now.line &&
    writtenBefore.statement === now.statement
      ? undefined
      : writtenBefore;
  const warnings =
    earlier === undefined
      ? []
      : [
          {
            ...messages.reportWrittenTwice(
              written,
              statementPlace(earlier, earlier.cell !== now.cell),
              statementPlace(now, earlier.cell !== now.cell),
            ),
            span: planned.fileSpan,
          },
        ];
  return {
    change: { history: history(null, null), reportWritten: now },
    value: value(files, warnings),
  };
}

/** `line 3: report "a.html"`, with the cell when two cells are concerned. */
function statementPlace(report: WrittenReport, withCell: boolean): string {
  return `${withCell ? `cell ${report.cell + 1}, ` : ''}line ${report.line}: \`${report.statement}\``;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** Why a write failed: the writer's error message names the file and says why in words. */
function errorReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
