/**
 * `evalbook run FILE.eval`: runs a program statement by statement, in-process (no kernel),
 * as one cell of a fresh session, and prints what each statement shows.
 *
 * Text output (the default): for each statement a header line with its line number and
 * source, then the `text/plain` of its bundles (tables, then a summary of each chart). With
 * `--json`, one JSON object per statement per line:
 *
 *   {"line": 3, "statement": "compare", "name": "R", "result": {...}}
 *   {"line": 5, "statement": "check", "name": null, "result": {...}, "error": {"code", "message", "rendered"}}
 *
 * `result` is the engine's analysis result (engine/analysis/types.ts), a check's evaluation, a
 * setting, or a report's files. A program that does not parse or check gives one error
 * object per problem, and runs nothing.
 *
 * Exit status: 0 when every statement ran and every check held, 1 when a statement failed
 * (a failing check is a failure: this is how a CI job is gated), 2 for a usage error.
 * Relative paths in the program are read from the program's directory; reports are written
 * there too, or under `--out DIR`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createDisplayContext } from '../display/context.js';
import {
  check,
  checkOverrides,
  declaredParams,
  parse,
  renderDiagnostics,
  run,
  Session,
  type Diagnostic,
  type StatementOutcome,
  type StatementProgress,
} from '../dsl/index.js';
import { checkNotProgram } from '../dsl/report-targets.js';
import { suggest } from '../dsl/suggest.js';
import type { CommandIo } from '../kernel/install.js';
import {
  diagnosticJson,
  outcomeBundles,
  statementJson,
  writeReportFiles,
} from '../kernel/evalbook-executor.js';
import * as messages from './messages.js';
import { readFailure } from '../kernel/system-errors.js';
import { jsonSafe, terminalSafe } from './terminal.js';

export const RUN_USAGE = [
  'usage: evalbook run FILE.eval [--json] [--set NAME=VALUE ...] [--out DIR]',
  '',
  'Runs an Evalbook program statement by statement and prints what each shows.',
  '',
  '  --json            one JSON object per statement per line instead of text',
  '  --set NAME=VALUE  give the parameter NAME (a `param` of the program, or `seed`) a value',
  '  --out DIR         write reports under DIR (default: the directory of FILE)',
  '',
  'Exit status: 0 when every statement ran and every check held, 1 when one failed,',
  '2 for a usage error.',
].join('\n');

/** The parsed command line of `evalbook run`. */
export interface RunArguments {
  readonly file: string;
  readonly json: boolean;
  readonly params: Readonly<Record<string, string>>;
  readonly outDir: string | null;
}

export class UsageError extends Error {}

/** The options of `evalbook run` for every kind of file. */
const RUN_OPTIONS = ['--json', '--set', '--out', '--help'] as const;
/** The options of notebook runs only (bin/run-notebook.ts takes them out before the rest). */
const NOTEBOOK_OPTIONS = ['--cell-timeout', '--timeout', '--allow-errors'] as const;

/** Why `option` is refused: unknown (with the nearest known option), or for notebooks only. */
function unknownOption(option: string, notebook: boolean): UsageError {
  const flag = option.split('=')[0];
  if (!notebook && (NOTEBOOK_OPTIONS as readonly string[]).includes(flag)) {
    return new UsageError(messages.notebookOnlyOption(flag));
  }
  const known = notebook ? [...RUN_OPTIONS, ...NOTEBOOK_OPTIONS] : RUN_OPTIONS;
  const near = suggest(flag, known);
  return new UsageError(messages.unknownRunOption(flag, near));
}

/**
 * The usage line(s) of a usage text and where to read the rest: what a usage error shows
 * under its message, so that the message stays in sight.
 */
export function shortUsage(usage: string): string {
  const lines = usage.split('\n');
  const end = lines.indexOf('');
  return [...lines.slice(0, end < 0 ? lines.length : end), messages.RUN_HELP_POINTER].join('\n');
}

/**
 * Parses the arguments after `run`; 'help' for `--help`. Throws UsageError. `notebook`: the
 * arguments are a notebook run's, whose own options are already taken out.
 */
export function parseRunArguments(
  args: readonly string[],
  notebook = false,
): RunArguments | 'help' {
  let file: string | undefined;
  let json = false;
  let outDir: string | null = null;
  const params: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--set=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const valueOf = (): string => {
      if (inline !== undefined) return inline;
      const next = args[++i];
      if (next === undefined) throw new UsageError(messages.optionNeedsValue(flag));
      return next;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--json') json = true;
    else if (flag === '--out') outDir = valueOf();
    else if (arg === '--set' || arg.startsWith('--set=')) {
      const assignment = arg === '--set' ? valueOf() : arg.slice('--set='.length);
      const eq = assignment.indexOf('=');
      if (eq <= 0) throw new UsageError(messages.setExpectsAssignment(assignment));
      params[assignment.slice(0, eq)] = assignment.slice(eq + 1);
    } else if (arg.startsWith('-')) throw unknownOption(arg, notebook);
    else if (file === undefined) file = arg;
    else throw new UsageError(messages.oneFileAtATime(file, arg));
  }
  if (file === undefined) throw new UsageError(messages.expectedFileToRun());
  return { file, json, params, outDir };
}

/** A runner for one kind of file, by its extension. */
export type FileRunner = (args: RunArguments, io: CommandIo) => Promise<number>;

/**
 * `evalbook run`: parses the arguments and hands the file to the runner for its extension
 * (`.eval` here; another runner may be added for notebooks). Returns the exit status.
 */
export async function runCommand(
  args: readonly string[],
  io: CommandIo,
  runners: Readonly<Record<string, FileRunner>> = { '.eval': runEvalFile },
): Promise<number> {
  let parsed: RunArguments | 'help';
  try {
    parsed = parseRunArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${messages.runUsageError(error.message)}\n\n${shortUsage(RUN_USAGE)}\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.out(`${RUN_USAGE}\n`);
    return 0;
  }
  const extension = /\.[^./\\]+$/u.exec(parsed.file)?.[0].toLowerCase() ?? '';
  const runner = runners[extension] ?? (extension === '.ipynb' ? undefined : runners['.eval']);
  if (runner === undefined) {
    io.err(`${messages.runUsageError(messages.unsupportedExtension(parsed.file, extension))}\n`);
    return 2;
  }
  return runner(parsed, io);
}

/** One JSON line for a statement's outcome. */
export function outcomeJson(outcome: StatementOutcome, source: string): string {
  return jsonSafe(JSON.stringify(statementJson(outcome, source)));
}

/** The header line of a statement in text output: its line number and source on one line. */
export function statementHeader(outcome: { line: number; text: string }): string {
  const source = outcome.text
    .split('\n')
    .map((l) => l.replace(/#.*$/u, '').trim())
    .filter((l) => l !== '')
    .join(' ');
  return `── line ${outcome.line}: ${source}`;
}

/** Progress on a terminal: one line rewritten in place, cleared at the end. */
class TerminalProgress {
  #last = 0;
  #shown = false;

  update(p: StatementProgress): void {
    const now = Date.now();
    if (now - this.#last < 100) return;
    this.#last = now;
    const share = p.total > 0 ? ` ${Math.round((100 * p.done) / p.total)}%` : '';
    process.stderr.write(
      `\r\u001b[2K  line ${p.line} ${p.keyword}: ${terminalSafe(p.phase)}${share}`,
    );
    this.#shown = true;
  }

  clear(): void {
    if (this.#shown) process.stderr.write('\r\u001b[2K');
    this.#shown = false;
  }
}

/** Runs an `.eval` file (see the module comment). */
export async function runEvalFile(args: RunArguments, io: CommandIo): Promise<number> {
  const path = resolve(args.file);
  let source: string;
  try {
    if (statSync(path).isDirectory()) throw new UsageError(messages.isADirectory(args.file));
    // An editor's byte-order mark is no part of the program.
    source = readFileSync(path, 'utf8').replace(/^\uFEFF/u, '');
  } catch (error) {
    const reason =
      error instanceof UsageError
        ? error.message
        : messages.cannotRead(args.file, readFailure(error));
    io.err(`${messages.runUsageError(reason)}\n`);
    return 2;
  }
  const baseDir = dirname(path);
  const reportDir = args.outDir === null ? baseDir : resolve(args.outDir);
  const print = (text: string): void => io.out(text.endsWith('\n') ? text : `${text}\n`);

  const parsed = parse(source);
  const session = new Session({ params: args.params });
  const stopped = (diagnostics: readonly Diagnostic[]): number => {
    if (args.json) {
      for (const d of diagnostics) print(jsonSafe(JSON.stringify(diagnosticJson(d, source))));
    } else {
      print(renderDiagnostics(diagnostics, source));
      print(messages.nothingWasRun(diagnostics.length));
    }
    return 1;
  };
  if (!parsed.ok) return stopped(parsed.diagnostics);

  const overrides = checkOverrides(args.params, declaredParams([parsed.program]), {
    where: 'program',
    types: false,
  });
  if (!overrides.ok) {
    io.err(`evalbook run: ${overrides.problem}\n`);
    return 2;
  }

  const checked = check(parsed.program, session, { source, baseDir });
  if (!checked.ok) return stopped(checked.diagnostics);

  const context = createDisplayContext({ includePlotlyJs: 'none' });
  const progress = process.stderr.isTTY ? new TerminalProgress() : null;
  let failed = false;
  const outcomes = await run(checked.plan, session, {
    baseDir: reportDir,
    onProgress: progress === null ? undefined : (p) => progress.update(p),
    // The program file is no loaded input, yet a report must not replace it either.
    writeReport: async (request) =>
      writeReportFiles(
        {
          ...request,
          checkTargets: (paths) => {
            request.checkTargets(paths);
            const written = request.file?.written ?? '';
            for (const target of paths) checkNotProgram(target, written, path, args.file);
          },
        },
        reportDir,
      ),
    onOutcome: (outcome) => {
      progress?.clear();
      if (outcome.status === 'error') failed = true;
      if (args.json) {
        print(outcomeJson(outcome, source));
        return;
      }
      const parts = [statementHeader(outcome)];
      for (const bundle of outcomeBundles(outcome, { context, source })) {
        const text = bundle.data['text/plain'];
        if (typeof text === 'string') parts.push(text);
      }
      if (outcome.status === 'error')
        parts.push(renderDiagnostics(outcome.error.diagnostics, source));
      print(`${parts.join('\n\n')}\n\n`);
    },
  });
  progress?.clear();
  if (!args.json) {
    const last = outcomes[outcomes.length - 1];
    print(
      failed && last !== undefined
        ? `✗ stopped at line ${last.line} (${last.keyword}) after ${outcomes.length - 1} of ${checked.plan.statements.length} statements`
        : `✓ ${outcomes.length} statement${outcomes.length === 1 ? '' : 's'}`,
    );
  }
  return failed ? 1 : 0;
}
