/**
 * What the `evalbook` command writes to its standard streams, made safe for a terminal, and
 * what happens when a reader goes away.
 *
 * - Control characters: data (cell values, file and column names, a cell's source) may hold
 *   escape sequences that a terminal would obey (move the cursor, retitle the window, fake a
 *   link). Every C0 control but tab and newline (and a carriage return before a newline), DEL
 *   and every C1 control are shown as `\xHH` instead: `\x1b` for ESC. JSON output escapes them
 *   as JSON does (`\u001b`), which keeps the data intact.
 * - A closed pipe (`evalbook run x.eval | head -1`): the write fails with EPIPE; the program
 *   then ends quietly, with status 141 (128 + SIGPIPE, as a shell reports a tool that a closed
 *   pipe ended), once whatever it runs has been stopped (a notebook's kernel is shut down).
 */

/** C0 controls except tab and newline, a CR not before a newline, DEL, C1 controls. */
// eslint-disable-next-line no-control-regex -- these are the characters to neutralise
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/gu;

/** Characters that JSON.stringify leaves raw but a terminal may obey (DEL and C1). */
const JSON_RAW_CONTROLS = /[\u007f-\u009f]/gu;

function hex(char: string): string {
  return char.charCodeAt(0).toString(16).padStart(2, '0');
}

/** `text` with its control characters shown as `\xHH` (see the module comment). */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (char) => `\\x${hex(char)}`);
}

/**
 * A line of JSON text with DEL and C1 controls escaped (`\u009b`): the same JSON value, and
 * no byte a terminal obeys. Such characters can only stand inside JSON strings, where an
 * escape means the same character.
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_RAW_CONTROLS, (char) => `\\u00${hex(char)}`);
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
