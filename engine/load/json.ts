/**
 * JSON (one array of records) and JSONL (one record per line) into columns.
 *
 * Columns are the record keys in order of first appearance; a record without a key has a
 * missing cell there. Types follow cells.ts. Rows in messages are the 1-based record index for
 * JSON and the 1-based line number for JSONL (blank lines are skipped, so they differ only when
 * there are blank lines).
 */
import { isUtf8 } from 'node:buffer';
import { type CancelToken, throwIfCancelled } from '../errors.js';
import type { Column } from '../table.js';
import { columnFromCells } from './cells.js';
import { refuseOverflow } from './columns.js';
import { describeJsonValue, loadErrors } from './messages.js';

export interface JsonOptions {
  readonly file: string;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  readonly cancel?: CancelToken;
}

type JsonRecord = Record<string, unknown>;

/** Lines parsed between two yields to the event loop. */
const LINES_PER_CHUNK = 20000;

/** Parses a JSON document that is an array of records. */
export async function parseJsonArray(bytes: Buffer, options: JsonOptions): Promise<Column[]> {
  const text = decodeUtf8(bytes, options.file, false);
  if (text.trim() === '') throw loadErrors.emptyFile(options.file);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw loadErrors.invalidJson(options.file, errorMessage(error));
  }
  throwIfCancelled(options.cancel);
  if (!Array.isArray(document))
    throw loadErrors.notAnArray(options.file, describeJsonValue(document));
  const records: JsonRecord[] = [];
  document.forEach((item: unknown, index) => {
    records.push(asRecord(item, options.file, index + 1));
  });
  options.onProgress?.(bytes.length, bytes.length);
  return columnsFromRecords(records, options.file, (i) => i + 1);
}

/** Parses JSON Lines: one record per non-blank line. */
export async function parseJsonLines(bytes: Buffer, options: JsonOptions): Promise<Column[]> {
  const text = decodeUtf8(bytes, options.file, true);
  const records: JsonRecord[] = [];
  const lineNumbers: number[] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const source = text.slice(start, end).trim();
    start = end + 1;
    if (source === '') continue;
    let item: unknown;
    try {
      item = JSON.parse(source);
    } catch (error) {
      throw loadErrors.invalidJson(options.file, errorMessage(error), line);
    }
    records.push(asRecord(item, options.file, line));
    lineNumbers.push(line);
    if (records.length % LINES_PER_CHUNK === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      throwIfCancelled(options.cancel);
      // Characters and bytes differ for non-ASCII text; the fraction is what matters.
      options.onProgress?.(Math.round((start / text.length) * bytes.length), bytes.length);
    }
  }
  if (records.length === 0) throw loadErrors.emptyFile(options.file);
  options.onProgress?.(bytes.length, bytes.length);
  return columnsFromRecords(records, options.file, (i) => lineNumbers[i]);
}

function asRecord(item: unknown, file: string, row: number): JsonRecord {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw loadErrors.notARecord(file, row, describeJsonValue(item));
  }
  return item as JsonRecord;
}

function columnsFromRecords(
  records: readonly JsonRecord[],
  file: string,
  rowNumber: (index: number) => number,
): Column[] {
  if (records.length === 0) throw loadErrors.noRows(file);
  const names: string[] = [];
  const known = new Set<string>();
  for (const [index, record] of records.entries()) {
    for (const key of Object.keys(record)) {
      if (key === '') throw loadErrors.emptyKey(file, rowNumber(index));
      if (!known.has(key)) {
        known.add(key);
        names.push(key);
      }
    }
  }
  const hasOwn = Object.prototype.hasOwnProperty;
  return names.map((name) => {
    const cells = records.map((record) => (hasOwn.call(record, name) ? record[name] : undefined));
    const column = columnFromCells(name, cells, file, rowNumber);
    refuseOverflow(column, file, rowNumber);
    return column;
  });
}

/** Decodes UTF-8 (dropping a BOM); invalid bytes raise an error naming their line. */
function decodeUtf8(bytes: Buffer, file: string, linesAreRows: boolean): string {
  if (!isUtf8(bytes)) {
    const line = lineOfOffset(bytes, firstInvalidUtf8(bytes));
    throw linesAreRows
      ? loadErrors.invalidUtf8(file, line)
      : loadErrors.invalidUtf8(file, undefined, undefined, line);
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

/** The offset of the first byte that breaks UTF-8 (only called once `isUtf8` said no). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + length > bytes.length) return i;
    let codePoint = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
