/**
 * The tests' own CSV reader, independent of the engine's loader: the loader's tests compare
 * against it, and the metric tests use it so that they check the metrics alone. It reads the
 * files the project writes: a header row, comma-separated, `\n` line ends, RFC 4180 quotes (a
 * field that starts with a quote runs to the closing one; a doubled quote inside stands for
 * one) and no line breaks inside fields.
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

/** A file's fields as text; every row has as many fields as the header. */
export interface CsvRows {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Splits one line into fields, undoing RFC 4180 quotes; throws on a malformed quote. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new Error(`unterminated quote in: ${line}`);
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      fields.push(line.slice(i, comma < 0 ? line.length : comma));
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ',') throw new Error(`text after a closing quote in: ${line}`);
    i++;
  }
}

/**
 * The lines of a CSV text, without the empty one after a final line break; `source` names
 * the text in errors.
 */
export function parseCsvRows(text: string, source = 'CSV text'): CsvRows {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const [header, ...rows] = lines.map(splitCsvLine);
  rows.forEach((fields, i) => {
    if (fields.length !== header.length) {
      throw new Error(
        `${source}: row ${i + 1} has ${fields.length} fields, expected ${header.length}`,
      );
    }
  });
  return { header, rows };
}

export function readCsvRows(path: string): CsvRows {
  return parseCsvRows(readFileSync(path, 'utf8'), path);
}

/** The named column, as text. */
export function csvColumn(csv: CsvRows, name: string): string[] {
  const index = csv.header.indexOf(name);
  if (index < 0) throw new Error(`no column "${name}" in ${csv.header.join(', ')}`);
  return csv.rows.map((row) => row[index]);
}

/** The named column parsed as float64 numbers; throws on a field that is not a number. */
export function csvNumbers(csv: CsvRows, name: string): Float64Array {
  return Float64Array.from(csvColumn(csv, name), (text) => {
    const value = Number(text);
    if (text.trim() === '' || Number.isNaN(value)) throw new Error(`not a number: "${text}"`);
    return value;
  });
}

/** 1 where the named column's text equals `positive` (compared as text). */
export function csvIndicator(csv: CsvRows, name: string, positive: string): Uint8Array {
  return Uint8Array.from(csvColumn(csv, name), (text) => (text === positive ? 1 : 0));
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A table of the file: a column is numeric when every field is a plain decimal number. */
export function readCsv(path: string): Table {
  const { header, rows } = readCsvRows(path);
  const columns: Column[] = header.map((name, c) => {
    const values = rows.map((r) => r[c]);
    return values.every((v) => DECIMAL.test(v))
      ? numberColumn(name, values.map(Number))
      : stringColumn(name, values);
  });
  return makeTable(columns);
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
