/**
 * The language layer's entry points, one per stage:
 *
 * | stage | takes                         | gives                                          |
 * |-------|-------------------------------|------------------------------------------------|
 * | parse | cell text                     | `Program` (syntax tree with spans) or diagnostics |
 * | check | `Program`, `Session`          | `CellPlan` (normalised, names resolved) or diagnostics |
 * | run   | `CellPlan`, `Session`         | one `StatementOutcome` per statement (engine results) |
 *
 * `runCell` chains the three for one cell. Rendering outcomes (display bundles, reports) is
 * the display layer's job, called by the kernel and by `evalbook run`.
 */
import { parse } from './parse.js';
import { check, type CheckOptions } from './check.js';
import type { Diagnostic } from './diagnostics.js';
import type { CellPlan } from './plan.js';
import { run, type RunOptions, type StatementOutcome } from './run.js';
import type { Session } from './session.js';

export { parse, cellCompleteness, languageKeywords, type ParseResult } from './parse.js';
export { check, checkData, DEFAULT_SEED, type Checked, type CheckOptions } from './check.js';
export {
  run,
  DEFAULT_REPORT_TITLE,
  type ReportRequest,
  type ReportResult,
  type ReportWriter,
  type RunOptions,
  type SettingResult,
  type StatementError,
  type StatementOutcome,
  type StatementProgress,
  type StatementValue,
} from './run.js';
export {
  Session,
  type Binding,
  type BoundResult,
  type BoundTable,
  type CheckResult,
  type HistoryEntry,
  type ParamValue,
  type RecordedResult,
  type SessionOptions,
  type SessionRecord,
} from './session.js';
export {
  checkOverrides,
  declaredParams,
  printOverrides,
  type CheckedOverrides,
  type DeclaredParams,
  type OverrideOptions,
} from './overrides.js';
export { complete, type Completion, type CompleteOptions } from './complete.js';
export { inspect, type Inspection } from './inspect.js';
export { renderDiagnostic, renderDiagnostics, type Diagnostic } from './diagnostics.js';
export type { CellPlan, PlannedStatement } from './plan.js';

/**
 * How a cell ended. `parse` and `check`: the cell did not run (nothing changed). `run`: the
 * outcomes of the statements that ran; the last one is an error when the cell stopped early.
 */
export type CellResult =
  | { readonly stage: 'parse' | 'check'; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly stage: 'run';
      readonly plan: CellPlan;
      readonly outcomes: readonly StatementOutcome[];
    };

export interface CellOptions extends RunOptions {
  /** Relative data files and reports are resolved against it; the working directory by default. */
  readonly baseDir?: string;
}

/** Parses, checks and runs one cell in the session. */
export async function runCell(
  text: string,
  session: Session,
  options: CellOptions = {},
): Promise<CellResult> {
  const parsed = parse(text);
  if (!parsed.ok) return { stage: 'parse', diagnostics: parsed.diagnostics };
  const checkOptions: CheckOptions = { source: text, baseDir: options.baseDir };
  const checked = check(parsed.program, session, checkOptions);
  if (!checked.ok) return { stage: 'check', diagnostics: checked.diagnostics };
  const outcomes = await run(checked.plan, session, options);
  return { stage: 'run', plan: checked.plan, outcomes };
}
