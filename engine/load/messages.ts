/**
 * Every message the loaders raise, in one place, so wording stays uniform and tests can
 * compare against the same functions.
 *
 * A message starts with where the problem is: the file as the user named it, then the column,
 * then the 1-based data row ("header" for the header line), e.g.
 * `data.csv, column ft_score, row 17: "high" is not a number`.
 */
import { EngineError, type DataLocation } from '../errors.js';

/** The "file, column c, row r" prefix of a message; parts that are unknown are left out. */
export function locationText(location: DataLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  if (location.row !== undefined) parts.push(location.row === 0 ? 'header' : `row ${location.row}`);
  return parts.join(', ');
}

function at(location: DataLocation, problem: string): string {
  const where = locationText(location);
  return where === '' ? problem : `${where}: ${problem}`;
}

/** Quotes a user value for a message, shortened so one bad cell cannot flood the output. */
export function quoteValue(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(shown);
}

export const loadErrors = {
  fileNotFound: (file: string) =>
    new EngineError('file-not-found', at({ file }, 'no such file'), { file }),
  isDirectory: (file: string) =>
    new EngineError('file-unreadable', at({ file }, 'is a directory, not a file'), { file }),
  unreadable: (file: string, reason: string) =>
    new EngineError('file-unreadable', at({ file }, `cannot be read (${reason})`), { file }),
  unknownFormat: (file: string) =>
    new EngineError(
      'bad-format',
      at(
        { file },
        'cannot tell the format from the file name; name it as csv, tsv, json, jsonl or parquet',
      ),
      { file },
    ),
  emptyFile: (file: string) =>
    new EngineError('file-empty', at({ file }, 'the file is empty (no header row)'), { file }),
  noRows: (file: string) =>
    new EngineError('file-empty', at({ file }, 'the file has no data rows'), { file }),
  emptyHeaderName: (file: string, position: number) =>
    new EngineError('bad-format', at({ file, row: 0 }, `column ${position} has no name`), {
      file,
      row: 0,
    }),
  duplicateHeaderName: (file: string, name: string, first: number, second: number) =>
    new EngineError(
      'bad-format',
      at(
        { file, row: 0 },
        `the column name ${quoteValue(name)} is used twice (columns ${first} and ${second})`,
      ),
      { file, row: 0, column: name },
    ),
  raggedRow: (file: string, row: number, expected: number, found: number, column?: string) =>
    new EngineError(
      'ragged-row',
      at(
        { file, row },
        `expected ${expected} fields as in the header, found ${found}` +
          (column === undefined ? '' : ` (column ${column} is missing)`),
      ),
      { file, row, column },
    ),
  unterminatedQuote: (file: string, row: number, column: string) =>
    new EngineError(
      'bad-quote',
      at({ file, row, column }, 'a quoted field is never closed (missing ")'),
      { file, row, column },
    ),
  textAfterQuote: (file: string, row: number, column: string) =>
    new EngineError(
      'bad-quote',
      at(
        { file, row, column },
        'unexpected text after a closing quote (a quote inside a quoted field must be doubled: "")',
      ),
      { file, row, column },
    ),
  /** `line` is given when the file has no rows to point at (a JSON document). */
  invalidUtf8: (file: string, row?: number, column?: string, line?: number) =>
    new EngineError(
      'bad-encoding',
      at(
        { file, row, column },
        'the text is not valid UTF-8' + (line === undefined ? '' : ` (line ${line})`),
      ),
      { file, row, column },
    ),
  invalidJson: (file: string, detail: string, row?: number) =>
    new EngineError('bad-format', at({ file, row }, `not valid JSON (${detail})`), { file, row }),
  notAnArray: (file: string, found: string) =>
    new EngineError(
      'bad-format',
      at({ file }, `expected a JSON array of objects (records), found ${found}`),
      { file },
    ),
  notARecord: (file: string, row: number, found: string) =>
    new EngineError(
      'bad-format',
      at({ file, row }, `expected an object (a record), found ${found}`),
      {
        file,
        row,
      },
    ),
  emptyKey: (file: string, row: number) =>
    new EngineError(
      'bad-format',
      at({ file, row }, 'a key is empty (""); every column needs a name'),
      {
        file,
        row,
      },
    ),
  nestedValue: (file: string, row: number, column: string, found: string) =>
    new EngineError(
      'bad-format',
      at(
        { file, row, column },
        `${found} values are not supported; a cell must be a string, number, boolean or null`,
      ),
      { file, row, column },
    ),
  badParquet: (file: string, detail: string) =>
    new EngineError('bad-format', at({ file }, `not a readable Parquet file (${detail})`), {
      file,
    }),
  unknownColumn: (file: string | undefined, column: string, available: readonly string[]) =>
    new EngineError(
      'unknown-column',
      at({ file }, `no column ${quoteValue(column)} (columns: ${available.join(', ')})`),
      { file, column },
    ),
  notNumeric: (file: string | undefined, column: string, row: number, value: string) =>
    new EngineError(
      'not-numeric',
      at({ file, column, row }, `${quoteValue(value)} is not a number`),
      { file, column, row },
    ),
  missingValue: (file: string | undefined, column: string, row: number) =>
    new EngineError('missing-value', at({ file, column, row }, 'the value is missing'), {
      file,
      column,
      row,
    }),
  // Files that are not files, and hostile contents.
  symlinkLoop: (file: string) =>
    new EngineError(
      'file-unreadable',
      at({ file }, 'is a symbolic link loop (a link that leads back to itself)'),
      { file },
    ),
  notARegularFile: (file: string, kind: string) =>
    new EngineError('file-unreadable', at({ file }, `is ${kind}, not a regular file`), { file }),
  // Numbers of text formats that overflow a double, and symbolic links to nothing.
  numberOutOfRange: (file: string, column: string, row: number) =>
    new EngineError(
      'not-numeric',
      at(
        { file, column, row },
        'the number is too large for a double (beyond ±1.8e308); write it smaller or as text',
      ),
      { file, column, row },
    ),
  danglingSymlink: (file: string, target: string) =>
    new EngineError(
      'file-not-found',
      at({ file }, `is a symbolic link to ${JSON.stringify(target)}, which does not exist`),
      { file },
    ),
};

/** A short description of a JSON value's kind for messages ("a number", "an array", "null"). */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : `a ${kind}`;
}
