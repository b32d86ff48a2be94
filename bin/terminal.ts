/**
 * What the `evalbook` command writes to its standard streams, made safe for a terminal, and
 * what happens when a reader goes away.
 *
 * - Control characters: data (cell values, file and column names, a cell's source) may hold
 *   escape sequences that a terminal would obey (move the cursor, retitle the window, fake a
 *   link). Every C0 control but tab and newline (and a carriage return before a newline), DEL
 *   and every C1 control are shown as `\xHH` instead: `\x1b` for ESC; a bidi control that
 *   would reorder the line on screen as `\u{202e}`. JSON output escapes them
 *   as JSON does (`\u001b`), which keeps the data intact.
 * - A closed pipe (`evalbook run x.eval | head -1`): the write fails with EPIPE; the program
 *   then ends quietly, with status 141 (128 + SIGPIPE, as a shell reports a tool that a closed
 *   pipe ended), once whatever it runs has been stopped (a notebook's kernel is shut down).
 */

/**
 * C0 controls except tab and newline, a CR not before a newline, DEL, C1 controls, and the
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
 * reorder the rest of the line on screen ("safe \u202egnp.exe" shows as "safe exe.png").
 */
const TERMINAL_CONTROLS =
  // eslint-disable-next-line no-control-regex -- these are the characters to neutralise
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/gu;

/** Characters that JSON.stringify leaves raw but a terminal may obey (DEL, C1, bidi). */
const JSON_RAW_CONTROLS = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

function hex(char: string, digits: number): string {
  return char.charCodeAt(0).toString(16).padStart(digits, '0');
}

/** `char` as an escape: `\xHH` for a control character, `\u{HHHH}` for a bidi control. */
function shown(char: string): string {
  return char.charCodeAt(0) <= 0xff ? `\\x${hex(char, 2)}` : `\\u{${hex(char, 4)}}`;
}

/** `text` with its control characters shown as `\xHH` (see the module comment). */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, shown);
}

/**
 * A line of JSON text with DEL, C1 and bidi controls escaped (`\u009b`, `\u202e`): the same
 * JSON value, and no character a terminal obeys. Such characters can only stand inside JSON
 * strings, where an escape means the same character.
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_RAW_CONTROLS, (char) => `\\u${hex(char, 4)}`);
}

/** The status of a program that a closed pipe ended. */
export const CLOSED_PIPE_STATUS = 141;

const closedListeners = new Set<() => void>();
let outputClosed = false;

/** Whether stdout or stderr has been closed by its reader. */
export function isOutputClosed(): boolean {
  return outputClosed;
}

/**
 * Runs `listener` when stdout or stderr is closed by its reader (at once when it already is);
 * returns a function that removes it. While a listener is registered, the process is left to
 * end by itself (the listener stops what runs); without one it exits at once.
 */
export function onOutputClosed(listener: () => void): () => void {
  if (outputClosed) {
    listener();
    return () => undefined;
  }
  closedListeners.add(listener);
  return () => closedListeners.delete(listener);
}

interface ErrorStream {
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/**
 * Makes a closed pipe on `streams` end the program quietly (see the module comment); any
 * other write error is rethrown.
 */
export function endQuietlyOnClosedPipe(streams: readonly ErrorStream[]): void {
  for (const stream of streams) {
    stream.on('error', (error) => {
      // A destroyed stream reports every later write too: the first report decides.
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      if (outputClosed) return;
      outputClosed = true;
      process.exitCode = CLOSED_PIPE_STATUS;
      if (closedListeners.size === 0) process.exit(CLOSED_PIPE_STATUS);
      for (const listener of [...closedListeners]) listener();
    });
  }
}
