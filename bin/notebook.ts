/**
 * Jupyter notebooks (nbformat 4) as `evalbook run` reads and writes them: parsing and checking
 * the JSON, cells with their sources as one string, and writing nbformat 4.5 the way Jupyter
 * does (keys sorted, one-space indent, multi-line strings as lists of lines, every cell with
 * an id).
 */
import { createHash } from 'node:crypto';

/** A MIME bundle: MIME type → content (text, or JSON for `…json` types). */
export type MimeBundle = Record<string, unknown>;

/** An output of a code cell, as nbformat 4 stores it. */
export type NotebookOutput =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { output_type: 'display_data'; data: MimeBundle; metadata: Record<string, unknown> }
  | {
      output_type: 'execute_result';
      execution_count: number | null;
      data: MimeBundle;
      metadata: Record<string, unknown>;
    }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

interface CellBase {
  /** Unique in the notebook; 1–64 characters of `[A-Za-z0-9_-]`. */
  id: string;
  /** The cell's text, its lines joined (nbformat allows a list of lines on disk). */
  source: string;
  metadata: Record<string, unknown>;
}

export interface CodeCell extends CellBase {
  cell_type: 'code';
  execution_count: number | null;
  outputs: NotebookOutput[];
}

export interface MarkdownCell extends CellBase {
  cell_type: 'markdown';
  attachments?: Record<string, unknown>;
}

export interface RawCell extends CellBase {
  cell_type: 'raw';
  attachments?: Record<string, unknown>;
}

export type NotebookCell = CodeCell | MarkdownCell | RawCell;

/**
 * A notebook in memory. Invariants: `nbformat` is 4; cell ids are unique and valid; sources
 * and stream texts are single strings.
 */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** A file that is not a notebook this program can run. */
export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/u;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** nbformat's "multiline string": a string, or a list of strings to concatenate. */
function multiline(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) {
    return value.join('');
  }
  throw new NotebookFormatError(`${what} must be a string or a list of strings`);
}

function readOutput(raw: unknown, where: string): NotebookOutput {
  if (!isRecord(raw)) throw new NotebookFormatError(`${where}: an output must be an object`);
  const data = (): MimeBundle => {
    if (!isRecord(raw.data)) throw new NotebookFormatError(`${where}: 'data' must be an object`);
    const bundle: MimeBundle = {};
    for (const [mime, value] of Object.entries(raw.data)) {
      // Text types may be stored as lists of lines; JSON types are stored as JSON.
      bundle[mime] = isJsonMime(mime) ? value : multiline(value, `${where}: data ${mime}`);
    }
    return bundle;
  };
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  switch (raw.output_type) {
    case 'stream':
      return {
        output_type: 'stream',
        name: raw.name === 'stderr' ? 'stderr' : 'stdout',
        text: multiline(raw.text, `${where}: stream text`),
      };
    case 'display_data':
      return { output_type: 'display_data', data: data(), metadata };
    case 'execute_result':
      return {
        output_type: 'execute_result',
        execution_count: typeof raw.execution_count === 'number' ? raw.execution_count : null,
        data: data(),
        metadata,
      };
    case 'error':
      return {
        output_type: 'error',
        ename: String(raw.ename ?? ''),
        evalue: String(raw.evalue ?? ''),
        traceback: Array.isArray(raw.traceback) ? raw.traceback.map(String) : [],
      };
    default:
      throw new NotebookFormatError(
        `${where}: unknown output_type ${JSON.stringify(raw.output_type)}`,
      );
  }
}

/** Whether a MIME type's content is JSON (stored as is) rather than text. */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || /\+json$/u.test(mime);
}

/** A cell id for the cell at `index` that no other cell has. */
function freshId(index: number, source: string, taken: ReadonlySet<string>): string {
  const digest = createHash('sha256').update(`${index}\n${source}`).digest('hex');
  for (let length = 8; length <= 64; length += 8) {
    const id = digest.slice(0, length);
    if (!taken.has(id)) return id;
  }
  return `cell-${index + 1}`;
}

/**
 * Parses a notebook file's text. Accepts nbformat 4 (any minor version; cells without an id
 * get one derived from their position and source). Throws NotebookFormatError.
 */
export function parseNotebook(text: string, name = 'the notebook'): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NotebookFormatError(
      `${name} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isRecord(json)) throw new NotebookFormatError(`${name} is not a JSON object`);
  // Without these keys it is some other JSON file, not a notebook of another version.
  if (!('nbformat' in json) && !('cells' in json)) {
    throw new NotebookFormatError(
      `${name} is JSON but not a Jupyter notebook (it has no "nbformat" and no "cells")`,
    );
  }
  if (json.nbformat !== 4) {
    throw new NotebookFormatError(
      `${name} is nbformat ${JSON.stringify(json.nbformat)}; only nbformat 4 can be run ` +
        `(convert it with \`jupyter nbconvert --to notebook\`)`,
    );
  }
  if (!Array.isArray(json.cells)) throw new NotebookFormatError(`${name} has no list of cells`);
  const taken = new Set<string>();
  const cells: NotebookCell[] = json.cells.map((raw: unknown, index: number) => {
    const where = `${name}, cell ${index + 1}`;
    if (!isRecord(raw)) throw new NotebookFormatError(`${where}: a cell must be an object`);
    const source = multiline(raw.source ?? '', `${where}: source`);
    const metadata = isRecord(raw.metadata) ? raw.metadata : {};
    let id = typeof raw.id === 'string' && CELL_ID.test(raw.id) ? raw.id : '';
    if (id === '' || taken.has(id)) id = freshId(index, source, taken);
    taken.add(id);
    const attachments = isRecord(raw.attachments) ? { attachments: raw.attachments } : {};
    switch (raw.cell_type) {
      case 'code':
        return {
          cell_type: 'code',
          id,
          source,
          metadata,
          execution_count: typeof raw.execution_count === 'number' ? raw.execution_count : null,
          outputs: Array.isArray(raw.outputs)
            ? raw.outputs.map((output: unknown, i: number) =>
                readOutput(output, `${where}, output ${i + 1}`),
              )
            : [],
        };
      case 'markdown':
        return { cell_type: 'markdown', id, source, metadata, ...attachments };
      case 'raw':
        return { cell_type: 'raw', id, source, metadata, ...attachments };
      default:
        throw new NotebookFormatError(
          `${where}: unknown cell_type ${JSON.stringify(raw.cell_type)}`,
        );
    }
  });
  return {
    nbformat: 4,
    nbformat_minor: typeof json.nbformat_minor === 'number' ? json.nbformat_minor : 0,
    metadata: isRecord(json.metadata) ? json.metadata : {},
    cells,
  };
}

/** A string as nbformat stores multi-line text: its lines, each but the last with its `\n`. */
export function splitLines(text: string): string[] {
  // A scan with indexOf: splitting on a lookbehind regex was several times slower on large cells.
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

/** Cell tags (`metadata.tags`), the strings only. */
export function cellTags(cell: NotebookCell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isRecord(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys(value[key]);
  return sorted;
}

function outputJson(output: NotebookOutput): Record<string, unknown> {
  switch (output.output_type) {
    case 'stream':
      return { ...output, text: splitLines(output.text) };
    case 'error':
      return output;
    default: {
      const data: Record<string, unknown> = {};
      for (const [mime, value] of Object.entries(output.data)) {
        data[mime] = typeof value === 'string' && !isJsonMime(mime) ? splitLines(value) : value;
      }
      return { ...output, data };
    }
  }
}

/**
 * The notebook as nbformat 4.5 JSON text, as Jupyter writes it: keys sorted, a one-space
 * indent, sources and text outputs as lists of lines, a final newline.
 */
export function serializeNotebook(notebook: Notebook): string {
  const json = {
    nbformat: 4,
    nbformat_minor: Math.max(5, notebook.nbformat_minor),
    metadata: notebook.metadata,
    cells: notebook.cells.map((cell) => {
      const common = { id: cell.id, metadata: cell.metadata, source: splitLines(cell.source) };
      if (cell.cell_type === 'code') {
        return {
          cell_type: 'code',
          ...common,
          execution_count: cell.execution_count,
          outputs: cell.outputs.map(outputJson),
        };
      }
      return {
        cell_type: cell.cell_type,
        ...common,
        ...(cell.attachments === undefined ? {} : { attachments: cell.attachments }),
      };
    }),
  };
  return `${JSON.stringify(sortedKeys(json), null, 1)}\n`;
}
