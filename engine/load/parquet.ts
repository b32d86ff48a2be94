/**
 * Parquet into columns, through hyparquet (imported on first use, so that programs that never
 * read Parquet never load it).
 *
 * Column data arrives per row group and column; it is gathered per column and typed as in
 * cells.ts. Nested columns (lists, structs, maps) are not cells and raise an error.
 */
import { type CancelToken, EngineError, throwIfCancelled } from '../errors.js';
import type { Column } from '../table.js';
import { columnFromCells } from './cells.js';
import { loadErrors } from './messages.js';

export interface ParquetOptions {
  readonly file: string;
  readonly onProgress?: (rowsDone: number, rowsTotal: number) => void;
  readonly cancel?: CancelToken;
}

interface Chunk {
  readonly rowStart: number;
  readonly data: ArrayLike<unknown>;
}

export async function parseParquet(bytes: Buffer, options: ParquetOptions): Promise<Column[]> {
  try {
    return await parseParquetColumns(bytes, options);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw loadErrors.badParquet(options.file, parquetProblem(error));
  }
}

/**
 * What went wrong, in words. hyparquet's own errors say it ("parquet file invalid (footer !=
 * PAR1)"); a JavaScript TypeError or RangeError from deep inside it ("Cannot read properties
 * of undefined") says only that the bytes are not what their metadata promised.
 */
function parquetProblem(error: unknown): string {
  if (
    error instanceof TypeError ||
    error instanceof RangeError ||
    !(error instanceof Error) ||
    error.message.includes('undefined') // "unsupported page type: undefined": a field is missing
  ) {
    return 'the file is corrupt or truncated';
  }
  return error.message;
}

async function parseParquetColumns(bytes: Buffer, options: ParquetOptions): Promise<Column[]> {
  const { parquetMetadata, parquetRead, parquetSchema } = await import('hyparquet');
  // hyparquet wants an ArrayBuffer of exactly the file; a small Buffer may share a pool.
  const whole =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const arrayBuffer = whole as ArrayBuffer;
  if (arrayBuffer.byteLength === 0) throw loadErrors.emptyFile(options.file);
  let names: string[];
  let rowCount: number;
  let metadata;
  try {
    metadata = parquetMetadata(arrayBuffer);
    names = parquetSchema(metadata).children.map((child) => child.element.name);
    rowCount = Number(metadata.num_rows);
  } catch (error) {
    throw loadErrors.badParquet(options.file, parquetProblem(error));
  }
  if (names.length === 0) throw loadErrors.emptyFile(options.file);
  if (rowCount === 0) throw loadErrors.noRows(options.file);
  // A corrupt footer can claim any number of rows; the row groups must add up to it before
  // arrays of that length are made.
  const groupRows = metadata.row_groups.reduce((sum, group) => sum + Number(group.num_rows), 0);
  if (!Number.isSafeInteger(rowCount) || rowCount < 0 || groupRows !== rowCount) {
    throw loadErrors.badParquet(options.file, 'the file is corrupt or truncated');
  }
  const chunks = new Map<string, Chunk[]>(names.map((name) => [name, []]));
  let rowsDone = 0;
  try {
    await parquetRead({
      file: arrayBuffer,
      metadata,
      onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
        chunks.get(columnName)?.push({ rowStart, data: columnData });
        if (columnName === names[0]) {
          rowsDone = Math.max(rowsDone, rowEnd);
          options.onProgress?.(rowsDone, rowCount);
        }
      },
    });
  } catch (error) {
    throw loadErrors.badParquet(options.file, parquetProblem(error));
  }
  throwIfCancelled(options.cancel);
  return names.map((name) => {
    const cells = gather(chunks.get(name) ?? [], rowCount);
    return columnFromCells(name, cells, options.file, (i) => i + 1);
  });
}

/** The column's cells in row order, from chunks that may arrive in any order. */
function gather(chunks: readonly Chunk[], rowCount: number): unknown[] {
  const cells = new Array<unknown>(rowCount);
  for (const { rowStart, data } of chunks) {
    const n = Math.min(data.length, rowCount - rowStart);
    for (let i = 0; i < n; i++) cells[rowStart + i] = data[i];
  }
  return cells;
}
