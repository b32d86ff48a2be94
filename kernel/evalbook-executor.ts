/**
 * The Evalbook language as the kernel's CellExecutor: parse → check → run a cell in the
 * notebook's session (dsl/), and show each statement's outcome with the display layer.
 *
 * Outputs of a cell, in order:
 * - a progress line (a display with an id, updated in place) while statements do engine work,
 *   replaced at the end by its final state ("✓ 3 statements" or where the cell stopped);
 * - each statement's bundles as `display_data`: the tables bundle, then one bundle per chart;
 * - the cell's value (`execute_result`, `Out[n]`): the last statement's result when it is a
 *   single bundle (a table, a check, a setting, a report summary). A result with charts is
 *   shown in full as `display_data`, so the outputs keep their order, and the cell then has
 *   no `execute_result`.
 * A cell that fails ends with an `error` whose traceback is the rendered diagnostic (the line,
 * a caret under the fault, hints); statements above the failing one have shown their output.
 *
 * The functions that turn outcomes into bundles and JSON, and write reports, are shared with
 * `evalbook run` (bin/run-eval.ts for programs, bin/run-notebook.ts for notebooks). A kernel
 * started by `evalbook run NOTEBOOK.ipynb` is configured through the environment (KERNEL_ENV):
 * parameter overrides, where reports go, and whether each statement's JSON is published.
 */
import { relative, resolve, sep } from 'node:path';
import type { DisplayBundle } from '../display/bundle.js';
import { writeFileAtomic } from './atomic-write.js';
import { createDisplayContext, type DisplayContext } from '../display/context.js';
import { escapeHtml } from '../display/html.js';
import { render, type Renderable } from '../display/render/index.js';
import { renderReport, reportSummaryBundle, type ReportInput } from '../display/report.js';
import {
  cellCompleteness,
  check,
  complete,
  inspect,
  parse,
  renderDiagnostics,
  run,
  Session,
  type Diagnostic,
  type ParamValue,
  type ReportRequest,
  type SessionRecord,
  type StatementOutcome,
  type StatementProgress,
  type StatementValue,
} from '../dsl/index.js';
import { followPath, resultKeys, tableKeys } from '../dsl/values.js';
import { dataFrameWith, loadDanfo, type DataFrame } from '../engine/frame.js';
import type { Table } from '../engine/table.js';
import type {
  CellExecutor,
  CompletenessResult,
  CompletionResult,
  ExecuteOutcome,
  ExecutionContext,
  ExpressionValue,
  InspectionResult,
} from './executor.js';
import { packageVersion } from './kernel-info.js';
import {
  expressionNotANumber,
  expressionNotAPath,
  expressionTooLong,
  expressionUndefined,
  expressionUnknownKey,
  expressionUnknownName,
  type ExpressionError,
} from './messages.js';

// ---------------------------------------------------------------------------------------------
// Outcomes as bundles, shared with `evalbook run`

/** The `ename` of each way a cell can fail. */
export const ERROR_NAMES = {
  parse: 'ParseError',
  check: 'CheckError',
  data: 'DataError',
  'check-failed': 'CheckFailed',
  interrupted: 'Interrupted',
} as const;

/** Versions that determine a report's numbers: nothing machine-specific beyond Node's. */
export function reportVersions(): Record<string, string> {
  return { evalbook: packageVersion(), node: process.versions.node };
}

/** The display layer's report input for a session record. */
export function reportInput(record: SessionRecord, title: string): ReportInput {
  return {
    title,
    source: record.source,
    items: record.items.map((item) => ({
      line: item.line,
      statement: item.statement,
      result: item.result,
    })),
    inputs: record.inputs,
    seeds: record.seeds,
    versions: reportVersions(),
  };
}

/**
 * Writes a report's files (the main one at the request's absolute path, markdown's chart
 * pages beside it) and returns their paths relative to `baseDir`, with `/` separators.
 */
export function writeReportFiles(request: ReportRequest, baseDir: string): string[] {
  if (request.file === null) return [];
  const output = renderReport(reportInput(request.record, request.title), {
    format: request.file.format,
    title: request.title,
    path: request.file.path,
  });
  // Every file is checked before any is written, so a refused report writes nothing.
  request.checkTargets(output.files.map((file) => file.path));
  return output.files.map((file) => {
    writeFileAtomic(file.path, file.content);
    return relative(baseDir, file.path).split(sep).join('/');
  });
}

/** The statement keyword of the statement a diagnostic's line is in (null on a blank line). */
export function statementAt(source: string, line: number): string | null {
  const lines = source.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const text = lines[i];
    if (text.trim() === '' || /^\s/u.test(text) || text.trimStart().startsWith('#')) continue;
    return /^[A-Za-z_]+/u.exec(text)?.[0] ?? null;
  }
  return null;
}

/** A statement's value as `--json` prints it (a report without its record). */
function jsonValue(value: StatementValue): unknown {
  if (value.kind !== 'report') return value;
  return {
    kind: 'report',
    title: value.title,
    file: value.file?.written ?? null,
    format: value.file?.format ?? null,
    files: value.files,
    results: value.record.items.length,
  };
}

/** The `error` member of a JSON line: the first diagnostic's code and message, all rendered. */
export function errorJson(diagnostics: readonly Diagnostic[], source: string): unknown {
  const first = diagnostics[0];
  return {
    code: first.code,
    message: first.message,
    rendered: renderDiagnostics(diagnostics, source),
  };
}

/**
 * A statement's outcome as the JSON object `evalbook run --json` prints for it:
 * `{line, statement, name, result}`, plus `error` when it failed (`result` then only when the
 * failure carries one: a failed check or leakage).
 */
export function statementJson(outcome: StatementOutcome, source: string): Record<string, unknown> {
  const base = { line: outcome.line, statement: outcome.keyword, name: outcome.name };
  if (outcome.status === 'ok') {
    const warnings = outcome.value.kind === 'report' ? (outcome.value.warnings ?? []) : [];
    return {
      ...base,
      result: jsonValue(outcome.value),
      ...(warnings.length === 0
        ? {}
        : { warnings: warnings.map((warning) => errorJson([warning], source)) }),
    };
  }
  return {
    ...base,
    ...(outcome.value === null ? {} : { result: outcome.value }),
    error: errorJson(outcome.error.diagnostics, source),
  };
}

/** The JSON object for one problem of a cell that did not parse or check (nothing ran). */
export function diagnosticJson(diagnostic: Diagnostic, source: string): Record<string, unknown> {
  return {
    line: diagnostic.span.line,
    statement: statementAt(source, diagnostic.span.line),
    name: null,
    error: errorJson([diagnostic], source),
  };
}

function settingBundle(
  value: Extract<StatementOutcome, { status: 'ok' }>['value'] & { kind: 'setting' },
): DisplayBundle {
  const shown = typeof value.value === 'string' ? JSON.stringify(value.value) : String(value.value);
  const text =
    value.setting === 'positive'
      ? `positive label: ${shown}`
      : value.setting === 'seed'
        ? `seed: ${shown}${value.overridden ? ' (given to the run)' : ''}`
        : `parameter ${value.name} = ${shown}${value.overridden ? ' (given to the run)' : ''}`;
  return {
    data: {
      'text/plain': text,
      'text/html': `<div class="evalbook-root"><code>${escapeHtml(text)}</code></div>`,
    },
    metadata: {},
  };
}

export interface BundleOptions {
  readonly context: DisplayContext;
  /** False: the tables bundle only (no chart bundles). */
  readonly charts?: boolean;
  /** The cell's text, for showing a warning with its place (a report written twice). */
  readonly source?: string;
}

/** The bundles a statement's outcome shows (an error shows what it carries: a failed check). */
export function outcomeBundles(outcome: StatementOutcome, options: BundleOptions): DisplayBundle[] {
  const renderOptions = { context: options.context, charts: options.charts };
  if (outcome.status === 'error') {
    return outcome.value === null ? [] : render(outcome.value as Renderable, renderOptions);
  }
  const value = outcome.value;
  switch (value.kind) {
    case 'setting':
      return [settingBundle(value)];
    case 'report': {
      const summary = reportSummaryBundle(reportInput(value.record, value.title), value.title);
      if (value.file === null) return [summary];
      // A link to the file, then the same summary a `report` without a file shows.
      const main = value.files[0] ?? value.file.written;
      const others = value.files.length - 1;
      const count = value.record.items.length;
      const what = `${count} ${count === 1 ? 'result' : 'results'}${others > 0 ? `; ${others} more ${others === 1 ? 'file' : 'files'} beside it` : ''}`;
      const link = `[${main.replace(/[[\]]/gu, '\\$&')}](${encodeURI(main)})`;
      const warned =
        value.warnings === undefined || value.warnings.length === 0
          ? ''
          : `${renderDiagnostics(value.warnings, options.source ?? '')}\n\n`;
      const fenced = warned === '' ? '' : `\`\`\`\n${warned.trimEnd()}\n\`\`\`\n\n`;
      return [
        {
          data: {
            'text/plain': `${warned}report written: ${main} (${what})\n\n${String(summary.data['text/plain'])}`,
            'text/markdown': `${fenced}Report written: ${link} (${what})\n\n${String(summary.data['text/markdown'])}`,
          },
          metadata: {},
        },
      ];
    }
    default:
      return render(value as Renderable, { ...renderOptions, explain: outcome.explain });
  }
}

/** Diagnostics as a kernel error: the message of the first, the rendering of all. */
export function diagnosticsError(
  ename: string,
  diagnostics: readonly Diagnostic[],
  code: string,
): ExecuteOutcome {
  const rendered = renderDiagnostics(diagnostics, code);
  const first = diagnostics[0];
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  return {
    status: 'error',
    ename,
    evalue: `${first.message}${more}`,
    traceback: rendered.split('\n'),
  };
}

/** The statement kinds whose work can take a while, and deserve a progress line. */
const LONG_KINDS = new Set([
  'load',
  'split-into',
  'split-by',
  'compare',
  'threshold',
  'calibration',
  'curve',
  'check-leakage',
  'leakage',
]);

/** How often a progress line is updated, at most. */
const PROGRESS_INTERVAL_MS = 150;

/** A progress line that updates in place. */
class ProgressLine {
  #last = 0;

  constructor(
    private readonly ctx: ExecutionContext,
    private readonly id: string,
    private readonly total: number,
  ) {
    ctx.display(this.bundle(`running ${total} statement${total === 1 ? '' : 's'}…`, null), {
      displayId: id,
    });
  }

  private bundle(text: string, fraction: number | null): DisplayBundle {
    const bar =
      fraction === null ? '' : ` <progress value="${fraction.toFixed(3)}" max="1"></progress>`;
    return {
      data: {
        'text/plain': text,
        'text/html': `<div class="evalbook-root evalbook-progress"><code>${escapeHtml(text)}</code>${bar}</div>`,
      },
      metadata: {},
    };
  }

  update(p: StatementProgress): void {
    const now = Date.now();
    if (now - this.#last < PROGRESS_INTERVAL_MS) return;
    this.#last = now;
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : null;
    const amount = p.total > 0 ? ` ${Math.round((fraction ?? 0) * 100)}%` : '';
    this.ctx.updateDisplay(
      this.bundle(`⏳ line ${p.line} ${p.keyword}: ${p.phase}${amount}`, fraction),
      this.id,
    );
  }

  finish(text: string): void {
    this.ctx.updateDisplay(this.bundle(text, null), this.id);
  }
}

// ---------------------------------------------------------------------------------------------
// The executor

type Danfo = Awaited<ReturnType<typeof loadDanfo>>;

export interface EvalbookExecutorOptions {
  /** Relative data files: the notebook's directory (the kernel's working directory). */
  readonly baseDir?: string;
  /** Where relative report files are written: `baseDir` unless given. */
  readonly reportDir?: string;
  /** Parameter overrides for every session (and after a restart). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /**
   * Publish each statement's JSON (`statementJson`, or `diagnosticJson` per problem of a cell
   * that does not parse or check) as a `display_data` of RESULT_MIME after its outputs, for
   * `evalbook run NOTEBOOK --json`. Off for a notebook front end, which has no use for it.
   */
  readonly results?: boolean;
  /** Report files must stay inside `reportDir` (a notebook run's `--out`). */
  readonly confineReports?: boolean;
}

/** The MIME type of a statement's JSON result in a `display_data` (see `results`). */
export const RESULT_MIME = 'application/vnd.evalbook.result+json';

/** The environment variables through which `evalbook run` configures the kernel it starts. */
export const KERNEL_ENV = {
  /** A JSON object of parameter overrides, name → text or number (`--set`). */
  params: 'EVALBOOK_PARAMS',
  /** The directory relative report files are written to (`--out`). */
  reportDir: 'EVALBOOK_REPORT_DIR',
  /** `1`: publish each statement's JSON result (`--json`). */
  results: 'EVALBOOK_RESULTS',
  /** `1`: report files must stay inside the report directory (`--out` without `--allow-outside-out`). */
  confineReports: 'EVALBOOK_CONFINE_REPORTS',
} as const;

/**
 * The executor's options from the kernel's environment (KERNEL_ENV); the working directory is
 * the base directory. Throws when EVALBOOK_PARAMS is not a JSON object of texts and numbers.
 */
export function executorOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): EvalbookExecutorOptions {
  const params: Record<string, ParamValue> = {};
  const rawParams = env[KERNEL_ENV.params];
  if (rawParams !== undefined && rawParams !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawParams);
    } catch {
      throw new TypeError(`${KERNEL_ENV.params} is not valid JSON: ${rawParams}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TypeError(`${KERNEL_ENV.params} must be a JSON object, got ${rawParams}`);
    }
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new TypeError(
          `${KERNEL_ENV.params}: the value of ${name} must be a text or a number, got ${JSON.stringify(value)}`,
        );
      }
      params[name] = value;
    }
  }
  const reportDir = env[KERNEL_ENV.reportDir];
  return {
    baseDir: cwd,
    ...(reportDir !== undefined && reportDir !== '' ? { reportDir: resolve(cwd, reportDir) } : {}),
    params,
    results: env[KERNEL_ENV.results] === '1',
    ...(env[KERNEL_ENV.confineReports] === '1' ? { confineReports: true } : {}),
  };
}

/** A statement's JSON as a bundle: serialised here, so that it is exactly what `--json` prints. */
function resultBundle(json: Record<string, unknown>): DisplayBundle {
  return { data: { [RESULT_MIME]: JSON.parse(JSON.stringify(json)) as unknown }, metadata: {} };
}

export class EvalbookExecutor implements CellExecutor {
  readonly #baseDir: string;
  readonly #reportDir: string;
  readonly #params: Readonly<Record<string, ParamValue>>;
  readonly #results: boolean;
  readonly #confineReports: boolean;
  #session: Session;
  #context: DisplayContext;
  #progressLines = 0;

  constructor(options: EvalbookExecutorOptions = {}) {
    this.#baseDir = options.baseDir ?? process.cwd();
    this.#reportDir = options.reportDir ?? this.#baseDir;
    this.#confineReports = options.confineReports ?? false;
    this.#params = options.params ?? {};
    this.#results = options.results ?? false;
    this.#session = new Session({ params: this.#params });
    this.#context = createDisplayContext();
  }

  /** The session cells run in (replaced by `reset`). */
  get session(): Session {
    return this.#session;
  }

  async execute(cell: string, ctx: ExecutionContext): Promise<ExecuteOutcome> {
    // A byte-order mark pasted in with the text is no part of the cell, as for program files.
    const code = cell.replace(/^\uFEFF/u, '');
    const notRun = (ename: string, diagnostics: readonly Diagnostic[]): ExecuteOutcome => {
      if (this.#results) {
        for (const d of diagnostics) ctx.display(resultBundle(diagnosticJson(d, code)));
      }
      return diagnosticsError(ename, diagnostics, code);
    };
    const parsed = parse(code);
    if (!parsed.ok) return notRun(ERROR_NAMES.parse, parsed.diagnostics);
    const checked = check(parsed.program, this.#session, { source: code, baseDir: this.#baseDir });
    if (!checked.ok) return notRun(ERROR_NAMES.check, checked.diagnostics);
    const plan = checked.plan;
    const statements = plan.statements.length;
    if (statements === 0) return { status: 'ok' };
    const progress = plan.statements.some((s) => LONG_KINDS.has(s.kind))
      ? new ProgressLine(ctx, `evalbook-progress-${++this.#progressLines}`, statements)
      : null;
    let value: DisplayBundle | undefined;
    let failure: ExecuteOutcome | undefined;
    let outcomes: StatementOutcome[];
    try {
      outcomes = await run(plan, this.#session, {
        cancel: ctx.cancel,
        // The run resolves report names only: data files were resolved by the check.
        baseDir: this.#reportDir,
        onProgress: (p) => progress?.update(p),
        writeReport: async (request) => writeReportFiles(request, this.#reportDir),
        confineReports: this.#confineReports,
        onOutcome: (outcome) => {
          const bundles = outcomeBundles(outcome, { context: this.#context, source: code });
          const isValue =
            outcome.status === 'ok' && outcome.index === statements - 1 && bundles.length === 1;
          if (isValue) value = bundles[0];
          else for (const bundle of bundles) ctx.display(bundle);
          if (this.#results) ctx.display(resultBundle(statementJson(outcome, code)));
          if (outcome.status === 'error') {
            failure = diagnosticsError(
              ERROR_NAMES[outcome.error.kind],
              outcome.error.diagnostics,
              code,
            );
          }
        },
      });
    } catch (error) {
      // A bug, not the user's mistake: the statement committed nothing, the kernel goes on.
      const message = error instanceof Error ? error.message : String(error);
      progress?.finish(`✗ internal error`);
      return {
        status: 'error',
        ename: 'InternalError',
        evalue: message,
        traceback: [`InternalError: ${message}`],
      };
    }
    const last = outcomes[outcomes.length - 1];
    if (last?.status === 'error') {
      progress?.finish(
        last.error.kind === 'interrupted'
          ? `✗ interrupted at line ${last.line} (${last.keyword}); the session is as it was before it`
          : `✗ stopped at line ${last.line} (${last.keyword})`,
      );
    } else {
      progress?.finish(`✓ ${outcomes.length} statement${outcomes.length === 1 ? '' : 's'}`);
    }
    if (failure !== undefined) return failure;
    return value === undefined ? { status: 'ok' } : { status: 'ok', result: value };
  }

  complete(code: string, cursorPos: number): CompletionResult {
    const completion = complete(code, cursorPos, this.#session, { baseDir: this.#baseDir });
    return {
      matches: [...completion.matches],
      cursorStart: completion.start,
      cursorEnd: completion.end,
    };
  }

  /** Inspection is the same at every detail level: short enough for a tooltip. */
  inspect(code: string, cursorPos: number, _detailLevel: 0 | 1 = 0): InspectionResult {
    const found = inspect(code, cursorPos, this.#session);
    if (!found.found) return { found: false, data: {} };
    return { found: true, data: { 'text/plain': found.plain, 'text/markdown': found.markdown } };
  }

  isComplete(code: string): CompletenessResult {
    const completeness = cellCompleteness(code);
    return completeness.status === 'incomplete'
      ? { status: 'incomplete', indent: completeness.indent }
      : { status: completeness.status };
  }

  reset(): void {
    this.#session = new Session({ params: this.#params });
    this.#context = createDisplayContext();
  }

  /**
   * A result path (`R.finetuned.f1`, `test.rows`) or a parameter's name, as `check` reads
   * it: a number, or an error naming what is there instead.
   */
  evaluateExpression(expression: string): ExpressionValue {
    const text = expression.trim();
    const fail = (error: ExpressionError): ExpressionValue => ({
      status: 'error',
      ename: error.ename,
      evalue: error.evalue,
      traceback: [`${error.ename}: ${error.evalue}`],
    });
    const ok = (value: string): ExpressionValue => ({
      status: 'ok',
      data: { 'text/plain': value },
      metadata: {},
    });
    if (!/^[^.\s]+(\.[^.\s]+)*$/u.test(text)) return fail(expressionNotAPath(text));
    const [name, ...keys] = text.split('.');
    const binding = this.#session.binding(name);
    if (binding === undefined) {
      const param = this.#session.param(name);
      if (param !== undefined && keys.length === 0) {
        return ok(
          typeof param.value === 'string' ? JSON.stringify(param.value) : String(param.value),
        );
      }
      const known = [
        ...this.#session.bindings().map((b) => b.name),
        ...this.#session.params().map((p) => p.name),
      ];
      return fail(expressionUnknownName(name, known));
    }
    const root = binding.kind === 'table' ? tableKeys(binding.table) : resultKeys(binding.result);
    const outcome = followPath(root, keys);
    const upTo = (index: number) => [name, ...keys.slice(0, index)].join('.');
    switch (outcome.kind) {
      case 'unknown-key':
        return fail(
          expressionUnknownKey(upTo(outcome.index), keys[outcome.index], outcome.available),
        );
      case 'not-a-number':
        return fail(expressionNotANumber(text, outcome.available));
      case 'too-long':
        return fail(expressionTooLong(text, upTo(outcome.index)));
      case 'number': {
        const node = outcome.node;
        if (node.kind !== 'value' || node.value === null) {
          return fail(expressionUndefined(text, node.kind === 'value' ? node.why : undefined));
        }
        return ok(String(node.value));
      }
    }
  }

  /**
   * Tables as danfojs DataFrames, results as plain objects (copies: a `%%ts` cell cannot
   * change the session), parameters as their values.
   *
   * A table is a getter: its DataFrame is built when a cell first reads it, and kept for
   * later cells while the table stays bound (a rebinding makes a new Table, and the old
   * frame goes with the old table). Building every table's frame before every cell made a
   * trivial cell take over a second and the kernel's memory grow with a 1M-row table bound.
   */
  async tsGlobals(): Promise<Record<string, unknown>> {
    const globals: Record<string, unknown> = {};
    for (const p of this.#session.params()) globals[p.name] = p.value;
    const tables = this.#session.bindings().filter((b) => b.kind === 'table' && b.table.nRows > 0);
    const danfo = tables.length > 0 ? await loadDanfo() : undefined;
    for (const binding of this.#session.bindings()) {
      if (binding.kind === 'result') {
        globals[binding.name] = structuredClone(binding.result);
      } else if (danfo !== undefined && binding.table.nRows > 0) {
        const table = binding.table;
        Object.defineProperty(globals, binding.name, {
          enumerable: true,
          configurable: true,
          get: () => this.#frameOf(danfo, table),
        });
      }
    }
    return globals;
  }

  /** The DataFrames of tables some `%%ts` cell has read, while the tables live. */
  readonly #frames = new WeakMap<Table, DataFrame>();

  #frameOf(danfo: Danfo, table: Table): DataFrame {
    let frame = this.#frames.get(table);
    if (frame === undefined) {
      frame = dataFrameWith(danfo, table);
      this.#frames.set(table, frame);
    }
    return frame;
  }
}

/** The module interface kernel/language.ts loads; configured by the environment (KERNEL_ENV). */
export function createCellExecutor(): CellExecutor {
  return new EvalbookExecutor(executorOptionsFromEnv());
}
