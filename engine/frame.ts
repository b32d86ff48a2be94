/**
 * A danfojs DataFrame view of a Table, and back, for `%%ts` cells that work with DataFrames.
 *
 * danfojs-node takes about a second to load, so it is imported here on first use only; nothing
 * else in the engine depends on it. Only the type is imported statically (erased at build).
 *
 * To a DataFrame: numeric columns become numbers (missing = NaN, dtype float32 or int32 — danfo's
 * dtype is only a label: the values stay float64), text columns become strings (missing =
 * null, dtype string). Back: a column of numbers (null/undefined/NaN = missing) is numeric,
 * anything else is text, as for typed files (load/cells.ts).
 */
import type { DataFrame } from 'danfojs-node';
import { EngineError } from './errors.js';
import { columnFromCells } from './load/cells.js';
import { type Column, makeTable, type Table, type TableSource } from './table.js';

export type { DataFrame };

/** The danfojs-node module, loaded once. */
export async function loadDanfo(): Promise<typeof import('danfojs-node')> {
  return import('danfojs-node');
}

/** The table as a DataFrame (loads danfojs-node on first call). */
export async function toDataFrame(table: Table): Promise<DataFrame> {
  return dataFrameWith(await loadDanfo(), table);
}

/** The table as a DataFrame, synchronously, with danfojs-node already loaded (`loadDanfo`). */
export function dataFrameWith(danfo: typeof import('danfojs-node'), table: Table): DataFrame {
  if (table.columns.length === 0) return new danfo.DataFrame();
  if (table.nRows === 0) {
    // danfojs cannot build a frame with columns but no rows.
    throw new EngineError('bad-argument', 'a table without rows cannot become a DataFrame');
  }
  const data: Record<string, (number | string | null)[]> = {};
  const dtypes = table.columns.map((column) => {
    data[column.name] = columnCells(column);
    return dtypeOf(column);
  });
  return new danfo.DataFrame(data, { columns: table.columns.map((c) => c.name), dtypes });
}

function columnCells(column: Column): (number | string | null)[] {
  if (column.kind === 'number') return Array.from(column.values);
  const { codes, categories } = column;
  return Array.from(codes, (code) => (code < 0 ? null : categories[code]));
}

function dtypeOf(column: Column): string {
  if (column.kind === 'string') return 'string';
  for (const v of column.values) if (!Number.isInteger(v)) return 'float32';
  return 'int32';
}

/** A DataFrame back as a Table, with the given source (e.g. `{ derivedFrom: '%%ts cell' }`). */
export function fromDataFrame(frame: DataFrame, source: TableSource = {}): Table {
  const names = frame.columns;
  const file = source.path ?? 'DataFrame';
  // All columns at once, by position: `frame.column(name)` searches the names and copies the
  // index for each column, quadratic in a wide frame.
  const data = frame.getColumnData as unknown[][];
  const columns = names.map((name, j) => {
    const values = data[j] ?? [];
    // NaN is danfo's missing marker in any column; as null it stays missing in a text column.
    const cells = values.map((v) => (typeof v === 'number' && Number.isNaN(v) ? null : v));
    return columnFromCells(name, cells, file, (i) => i + 1);
  });
  return makeTable(columns, source);
}
