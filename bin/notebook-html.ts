/**
 * A standalone, offline HTML rendering of an executed notebook: markdown cells rendered
 * (bin/markdown.ts, everything escaped), code cells with their source and outputs, each output
 * shown by the richest MIME type this page can show. plotly.js is carried once, in the head,
 * and only when a chart is present; the page loads nothing from the network.
 *
 * MIME priority, richest first: a Plotly figure (drawn from its JSON), HTML, SVG and PNG/JPEG
 * images, Markdown, JSON, plain text. Other types (the runner's own result JSON among them)
 * are not shown. HTML outputs are the kernel's own and are inserted as they are, as Jupyter
 * does for a notebook it executed itself.
 */
import { PLOTLY_MIME } from '../display/bundle.js';
import { escapeHtml, styleBlock } from '../display/html.js';
import {
  chartElement,
  chartId,
  plotlyScriptElement,
  type PlotlyFigure,
} from '../display/plotly.js';
import { renderMarkdown } from './markdown.js';
import type { MimeBundle, Notebook, NotebookCell, NotebookOutput } from './notebook.js';

/** The MIME types shown, richest first. */
export const MIME_PRIORITY = [
  PLOTLY_MIME,
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'text/markdown',
  'application/json',
  'text/plain',
] as const;

export type ShownMime = (typeof MIME_PRIORITY)[number];

/** The MIME type of `data` that the page shows, or null when it can show none. */
export function chooseMime(data: MimeBundle): ShownMime | null {
  for (const mime of MIME_PRIORITY) {
    if (!(mime in data)) continue;
    if (mime === PLOTLY_MIME && !isFigure(data[mime])) continue;
    return mime;
  }
  return null;
}

function isFigure(value: unknown): value is PlotlyFigure {
  if (typeof value !== 'object' || value === null) return false;
  const figure = value as Record<string, unknown>;
  return (
    Array.isArray(figure.data) &&
    (figure.layout === undefined || (typeof figure.layout === 'object' && figure.layout !== null))
  );
}

// eslint-disable-next-line no-control-regex -- ANSI escapes start with the ESC control character
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/gu;

/** Text without ANSI colour codes (tracebacks carry them). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f8fafc;color:#1e293b;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:14px;line-height:1.5}
main.nb{max-width:1180px;margin:0 auto;padding:24px 28px 64px 28px;background:#fff;min-height:100vh;box-shadow:0 0 0 1px #e2e8f0}
.nb-header{color:#64748b;font-size:12px;border-bottom:1px solid #e2e8f0;padding-bottom:8px;margin-bottom:16px}
.nb-cell{margin:10px 0;display:grid;grid-template-columns:72px minmax(0,1fr);column-gap:8px}
.nb-prompt{font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px;color:#64748b;text-align:right;padding-top:7px;white-space:nowrap}
.nb-prompt.nb-out{color:#b45309}
.nb-markdown{grid-column:2}
.nb-markdown h1{font-size:26px;margin:18px 0 8px 0}
.nb-markdown h2{font-size:20px;margin:22px 0 6px 0;border-bottom:1px solid #e2e8f0;padding-bottom:4px}
.nb-markdown h3{font-size:16px;margin:16px 0 4px 0}
.nb-markdown code{font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px;background:#f1f5f9;border-radius:3px;padding:1px 4px}
.nb-markdown pre{background:#f8fafc;border:1px solid #e2e8f0;border-radius:6px;padding:8px 12px;overflow-x:auto}
.nb-markdown pre code{background:none;padding:0}
.nb-markdown table{border-collapse:collapse;margin:8px 0}
.nb-markdown th,.nb-markdown td{border:1px solid #e2e8f0;padding:3px 10px}
.nb-markdown th{background:#f8fafc}
.nb-markdown blockquote{margin:8px 0;padding:2px 12px;border-left:4px solid #cbd5e1;color:#475569}
.nb-source{margin:0;background:#f6f8fb;border:1px solid #dbe3ee;border-radius:6px;padding:8px 12px;overflow-x:auto;font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px;line-height:1.45}
.nb-output{grid-column:2;overflow-x:auto;padding:4px 0}
.nb-output pre{margin:0;font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px;white-space:pre-wrap;word-break:break-word}
.nb-stderr{background:#fff7ed;padding:4px 8px;border-radius:4px}
.nb-error pre{background:#fef2f2;color:#7f1d1d;border-left:4px solid #dc2626;padding:8px 12px;border-radius:0 4px 4px 0}
.nb-error-name{font-weight:700}
.nb-expected-error{color:#64748b;font-size:12px;margin:2px 0 4px 0}
.nb-not-run{grid-column:2;color:#94a3b8;font-size:12px;font-style:italic}
.nb-output img{max-width:100%}
`
  .trim()
  .replace(/\n/gu, '');

export interface NotebookHtmlOptions {
  /** The page title: the notebook's first heading unless given. */
  readonly title?: string;
  /** One line under the title, e.g. how and when the notebook was run. */
  readonly subtitle?: string;
  /** Cell ids whose error is expected (tagged `raises-exception`): marked as such. */
  readonly expectedErrors?: ReadonlySet<string>;
}

/** The first Markdown heading of the notebook, without its `#`s and inline markup. */
export function notebookTitle(notebook: Notebook): string | null {
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const heading = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/mu.exec(cell.source);
    if (heading !== null) return heading[1].replace(/[*_`]/gu, '');
  }
  return null;
}

/** Renders the executed notebook as one HTML page (see the module comment). */
export function notebookHtml(notebook: Notebook, options: NotebookHtmlOptions = {}): string {
  const title = options.title ?? notebookTitle(notebook) ?? 'Notebook';
  const renderer = new OutputRenderer();
  const cells = notebook.cells.map((cell) => renderCell(cell, renderer, options));
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    styleBlock(),
    renderer.charts > 0 ? plotlyScriptElement() : '',
  ].join('\n');
  const header =
    options.subtitle === undefined
      ? ''
      : `<div class="nb-header">${escapeHtml(options.subtitle)}</div>\n`;
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n${head}\n</head>\n<body>\n<main class="nb">\n` +
    `${header}${cells.join('\n')}\n</main>\n</body>\n</html>\n`
  );
}

function renderCell(
  cell: NotebookCell,
  renderer: OutputRenderer,
  options: NotebookHtmlOptions,
): string {
  const attributes = `id="cell-${escapeHtml(cell.id)}"`;
  if (cell.cell_type === 'markdown') {
    return `<div class="nb-cell" ${attributes}><div class="nb-markdown">${renderMarkdown(cell.source)}</div></div>`;
  }
  if (cell.cell_type === 'raw') {
    return `<div class="nb-cell" ${attributes}><div class="nb-output"><pre>${escapeHtml(cell.source)}</pre></div></div>`;
  }
  const count = cell.execution_count === null ? ' ' : String(cell.execution_count);
  const parts = [
    `<div class="nb-prompt">In [${count}]:</div>`,
    `<pre class="nb-source"><code>${escapeHtml(cell.source)}</code></pre>`,
  ];
  if (cell.execution_count === null && cell.outputs.length === 0 && cell.source.trim() !== '') {
    parts.push('<div class="nb-prompt"></div><div class="nb-not-run">not run</div>');
  }
  if (options.expectedErrors?.has(cell.id) === true) {
    parts.push(
      '<div class="nb-prompt"></div><div class="nb-expected-error">This cell is tagged ' +
        '<code>raises-exception</code>: its error is expected, and the run went on.</div>',
    );
  }
  for (const output of cell.outputs) {
    const html = renderer.output(output);
    if (html === null) continue;
    const prompt =
      output.output_type === 'execute_result'
        ? `<div class="nb-prompt nb-out">Out[${output.execution_count ?? ' '}]:</div>`
        : '<div class="nb-prompt"></div>';
    parts.push(`${prompt}${html}`);
  }
  return `<div class="nb-cell nb-code" ${attributes}>${parts.join('')}</div>`;
}

/** Renders outputs; counts the charts so the page knows whether it needs plotly.js. */
class OutputRenderer {
  charts = 0;

  output(output: NotebookOutput): string | null {
    switch (output.output_type) {
      case 'stream': {
        const cls =
          output.name === 'stderr' ? 'nb-output nb-stream nb-stderr' : 'nb-output nb-stream';
        return `<div class="${cls}"><pre>${escapeHtml(stripAnsi(output.text))}</pre></div>`;
      }
      case 'error': {
        const traceback = output.traceback.map(stripAnsi).join('\n');
        const headline = `<span class="nb-error-name">${escapeHtml(output.ename)}</span>: ${escapeHtml(output.evalue)}`;
        const body = traceback === '' ? headline : `${headline}\n\n${escapeHtml(traceback)}`;
        return `<div class="nb-output nb-error"><pre>${body}</pre></div>`;
      }
      default:
        return this.#bundle(output.data);
    }
  }

  #bundle(data: MimeBundle): string | null {
    const mime = chooseMime(data);
    if (mime === null) return null;
    const value = data[mime];
    const text = typeof value === 'string' ? value : '';
    let inner: string;
    switch (mime) {
      case PLOTLY_MIME: {
        const figure = value as PlotlyFigure;
        const normalized: PlotlyFigure = { ...figure, layout: figure.layout ?? {} };
        this.charts++;
        inner = `<div class="evalbook-root">${chartElement(normalized, chartId(normalized, this.charts))}</div>`;
        break;
      }
      case 'text/html':
        inner = text;
        break;
      case 'image/svg+xml':
        inner = `<img alt="" src="data:image/svg+xml;base64,${Buffer.from(text, 'utf8').toString('base64')}">`;
        break;
      case 'image/png':
      case 'image/jpeg':
        inner = `<img alt="" src="data:${mime};base64,${escapeHtml(text.replace(/\s/gu, ''))}">`;
        break;
      case 'text/markdown':
        inner = `<div class="nb-markdown">${renderMarkdown(text)}</div>`;
        break;
      case 'application/json':
        inner = `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
        break;
      case 'text/plain':
        inner = `<pre>${escapeHtml(stripAnsi(text))}</pre>`;
        break;
    }
    return `<div class="nb-output" data-mime="${escapeHtml(mime)}">${inner}</div>`;
  }
}
