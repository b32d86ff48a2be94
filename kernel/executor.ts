/**
 * The seam between the Jupyter kernel and whatever runs a cell. The kernel owns the wire, the
 * queue, interrupts and `%%ts` cells; an executor only turns cell text into outputs. The
 * language layer implements `CellExecutor`; tests inject small executors of their own.
 *
 * Positions (`cursorPos`, `cursorStart`, `cursorEnd`) are JavaScript string indices (UTF-16
 * code units) into `code`; the kernel converts them from and to the protocol's code points.
 */
import type { DisplayBundle } from '../display/bundle.js';
import type { CancelToken } from '../engine/errors.js';

/**
 * What a running cell may do besides returning its outcome. Every call made after a language
 * cell has ended (its promise settled or it was interrupted) is dropped; what a `%%ts` cell
 * prints later (from a timer) is published with that cell as its parent. Late output never
 * lands in the next cell.
 */
export interface ExecutionContext {
  /** The cell's `execution_count` (unchanged by silent and no-history executions). */
  readonly executionCount: number;
  /**
   * Becomes cancelled on `interrupt_request` or SIGINT, and stays cancelled until the cell
   * ends. Reading it is cheap (one atomic load): long loops should poll it between chunks.
   */
  readonly cancel: CancelToken;
  /** Publishes `display_data`; with a `displayId`, later `updateDisplay` calls replace it. */
  display(bundle: DisplayBundle, options?: { displayId?: string }): void;
  /** Publishes `update_display_data` for an earlier `display` with the same id (progress). */
  updateDisplay(bundle: DisplayBundle, displayId: string): void;
  /** Publishes text on the cell's stdout or stderr stream. */
  stream(name: 'stdout' | 'stderr', text: string): void;
}

/**
 * How a cell ended. An interrupted cell should end as an error named `Interrupted` (the kernel
 * also produces that outcome itself when an interrupt arrives while the cell is awaiting).
 * `traceback` lines are shown as they are (ANSI colours allowed): quote the cell line with a
 * caret under the fault.
 */
export type ExecuteOutcome =
  | { status: 'ok'; result?: DisplayBundle }
  | { status: 'error'; ename: string; evalue: string; traceback: string[] };

export interface CompletionResult {
  matches: string[];
  /** The replaced range `[cursorStart, cursorEnd)` of `code`, as string indices. */
  cursorStart: number;
  cursorEnd: number;
  metadata?: Record<string, unknown>;
}

export interface InspectionResult {
  found: boolean;
  /** A MIME bundle (`text/plain` at least when found). */
  data: Record<string, unknown>;
}

/** A `user_expressions` entry's answer, as execute_reply carries it (ipykernel's shape). */
export type ExpressionValue =
  | { status: 'ok'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { status: 'error'; ename: string; evalue: string; traceback: string[] };

export type CompletenessStatus = 'complete' | 'incomplete' | 'invalid' | 'unknown';

export interface CompletenessResult {
  status: CompletenessStatus;
  /** For `incomplete`: the indentation the next line should start with. */
  indent?: string;
}

/**
 * Runs cells for the kernel. The kernel calls these one at a time, in the order the front end
 * sent the requests; `execute` may run synchronously for a long time as long as it polls
 * `ctx.cancel`. `complete`, `inspect` and `isComplete` must be quick and side-effect free.
 */
export interface CellExecutor {
  execute(code: string, ctx: ExecutionContext): Promise<ExecuteOutcome>;
  complete(code: string, cursorPos: number): CompletionResult;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): InspectionResult;
  isComplete(code: string): CompletenessResult;
  /**
   * The values a `%%ts` cell sees as global names: tables as danfojs DataFrames, results as
   * plain objects. Called before every `%%ts` cell; names that are not identifiers are skipped.
   */
  tsGlobals?(): Promise<Record<string, unknown>>;
  /**
   * Evaluates one of an execute_request's `user_expressions` after the cell ran. Without
   * it, each expression is answered with an error.
   */
  evaluateExpression?(expression: string): ExpressionValue;
}
