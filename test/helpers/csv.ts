/**
 * A test-only CSV reader for the golden fixtures, independent of the engine's loader so that
 * the metric tests check the metrics alone. Fixtures have a header row, `\n` line ends, RFC
 * 4180 quoting (a doubled quote inside a quoted field) and no line breaks inside fields. A
 * column is numeric when every value parses as a plain decimal number.
 */
import { readFileSync } from 'node:fs';
import {
  cellValue,
  findColumn,
  makeTable,
  numberColumn,
  stringColumn,
  type Column,
  type Label,
  type Table,
} from '../../engine/table.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Splits one line into fields, undoing RFC 4180 quotes. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error(`unterminated quote in line: ${line}`);
  fields.push(field);
  return fields;
}

export function parseCsv(text: string): Table {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = splitCsvLine(lines[0]);
  const rows = lines.slice(1).map(splitCsvLine);
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw new Error(`row ${i + 1} has ${r.length} fields`);
  });
  const columns: Column[] = header.map((name, c) => {
    const values = rows.map((r) => r[c]);
    return values.every((v) => DECIMAL.test(v))
      ? numberColumn(name, values.map(Number))
      : stringColumn(name, values);
  });
  return makeTable(columns);
}

export function readCsv(path: string): Table {
  return parseCsv(readFileSync(path, 'utf8'));
}

export function column(table: Table, name: string): Column {
  const c = findColumn(table, name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

/** The values of a column at the given rows (for mapping row indices to ids). */
export function valuesAt(c: Column, rows: ArrayLike<number>): (Label | null)[] {
  return Array.from(rows, (r) => cellValue(c, r));
}
