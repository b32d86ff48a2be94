/**
 * Slices: the rows of a table grouped by the value of one column, for per-slice metrics and for
 * stratified splits.
 */
import { compareLabels } from './labels.js';
import { loadErrors } from './load/messages.js';
import { type Column, findColumn, type Label, type Table } from './table.js';

/** The rows whose column holds `value` (null: the missing cells). */
export interface SliceGroup {
  readonly value: Label | null;
  /** Row indices into the table, ascending; never empty. */
  readonly indices: Int32Array;
}

/**
 * The order of slice values: the order of labels (numbers numerically before strings, strings
 * by Unicode code point), with missing (null) last.
 */
export function compareSliceValues(a: Label | null, b: Label | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareLabels(a, b);
}

/** The table's column by name, or an error listing the columns there are. */
export function requireColumn(table: Table, name: string): Column {
  const column = findColumn(table, name);
  if (column === undefined) {
    throw loadErrors.unknownColumn(
      table.source.path,
      name,
      table.columns.map((c) => c.name),
    );
  }
  return column;
}

/** Groups the rows of `table` by the values of `columnName`, in `compareSliceValues` order. */
export function sliceBy(table: Table, columnName: string): SliceGroup[] {
  return groupRows(requireColumn(table, columnName));
}

/** Groups row indices by the column's values, in `compareSliceValues` order. */
export function groupRows(column: Column): SliceGroup[] {
  const n = column.kind === 'number' ? column.values.length : column.codes.length;
  // Dense group ids per row (missing = the last id), then a counting sort keeps row order.
  const groupOfRow = new Int32Array(n);
  const values: (Label | null)[] = [];
  if (column.kind === 'string') {
    const groupOfCode = new Int32Array(column.categories.length).fill(-1);
    let missingGroup = -1;
    for (let row = 0; row < n; row++) {
      const code = column.codes[row];
      let group: number;
      if (code < 0) {
        if (missingGroup < 0) {
          missingGroup = values.length;
          values.push(null);
        }
        group = missingGroup;
      } else {
        group = groupOfCode[code];
        if (group < 0) {
          group = values.length;
          groupOfCode[code] = group;
          values.push(column.categories[code]);
        }
      }
      groupOfRow[row] = group;
    }
  } else {
    const groupOfValue = new Map<number, number>();
    let missingGroup = -1;
    for (let row = 0; row < n; row++) {
      const value = column.values[row];
      let group: number;
      if (Number.isNaN(value)) {
        if (missingGroup < 0) {
          missingGroup = values.length;
          values.push(null);
        }
        group = missingGroup;
      } else {
        const known = groupOfValue.get(value);
        if (known === undefined) {
          group = values.length;
          // -0 and 0 are one group (Map keys compare by SameValueZero); report it as 0.
          groupOfValue.set(value, group);
          values.push(value === 0 ? 0 : value);
        } else {
          group = known;
        }
      }
      groupOfRow[row] = group;
    }
  }
  const counts = new Int32Array(values.length);
  for (let row = 0; row < n; row++) counts[groupOfRow[row]]++;
  const groups = values.map((value, g) => ({ value, indices: new Int32Array(counts[g]) }));
  const filled = new Int32Array(values.length);
  for (let row = 0; row < n; row++) {
    const g = groupOfRow[row];
    groups[g].indices[filled[g]++] = row;
  }
  return groups.sort((a, b) => compareSliceValues(a.value, b.value));
}
