/**
 * Columns from typed cell values, for the formats that carry types (JSON, JSONL, Parquet).
 *
 * These formats keep their own types: a column is numeric when every present cell is a number
 * (or a bigint), else text. Text keeps strings as they are (a JSON "007" stays "007"), and
 * writes numbers with `String()`, booleans as "true"/"false" and dates in ISO 8601. null and
 * undefined are missing. Arrays and objects are not cells: they raise an error naming the cell.
 */
import type { Column } from '../table.js';
import { stringColumn } from '../table.js';
import { describeJsonValue, loadErrors } from './messages.js';

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One column from its cells; `rowNumber(i)` gives the 1-based row that messages name for the
 * i-th cell.
 */
export function columnFromCells(
  name: string,
  cells: ArrayLike<unknown>,
  file: string,
  rowNumber: (index: number) => number,
): Column {
  const n = cells.length;
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const cell = cells[i];
    if (
      cell === null ||
      cell === undefined ||
      typeof cell === 'number' ||
      typeof cell === 'bigint'
    ) {
      continue;
    }
    if (!isTextCell(cell)) {
      throw loadErrors.nestedValue(file, rowNumber(i), name, describeCell(cell));
    }
    numeric = false;
  }
  if (numeric) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const cell = cells[i];
      values[i] = cell === null || cell === undefined ? NaN : Number(cell);
    }
    return { kind: 'number', name, values };
  }
  const texts = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const cell = cells[i];
    texts[i] =
      cell === null || cell === undefined ? null : cellText(cell, file, rowNumber(i), name);
  }
  return stringColumn(name, texts);
}

function isTextCell(cell: unknown): boolean {
  return (
    typeof cell === 'string' ||
    typeof cell === 'boolean' ||
    cell instanceof Date ||
    cell instanceof Uint8Array
  );
}

function describeCell(cell: unknown): string {
  if (ArrayBuffer.isView(cell)) return 'array';
  return describeJsonValue(cell).replace(/^an? /, '');
}

function cellText(cell: unknown, file: string, row: number, column: string): string {
  if (typeof cell === 'string') return cell;
  if (cell instanceof Date) return cell.toISOString();
  if (cell instanceof Uint8Array) {
    try {
      return fatalUtf8.decode(cell);
    } catch {
      throw loadErrors.invalidUtf8(file, row, column);
    }
  }
  return String(cell);
}
