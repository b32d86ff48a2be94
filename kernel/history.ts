/**
 * The kernel's input history, in memory: what `history_request` reads. Sessions are numbered
 * from 1; a restart starts the next one. As in IPython, a request's session 0 means the
 * current session and a negative one counts back from it (-1 is the previous session).
 */
import type { HistoryRequestContent, HistoryTuple } from './protocol.js';

/** One executed cell. `line` is its execution_count; `output` its text/plain result, if any. */
export interface HistoryEntry {
  readonly session: number;
  readonly line: number;
  readonly input: string;
  output: string | null;
}

export class History {
  /** A kernel process serves one session: a restart is a new process. */
  readonly #session = 1;
  readonly #entries: HistoryEntry[] = [];

  get session(): number {
    return this.#session;
  }

  /** Records a cell run with store_history. */
  record(line: number, input: string): void {
    this.#entries.push({ session: this.#session, line, input, output: null });
  }

  /** Attaches the text of a cell's execute_result to its entry. */
  setOutput(line: number, output: string): void {
    const entry = this.#entries.findLast((e) => e.session === this.#session && e.line === line);
    if (entry) entry.output = output;
  }

  query(request: HistoryRequestContent): HistoryTuple[] {
    let selected: HistoryEntry[];
    switch (request.hist_access_type) {
      case 'tail':
        selected = request.n > 0 ? this.#entries.slice(-request.n) : [];
        break;
      case 'range': {
        const session = request.session > 0 ? request.session : this.#session + request.session;
        const { start, stop } = request;
        selected = this.#entries.filter(
          (e) => e.session === session && e.line >= start && (stop === null || e.line < stop),
        );
        break;
      }
      case 'search': {
        const pattern = globToRegExp(request.pattern);
        selected = this.#entries.filter((e) => pattern.test(e.input));
        if (request.unique) {
          // Keep the latest run of each distinct input, in run order.
          const latest = new Map<string, HistoryEntry>();
          for (const entry of selected) {
            latest.delete(entry.input);
            latest.set(entry.input, entry);
          }
          selected = [...latest.values()];
        }
        if (request.n !== null) selected = request.n > 0 ? selected.slice(-request.n) : [];
        break;
      }
    }
    return selected.map((e): HistoryTuple =>
      request.output ? [e.session, e.line, [e.input, e.output]] : [e.session, e.line, e.input],
    );
  }
}

/** A glob as IPython's history search reads it: `*` any run, `?` one character, whole input. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}
