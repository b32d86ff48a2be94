/**
 * A small, safe Markdown renderer for the markdown cells of a notebook's HTML rendering.
 *
 * Blocks: ATX headings (`#` to `######`), paragraphs, fenced code blocks (``` or ~~~),
 * bullet lists (`-`, `*`, `+`) and numbered lists (`1.`), nested by indentation, block
 * quotes, pipe tables with a header separator, and horizontal rules. Inline: code spans,
 * strong (`**`, `__`), emphasis (`*`, `_`), links `[text](url "title")`, autolinks `<https://…>`,
 * and backslash escapes.
 *
 * Safety: every piece of text is HTML-escaped; raw HTML in the source is shown as text, never
 * interpreted; a link's URL is kept only when it is http(s), mailto, a fragment or a relative
 * path (`javascript:` and other schemes become plain text).
 */

const NEEDS_ESCAPE = /[&<>"']/u;

/** Escapes text for HTML element content and attribute values. */
export function escapeText(text: string): string {
  // Most runs of text have nothing to escape: one test instead of five replacements.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/"/gu, '&quot;')
    .replace(/'/gu, '&#39;');
}

/** A URL a link may point to: http(s), mailto, a fragment, or a path without a scheme. */
export function safeUrl(url: string): string | null {
  const trimmed = url.trim();
  // Control characters and spaces can hide a scheme from the check below.
  // eslint-disable-next-line no-control-regex -- matching them is the point
  if (/[\u0000-\u0020\u007f]/u.test(trimmed)) return null;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/u.exec(trimmed);
  if (scheme === null) return trimmed;
  return ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase()) ? trimmed : null;
}

// ---------------------------------------------------------------------------------------------
// Inline

const ESCAPABLE = '\\`*_{}[]()#+-.!|<>~"\'';

/** An autolink at the regex's lastIndex (sticky: no copy of the rest of the text per `<`). */
const AUTOLINK = /<((?:https?:\/\/|mailto:)[^\s<>]+)>/uy;

/** The length of the run of backticks at `i`. */
function backtickRun(text: string, i: number): number {
  let end = i;
  while (text.charCodeAt(end) === 96) end++;
  return end - i;
}

/** Renders inline Markdown in `text` (one block's content) to HTML. */
export function renderInline(text: string): string {
  // Plain text is copied a run at a time (from `plainStart` to the next markup), not a
  // character at a time: a string grown by `+=` per character costs a rope node per character.
  let html = '';
  let i = 0;
  let plainStart = 0;
  const flush = (): void => {
    if (i > plainStart) html += escapeText(text.slice(plainStart, i));
  };
  /** Where no backtick run of a length is closed any more (saves rescanning to the end). */
  const unclosedFrom = new Map<number, number>();
  let closers: Int32Array | undefined;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.includes(text[i + 1])) {
      flush();
      html += escapeText(text[i + 1]);
      i += 2;
      plainStart = i;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      flush();
      html += '<br>\n';
      i += 2;
      plainStart = i;
      continue;
    }
    if (c === '`') {
      const length = backtickRun(text, i);
      const from = i + length;
      const known = unclosedFrom.get(length);
      const close =
        known !== undefined && known <= from ? -1 : text.indexOf('`'.repeat(length), from);
      if (close < 0 && (known === undefined || from < known)) unclosedFrom.set(length, from);
      if (close > 0) {
        flush();
        const code = text.slice(from, close).replace(/\n/gu, ' ');
        const trimmed = /^ .* $/u.test(code) && code.trim() !== '' ? code.slice(1, -1) : code;
        html += `<code>${escapeText(trimmed)}</code>`;
        i = close + length;
        plainStart = i;
        continue;
      }
      i = from;
      continue;
    }
    if ((c === '*' || c === '_') && text[i + 1] === c) {
      const close = findClosing(text, i + 2, c + c);
      if (close > i + 2) {
        flush();
        html += `<strong>${renderInline(text.slice(i + 2, close))}</strong>`;
        i = close + 2;
        plainStart = i;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] !== c && text[i + 1] !== ' ') {
      // `_` inside a word (snake_case) is not emphasis.
      const inWord = c === '_' && i > 0 && /[\p{L}\p{N}]/u.test(text[i - 1]);
      const close = inWord ? -1 : findClosing(text, i + 1, c);
      if (close > i + 1 && text[close - 1] !== ' ') {
        flush();
        html += `<em>${renderInline(text.slice(i + 1, close))}</em>`;
        i = close + 1;
        plainStart = i;
        continue;
      }
    }
    if (c === '[') {
      closers ??= bracketClosers(text);
      const link = parseLink(text, i, closers);
      if (link !== null) {
        flush();
        const url = safeUrl(link.url);
        const label = renderInline(link.label);
        if (url === null) {
          html += label;
        } else {
          const title = link.title === null ? '' : ` title="${escapeText(link.title)}"`;
          html += `<a href="${escapeText(url)}"${title}>${label}</a>`;
        }
        i = link.end;
        plainStart = i;
        continue;
      }
    }
    if (c === '<') {
      AUTOLINK.lastIndex = i;
      const auto = AUTOLINK.exec(text);
      if (auto !== null) {
        flush();
        html += `<a href="${escapeText(auto[1])}">${escapeText(auto[1])}</a>`;
        i += auto[0].length;
        plainStart = i;
        continue;
      }
    }
    if (c === ' ' && text.startsWith('  \n', i)) {
      flush();
      html += '<br>\n';
      i += 3;
      plainStart = i;
      continue;
    }
    i++;
  }
  flush();
  return html;
}

/** The index of the closing `marker` after `from`, skipping code spans; -1 if none. */
function findClosing(text: string, from: number, marker: string): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text[i] === '`') {
      const length = backtickRun(text, i);
      const close = text.indexOf('`'.repeat(length), i + length);
      i = close < 0 ? i + length : close + length;
      continue;
    }
    if (text.startsWith(marker, i)) {
      // `**` is not the end of a single `*`.
      if (marker.length === 1 && text[i + 1] === marker) {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  return -1;
}

interface Link {
  label: string;
  url: string;
  title: string | null;
  end: number;
}

/** `(url "title")` at the regex's lastIndex (sticky: no copy of the rest of the text). */
const LINK_TARGET = /\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+"([^"]*)")?\s*\)/uy;

/**
 * For each `[` of `text`, the index of the `]` that closes it (brackets nest, a backslash
 * escapes the character after it), else -1: one pass for the whole text, where scanning ahead
 * from each `[` was quadratic in a text of unclosed brackets.
 */
function bracketClosers(text: string): Int32Array {
  const closers = new Int32Array(text.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 91) open.push(i);
    else if (c === 93 && open.length > 0) closers[open.pop() as number] = i;
  }
  return closers;
}

/** `[label](url "title")` starting at `start` (closers: bracketClosers(text)), or null. */
function parseLink(text: string, start: number, closers: Int32Array): Link | null {
  const i = closers[start];
  if (i < 0) return null;
  if (text[i + 1] !== '(') return null;
  const label = text.slice(start + 1, i);
  LINK_TARGET.lastIndex = i + 1;
  const rest = LINK_TARGET.exec(text);
  if (rest === null) return null;
  const url = rest[1].startsWith('<') ? rest[1].slice(1, -1) : rest[1];
  return { label, url, title: rest[2] ?? null, end: i + 1 + rest[0].length };
}

// ---------------------------------------------------------------------------------------------
// Blocks

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/u;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/u;
const RULE = /^ {0,3}((?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/u;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/u;
const QUOTE = /^ {0,3}> ?(.*)$/u;
const TABLE_SEPARATOR = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/u;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The cells of a table row: split on `|` not escaped and not in a code span. */
function tableCells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (c === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '`') {
      inCode = !inCode;
      cell += c;
    } else if (c === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function alignments(separator: string): (string | null)[] {
  return tableCells(separator).map((cell) => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
}

/** Whether `line` starts a block other than a paragraph (it interrupts a paragraph). */
function startsBlock(line: string): boolean {
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    /^ {0,3}([-*+]|1[.)])[ \t]+\S/u.test(line)
  );
}

/** Renders a Markdown document to HTML (see the module comment for what it supports). */
export function renderMarkdown(markdown: string): string {
  // Copies of a large cell only when there is something to replace.
  let text = markdown;
  if (text.includes('\r')) text = text.replace(/\r\n?/gu, '\n');
  if (text.includes('\t')) text = text.replace(/\t/gu, '    ');
  const lines = textLines(text);
  const out = new CompactingOutput();
  renderBlocks(lines, out);
  return out.join();
}

/** Lines to render, by index. */
interface LineSource {
  readonly length: number;
  line(index: number): string;
}

/**
 * The lines of a document as offsets into its text, each line made when it is read: a large
 * cell split into an array keeps millions of strings alive for the whole rendering.
 */
function textLines(text: string): LineSource {
  let count = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  const starts = new Int32Array(count + 1);
  let k = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts[k++] = at + 1;
  starts[count] = text.length + 1;
  return { length: count, line: (i) => text.slice(starts[i], starts[i + 1] - 1) };
}

/** Lines held in an array (a list item's or a quote's body). */
function arrayLines(lines: readonly string[]): LineSource {
  return { length: lines.length, line: (i) => lines[i] };
}

/** Where rendered blocks go: a list of them (a list item's or a quote's body) or the document. */
interface BlockOutput {
  push(html: string): void;
}

/**
 * The document's blocks, joined by newlines every 64 KiB as they come: a large cell makes
 * millions of small strings, each with its header and the rope nodes of its inline markup,
 * several times the size of the text they hold.
 */
class CompactingOutput implements BlockOutput {
  readonly #chunks: string[] = [];
  #pending: string[] = [];
  #pendingLength = 0;

  push(html: string): void {
    this.#pending.push(html);
    this.#pendingLength += html.length;
    if (this.#pendingLength >= 1 << 16) this.#compact();
  }

  join(): string {
    this.#compact();
    return this.#chunks.join('\n');
  }

  #compact(): void {
    if (this.#pending.length === 0) return;
    this.#chunks.push(this.#pending.join('\n'));
    this.#pending = [];
    this.#pendingLength = 0;
  }
}

/** The blocks of `lines` as a list of HTML strings. */
function blocksOf(lines: readonly string[]): string[] {
  const out: string[] = [];
  renderBlocks(arrayLines(lines), out);
  return out;
}

function renderBlocks(lines: LineSource, out: BlockOutput): void {
  let i = 0;
  while (i < lines.length) {
    const line = lines.line(i);
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const [, indent, marker, language] = fence;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines.line(i).trimStart().startsWith(marker)) {
        body.push(
          lines.line(i).startsWith(indent) ? lines.line(i).slice(indent.length) : lines.line(i),
        );
        i++;
      }
      i++; // the closing fence (or the end)
      const cls = language === '' ? '' : ` class="language-${escapeText(language)}"`;
      out.push(
        `<pre><code${cls}>${escapeText(body.join('\n'))}${body.length ? '\n' : ''}</code></pre>`,
      );
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading !== null) {
      const level = heading[1].length;
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && !isBlank(lines.line(i))) {
        const quoted = QUOTE.exec(lines.line(i));
        body.push(quoted === null ? lines.line(i) : quoted[1]);
        i++;
      }
      out.push(`<blockquote>\n${blocksOf(body).join('\n')}\n</blockquote>`);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item !== null && item[1].length <= 3) {
      i = renderList(lines, i, out);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines.line(i + 1))) {
      const header = tableCells(line);
      const align = alignments(lines.line(i + 1));
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && !isBlank(lines.line(i)) && lines.line(i).includes('|')) {
        rows.push(tableCells(lines.line(i)));
        i++;
      }
      const cell = (tag: string, text: string, column: number): string => {
        const a = align[column];
        return `<${tag}${a === null || a === undefined ? '' : ` style="text-align:${a}"`}>${renderInline(text)}</${tag}>`;
      };
      const head = `<thead><tr>${header.map((h, c) => cell('th', h, c)).join('')}</tr></thead>`;
      const body = rows
        .map((row) => `<tr>${header.map((_, c) => cell('td', row[c] ?? '', c)).join('')}</tr>`)
        .join('');
      out.push(`<table>${head}<tbody>${body}</tbody></table>`);
      continue;
    }
    // Leading spaces go; trailing ones stay, since two of them before a newline are a break.
    const paragraph: string[] = [line.trimStart()];
    i++;
    while (i < lines.length && !isBlank(lines.line(i)) && !startsBlock(lines.line(i))) {
      paragraph.push(lines.line(i).trimStart());
      i++;
    }
    out.push(`<p>${renderInline(paragraph.join('\n').trimEnd())}</p>`);
  }
}

/** Renders the list starting at line `start`; returns the index of the first line after it. */
function renderList(lines: LineSource, start: number, out: BlockOutput): number {
  const first = LIST_ITEM.exec(lines.line(start))!;
  const ordered = /\d/u.test(first[2]);
  const baseIndent = first[1].length;
  const items: string[][] = [];
  let loose = false;
  let i = start;
  while (i < lines.length) {
    const item = LIST_ITEM.exec(lines.line(i));
    const sameList =
      item !== null && item[1].length === baseIndent && /\d/u.test(item[2]) === ordered;
    if (!sameList) break;
    const contentIndent = item[1].length + item[2].length + Math.max(1, item[3].length);
    const body: string[] = [item[4]];
    i++;
    while (i < lines.length) {
      const next = lines.line(i);
      if (isBlank(next)) {
        // A blank line ends the item unless indented content follows.
        const after = lines.line(i + 1);
        if (
          after !== undefined &&
          !isBlank(after) &&
          /^ */u.exec(after)![0].length >= contentIndent
        ) {
          body.push('');
          loose = true;
          i++;
          continue;
        }
        break;
      }
      const indent = /^ */u.exec(next)![0].length;
      const isItem = LIST_ITEM.exec(next) !== null;
      if (indent >= contentIndent) {
        body.push(next.slice(contentIndent));
      } else if (isItem && indent > baseIndent) {
        // A list indented less than the item's text ("1. a" then "  - b") is still nested
        // in it, as its writer meant.
        body.push(next.slice(indent));
      } else if (isItem) {
        break;
      } else if (startsBlock(next) && indent <= baseIndent) {
        break;
      } else {
        body.push(next.trim()); // a lazy continuation of the item's paragraph
      }
      i++;
    }
    items.push(body);
    // Blank lines between items make the list loose; they do not end it.
    let j = i;
    while (j < lines.length && isBlank(lines.line(j))) j++;
    const following = j < lines.length ? LIST_ITEM.exec(lines.line(j)) : null;
    if (
      j > i &&
      following !== null &&
      following[1].length === baseIndent &&
      /\d/u.test(following[2]) === ordered
    ) {
      loose = true;
      i = j;
    }
  }
  const start1 = ordered ? Number.parseInt(first[2], 10) : 1;
  const open = ordered ? (start1 === 1 ? '<ol>' : `<ol start="${start1}">`) : '<ul>';
  const rendered = items.map((body) => {
    const blocks = blocksOf(body);
    const inner =
      !loose && blocks.length > 0 && blocks[0].startsWith('<p>')
        ? [blocks[0].slice(3, -4), ...blocks.slice(1)]
        : blocks;
    return `<li>${inner.join('\n')}</li>`;
  });
  out.push(`${open}\n${rendered.join('\n')}\n${ordered ? '</ol>' : '</ul>'}`);
  return i;
}
