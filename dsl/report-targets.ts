/**
 * Where a report may be written: never over a file the session loaded (under any name — a
 * symlink, a hard link, a data file named `.html`), and, when the run confines reports to its
 * output directory, only inside it.
 *
 * Files are compared by device and inode and by real path, not by the names the program used.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { LoadedInput } from './session.js';
import * as messages from './messages.js';

/** A report file that must not be written; `message` says why. */
export class ReportTargetError extends Error {
  readonly diagnostic: messages.Message;

  constructor(diagnostic: messages.Message) {
    super(diagnostic.message);
    this.name = 'ReportTargetError';
    this.diagnostic = diagnostic;
  }
}

export interface TargetRules {
  /** The report as the program named it (for messages). */
  readonly written: string;
  readonly loaded: readonly LoadedInput[];
  /** Set when reports must stay inside this directory (a notebook run's `--out`). */
  readonly confineTo?: string;
}

/**
 * The path with every existing part resolved: the real path of the deepest ancestor that
 * exists, joined with the parts that do not exist yet.
 */
export function realPathOf(path: string): string {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return join(current, ...missing.reverse());
      missing.push(basename(current));
      current = parent;
    }
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Throws ReportTargetError when `path` (absolute) may not be written under the rules. */
export function checkReportTarget(path: string, rules: TargetRules): void {
  const real = realPathOf(path);
  if (rules.confineTo !== undefined) {
    const dir = resolve(rules.confineTo);
    // Both the path as written and where its links lead must stay inside.
    if (!isInside(resolve(path), dir) || !isInside(real, realPathOf(dir))) {
      throw new ReportTargetError(messages.reportOutsideOut(rules.written, rules.confineTo));
    }
  }
  let target: { dev: number; ino: number } | null = null;
  try {
    const stats = statSync(path);
    target = { dev: stats.dev, ino: stats.ino };
  } catch {
    // Nothing there yet (or nothing reachable): only the real path can match an input.
  }
  const input = rules.loaded.find(
    ({ identity }) =>
      identity.realPath === real ||
      (target !== null && identity.dev === target.dev && identity.ino === target.ino),
  );
  if (input !== undefined) {
    throw new ReportTargetError(messages.reportOverwritesInput(rules.written, input.written));
  }
}

/**
 * Throws ReportTargetError when `path` (absolute) is the program file being run, under any
 * name: `programPath` is its absolute path, `program` the name the command was given.
 */
export function checkNotProgram(
  path: string,
  written: string,
  programPath: string,
  program: string,
): void {
  let same = realPathOf(path) === realPathOf(programPath);
  if (!same) {
    try {
      const target = statSync(path);
      const source = statSync(programPath);
      same = target.dev === source.dev && target.ino === source.ino;
    } catch {
      // Nothing at the report's path yet: only the real path can match.
    }
  }
  if (same) throw new ReportTargetError(messages.reportOverwritesProgram(written, program));
}
