/**
 * `summarizeTable`: what `load` and `show` display about a table: its size, each column's type
 * and missing values, ranges of numbers, frequent values of text, a preview of the first rows,
 * and where it came from.
 */
import { isCategorical } from '../labels.js';
import { CompensatedSum } from '../metrics/scores.js';
import { cellValue, type Column, type Label, type Table } from '../table.js';
import { finiteOrNull, requireWholeNumber } from './common.js';
import type { ColumnSummary, TableSummary } from './types.js';

export const DEFAULT_PREVIEW_ROWS = 10;
/**
 * Columns in the preview, the first ones: a table of a million columns would otherwise give a
 * preview of ten million cells. The rest are counted in the summary's `columns`.
 */
export const PREVIEW_COLUMNS = 50;
/** Most frequent text values listed per column. */
export const TOP_VALUES = 5;

export interface TableSummaryOptions {
  /** Rows in the preview; 10 by default. */
  readonly previewRows?: number;
}

function summarizeColumn(column: Column): ColumnSummary {
  if (column.kind === 'number') {
    let missing = 0;
    let min = Infinity;
    let max = -Infinity;
    const sum = new CompensatedSum();
    for (const v of column.values) {
      if (Number.isNaN(v)) {
        missing++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      sum.add(v);
    }
    const present = column.values.length - missing;
    return {
      name: column.name,
      type: 'number',
      missing,
      min: present === 0 ? null : finiteOrNull(min),
      max: present === 0 ? null : finiteOrNull(max),
      mean: present === 0 ? null : finiteOrNull(sum.value / present),
      categorical: present > 0 && isCategorical(column),
    };
  }
  const counts = new Float64Array(column.categories.length);
  let missing = 0;
  for (const code of column.codes) {
    if (code < 0) missing++;
    else counts[code]++;
  }
  let distinct = 0;
  for (const c of counts) if (c > 0) distinct++;
  // Categories are in first-seen order, so a stable sort by count keeps that order on ties.
  const top = Array.from(counts, (count, code) => ({ value: column.categories[code], count }))
    .filter((e) => e.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, TOP_VALUES);
  return { name: column.name, type: 'text', missing, distinct, top };
}

/** The summary of `table`, bound as `name` in the session. */
export function summarizeTable(
  table: Table,
  name: string,
  options: TableSummaryOptions = {},
): TableSummary {
  const previewRows = Math.min(
    table.nRows,
    requireWholeNumber('previewRows', options.previewRows ?? DEFAULT_PREVIEW_ROWS, 0),
  );
  const previewed = table.columns.slice(0, PREVIEW_COLUMNS);
  const rows: (Label | null)[][] = [];
  for (let r = 0; r < previewRows; r++) rows.push(previewed.map((c) => cellValue(c, r)));
  return {
    kind: 'table-summary',
    name,
    rows: table.nRows,
    columns: table.columns.map(summarizeColumn),
    preview: {
      columns: previewed.map((c) => c.name),
      rows,
      truncated: table.nRows > previewRows,
    },
    source: {
      path: table.source.path ?? null,
      format: table.source.format ?? null,
      sha256: table.source.sha256 ?? null,
      derivedFrom: table.source.derivedFrom ?? null,
    },
  };
}
