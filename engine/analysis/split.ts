/**
 * `splitSummary` and `sliceSummary`: what the `split` statements show. A split's part tables
 * are returned beside the JSON summary, for the session to bind; slices are described by
 * their values and sizes (the rows themselves are regrouped where they are used).
 */
import { sliceBy } from '../slice.js';
import { splitTable, type SplitOptions, type SplitPart, type SplitPartSpec } from '../split.js';
import type { Table } from '../table.js';
import { requireWholeNumber } from './common.js';
import type { SliceSummaryResult, SplitSummaryResult } from './types.js';
import { emptySplitPart } from './warnings.js';

export interface SplitSummaryOptions {
  /** The source table's name in the session. */
  readonly tableName?: string;
  readonly seed: number;
  /** Keep this column's class proportions in every part. */
  readonly stratifyBy?: string;
  /** Report class proportions of this column (defaults to `stratifyBy`). */
  readonly labelColumn?: string;
}

/** The JSON summary and the parts (each with its table). */
export interface SplitOutcome {
  readonly summary: SplitSummaryResult;
  readonly parts: readonly SplitPart[];
}

/** Splits `table` into the given parts (engine/split.ts) and summarises sizes and classes. */
export function splitSummary(
  table: Table,
  parts: readonly SplitPartSpec[],
  options: SplitSummaryOptions,
): SplitOutcome {
  const splitOptions: SplitOptions = {
    seed: options.seed,
    stratifyBy: options.stratifyBy,
    classColumn: options.labelColumn ?? options.stratifyBy,
  };
  const split = splitTable(table, parts, splitOptions);
  const n = table.nRows;
  const classCounts = split.classCounts ?? null;
  const classProportions =
    classCounts === null ? null : classCounts.map((c) => (n === 0 ? 0 : c / n));
  let maxProportionGap: number | null = null;
  if (classProportions !== null) {
    maxProportionGap = 0;
    for (const part of split.parts) {
      if (part.size === 0) continue;
      part.classProportions?.forEach((p, c) => {
        maxProportionGap = Math.max(maxProportionGap ?? 0, Math.abs(p - classProportions[c]));
      });
    }
  }
  const empty = split.parts.filter((part) => part.size === 0).map((part) => part.name);
  return {
    summary: {
      kind: 'split',
      source: options.tableName ?? table.source.path ?? null,
      rows: n,
      seed: split.seed,
      stratifiedBy: split.stratifiedBy ?? null,
      classColumn: split.classColumn ?? null,
      classes: split.classes ?? null,
      classCounts,
      classProportions,
      parts: split.parts.map((part) => ({
        name: part.name,
        size: part.size,
        share: n === 0 ? 0 : part.size / n,
        classCounts: part.classCounts ?? null,
        classProportions: part.classProportions ?? null,
      })),
      unassigned: split.unassigned,
      maxProportionGap,
      warnings: empty.length === 0 ? [] : [emptySplitPart(empty, n)],
    },
    parts: split.parts,
  };
}

export const DEFAULT_LISTED_SLICES = 100;

export interface SliceSummaryOptions {
  readonly tableName?: string;
  /** At most this many slices are listed (the largest); 100 by default. */
  readonly maxSlices?: number;
}

/** The slices of `table` by `column`: values and sizes, the largest `maxSlices` listed. */
export function sliceSummary(
  table: Table,
  column: string,
  options: SliceSummaryOptions = {},
): SliceSummaryResult {
  const maxSlices = requireWholeNumber('maxSlices', options.maxSlices ?? DEFAULT_LISTED_SLICES, 1);
  const groups = sliceBy(table, column);
  const n = table.nRows;
  let listed = groups.map((g, i) => ({ i, value: g.value, n: g.indices.length }));
  if (listed.length > maxSlices) {
    listed = listed
      .slice()
      .sort((a, b) => b.n - a.n || a.i - b.i)
      .slice(0, maxSlices)
      .sort((a, b) => a.i - b.i);
  }
  return {
    kind: 'slices',
    source: options.tableName ?? table.source.path ?? null,
    column,
    rows: n,
    sliceCount: groups.length,
    slices: listed.map((s) => ({ value: s.value, n: s.n, share: n === 0 ? 0 : s.n / n })),
    omitted: groups.length - listed.length,
  };
}
