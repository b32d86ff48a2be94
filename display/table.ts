/**
 * One table model, three renderings: HTML (styled, escaped), plain text (aligned columns for a
 * terminal) and markdown (pipe tables). Renderers build a `TableSpec` once and print it in
 * every format, so the three always show the same cells.
 */
import { cls, element, escapeHtml, joinHtml, rawHtml, type Html, type Tone } from './html.js';

type Align = 'left' | 'right' | 'center';

export interface TableColumn {
  readonly header: string;
  /** Numbers are right-aligned, text left-aligned; left by default. */
  readonly align?: Align;
  /** Let long text (examples) wrap in HTML instead of widening the table. */
  readonly wrap?: boolean;
}

/** A cell: its text (already formatted), and how it should read. */
interface TableCell {
  readonly text: string;
  readonly tone?: Tone;
  /** A tooltip in HTML (the full value of a shortened text, a formula). */
  readonly title?: string;
}

export type CellInput = string | TableCell;

/**
 * Invariant: every row has exactly `columns.length` cells (checked when rendering).
 * `caption` is shown above the table; `footnote` below it (plain text and markdown too).
 */
export interface TableSpec {
  readonly caption?: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly CellInput[])[];
  readonly footnote?: string;
}

function cell(input: CellInput): TableCell {
  return typeof input === 'string' ? { text: input } : input;
}

function checkShape(spec: TableSpec): void {
  spec.rows.forEach((row, i) => {
    if (row.length !== spec.columns.length) {
      throw new Error(
        `table row ${i + 1} has ${row.length} cells but the table has ${spec.columns.length} columns`,
      );
    }
  });
}

/** The table as an HTML `<table>` (without the stylesheet; see `wrapHtml`). */
export function htmlTable(spec: TableSpec): Html {
  checkShape(spec);
  const alignClass = (column: TableColumn): string[] => {
    const classes: string[] = [column.align ?? 'left'];
    if (column.wrap === true) classes.push('wrap');
    return classes;
  };
  const caption =
    spec.caption === undefined ? rawHtml('') : element('caption', {}, escapeHtml(spec.caption));
  const head = element(
    'thead',
    {},
    element(
      'tr',
      {},
      joinHtml(
        spec.columns.map((c) =>
          element('th', { class: cls(...alignClass(c)), scope: 'col' }, escapeHtml(c.header)),
        ),
      ),
    ),
  );
  const body = element(
    'tbody',
    {},
    joinHtml(
      spec.rows.map((row) =>
        element(
          'tr',
          {},
          joinHtml(
            row.map((input, j) => {
              const c = cell(input);
              const classes = alignClass(spec.columns[j]);
              if (c.tone !== undefined) classes.push(c.tone);
              return element('td', { class: cls(...classes), title: c.title }, escapeHtml(c.text));
            }),
          ),
        ),
      ),
    ),
  );
  // A wrapper that scrolls sideways, so a wide table never widens the page around it.
  const table = element(
    'div',
    { class: cls('scroll') },
    element('table', { class: cls('table') }, joinHtml([caption, head, body])),
  );
  if (spec.footnote === undefined) return table;
  return joinHtml([table, element('div', { class: cls('footnote') }, escapeHtml(spec.footnote))]);
}

/**
 * Display width of a string in a terminal: code points, with East Asian wide and full-width
 * characters counted as two columns and combining marks as none.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (/\p{Mn}|\p{Me}/u.test(ch) || code === 0x200b) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Line breaks and tabs in a cell would break the grid: show them as visible spaces. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/gu, ' ');
}

function pad(text: string, width: number, align: Align): string {
  const room = width - displayWidth(text);
  if (room <= 0) return text;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') {
    const left = Math.floor(room / 2);
    return ' '.repeat(left) + text + ' '.repeat(room - left);
  }
  return text + ' '.repeat(room);
}

/** Longest cell text in plain output; longer text is cut with an ellipsis. */
const PLAIN_CELL_MAX = 60;

function clip(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * The table as aligned plain text: a header, a rule of dashes, one line per row, columns
 * separated by two spaces, no trailing spaces.
 */
export function textTable(spec: TableSpec): string {
  checkShape(spec);
  const header = spec.columns.map((c) => clip(oneLine(c.header), PLAIN_CELL_MAX));
  const body = spec.rows.map((row) => row.map((c) => clip(oneLine(cell(c).text), PLAIN_CELL_MAX)));
  // A loop, not Math.max(...): spreading a long table's rows into a call overflows the stack.
  const widths = header.map((h, j) => {
    let width = displayWidth(h);
    for (const row of body) width = Math.max(width, displayWidth(row[j]));
    return width;
  });
  const line = (cells: readonly string[]): string =>
    cells
      .map((text, j) => pad(text, widths[j], spec.columns[j].align ?? 'left'))
      .join('  ')
      .replace(/\s+$/u, '');
  const lines: string[] = [];
  if (spec.caption !== undefined) lines.push(oneLine(spec.caption));
  lines.push(line(header));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) lines.push(line(row));
  if (spec.footnote !== undefined) lines.push(oneLine(spec.footnote));
  return lines.join('\n');
}

/**
 * Escapes text for markdown: characters that would start emphasis, code, links, HTML or a
 * table cell boundary get a backslash (CommonMark lets any ASCII punctuation be escaped), and
 * line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>|#~&]/gu, (c) => `\\${c}`);
}

/** The table as a markdown pipe table, with the caption in bold above it. */
export function markdownTable(spec: TableSpec): string {
  checkShape(spec);
  const rule = (align: Align | undefined): string =>
    align === 'right' ? '---:' : align === 'center' ? ':---:' : '---';
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const lines: string[] = [];
  if (spec.caption !== undefined) lines.push(`**${escapeMarkdown(spec.caption)}**`, '');
  lines.push(row(spec.columns.map((c) => escapeMarkdown(c.header))));
  lines.push(row(spec.columns.map((c) => rule(c.align))));
  for (const r of spec.rows) lines.push(row(r.map((c) => escapeMarkdown(cell(c).text))));
  if (spec.footnote !== undefined) lines.push('', `*${escapeMarkdown(spec.footnote)}*`);
  return lines.join('\n');
}
