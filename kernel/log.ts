/**
 * Kernel diagnostics: straight to file descriptor 2 (Jupyter shows it in the server's log),
 * never to iopub. Written synchronously so that lines from the I/O worker are not held back
 * while the main thread is busy in a cell. Callers must never pass keys or signatures.
 */
import { writeSync } from 'node:fs';

export function kernelLog(message: string): void {
  try {
    writeSync(2, `[evalbook kernel ${new Date().toISOString()}] ${message}\n`);
  } catch {
    // stderr closed: there is nowhere left to report to.
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
