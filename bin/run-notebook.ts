/**
 * `evalbook run NOTEBOOK.ipynb`: executes a notebook's code cells in order on the Evalbook
 * kernel over ZeroMQ — the path Jupyter takes, with no Python — and writes the executed
 * notebook (nbformat 4.5) and its offline HTML rendering into the output directory.
 *
 * - The kernel runs in the notebook's directory, so relative data files resolve as they do in
 *   Jupyter; reports are written into the output directory (the executor's report directory,
 *   given through the kernel's environment), never into the source tree.
 * - Parameters (`--set NAME=VALUE`), as papermill does them: a cell tagged
 *   `injected-parameters` is inserted after the first cell tagged `parameters` (or at the top)
 *   with a `param` statement per override (`set seed N` for `seed`), which records them in
 *   the executed notebook. The overrides also go to the kernel's session, so they win over
 *   every `param` of the notebook, wherever it is declared, exactly as for `.eval` programs.
 * - A cell that fails (an error, a `check` that does not hold, a timeout) fails the run: the
 *   cells after it are not run unless `--allow-errors`. A cell tagged `raises-exception` may
 *   fail without failing the run (nbclient's convention).
 * - Progress goes to stderr (a bar on a terminal, a line per cell otherwise); a summary of
 *   every cell's outcome follows. With `--json`, stdout has one JSON object per statement, as
 *   for `.eval` files, with the cell's execution count and id added.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import {
  KernelClient,
  KernelDiedError,
  type CellExecution,
  type CellOutput,
  type ReceivedMessage,
} from '../kernel/client.js';
import { ensureDirectory, FileWriteError, writeFileAtomic } from '../kernel/atomic-write.js';
import { KERNEL_ENV, RESULT_MIME } from '../kernel/evalbook-executor.js';
import { defaultKernelArgv, DISPLAY_NAME, type CommandIo } from '../kernel/install.js';
import { LANGUAGE_NAME } from '../kernel/kernel-info.js';
import { isTypeScriptCell } from '../kernel/ts-cells.js';
import { readFailure } from '../kernel/system-errors.js';
import {
  checkOverrides,
  declaredParams as declaredProgramParams,
  parse,
  printOverrides,
  type DeclaredParams,
} from '../dsl/index.js';
import * as messages from './messages.js';
import { notebookHtml } from './notebook-html.js';
import {
  cellTags,
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  type CodeCell,
  type Notebook,
  type NotebookCell,
  type NotebookOutput,
} from './notebook.js';
import { createProgress, fit, type ProgressCell, type ProgressStream } from './progress.js';
import { parseRunArguments, shortUsage, UsageError, type RunArguments } from './run-eval.js';
import { jsonSafe, onOutputClosed } from './terminal.js';

export const NOTEBOOK_RUN_USAGE = [
  'usage: evalbook run NOTEBOOK.ipynb [--out DIR] [--json] [--set NAME=VALUE ...]',
  '                                   [--cell-timeout SECONDS] [--allow-errors]',
  '                                   [--allow-outside-out]',
  '',
  "Executes the notebook's code cells in order on the Evalbook kernel and writes",
  'DIR/NAME.ipynb (the executed notebook) and DIR/NAME.html (an offline rendering of it).',
  '',
  '  --out DIR         where the executed notebook, its rendering and reports go (default: out)',
  '  --json            one JSON object per statement on stdout, as for .eval files',
  '  --set NAME=VALUE  override the parameter NAME (a `param` of the notebook, or `seed`)',
  '  --cell-timeout S  interrupt a cell that runs longer than S seconds and fail it',
  '                    (default: no limit; --timeout is the same)',
  '  --allow-errors    run the cells after a failing one too (the run still fails)',
  '  --allow-outside-out  let reports be written outside DIR (`..`, absolute paths);',
  '                    without it such a `report` fails and writes nothing',
  '',
  'Relative data files are read from the notebook\'s directory. A cell tagged "parameters"',
  'receives the overrides after it; a cell tagged "raises-exception" may fail. A notebook',
  'whose metadata names another kernel (python3) is run as Evalbook, with a warning.',
  '',
  'Exit status: 0 when every cell ran and every check held, 1 when a cell failed,',
  '2 for a usage error, 130 when interrupted.',
].join('\n');

/** Where the executed notebook goes when no `--out` is given (relative to the working directory). */
export const DEFAULT_OUT_DIR = 'out';

/** How `runNotebook` runs a notebook. Paths may be relative to the working directory. */
export interface NotebookRunOptions {
  readonly notebook: string;
  readonly outDir: string;
  readonly json: boolean;
  readonly params: Readonly<Record<string, string>>;
  /** Per cell; null: no limit. */
  readonly timeoutSeconds: number | null;
  readonly allowErrors: boolean;
  /** Reports may be written outside `outDir`; by default a report there fails (E0311). */
  readonly allowOutsideOut?: boolean;
  /** Where progress goes (process.stderr unless given). */
  readonly progress?: ProgressStream;
  /** Aborting it interrupts the running cell and runs no more (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** How a code cell ended. */
export type CellOutcome =
  'ok' | 'error' | 'expected-error' | 'timeout' | 'kernel-died' | 'not-run' | 'empty';

/** One code cell of the run. */
export interface CellSummary {
  /** Its index in the executed notebook's `cells`. */
  readonly index: number;
  readonly id: string;
  readonly executionCount: number | null;
  /** The first line of its source that is not blank or a comment. */
  readonly label: string;
  readonly outcome: CellOutcome;
  /** The error it ended with (also for `expected-error`). */
  readonly error: { ename: string; evalue: string; traceback: string[] } | null;
  readonly seconds: number;
  /** Its statements' JSON objects (`evalbook run --json`), in order. */
  readonly statements: readonly Record<string, unknown>[];
}

/** What a run produced. */
export interface NotebookRunResult {
  /** True when a cell failed (a `raises-exception` cell's error does not count). */
  readonly failed: boolean;
  readonly interrupted: boolean;
  readonly notebookPath: string;
  readonly htmlPath: string;
  /** Report files written by the notebook's `report` statements (absolute paths). */
  readonly reports: readonly string[];
  readonly cells: readonly CellSummary[];
}

/** The parameters the notebook's language cells declare (the first declaration's kind). */
export function declaredParams(notebook: Notebook): DeclaredParams {
  const programs = notebook.cells.flatMap((cell) => {
    if (cell.cell_type !== 'code' || isTypeScriptCell(cell.source)) return [];
    const parsed = parse(cell.source);
    return parsed.ok ? [parsed.program] : [];
  });
  return declaredProgramParams(programs);
}

/**
 * The source of the injected-parameters cell: one statement per override, in the order given.
 * Throws UsageError for a name the notebook does not declare (other than `seed`) and for a
 * value that does not fit its parameter.
 */
export function parametersSource(
  params: Readonly<Record<string, string>>,
  declared: DeclaredParams,
): string {
  const checked = checkOverrides(params, declared, { where: 'notebook', types: true });
  if (!checked.ok) throw new UsageError(checked.problem);
  const header = '# Parameters given to `evalbook run` (--set)';
  return checked.statements.length === 0
    ? header
    : `${header}\n${printOverrides(checked.statements)}`;
}

/** Where the injected-parameters cell goes: after the first cell tagged `parameters`. */
function injectionIndex(cells: readonly NotebookCell[]): number {
  const tagged = cells.findIndex((cell) => cellTags(cell).includes('parameters'));
  return tagged < 0 ? 0 : tagged + 1;
}

/** The first line of a cell worth showing: not blank, not a comment (after a `%%` magic). */
export function cellLabel(source: string): string {
  const lines = source.split('\n').map((line) => line.trim());
  const magic = lines[0]?.startsWith('%%') === true ? `${lines.shift()}: ` : '';
  const line = lines.find((l) => l !== '' && !l.startsWith('#')) ?? lines.find((l) => l !== '');
  return line === undefined ? magic.slice(0, -2) || '(empty)' : `${magic}${line}`;
}

/** The executed notebook before any cell has run: outputs cleared, parameters injected. */
function preparedNotebook(source: Notebook, injected: string | null): Notebook {
  const cells: NotebookCell[] = source.cells.map((cell) =>
    cell.cell_type === 'code' ? { ...cell, execution_count: null, outputs: [] } : { ...cell },
  );
  if (injected !== null) {
    const taken = new Set(cells.map((cell) => cell.id));
    let id = 'injected-parameters';
    for (let n = 2; taken.has(id); n++) id = `injected-parameters-${n}`;
    cells.splice(injectionIndex(cells), 0, {
      cell_type: 'code',
      id,
      source: injected,
      metadata: { tags: ['injected-parameters'] },
      execution_count: null,
      outputs: [],
    });
  }
  return { ...source, nbformat_minor: 5, cells };
}

/** A kernel output as the notebook stores it; the runner's result JSON is taken out. */
function notebookOutput(
  output: CellOutput,
  statements: Record<string, unknown>[],
): NotebookOutput | null {
  switch (output.output_type) {
    case 'display_data':
    case 'execute_result': {
      const { [RESULT_MIME]: result, ...data } = output.data;
      if (typeof result === 'object' && result !== null && !Array.isArray(result)) {
        statements.push(result as Record<string, unknown>);
      }
      if (Object.keys(data).length === 0) return null;
      return output.output_type === 'display_data'
        ? { output_type: 'display_data', data, metadata: output.metadata }
        : {
            output_type: 'execute_result',
            execution_count: output.execution_count,
            data,
            metadata: output.metadata,
          };
    }
    default:
      return output;
  }
}

/** The text of a progress update, when the message is one (the executor's progress line). */
function progressText(message: ReceivedMessage): string | null {
  if (message.header.msg_type !== 'update_display_data') return null;
  const content = message.content as { data?: Record<string, unknown> };
  const text = content.data?.['text/plain'];
  return typeof text === 'string' ? text : null;
}

function errorOutput(ename: string, evalue: string): NotebookOutput & { output_type: 'error' } {
  return { output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] };
}

/** The cell-level JSON object of a failure no statement reported (a `%%ts` error, a timeout). */
function cellErrorJson(error: { ename: string; evalue: string; traceback: string[] }) {
  return {
    line: null,
    statement: null,
    name: null,
    error: {
      code: null,
      message: `${error.ename}: ${error.evalue}`,
      rendered: error.traceback.join('\n'),
    },
  };
}

/**
 * Runs a notebook (see the module comment) and writes its outputs. Throws UsageError when the
 * notebook cannot be read or a parameter does not fit; a failing cell is a result, not a throw.
 */
export async function runNotebook(
  options: NotebookRunOptions,
  io: CommandIo,
): Promise<NotebookRunResult> {
  const sourcePath = resolve(options.notebook);
  let text: string;
  try {
    // JSON.parse refuses a byte-order mark; an editor may have written one.
    text = readFileSync(sourcePath, 'utf8').replace(/^\uFEFF/u, '');
  } catch (error) {
    throw new UsageError(messages.cannotRead(options.notebook, readFailure(error)));
  }
  let source: Notebook;
  try {
    source = parseNotebook(text, options.notebook);
  } catch (error) {
    if (error instanceof NotebookFormatError) throw new UsageError(error.message);
    throw error;
  }
  const otherKernel = foreignKernel(source);
  if (otherKernel !== null) {
    io.err(
      `evalbook run: warning: the metadata of ${options.notebook} names the kernel ${otherKernel}, ` +
        'not Evalbook; its cells are run as Evalbook\n',
    );
  }
  const outDir = resolve(options.outDir);
  const name = basename(sourcePath, extname(sourcePath));
  const notebookPath = join(outDir, `${name}.ipynb`);
  if (notebookPath === sourcePath) {
    throw new UsageError(
      `--out ${options.outDir} would overwrite the notebook itself; choose another directory`,
    );
  }
  const hasParams = Object.keys(options.params).length > 0;
  const injected = hasParams ? parametersSource(options.params, declaredParams(source)) : null;
  const notebook = preparedNotebook(source, injected);
  ensureDirectory(outDir);

  const progressStream = options.progress ?? process.stderr;
  const progress = createProgress(progressStream);
  const codeCells = notebook.cells
    .map((cell, index) => ({ cell, index }))
    .filter((entry): entry is { cell: CodeCell; index: number } => entry.cell.cell_type === 'code');
  const runnable = codeCells.filter((entry) => entry.cell.source.trim() !== '');

  const [command, ...args] = defaultKernelArgv();
  const client = await KernelClient.start({
    command,
    args,
    cwd: dirname(sourcePath),
    kernelName: LANGUAGE_NAME,
    env: {
      ...process.env,
      [KERNEL_ENV.params]: JSON.stringify(options.params),
      [KERNEL_ENV.reportDir]: outDir,
      [KERNEL_ENV.results]: '1',
      [KERNEL_ENV.confineReports]: options.allowOutsideOut === true ? '0' : '1',
    },
    readyTimeoutMs: 60_000,
  });
  const summaries: CellSummary[] = [];
  let failed = false;
  let kernelDead = false;
  let interrupted = options.signal?.aborted ?? false;
  const onAbort = (): void => {
    interrupted = true;
    if (client.alive) void client.interrupt().catch(() => undefined);
  };
  options.signal?.addEventListener('abort', onAbort);
  try {
    let position = 0;
    for (const { cell, index } of codeCells) {
      const label = cellLabel(cell.source);
      const summary = (
        outcome: CellOutcome,
        rest: Partial<Pick<CellSummary, 'error' | 'seconds' | 'statements'>> = {},
      ): CellSummary => ({
        index,
        id: cell.id,
        executionCount: cell.execution_count,
        label,
        outcome,
        error: rest.error ?? null,
        seconds: rest.seconds ?? 0,
        statements: rest.statements ?? [],
      });
      if (cell.source.trim() === '') {
        summaries.push(summary('empty'));
        continue;
      }
      if ((failed && !options.allowErrors) || kernelDead || interrupted) {
        summaries.push(summary('not-run'));
        continue;
      }
      const progressCell: ProgressCell = { position: ++position, total: runnable.length, label };
      progress.cellStarted(progressCell);
      const started = performance.now();
      let execution: CellExecution | null = null;
      let died: KernelDiedError | null = null;
      try {
        execution = await client.executeCell(cell.source, {
          timeoutMs: options.timeoutSeconds === null ? undefined : options.timeoutSeconds * 1000,
          onMessage: (message) => {
            const detail = progressText(message);
            if (detail !== null) progress.detail(detail);
          },
        });
      } catch (error) {
        if (!(error instanceof KernelDiedError)) throw error;
        died = error;
      }
      const seconds = (performance.now() - started) / 1000;
      client.discardReceived();
      const statements: Record<string, unknown>[] = [];
      cell.execution_count = execution?.executionCount ?? null;
      cell.outputs = (execution?.outputs ?? [])
        .map((output) => notebookOutput(output, statements))
        .filter((output): output is NotebookOutput => output !== null);
      let outcome: CellOutcome;
      let error: CellSummary['error'] = null;
      if (died !== null) {
        kernelDead = true;
        const output = errorOutput('KernelDied', died.message);
        cell.outputs.push(output);
        error = output;
        outcome = 'kernel-died';
      } else if (execution?.status === 'timeout') {
        const output = errorOutput(
          'CellTimeout',
          `the cell ran longer than ${options.timeoutSeconds} s and was interrupted`,
        );
        cell.outputs.push(output);
        error = output;
        outcome = 'timeout';
      } else if (execution?.status === 'ok') {
        outcome = 'ok';
      } else {
        const shown = cell.outputs.find((o) => o.output_type === 'error');
        const reply = execution?.reply ?? {};
        error =
          shown?.output_type === 'error'
            ? shown
            : {
                ename: String(reply.ename ?? 'Aborted'),
                evalue: String(reply.evalue ?? 'the kernel did not run the cell'),
                traceback: Array.isArray(reply.traceback) ? reply.traceback.map(String) : [],
              };
        outcome = cellTags(cell).includes('raises-exception') ? 'expected-error' : 'error';
      }
      const cellFailed = outcome !== 'ok' && outcome !== 'expected-error';
      if (cellFailed) failed = true;
      const done = summary(outcome, { error, seconds, statements });
      summaries.push(done);
      progress.cellFinished(progressCell, outcomeWord(done), seconds, cellFailed);
      if (options.json) {
        const objects =
          error !== null && !statements.some((s) => s.error !== undefined)
            ? [...statements, cellErrorJson(error)]
            : statements;
        for (const object of objects) {
          io.out(
            `${jsonSafe(JSON.stringify({ cell: cell.execution_count, cell_id: cell.id, ...object }))}\n`,
          );
        }
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    progress.finish();
    if (client.alive) await client.shutdown().catch(() => undefined);
    await client.close();
  }

  notebook.metadata = {
    ...notebook.metadata,
    kernelspec: { display_name: DISPLAY_NAME, language: LANGUAGE_NAME, name: LANGUAGE_NAME },
    language_info: client.kernelInfo.language_info ?? { name: LANGUAGE_NAME },
    ...(hasParams ? { evalbook: { parameters: { ...options.params } } } : {}),
  };
  const reports = summaries.flatMap((cell) =>
    cell.statements.flatMap((statement) => {
      const files = (statement.result as { files?: unknown } | undefined)?.files;
      return statement.statement === 'report' && Array.isArray(files)
        ? files.map((file) => resolve(outDir, String(file)))
        : [];
    }),
  );
  // A report may have taken the rendering's name: the rendering then steps aside.
  let htmlPath = join(outDir, `${name}.html`);
  if (reports.includes(htmlPath)) htmlPath = join(outDir, `${name}.notebook.html`);
  writeFileAtomic(notebookPath, serializeNotebook(notebook));
  const expectedErrors = new Set(
    summaries.filter((s) => s.outcome === 'expected-error').map((s) => s.id),
  );
  const relativeSource = relative(process.cwd(), sourcePath) || basename(sourcePath);
  const given = Object.entries(options.params).map(([k, v]) => `${k}=${v}`);
  writeFileAtomic(
    htmlPath,
    notebookHtml(notebook, {
      subtitle:
        `${relativeSource}, executed by evalbook run` +
        (given.length > 0 ? ` with ${given.join(', ')}` : '') +
        (failed ? ' — a cell failed' : ''),
      expectedErrors,
    }),
  );
  return { failed, interrupted, notebookPath, htmlPath, reports, cells: summaries };
}

/**
 * The kernel a notebook's metadata names when it is not Evalbook (`"python3" (Python 3)`), or
 * null. A kernelspec whose language is Evalbook's is Evalbook under another name.
 */
export function foreignKernel(notebook: Notebook): string | null {
  const spec = notebook.metadata.kernelspec;
  if (typeof spec !== 'object' || spec === null) return null;
  const { name, display_name: displayName, language } = spec as Record<string, unknown>;
  if (typeof name !== 'string' || name === LANGUAGE_NAME || language === LANGUAGE_NAME) return null;
  // A display name with a line break or an escape could forge lines of output: quoted then.
  const quoted =
    // eslint-disable-next-line no-control-regex -- the characters that make a name unsafe to print raw
    typeof displayName === 'string' && /[\u0000-\u001f\u007f-\u009f]/u.test(displayName)
      ? JSON.stringify(displayName)
      : displayName;
  const shown = typeof displayName === 'string' && displayName !== name ? ` (${quoted})` : '';
  return `${JSON.stringify(name)}${shown}`;
}

/** A word or two for a cell's outcome, as the summary and the progress lines show it. */
export function outcomeWord(cell: CellSummary): string {
  switch (cell.outcome) {
    case 'ok':
      return 'ok';
    case 'error':
      return cell.error?.ename ?? 'error';
    case 'expected-error':
      return `${cell.error?.ename ?? 'error'} (expected)`;
    case 'timeout':
      return 'timed out';
    case 'kernel-died':
      return 'kernel died';
    case 'not-run':
      return 'not run';
    case 'empty':
      return 'empty';
  }
}

function checkCounts(cell: CellSummary): string {
  const checks = cell.statements.filter((s) => s.statement === 'check');
  if (checks.length === 0) return '';
  const held = checks.filter((s) => s.error === undefined).length;
  return ` [${held}/${checks.length} check${checks.length === 1 ? '' : 's'} held]`;
}

/** The summary printed after a run: one line per code cell, the failures' errors, the files. */
export function runSummary(result: NotebookRunResult, notebookName: string): string {
  const lines = [`${notebookName}:`];
  const width = Math.max(...result.cells.map((c) => outcomeWord(c).length), 2);
  for (const cell of result.cells) {
    const prompt = cell.executionCount === null ? '      ' : `[${cell.executionCount}]`.padStart(6);
    const time =
      cell.outcome === 'not-run' || cell.outcome === 'empty' ? '' : `${cell.seconds.toFixed(2)} s`;
    lines.push(
      `  ${prompt}  ${outcomeWord(cell).padEnd(width)}  ${time.padStart(8)}  ${fit(cell.label, 60)}${checkCounts(cell)}`,
    );
    if (cell.error !== null && cell.outcome !== 'expected-error') {
      const detail = cell.error.traceback.length > 0 ? cell.error.traceback : [cell.error.evalue];
      for (const line of detail) lines.push(`          ${stripColours(line)}`);
    }
  }
  const ran = result.cells.filter((c) => !['not-run', 'empty'].includes(c.outcome)).length;
  const bad = result.cells.filter((c) => ['error', 'timeout', 'kernel-died'].includes(c.outcome));
  const notRun = result.cells.filter((c) => c.outcome === 'not-run').length;
  const verdict = result.interrupted
    ? `✗ interrupted after ${ran} cell${ran === 1 ? '' : 's'}`
    : bad.length > 0
      ? `✗ ${bad.length} cell${bad.length === 1 ? '' : 's'} failed` +
        (notRun > 0 ? `; ${notRun} not run` : '')
      : `✓ ${ran} cell${ran === 1 ? '' : 's'} ran`;
  lines.push(verdict);
  const shown = (path: string): string => {
    const near = relative(process.cwd(), path);
    return near === '' || near.startsWith('..') ? path : near;
  };
  lines.push(`  notebook  ${shown(result.notebookPath)}`);
  lines.push(`  html      ${shown(result.htmlPath)}`);
  for (const report of result.reports) lines.push(`  report    ${shown(report)}`);
  return `${lines.join('\n')}\n`;
}

function stripColours(text: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/gu, '');
}

/** The command line of a notebook run: `evalbook run`'s arguments and the notebook's own. */
export interface NotebookArguments extends RunArguments {
  readonly timeoutSeconds: number | null;
  readonly allowErrors: boolean;
  readonly allowOutsideOut: boolean;
}

/** Parses `evalbook run NOTEBOOK.ipynb ...`; 'help' for `--help`. Throws UsageError. */
export function parseNotebookArguments(args: readonly string[]): NotebookArguments | 'help' {
  let timeoutSeconds: number | null = null;
  let allowErrors = false;
  let allowOutsideOut = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--allow-errors') {
      allowErrors = true;
    } else if (arg === '--allow-outside-out') {
      allowOutsideOut = true;
    } else if (/^--(?:cell-)?timeout(?:=|$)/u.test(arg)) {
      const flag = arg.split('=')[0];
      const value = arg === flag ? args[++i] : arg.slice(flag.length + 1);
      const seconds = value === undefined ? NaN : Number(value);
      if (!(seconds > 0) || !Number.isFinite(seconds)) {
        throw new UsageError(`${flag} needs a number of seconds > 0, got ${value ?? 'nothing'}`);
      }
      timeoutSeconds = seconds;
    } else {
      rest.push(arg);
    }
  }
  const parsed = parseRunArguments(rest, true);
  if (parsed === 'help') return 'help';
  return { ...parsed, timeoutSeconds, allowErrors, allowOutsideOut };
}

/** `evalbook run NOTEBOOK.ipynb ...`: returns the exit status. */
export async function runNotebookCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let parsed: NotebookArguments | 'help';
  try {
    parsed = parseNotebookArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${messages.runUsageError(error.message)}\n\n${shortUsage(NOTEBOOK_RUN_USAGE)}\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.out(`${NOTEBOOK_RUN_USAGE}\n`);
    return 0;
  }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  // A closed stdout or stderr stops the run as Ctrl-C does, so that the kernel is shut down.
  const stopWatchingOutput = onOutputClosed(onSigint);
  let result: NotebookRunResult;
  try {
    result = await runNotebook(
      {
        notebook: parsed.file,
        outDir: parsed.outDir ?? DEFAULT_OUT_DIR,
        json: parsed.json,
        params: parsed.params,
        timeoutSeconds: parsed.timeoutSeconds,
        allowErrors: parsed.allowErrors,
        allowOutsideOut: parsed.allowOutsideOut,
        signal: controller.signal,
      },
      io,
    );
  } catch (error) {
    if (error instanceof FileWriteError) {
      io.err(`${messages.cannotWrite(error.message)}\n`);
      return 1;
    }
    if (!(error instanceof UsageError)) throw error;
    io.err(`${messages.runUsageError(error.message)}\n`);
    return 2;
  } finally {
    process.removeListener('SIGINT', onSigint);
    stopWatchingOutput();
  }
  const summary = runSummary(result, basename(parsed.file));
  if (parsed.json) io.err(summary);
  else io.out(summary);
  return result.interrupted ? 130 : result.failed ? 1 : 0;
}
