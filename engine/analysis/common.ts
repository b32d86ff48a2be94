/**
 * Small helpers shared by the analyses: turning engine values into JSON-safe ones, default
 * columns, progress reporting.
 */
import { EngineError } from '../errors.js';
import { requireColumn } from '../slice.js';
import { type Column, findColumn, type Table } from '../table.js';
import type { ProgressCallback } from './types.js';

/** A number for a JSON result: NaN and ±Infinity become null. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** The explicitly named column (which must exist), else `fallback` when the table has it. */
export function optionalColumn(
  table: Table,
  named: string | undefined,
  fallback: string,
): Column | null {
  if (named !== undefined) return requireColumn(table, named);
  return findColumn(table, fallback) ?? null;
}

/** A whole number ≥ `min`, or a bad-argument error naming the option. */
export function requireWholeNumber(name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new EngineError('bad-argument', `${name} must be a whole number ≥ ${min}, got ${value}`);
  }
  return value;
}

/** Model names must be distinct: results and `check` expressions address models by name. */
export function requireDistinctNames(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new EngineError('bad-argument', `the ${what} name "${name}" is used twice`);
    }
    seen.add(name);
  }
}

/** A progress callback for one phase, or undefined when nobody listens. */
export function phaseProgress(
  onProgress: ProgressCallback | undefined,
  phase: string,
): ((done: number, total: number) => void) | undefined {
  return onProgress && ((done, total) => onProgress({ phase, done, total }));
}

/** numpy's default (linear) percentile of ascending values; NaN when there are none. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

/** The table's name for messages: the given one, else its file, else null. */
export function tableLabel(table: Table, name: string | undefined): string | null {
  return name ?? table.source.path ?? null;
}
