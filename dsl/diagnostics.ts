/**
 * Diagnostics: problems found in a cell, as values. The parser and the checker produce them;
 * they are rendered to text (a caret excerpt of the source) only at the edge, by
 * renderDiagnostic.
 */
import type { Span } from './ast.js';
import { MAX_DIAGNOSTICS } from './limits.js';

export type Severity = 'error' | 'warning';

/**
 * One problem in a cell. `code` is from the catalogue in messages.ts (`E0101`, ...);
 * `message` is one line without a trailing full stop; `span` lies within the cell text it
 * was found in; each hint is one line of advice ("did you mean `compare`?").
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly hints: readonly string[];
}

/** The span from offset `start` to `end` of `text`, with the line and column of `start`. */
export function spanAt(text: string, start: number, end: number = start): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < start && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { start, end, line, col: start - lineStart + 1 };
}

const TAB_WIDTH = 4;

/** Display columns taken by `text`: code points, with tabs expanded. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch === '\t' ? TAB_WIDTH : 1;
  return width;
}

/** Source lines longer than this are shown in part. */
const MAX_EXCERPT = 200;
/** How much of a long line is shown before the span's start. */
const EXCERPT_LEAD = 60;

/** The part [from, to) of a line of `length` characters shown for a span starting at `start`. */
function excerptWindow(length: number, start: number): { from: number; to: number } {
  if (length <= MAX_EXCERPT) return { from: 0, to: length };
  const from = Math.max(0, Math.min(start - EXCERPT_LEAD, length - MAX_EXCERPT));
  return { from, to: from + MAX_EXCERPT };
}

/**
 * A diagnostic as text:
 *
 * ```
 * error[E0101]: expected `against` after `test`, found `agains`
 *   --> line 1, col 27
 *    |
 *  1 | compare ft_pred on test agains label
 *    |                         ^^^^^^
 *    = hint: did you mean `against`?
 * ```
 *
 * The carets underline the span on its first line (a span over several lines is underlined
 * to the end of its first line; an empty span gets one caret, after the end of the text if
 * that is where it is). Tabs in the source line are shown as spaces.
 */
export function renderDiagnostic(diag: Diagnostic, sourceText: string): string {
  const lines = sourceText.split('\n');
  const lineIndex = Math.min(Math.max(diag.span.line - 1, 0), lines.length - 1);
  const sourceLine = (lines[lineIndex] ?? '').replace(/\r$/, '');
  const lineStart = lines.slice(0, lineIndex).reduce((sum, l) => sum + l.length + 1, 0);
  const startInLine = Math.min(Math.max(diag.span.start - lineStart, 0), sourceLine.length);
  const endInLine = Math.min(Math.max(diag.span.end - lineStart, startInLine), sourceLine.length);

  // A very long line (a cell may be one line of a megabyte) is shown as a window around the
  // span, its cut ends marked with `…`.
  const cut = excerptWindow(sourceLine.length, startInLine);
  const shownLine =
    (cut.from > 0 ? '…' : '') +
    sourceLine.slice(cut.from, cut.to) +
    (cut.to < sourceLine.length ? '…' : '');
  const lead = (cut.from > 0 ? 1 : 0) + displayWidth(sourceLine.slice(cut.from, startInLine));
  const width = Math.max(
    1,
    displayWidth(sourceLine.slice(startInLine, Math.min(endInLine, cut.to))),
  );
  const number = String(diag.span.line);
  const margin = ' '.repeat(number.length + 1);

  const out = [
    `${diag.severity}[${diag.code}]: ${diag.message}`,
    `${margin}--> line ${diag.span.line}, col ${diag.span.col}`,
    `${margin} |`,
    ` ${number} | ${shownLine.replace(/\t/g, ' '.repeat(TAB_WIDTH))}`.trimEnd(),
    `${margin} | ${' '.repeat(lead)}${'^'.repeat(width)}`,
  ];
  for (const hint of diag.hints) out.push(`${margin} = hint: ${hint}`);
  return out.join('\n');
}

/** Several diagnostics, in the order given, separated by blank lines. */
export function renderDiagnostics(diags: readonly Diagnostic[], sourceText: string): string {
  return diags.map((d) => renderDiagnostic(d, sourceText)).join('\n\n');
}

/**
 * The first MAX_DIAGNOSTICS of `diagnostics` (in source order), and when there are more, one
 * more at the next one's place saying so: rendering is linear in their number, and a cell of
 * a megabyte could otherwise have hundreds of thousands.
 */
export function atMostMaxDiagnostics(
  diagnostics: readonly Diagnostic[],
  tooMany: (limit: number) => Omit<Diagnostic, 'span'>,
): readonly Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  const next = diagnostics[MAX_DIAGNOSTICS];
  return [
    ...diagnostics.slice(0, MAX_DIAGNOSTICS),
    { ...tooMany(MAX_DIAGNOSTICS), span: next.span },
  ];
}
