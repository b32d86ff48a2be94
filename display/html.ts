/**
 * HTML building blocks: escaping, the scoped stylesheet, and the small fragments every
 * renderer shares (headings, key figures, warnings, notes, explanations).
 *
 * Every string that can come from a user — column names, labels, file names, titles, text
 * examples — passes through `escapeHtml` before it reaches markup. Fragments are built as
 * strings of already-safe HTML; the `Html` brand marks them so that a raw string cannot be
 * passed where markup is expected without going through `escapeHtml` or `rawHtml`.
 *
 * Styling: every class starts with `evalbook-`, and every rule is scoped under
 * `.evalbook-root`, so the stylesheet cannot restyle the notebook around it. Table rules are
 * specific enough (root, table class, element) to win over the notebook's own table styles
 * (JupyterLab right-aligns and stripes every table cell it renders). A bundle's HTML
 * is one `.evalbook-root` element that carries exactly one `<style>` block (`wrapHtml`); a
 * report carries the stylesheet once in its `<head>` and its sections without.
 */

/** A string of markup that is safe to insert: built from escaped text and fixed tags. */
export type Html = string & { readonly __html: true };

/** The class prefix of every element Evalbook writes. */
const CLASS_PREFIX = 'evalbook-';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): Html {
  return text.replace(/[&<>"']/gu, (c) => ESCAPES[c]) as Html;
}

/** Marks markup built by this module's callers from fixed strings and escaped text. */
export function rawHtml(markup: string): Html {
  return markup as Html;
}

/** Joins fragments (the result stays markup). */
export function joinHtml(parts: readonly Html[], separator = ''): Html {
  return parts.join(separator) as Html;
}

/** A class attribute value from suffixes: cls('table', 'wide') → "evalbook-table evalbook-wide". */
export function cls(...suffixes: readonly string[]): string {
  return suffixes.map((s) => CLASS_PREFIX + s).join(' ');
}

/** An element with escaped attribute values and already-safe content. */
export function element(
  tag: string,
  attributes: Readonly<Record<string, string | undefined>>,
  content: Html | string = '',
): Html {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  return `<${tag}${attrs}>${content}</${tag}>` as Html;
}

/** An element whose content is text (escaped here). */
export function textElement(
  tag: string,
  attributes: Readonly<Record<string, string | undefined>>,
  text: string,
): Html {
  return element(tag, attributes, escapeHtml(text));
}

/**
 * The stylesheet, every selector under `.evalbook-root`. Colours: slate text, a blue accent
 * for the fine-tuned model, green/red for better/worse, amber for warnings; they hold up on
 * the white background of Notebook, Lab, VS Code's light theme and exported HTML.
 */
export const STYLESHEET = `
.evalbook-root{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:13px;line-height:1.45;color:#1e293b;max-width:100%}
.evalbook-root .evalbook-heading{font-size:15px;font-weight:600;margin:4px 0 6px 0;color:#0f172a}
.evalbook-root .evalbook-subheading{font-size:13px;font-weight:600;margin:12px 0 4px 0;color:#334155}
.evalbook-root .evalbook-summary{margin:4px 0 8px 0}
.evalbook-root .evalbook-keyfigures{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0 10px 0;padding:0;list-style:none}
.evalbook-root .evalbook-keyfigure{border:1px solid #e2e8f0;border-radius:6px;padding:6px 10px;background:#f8fafc;min-width:90px}
.evalbook-root .evalbook-keyfigure-label{display:block;font-size:11px;color:#64748b;text-transform:uppercase;letter-spacing:.03em}
.evalbook-root .evalbook-keyfigure-value{display:block;font-size:16px;font-weight:600;font-variant-numeric:tabular-nums}
.evalbook-root table.evalbook-table{border-collapse:collapse;margin:4px 0 10px 0;table-layout:auto;font-size:13px;color:#1e293b;font-variant-numeric:tabular-nums}
.evalbook-root .evalbook-scroll{overflow-x:auto;max-width:100%}
.evalbook-root table.evalbook-table caption{caption-side:top;text-align:left;font-weight:600;color:#334155;padding:0 0 4px 0;white-space:nowrap}
.evalbook-root table.evalbook-table th,.evalbook-root table.evalbook-table td{padding:3px 10px;border-bottom:1px solid #e2e8f0;white-space:nowrap}
.evalbook-root table.evalbook-table thead th{border-bottom:2px solid #cbd5e1;font-weight:600;color:#334155;background:#f8fafc}
.evalbook-root table.evalbook-table tbody tr{background:transparent}
.evalbook-root table.evalbook-table tbody tr:hover{background:#f1f5f9}
.evalbook-root table.evalbook-table .evalbook-left{text-align:left}
.evalbook-root table.evalbook-table .evalbook-right{text-align:right}
.evalbook-root table.evalbook-table .evalbook-center{text-align:center}
.evalbook-root table.evalbook-table td.evalbook-wrap{white-space:normal;min-width:16em;max-width:48em}
.evalbook-root .evalbook-good{color:#15803d;font-weight:600}
.evalbook-root .evalbook-bad{color:#b91c1c;font-weight:600}
.evalbook-root .evalbook-muted{color:#94a3b8}
.evalbook-root .evalbook-strong{font-weight:600}
.evalbook-root .evalbook-code,.evalbook-root table.evalbook-table td.evalbook-code{font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
.evalbook-root .evalbook-warnings{border-left:4px solid #d97706;background:#fffbeb;color:#78350f;padding:6px 10px;margin:8px 0;border-radius:0 4px 4px 0}
.evalbook-root .evalbook-warnings ul{margin:0;padding-left:18px}
.evalbook-root .evalbook-warnings-title{font-weight:600;margin:0 0 2px 0}
.evalbook-root .evalbook-notes{border-left:4px solid #94a3b8;background:#f8fafc;color:#334155;padding:6px 10px;margin:8px 0;border-radius:0 4px 4px 0}
.evalbook-root .evalbook-notes ul{margin:0;padding-left:18px}
.evalbook-root .evalbook-notes-title{font-weight:600;margin:0 0 2px 0}
.evalbook-root .evalbook-footnote{color:#64748b;font-size:12px;margin:-6px 0 10px 0;white-space:normal}
.evalbook-root .evalbook-explain{border:1px solid #e2e8f0;border-radius:6px;padding:6px 12px;margin:8px 0;background:#fcfcfd}
.evalbook-root .evalbook-explain summary{cursor:pointer;font-weight:600;color:#334155}
.evalbook-root .evalbook-formula{font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px;margin:3px 0;white-space:pre-wrap}
.evalbook-root .evalbook-formula-name{font-weight:600}
.evalbook-root .evalbook-plot{width:100%;min-height:360px}
.evalbook-root .evalbook-plot-missing{color:#b91c1c;font-size:12px;padding:8px 0}
.evalbook-root pre.evalbook-source{background:#f8fafc;border:1px solid #e2e8f0;border-radius:6px;padding:8px 12px;overflow-x:auto;font-size:12px}
`
  .trim()
  .replace(/\n/gu, '');

/** The one `<style>` block of a bundle or report. */
export function styleBlock(): Html {
  return rawHtml(`<style>${STYLESHEET}</style>`);
}

/**
 * A bundle's complete `text/html`: one root element carrying the stylesheet once, then the
 * content. Use `bare: true` inside a report, which has the stylesheet in its head.
 */
export function wrapHtml(content: Html, options: { readonly bare?: boolean } = {}): Html {
  const style = options.bare === true ? '' : styleBlock();
  return rawHtml(`<div class="evalbook-root">${style}${content}</div>`);
}

export function heading(text: string): Html {
  return textElement('div', { class: cls('heading') }, text);
}

export function subheading(text: string): Html {
  return textElement('div', { class: cls('subheading') }, text);
}

export function paragraph(text: string, className = 'summary'): Html {
  return textElement('p', { class: cls(className) }, text);
}

/** A row of headline numbers ("F1 0.8718", "Δ F1 +0.0312"). */
export function keyFigures(
  figures: readonly { readonly label: string; readonly value: string; readonly tone?: Tone }[],
): Html {
  if (figures.length === 0) return rawHtml('');
  const items = figures.map((f) =>
    element(
      'li',
      { class: cls('keyfigure') },
      joinHtml([
        textElement('span', { class: cls('keyfigure-label') }, f.label),
        textElement(
          'span',
          { class: f.tone === undefined ? cls('keyfigure-value') : cls('keyfigure-value', f.tone) },
          f.value,
        ),
      ]),
    ),
  );
  return element('ul', { class: cls('keyfigures') }, joinHtml(items));
}

/** How a value should read: better, worse, unimportant, emphasised, verbatim (hashes, code). */
export type Tone = 'good' | 'bad' | 'muted' | 'strong' | 'code';

/** Warnings as their own block, visually distinct from results; empty when there are none. */
export function warningsBlock(warnings: readonly string[]): Html {
  if (warnings.length === 0) return rawHtml('');
  const title = warnings.length === 1 ? 'Warning' : `Warnings (${warnings.length})`;
  return element(
    'div',
    { class: cls('warnings'), role: 'note' },
    joinHtml([
      textElement('div', { class: cls('warnings-title') }, title),
      element('ul', {}, joinHtml(warnings.map((w) => textElement('li', {}, w)))),
    ]),
  );
}

/**
 * Neutral remarks (how a number was computed, what was left out, a warning of severity
 * 'note'), under an optional title; empty when there are none.
 */
export function notesBlock(notes: readonly string[], title?: string): Html {
  if (notes.length === 0) return rawHtml('');
  return element(
    'div',
    { class: cls('notes') },
    joinHtml([
      title === undefined ? rawHtml('') : textElement('div', { class: cls('notes-title') }, title),
      element('ul', {}, joinHtml(notes.map((n) => textElement('li', {}, n)))),
    ]),
  );
}
