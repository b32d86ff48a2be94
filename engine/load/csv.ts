/**
 * CSV and TSV (RFC 4180) parsed straight from the file's bytes into typed columns.
 *
 * Fields may be quoted; inside quotes a doubled quote is a quote, and delimiters and line
 * breaks are plain text. Lines end in LF, CRLF or a lone CR; a UTF-8 byte-order mark is skipped;
 * blank lines are skipped; the last line needs no line break. A quote inside an unquoted field
 * is kept as text (as pandas does), but text after a closing quote is an error.
 *
 * Types: a column is numeric when every non-empty cell is a plain decimal (see decimal.ts),
 * else text. Empty cells (and `""`) are missing: NaN in a numeric column, code -1 in a text one.
 *
 * Speed: one pass over the bytes, numbers parsed from the bytes as they are scanned, text cells
 * interned by their bytes (dictionary.ts). Every column starts out numeric; when a column meets
 * its first non-number the pass restarts from the first row with that column as text. A column
 * changes at most once, and text columns nearly always show text in their first row, so in
 * practice the restart costs one row. Memory is the file plus one typed array per column.
 */
import { type CancelToken, throwIfCancelled } from '../errors.js';
import type { Column } from '../table.js';
import { asciiText, MAX_FAST_DIGITS, parseDecimalBytes } from './decimal.js';
import { ByteDictionary, FNV_OFFSET, fnvStep, InvalidUtf8Error } from './dictionary.js';
import { loadErrors } from './messages.js';

export interface DelimitedOptions {
  /** The file as the user named it, for messages. */
  readonly file: string;
  readonly delimiter: ',' | '\t';
  /** Called between chunks with the bytes parsed so far and the total. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  readonly cancel?: CancelToken;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** Bytes parsed between two yields to the event loop (a few milliseconds of work). */
const CHUNK_BYTES = 4 << 20;
/**
 * The first chunk is tiny and chunks double up to CHUNK_BYTES: the first chunks end before V8
 * optimizes the hot loop, so the loop's exit has run (and has type feedback) by then, and the
 * optimized code is not thrown away when its first chunk ends (that recompilation cost about
 * 100 ms at 1M rows).
 */
const FIRST_CHUNK_BYTES = 1 << 10;

const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Columns scanned between two polls of the cancel token inside one row: a table with a million
 * columns has rows of megabytes, and the row loop alone would not notice an interrupt.
 */
const CANCEL_CHECK_COLUMNS = 1 << 16;

/** Columns from which a table's rows are counted exactly before parsing (see estimateRows). */
const WIDE_TABLE_COLUMNS = 1024;

/** The array of a column that is not of that kind; never written (it has no room). */
const NO_NUMBERS = new Float64Array(0);
const NO_CODES = new Int32Array(0);

/** What a chunk of parsing ended with. */
type Status = typeof DONE | typeof MORE | typeof RESTART;
const DONE = 0;
const MORE = 1;
const RESTART = 2;

/** Parses a whole delimited file; the columns share one length, the number of data rows. */
export async function parseDelimited(bytes: Buffer, options: DelimitedOptions): Promise<Column[]> {
  const parser = new DelimitedParser(bytes, options);
  let chunkBytes = FIRST_CHUNK_BYTES;
  for (;;) {
    const status = parser.parseChunk(parser.position + chunkBytes);
    chunkBytes = Math.min(chunkBytes * 2, CHUNK_BYTES);
    if (status === DONE) break;
    if (status === RESTART) parser.restart();
    // Yield so that an interrupt request can be handled and can set the cancel token.
    await new Promise<void>((resolve) => setImmediate(resolve));
    options.onProgress?.(parser.position, bytes.length);
    throwIfCancelled(options.cancel);
  }
  options.onProgress?.(bytes.length, bytes.length);
  return parser.columns();
}

class DelimitedParser {
  private readonly bytes: Buffer;
  private readonly end: number;
  private readonly delimiter: number;
  private readonly file: string;
  private readonly names: string[];
  private readonly dataStart: number;
  /** Per column: 1 once the column has been found to hold text. */
  private readonly isText: Uint8Array;
  /** Per column, the values so far; a text column's entry is empty (and the reverse). */
  private readonly numbers: Float64Array[];
  private readonly codes: Int32Array[];
  /** Per column, the text values seen so far; null until the column is text. */
  private readonly dictionaries: (ByteDictionary | null)[];
  private readonly cancel: CancelToken | undefined;
  private readonly onProgress: ((bytesDone: number, bytesTotal: number) => void) | undefined;
  private capacity: number;
  private row = 0;
  position: number;

  /** Where the last quoted field's content is: in `bytes`, or unescaped into `scratch`. */
  private fieldSource: Uint8Array;
  private fieldStart = 0;
  private fieldEnd = 0;
  private scratch = new Uint8Array(256);

  constructor(bytes: Buffer, options: DelimitedOptions) {
    this.bytes = withSentinel(bytes);
    this.end = bytes.length;
    this.delimiter = options.delimiter.charCodeAt(0);
    this.file = options.file;
    this.cancel = options.cancel;
    this.onProgress = options.onProgress;
    this.fieldSource = this.bytes;
    let start = 0;
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    start = this.skipBlankLines(start);
    if (start >= this.end) throw loadErrors.emptyFile(this.file);
    const header = this.parseHeader(start);
    this.names = header.names;
    this.dataStart = this.skipBlankLines(header.next);
    if (this.dataStart >= this.end) throw loadErrors.noRows(this.file);
    this.position = this.dataStart;
    const ncols = this.names.length;
    this.isText = new Uint8Array(ncols);
    this.capacity = this.estimateRows();
    this.numbers = columnArrays(Float64Array, ncols, this.capacity);
    this.codes = this.names.map(() => NO_CODES);
    this.dictionaries = this.names.map(() => null);
  }

  private skipBlankLines(pos: number): number {
    while (pos < this.end && (this.bytes[pos] === LF || this.bytes[pos] === CR)) pos++;
    return pos;
  }

  private parseHeader(start: number): { names: string[]; next: number } {
    const bytes = this.bytes;
    const names: string[] = [];
    const seen = new Map<string, number>();
    let pos = start;
    for (;;) {
      const position = names.length + 1;
      let source: Uint8Array = bytes;
      let fieldStart = pos;
      let fieldEnd: number;
      let high = 0;
      if (pos < this.end && bytes[pos] === QUOTE) {
        pos = this.readQuoted(pos, 0, `#${position}`);
        source = this.fieldSource;
        fieldStart = this.fieldStart;
        fieldEnd = this.fieldEnd;
        high = 128;
      } else {
        while (pos < this.end) {
          const c = bytes[pos];
          if (c === this.delimiter || c === LF || c === CR) break;
          high |= c;
          pos++;
        }
        fieldEnd = pos;
      }
      let name: string;
      if (high < 128) {
        // No decoder call (and no Buffer view) per name: a header may have a million of them.
        name = asciiText(source, fieldStart, fieldEnd);
      } else {
        try {
          name = fatalUtf8.decode(source.subarray(fieldStart, fieldEnd));
        } catch {
          throw loadErrors.invalidUtf8(this.file, 0);
        }
      }
      if (name === '') throw loadErrors.emptyHeaderName(this.file, position);
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        throw loadErrors.duplicateHeaderName(this.file, name, earlier, position);
      }
      seen.set(name, position);
      names.push(name);
      if (pos < this.end && bytes[pos] === this.delimiter) {
        pos++;
        continue;
      }
      return { names, next: this.lineEnd(pos) };
    }
  }

  /** Moves past a line break at pos (LF, CRLF or CR), if there is one. */
  private lineEnd(pos: number): number {
    if (pos < this.end && this.bytes[pos] === CR) pos++;
    if (pos < this.end && this.bytes[pos] === LF) pos++;
    return pos;
  }

  /**
   * Rows expected, from the line breaks in 16 samples of 8 KiB spread over the file: close
   * enough (row lengths drift, e.g. as ids get longer) that growing is rare and that trimming
   * the arrays at the end needs no copy.
   */
  private estimateRows(): number {
    const dataBytes = this.end - this.dataStart;
    const samples = 16;
    const window = 8192;
    // Exact for a small file, and for a wide table (whose rows are too long for samples to see
    // their ends: a guess of 48 rows for 2 would make a million columns reserve 384 MB), so that
    // trimming the arrays copies nothing (blank lines aside).
    if (dataBytes <= samples * window || this.names.length >= WIDE_TABLE_COLUMNS) {
      const last = this.bytes[this.end - 1];
      const unterminated = last === LF || last === CR ? 0 : 1;
      return this.countLineBreaks(this.dataStart, this.end) + unterminated;
    }
    const step = (dataBytes - window) / (samples - 1);
    let lines = 0;
    for (let k = 0; k < samples; k++) {
      const from = this.dataStart + Math.floor(k * step);
      lines += this.countLineBreaks(from, from + window);
    }
    if (lines === 0) return 16;
    return Math.ceil((dataBytes * lines * 1.02) / (samples * window)) + 16;
  }

  /** LFs in [from, to), or CRs when there is no LF (a file with lone-CR line ends). */
  private countLineBreaks(from: number, to: number): number {
    let lf = 0;
    let cr = 0;
    for (let i = from; i < to; i++) {
      const c = this.bytes[i];
      if (c === LF) lf++;
      else if (c === CR) cr++;
    }
    return lf > 0 ? lf : cr;
  }

  private grow(): void {
    const capacity = Math.ceil(this.capacity * 1.5) + 16;
    for (let j = 0; j < this.names.length; j++) {
      if (this.isText[j] === 1) {
        const codes = new Int32Array(capacity);
        codes.set(this.codes[j]);
        this.codes[j] = codes;
      } else {
        const numbers = new Float64Array(capacity);
        numbers.set(this.numbers[j]);
        this.numbers[j] = numbers;
      }
    }
    this.capacity = capacity;
  }

  /** Starts again at the first data row after a column has turned out to be text. */
  restart(): void {
    const becomingText: number[] = [];
    for (let j = 0; j < this.names.length; j++) {
      if (this.isText[j] === 0) continue;
      if (this.codes[j].length !== this.capacity) becomingText.push(j);
      this.dictionaries[j] = null;
    }
    const codes = columnArrays(Int32Array, becomingText.length, this.capacity);
    for (let k = 0; k < becomingText.length; k++) {
      this.codes[becomingText[k]] = codes[k];
      this.numbers[becomingText[k]] = NO_NUMBERS;
    }
    this.row = 0;
    this.position = this.dataStart;
  }

  columns(): Column[] {
    const n = this.row;
    return this.names.map((name, j): Column => {
      if (this.isText[j] === 1) {
        const codes = trim(this.codes[j], n);
        const categories = this.dictionaries[j]?.categories ?? [];
        return { kind: 'string', name, codes, categories };
      }
      return { kind: 'number', name, values: trim(this.numbers[j], n) };
    });
  }

  /**
   * Parses whole rows until the position passes `limit` or the data ends. The hot loop: the
   * common cells (unquoted numbers, unquoted text) are handled inline without calls.
   */
  parseChunk(limit: number): Status {
    const bytes = this.bytes;
    const end = this.end;
    const delimiter = this.delimiter;
    const ncols = this.names.length;
    const last = ncols - 1;
    const isText = this.isText;
    // Local copies of the per-column arrays: this loop runs once per cell, and `grow` is the
    // only thing that replaces them.
    let numbers = this.numbers;
    let codes = this.codes;
    let pos = this.position;
    let row = this.row;
    while (pos < end && pos < limit) {
      let c = bytes[pos];
      if (c === LF || c === CR) {
        pos++;
        continue;
      }
      if (row === this.capacity) {
        this.grow();
        numbers = this.numbers;
        codes = this.codes;
      }
      const rowStart = pos;
      for (let j = 0; j < ncols; j++) {
        if ((j & (CANCEL_CHECK_COLUMNS - 1)) === 0 && j !== 0) this.pollWithinRow(pos);
        const start = pos;
        // bytes[end] is a LF sentinel: every scan below stops at the end of the data without
        // checking the position, and `c` always holds bytes[pos].
        c = bytes[pos];
        if (isText[j] === 0) {
          let value: number;
          if (c === delimiter || c === LF || c === CR) {
            value = NaN;
          } else if (c === QUOTE) {
            pos = this.readQuoted(pos, row + 1, this.names[j]);
            c = bytes[pos];
            if (this.fieldEnd === this.fieldStart) {
              value = NaN;
            } else {
              value = parseDecimalBytes(this.fieldSource, this.fieldStart, this.fieldEnd);
              if (value !== value) return this.becomeText(j, pos, row);
            }
          } else {
            let negative = false;
            if (c === MINUS) {
              negative = true;
              c = bytes[++pos];
            } else if (c === PLUS) {
              c = bytes[++pos];
            }
            let mantissa = 0;
            let digits = 0;
            while (c >= ZERO && c <= NINE) {
              mantissa = mantissa * 10 + (c - ZERO);
              digits++;
              c = bytes[++pos];
            }
            let fractionDigits = 0;
            if (c === DOT) {
              c = bytes[++pos];
              while (c >= ZERO && c <= NINE) {
                mantissa = mantissa * 10 + (c - ZERO);
                fractionDigits++;
                c = bytes[++pos];
              }
              digits += fractionDigits;
            }
            if (
              digits !== 0 &&
              digits <= MAX_FAST_DIGITS &&
              (c === delimiter || c === LF || c === CR)
            ) {
              // Integers (ids, 0/1 labels) need no division.
              value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
              if (negative) value = -value;
            } else {
              // Exponents, long digit strings and non-numbers: find the field's end, then
              // let the exact parser decide.
              while (c !== delimiter && c !== LF && c !== CR) c = bytes[++pos];
              value = parseDecimalBytes(bytes, start, pos);
              if (value !== value) return this.becomeText(j, pos, row);
            }
          }
          numbers[j][row] = value;
        } else {
          let code: number;
          if (c === delimiter || c === LF || c === CR) {
            code = -1;
          } else if (c === QUOTE) {
            pos = this.readQuoted(pos, row + 1, this.names[j]);
            c = bytes[pos];
            code = this.internQuoted(j, row);
          } else {
            let hash = FNV_OFFSET;
            let high = 0;
            while (c !== delimiter && c !== LF && c !== CR) {
              hash = fnvStep(hash, c);
              high |= c;
              c = bytes[++pos];
            }
            code = this.intern(j, row, bytes, start, pos, hash, high > 127);
          }
          codes[j][row] = code;
        }
        if (j < last) {
          if (c !== delimiter) {
            throw loadErrors.raggedRow(this.file, row + 1, ncols, j + 1, this.names[j + 1]);
          }
          pos++;
        } else if (c === delimiter) {
          throw loadErrors.raggedRow(this.file, row + 1, ncols, this.countFields(rowStart, row));
        } else {
          pos = this.lineEnd(pos);
        }
      }
      row++;
    }
    this.position = pos;
    this.row = row;
    return pos >= end ? DONE : MORE;
  }

  /**
   * Marks `column` as text, and with it every later column of the same row whose field is not
   * a number (pos is at the end of `column`'s field): one restart then serves them all, where a
   * restart per column would parse a wide first row once per text column.
   */
  private becomeText(column: number, pos: number, row: number): Status {
    const bytes = this.bytes;
    const isText = this.isText;
    isText[column] = 1;
    for (let j = column + 1; j < this.names.length; j++) {
      // A row that ends early is reported by the parse that follows the restart.
      if (bytes[pos] !== this.delimiter) break;
      pos++;
      if ((j & (CANCEL_CHECK_COLUMNS - 1)) === 0) this.pollWithinRow(pos);
      if (bytes[pos] === QUOTE) {
        pos = this.readQuoted(pos, row + 1, this.names[j]);
        if (isText[j] === 0 && !isNumberField(this.fieldSource, this.fieldStart, this.fieldEnd)) {
          isText[j] = 1;
        }
        continue;
      }
      const start = pos;
      let c = bytes[pos];
      while (c !== this.delimiter && c !== LF && c !== CR) c = bytes[++pos];
      if (isText[j] === 0 && !isNumberField(bytes, start, pos)) isText[j] = 1;
    }
    return RESTART;
  }

  /** Inside a very wide row: honours an interrupt and reports how far the parse is. */
  private pollWithinRow(pos: number): void {
    throwIfCancelled(this.cancel);
    this.onProgress?.(pos, this.end);
  }

  private intern(
    column: number,
    row: number,
    source: Uint8Array,
    start: number,
    end: number,
    hash: number,
    hasHighBytes: boolean,
  ): number {
    try {
      let dictionary = this.dictionaries[column];
      if (dictionary === null) {
        dictionary = new ByteDictionary();
        this.dictionaries[column] = dictionary;
      }
      return dictionary.intern(source, start, end, hash, hasHighBytes);
    } catch (error) {
      if (error instanceof InvalidUtf8Error) {
        throw loadErrors.invalidUtf8(this.file, row + 1, this.names[column]);
      }
      throw error;
    }
  }

  private internQuoted(column: number, row: number): number {
    const source = this.fieldSource;
    const start = this.fieldStart;
    const end = this.fieldEnd;
    if (start === end) return -1;
    let hash = FNV_OFFSET;
    let high = 0;
    for (let i = start; i < end; i++) {
      hash = fnvStep(hash, source[i]);
      high |= source[i];
    }
    return this.intern(column, row, source, start, end, hash, high > 127);
  }

  /**
   * Reads the quoted field whose opening quote is at `pos`; returns the position after the
   * closing quote and leaves the content in fieldSource[fieldStart, fieldEnd).
   */
  private readQuoted(pos: number, row: number, column: string): number {
    const bytes = this.bytes;
    const contentStart = pos + 1;
    let from = contentStart;
    let unescapedLength = -1; // -1 while no doubled quote has been seen
    for (;;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote < 0) throw loadErrors.unterminatedQuote(this.file, row, column);
      const doubled = quote + 1 < this.end && bytes[quote + 1] === QUOTE;
      if (doubled || unescapedLength >= 0) {
        // Copy what lies before this quote (and the quote itself when it is doubled).
        if (unescapedLength < 0) unescapedLength = 0;
        const piece = quote - from + (doubled ? 1 : 0);
        this.ensureScratch(unescapedLength + piece);
        this.scratch.set(bytes.subarray(from, from + piece), unescapedLength);
        unescapedLength += piece;
      }
      if (doubled) {
        from = quote + 2;
        continue;
      }
      if (unescapedLength >= 0) {
        this.fieldSource = this.scratch;
        this.fieldStart = 0;
        this.fieldEnd = unescapedLength;
      } else {
        this.fieldSource = bytes;
        this.fieldStart = contentStart;
        this.fieldEnd = quote;
      }
      const after = quote + 1;
      if (after < this.end) {
        const c = bytes[after];
        if (c !== this.delimiter && c !== LF && c !== CR) {
          throw loadErrors.textAfterQuote(this.file, row, column);
        }
      }
      return after;
    }
  }

  private ensureScratch(size: number): void {
    if (size <= this.scratch.length) return;
    const grown = new Uint8Array(Math.max(size, this.scratch.length * 2));
    grown.set(this.scratch);
    this.scratch = grown;
  }

  /** The number of fields on the row that starts at `pos` (for the ragged-row message). */
  private countFields(pos: number, row: number): number {
    const bytes = this.bytes;
    let fields = 1;
    while (pos < this.end) {
      const c = bytes[pos];
      if (c === QUOTE) {
        pos = this.readQuoted(pos, row + 1, this.names[Math.min(fields, this.names.length) - 1]);
        continue;
      }
      if (c === LF || c === CR) break;
      if (c === this.delimiter) fields++;
      pos++;
    }
    return fields;
  }
}

/**
 * Columns of values per row allocated as views into one buffer while they are this short:
 * a typed array of its own costs microseconds, which a table of a million columns pays a million
 * times. Longer columns get their own arrays, so that none keeps another's buffer alive.
 */
const SHARED_BUFFER_MAX_ROWS = 1024;

/** `count` zeroed arrays of `length` values. */
function columnArrays<T extends Float64Array | Int32Array>(
  kind: { new (length: number): T },
  count: number,
  length: number,
): T[] {
  const arrays: T[] = [];
  if (length > SHARED_BUFFER_MAX_ROWS) {
    for (let j = 0; j < count; j++) arrays.push(new kind(length));
    return arrays;
  }
  const shared = new kind(count * length);
  for (let j = 0; j < count; j++) arrays.push(shared.subarray(j * length, (j + 1) * length) as T);
  return arrays;
}

/** Whether a field's bytes leave its column numeric: empty (missing) or a plain decimal. */
function isNumberField(bytes: Uint8Array, start: number, end: number): boolean {
  return start === end || !Number.isNaN(parseDecimalBytes(bytes, start, end));
}

/**
 * The first n entries. A view when little is unused (copying a 10M-row column costs more than
 * the spare capacity), a copy when much would be wasted.
 */
function trim<T extends Float64Array | Int32Array>(values: T, n: number): T {
  if (values.length === n) return values;
  return (
    values.length - n <= values.length / 16 ? values.subarray(0, n) : values.slice(0, n)
  ) as T;
}

/**
 * The bytes followed by one LF, which the hot loop relies on to stop every scan at the end of
 * the data. No copy when the byte after the data in its ArrayBuffer already is a LF (the file
 * reader leaves one there); otherwise a padded copy.
 */
function withSentinel(bytes: Buffer): Buffer {
  const after = bytes.byteOffset + bytes.length;
  if (after < bytes.buffer.byteLength && new Uint8Array(bytes.buffer, after, 1)[0] === LF) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length + 1);
  }
  const padded = Buffer.allocUnsafe(bytes.length + 1);
  bytes.copy(padded);
  padded[bytes.length] = LF;
  return padded;
}
