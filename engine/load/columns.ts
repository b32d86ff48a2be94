/**
 * Column lookups with the errors a statement needs: an unknown column, a score column that holds
 * something other than numbers, a missing value.
 */
import { type Column, findColumn, type NumberColumn, type Table } from '../table.js';
import { parseDecimalText } from './decimal.js';
import { loadErrors } from './messages.js';

export interface RequireNumberOptions {
  /** Accept missing cells (NaN); by default the first one is an error. */
  readonly allowMissing?: boolean;
}

/**
 * The named column as numbers. A text column whose every value is a plain decimal (as JSON
 * strings like "0.93" can be) is converted; otherwise the error names the first row whose value
 * is not a number: `data.csv, column ft_score, row 17: "high" is not a number`.
 */
export function requireNumberColumn(
  table: Table,
  name: string,
  options: RequireNumberOptions = {},
): NumberColumn {
  const file = table.source.path;
  const column = findColumn(table, name);
  if (column === undefined) {
    throw loadErrors.unknownColumn(
      file,
      name,
      table.columns.map((c) => c.name),
    );
  }
  let numbers: NumberColumn;
  if (column.kind === 'number') {
    numbers = column;
  } else {
    const categoryValues = column.categories.map(parseDecimalText);
    const values = new Float64Array(column.codes.length);
    for (let row = 0; row < values.length; row++) {
      const code = column.codes[row];
      if (code < 0) {
        values[row] = NaN;
        continue;
      }
      const value = categoryValues[code];
      if (Number.isNaN(value)) {
        throw loadErrors.notNumeric(file, name, row + 1, column.categories[code]);
      }
      values[row] = value;
    }
    numbers = { kind: 'number', name, values };
  }
  if (!options.allowMissing) {
    const values = numbers.values;
    for (let row = 0; row < values.length; row++) {
      if (values[row] !== values[row]) throw loadErrors.missingValue(file, name, row + 1);
    }
  }
  return numbers;
}

/**
 * Refuses a number column holding an infinity: text formats cannot write one (`Infinity` is
 * text there), so it is a literal such as `1e400` that overflowed, and would pass as a value.
 */
export function refuseOverflow(
  column: Column,
  file: string,
  rowNumber: (index: number) => number,
): void {
  if (column.kind !== 'number') return;
  const values = column.values;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === Infinity || value === -Infinity) {
      throw loadErrors.numberOutOfRange(file, column.name, rowNumber(i));
    }
  }
}
