/**
 * Loading tables from files: CSV, TSV, JSON, JSONL and Parquet.
 *
 * `loadTable(path)` reads the file (hashing it on the way), parses it by its format and returns
 * a columnar Table whose `source` records the path, format and SHA-256. Every problem with the
 * file is an EngineError whose location names the file, and where it applies the 1-based data
 * row and the column (messages.ts has the wording).
 */
import { type CancelToken, throwIfCancelled } from '../errors.js';
import { type Column, makeTable, type Table } from '../table.js';
import { parseDelimited } from './csv.js';
import { parseJsonArray, parseJsonLines } from './json.js';
import { refuseOverflow } from './columns.js';
import { loadErrors } from './messages.js';
import { parseParquet } from './parquet.js';
import { type FileIdentity, readFileBytes } from './source.js';

export type { FileIdentity } from './source.js';

export { requireNumberColumn, type RequireNumberOptions } from './columns.js';
export { parseDecimalBytes, parseDecimalText } from './decimal.js';
export { locationText } from './messages.js';

export const LOAD_FORMATS = ['csv', 'tsv', 'json', 'jsonl', 'parquet'] as const;
export type LoadFormat = (typeof LOAD_FORMATS)[number];

/**
 * How far a load has got. Reading reports bytes; parsing reports bytes for text formats and
 * rows for Parquet. `done` never exceeds `total`, and each phase ends with done = total.
 * Parsing a CSV/TSV may go back to the start once per column that turns out to hold text
 * after rows of numbers (see csv.ts), so `done` can decrease.
 */
export interface LoadProgress {
  readonly phase: 'read' | 'parse';
  readonly done: number;
  readonly total: number;
  readonly unit: 'bytes' | 'rows';
}

export interface LoadOptions {
  /** The format; by default it comes from the file's extension. */
  readonly format?: LoadFormat;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Checked between chunks; a cancelled load raises EngineError 'interrupted'. */
  readonly cancel?: CancelToken;
}

const EXTENSIONS: ReadonlyArray<readonly [string, LoadFormat]> = [
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.tab', 'tsv'],
  ['.json', 'json'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.parquet', 'parquet'],
  ['.pq', 'parquet'],
];

/** The format a file name implies, if its extension is a known one (case-insensitive). */
export function formatFromPath(path: string): LoadFormat | undefined {
  const lower = path.toLowerCase();
  return EXTENSIONS.find(([extension]) => lower.endsWith(extension))?.[1];
}

/** Reads and parses a data file into a Table. */
export async function loadTable(path: string, options: LoadOptions = {}): Promise<Table> {
  return (await loadFileTable(path, options)).table;
}

/** A table loaded from a file, with the identity of the file it was read from. */
export interface LoadedFile {
  readonly table: Table;
  readonly identity: FileIdentity;
}

/** Reads and parses a data file into a Table, and says which file it was. */
export async function loadFileTable(path: string, options: LoadOptions = {}): Promise<LoadedFile> {
  const format = options.format ?? formatFromPath(path);
  if (format === undefined) throw loadErrors.unknownFormat(path);
  const { onProgress, cancel } = options;
  const { bytes, sha256, identity } = await readFileBytes(
    path,
    path,
    onProgress && ((done, total) => onProgress({ phase: 'read', done, total, unit: 'bytes' })),
    cancel,
  );
  throwIfCancelled(cancel);
  const columns = await parseBytes(bytes, format, path, options);
  return { table: makeTable(columns, { path, format, sha256 }), identity };
}

/**
 * Parses bytes already in memory as if they were the named file (no hashing, no `source`
 * beyond the format): for data that does not come from a file, and for tests.
 */
export async function parseTable(
  bytes: Buffer,
  format: LoadFormat,
  file: string,
  options: Omit<LoadOptions, 'format'> = {},
): Promise<Table> {
  return makeTable(await parseBytes(bytes, format, file, options), { format });
}

async function parseBytes(
  bytes: Buffer,
  format: LoadFormat,
  file: string,
  options: Omit<LoadOptions, 'format'>,
): Promise<Column[]> {
  const { onProgress, cancel } = options;
  const bytesProgress =
    onProgress &&
    ((done: number, total: number) => onProgress({ phase: 'parse', done, total, unit: 'bytes' }));
  switch (format) {
    case 'csv':
    case 'tsv': {
      if (bytes.length === 0) throw loadErrors.emptyFile(file);
      const columns = await parseDelimited(bytes, {
        file,
        delimiter: format === 'csv' ? ',' : '\t',
        onProgress: bytesProgress,
        cancel,
      });
      for (const column of columns) refuseOverflow(column, file, (index) => index + 1);
      return columns;
    }
    case 'json':
      return parseJsonArray(bytes, { file, onProgress: bytesProgress, cancel });
    case 'jsonl':
      return parseJsonLines(bytes, { file, onProgress: bytesProgress, cancel });
    case 'parquet':
      return parseParquet(bytes, {
        file,
        onProgress:
          onProgress &&
          ((done, total) => onProgress({ phase: 'parse', done, total, unit: 'rows' })),
        cancel,
      });
  }
}
