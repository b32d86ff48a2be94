/**
 * A test-only reader for the golden CSV files: a header row, comma-separated, `\n` line
 * ends, RFC 4180 quotes (a doubled quote inside a quoted field), no line breaks inside
 * fields. It exists so the score tests do not depend on the engine's own loader.
 */
import { readFileSync } from 'node:fs';

export interface CsvRows {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function splitLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (true) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (true) {
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
    if (i === line.length) {
      fields.push('');
      return fields;
    }
  }
}

export function readCsv(path: string): CsvRows {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = splitLine(lines[0]);
  const rows = lines.slice(1).map((line, i) => {
    const fields = splitLine(line);
    if (fields.length !== header.length) {
      throw new Error(
        `${path}: row ${i + 1} has ${fields.length} fields, expected ${header.length}`,
      );
    }
    return fields;
  });
  return { header, rows };
}

/** The named column, as strings. */
export function csvColumn(csv: CsvRows, name: string): string[] {
  const index = csv.header.indexOf(name);
  if (index < 0) throw new Error(`no column "${name}" in ${csv.header.join(', ')}`);
  return csv.rows.map((row) => row[index]);
}

/** The named column parsed as float64 numbers. */
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
