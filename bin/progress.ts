/**
 * Progress of a notebook run on the command line. On a terminal, one bar rewritten in place:
 *
 *   [██████████░░░░░░░░░░] 3/5 cells · cell 4: ⏳ line 2 compare: bootstrap 45%
 *
 * Anywhere else (a CI log, a pipe), one plain line per cell when it ends, so that logs stay
 * readable:
 *
 *   cell 4/5 ok (1.2 s): compare base = base_pred, finetuned = ft_pred …
 *
 * A cell's source and its progress text may quote data: their control characters are shown
 * as `\x1b` (bin/terminal.ts), so only the bar's own escapes reach the terminal.
 */
import { terminalSafe } from './terminal.js';

/** Where progress is written: a stream, and whether it is a terminal (and how wide). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** A code cell as progress shows it. */
export interface ProgressCell {
  /** 1-based position among the code cells that run. */
  readonly position: number;
  readonly total: number;
  /** The first line of its source, or a short description. */
  readonly label: string;
}

export interface RunProgress {
  cellStarted(cell: ProgressCell): void;
  /** What the running cell is doing now (its progress line). */
  detail(text: string): void;
  /**
   * `outcome` is a word or two ("ok", "CheckFailed"), `seconds` its wall time; `failed` says
   * whether the outcome fails the run (an expected error does not).
   */
  cellFinished(cell: ProgressCell, outcome: string, seconds: number, failed: boolean): void;
  /** Clears what is left on the terminal. */
  finish(): void;
}

const BAR_WIDTH = 20;
/** How often the bar is redrawn at most, in ms. */
const REDRAW_MS = 100;

/** Cuts `text` to `width` characters (by code points), ending in "…" when cut. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

/** `[████░░░░]` for `done` of `total`. */
export function bar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total <= 0 ? width : Math.round((width * Math.min(done, total)) / total);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function seconds(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

/** The progress bar of a terminal. */
export class TerminalProgress implements RunProgress {
  #cell: ProgressCell | null = null;
  #done = 0;
  #detail = '';
  #lastDraw = 0;
  #shown = false;

  constructor(private readonly stream: ProgressStream) {}

  cellStarted(cell: ProgressCell): void {
    this.#cell = cell;
    this.#done = cell.position - 1;
    this.#detail = terminalSafe(cell.label);
    this.#draw(true);
  }

  detail(text: string): void {
    this.#detail = terminalSafe(text.split('\n')[0]);
    this.#draw(false);
  }

  cellFinished(cell: ProgressCell, outcome: string, elapsed: number, failed: boolean): void {
    this.#done = cell.position;
    if (outcome !== 'ok') {
      // An error stays on the screen above the bar.
      this.#clear();
      const mark = failed ? '✗' : '•';
      this.stream.write(
        terminalSafe(
          `${mark} cell ${cell.position}/${cell.total} ${outcome} (${seconds(elapsed)} s): ${cell.label}\n`,
        ),
      );
    }
    this.#detail = '';
    this.#draw(true);
  }

  finish(): void {
    this.#clear();
  }

  #clear(): void {
    if (this.#shown) this.stream.write('\r\u001b[2K');
    this.#shown = false;
  }

  #draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    const cell = this.#cell;
    if (cell === null) return;
    const head = `${bar(this.#done, cell.total)} ${this.#done}/${cell.total} cells`;
    const running = this.#done < cell.total ? ` · cell ${cell.position}: ${this.#detail}` : '';
    // A pseudo-terminal may report no width (0).
    const columns =
      this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : 80;
    const width = Math.max(20, columns - 1);
    this.stream.write(`\r\u001b[2K${fit(head + running, width)}`);
    this.#shown = true;
  }
}

/** One line per cell, for logs. */
export class PlainProgress implements RunProgress {
  constructor(private readonly stream: ProgressStream) {}

  cellStarted(): void {}

  detail(): void {}

  cellFinished(cell: ProgressCell, outcome: string, elapsed: number, _failed: boolean): void {
    this.stream.write(
      terminalSafe(
        `cell ${cell.position}/${cell.total} ${outcome} (${seconds(elapsed)} s): ${fit(cell.label, 72)}\n`,
      ),
    );
  }

  finish(): void {}
}

/** A bar on a terminal, plain lines elsewhere. */
export function createProgress(stream: ProgressStream): RunProgress {
  return stream.isTTY === true ? new TerminalProgress(stream) : new PlainProgress(stream);
}
