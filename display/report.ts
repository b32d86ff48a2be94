/**
 * Reports: a session's results as one document that can be read, shared and archived.
 *
 * Two formats:
 * - HTML: one standalone, offline file. plotly.js is inlined once in the page head (only when
 *   there are charts), every chart draws from it, and the stylesheet is in the head once. A
 *   table of contents, then each statement's result in program order (its source line, its
 *   tables, its charts), the program with line numbers, and the provenance block.
 * - Markdown: the same tables and text in one `.md` file. Markdown cannot hold an interactive
 *   chart, so each chart is written as its own small HTML page beside it, in a folder named
 *   after the report (`<name>_files/`), and linked from where it belongs; the folder holds
 *   one copy of plotly.min.js that the pages load with a relative `<script src>`, so they work
 *   offline and the charts do not carry 5 MB each.
 *
 * Reproducibility: the same input gives byte-identical files. Nothing is taken from the
 * clock, the machine or a random source: no timestamps, no random ids (chart ids come from a
 * counter and the figure's hash), and input paths are shown relative (see `displayPath`).
 */
import { basename, isAbsolute, relative, sep } from 'node:path';
import type { DisplayBundle } from './bundle.js';
import { formatCount } from './format.js';
import {
  STYLESHEET,
  cls,
  element,
  escapeHtml,
  joinHtml,
  rawHtml,
  textElement,
  type Html,
} from './html.js';
import { chartElement, chartId, plotlyJs, plotlyVersion, type Chart } from './plotly.js';
import { describe, type Renderable } from './render/index.js';
import { escapeMarkdown, htmlTable, markdownTable, textTable, type TableSpec } from './table.js';
import { sectionsHtml, viewMarkdown, type ResultView } from './view.js';

/** One input file of the session. */
export interface ReportInputFile {
  /** As written in the program (made relative when absolute; see `ReportInput.baseDir`). */
  readonly path: string;
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly format?: string;
  readonly rows?: number;
  /** The name the program bound it to (`load "x.csv" as test`). */
  readonly name?: string;
}

/** One statement's result, with where it is in the program. */
export interface ReportItem {
  /** 1-based line of the statement in `ReportInput.source`. */
  readonly line: number;
  /** The statement's text as written (may span several lines). */
  readonly statement: string;
  readonly result: Renderable;
}

/**
 * Everything a report shows. Invariants: `items` are in program order; every value is
 * free of timestamps and machine-specific paths (or `baseDir` is given to strip them), so
 * that the same session gives the same bytes.
 */
export interface ReportInput {
  readonly title: string;
  /** The program's source text (all cells, in order). */
  readonly source: string;
  readonly items: readonly ReportItem[];
  readonly inputs: readonly ReportInputFile[];
  /** Seeds used, by what used them: `{ name: 'split train/val/test', value: 42 }`. */
  readonly seeds: readonly { readonly name: string; readonly value: number }[];
  /**
   * Versions that determine the numbers, by name (`evalbook`, `node`, ...). The report adds
   * the bundled plotly.js version. Give nothing machine-specific (no OS, no host name).
   */
  readonly versions: Readonly<Record<string, string>>;
  /** Absolute paths under this directory are shown relative to it; others by file name. */
  readonly baseDir?: string;
}

export type ReportFormat = 'html' | 'md';

export interface ReportOptions {
  readonly format: ReportFormat;
  /** Overrides `ReportInput.title`. */
  readonly title?: string;
  /** The main file's path as the program named it; `report.html` / `report.md` by default. */
  readonly path?: string;
}

export interface ReportFile {
  readonly path: string;
  readonly content: string;
}

export interface ReportOutput {
  /** The main file first, then (markdown) the chart pages and plotly.min.js. */
  readonly files: readonly ReportFile[];
}

/**
 * A path fit for a reproducible report: relative paths as they are; absolute paths relative
 * to `baseDir` when inside it, else only the file name (an absolute path names one machine).
 */
export function displayPath(path: string, baseDir?: string): string {
  if (!isAbsolute(path) && !/^[A-Za-z]:[\\/]/u.test(path)) return path;
  if (baseDir !== undefined) {
    const rel = relative(baseDir, path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  }
  return basename(path.replace(/\\/gu, '/'));
}

/** A table summary's own source path goes through `displayPath` too. */
function reproducible(result: Renderable, baseDir: string | undefined): Renderable {
  if (result.kind !== 'table-summary' || result.source.path === null) return result;
  return {
    ...result,
    source: { ...result.source, path: displayPath(result.source.path, baseDir) },
  };
}

interface PreparedItem {
  readonly item: ReportItem;
  readonly view: ResultView;
  /** Stable anchor: "result-<n>". */
  readonly anchor: string;
  readonly number: number;
}

function prepare(session: ReportInput): PreparedItem[] {
  return session.items.map((item, i) => ({
    item,
    view: describe(reproducible(item.result, session.baseDir)),
    anchor: `result-${i + 1}`,
    number: i + 1,
  }));
}

function allVersions(session: ReportInput): [string, string][] {
  const versions = { ...session.versions };
  if (versions['plotly.js'] === undefined) versions['plotly.js'] = plotlyVersion();
  return Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function inputsTable(session: ReportInput): TableSpec {
  return {
    caption: 'Input files',
    columns: [
      { header: 'name' },
      { header: 'path' },
      { header: 'format' },
      { header: 'rows', align: 'right' },
      { header: 'SHA-256' },
    ],
    rows: session.inputs.map((f) => [
      f.name ?? '',
      displayPath(f.path, session.baseDir),
      f.format ?? '',
      f.rows === undefined ? '' : formatCount(f.rows),
      { text: f.sha256, tone: 'code' },
    ]),
  };
}

function seedsTable(session: ReportInput): TableSpec {
  return {
    caption: 'Seeds',
    columns: [{ header: 'used by' }, { header: 'seed', align: 'right' }],
    rows: session.seeds.map((s) => [s.name, String(s.value)]),
  };
}

function versionsTable(session: ReportInput): TableSpec {
  return {
    caption: 'Versions',
    columns: [{ header: 'component' }, { header: 'version' }],
    rows: allVersions(session).map(([name, version]) => [name, version]),
  };
}

function provenanceTables(session: ReportInput): TableSpec[] {
  const tables: TableSpec[] = [];
  if (session.inputs.length > 0) tables.push(inputsTable(session));
  if (session.seeds.length > 0) tables.push(seedsTable(session));
  tables.push(versionsTable(session));
  return tables;
}

const REPRODUCIBILITY_NOTE =
  'This report holds no timestamps or machine-specific paths: running the same program on ' +
  'the same input files with the same versions writes the same bytes. The SHA-256 of each ' +
  'input file identifies exactly the data the numbers come from.';

// ---------------------------------------------------------------------------------------------
// HTML

/** Page layout around the results; the results themselves use the shared stylesheet. */
const PAGE_STYLESHEET = `
html{background:#f1f5f9}
body{margin:0;padding:24px 16px 48px 16px}
.evalbook-report{max-width:1120px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:10px;padding:28px 36px 36px 36px;box-shadow:0 1px 2px rgba(15,23,42,.05)}
.evalbook-report h1{font-size:24px;margin:0 0 4px 0;color:#0f172a}
.evalbook-report h2{font-size:18px;margin:0 0 8px 0;color:#0f172a}
.evalbook-report .evalbook-byline{color:#64748b;margin:0 0 18px 0}
.evalbook-report .evalbook-section{border-top:1px solid #e2e8f0;padding:20px 0 8px 0;margin-top:12px}
.evalbook-report .evalbook-statement{display:block;background:#f8fafc;border:1px solid #e2e8f0;border-radius:6px;padding:6px 10px;margin:0 0 10px 0;white-space:pre-wrap;color:#334155;text-decoration:none}
.evalbook-report .evalbook-statement:hover{border-color:#94a3b8}
.evalbook-report .evalbook-lineref{color:#94a3b8;margin-right:10px}
.evalbook-report nav.evalbook-toc ol{margin:4px 0 0 0;padding-left:22px}
.evalbook-report nav.evalbook-toc li{margin:2px 0}
.evalbook-report nav.evalbook-toc a{color:#1d4ed8;text-decoration:none}
.evalbook-report nav.evalbook-toc a:hover{text-decoration:underline}
.evalbook-report .evalbook-toc-warning{color:#b45309;font-size:12px;margin-left:6px}
.evalbook-report .evalbook-lineno{display:inline-block;width:3em;color:#94a3b8;text-align:right;margin-right:12px;user-select:none}
.evalbook-report .evalbook-figure{margin:10px 0 6px 0}
`
  .trim()
  .replace(/\n/gu, '');

function tocHtml(items: readonly PreparedItem[], session: ReportInput): Html {
  const entries = items.map((p) => {
    const warnings = p.view.warnings.filter((w) => w.severity === 'warning').length;
    const flag =
      warnings === 0
        ? rawHtml('')
        : textElement(
            'span',
            { class: cls('toc-warning') },
            warnings === 1 ? '1 warning' : `${warnings} warnings`,
          );
    return element(
      'li',
      {},
      joinHtml([textElement('a', { href: `#${p.anchor}` }, p.view.title), flag]),
    );
  });
  entries.push(element('li', {}, textElement('a', { href: '#program' }, 'Program')));
  entries.push(element('li', {}, textElement('a', { href: '#provenance' }, 'Provenance')));
  const summary = `${items.length} results, ${session.inputs.length} input files`;
  return element(
    'nav',
    { class: cls('toc'), 'aria-label': 'Contents' },
    joinHtml([
      textElement('h2', {}, 'Contents'),
      textElement('div', { class: cls('muted') }, summary),
      element('ol', {}, joinHtml(entries)),
    ]),
  );
}

function programHtml(source: string): Html {
  const lines = source.replace(/\r\n/gu, '\n').replace(/\n$/u, '').split('\n');
  const body = joinHtml(
    lines.map((text, i) =>
      element(
        'span',
        { id: `line-${i + 1}` },
        joinHtml([
          textElement('span', { class: cls('lineno') }, String(i + 1)),
          escapeHtml(text),
          rawHtml('\n'),
        ]),
      ),
    ),
  );
  return element('pre', { class: cls('source', 'code') }, body);
}

/** A report's chart counter: one per report, so ids are the same on every run. */
interface ChartCounter {
  next: number;
}

function figureHtml(chart: Chart, counter: ChartCounter): Html {
  const id = chartId(chart.figure, counter.next);
  counter.next++;
  return element('div', { class: cls('figure') }, chartElement(chart.figure, id));
}

function itemHtml(p: PreparedItem, counter: ChartCounter): Html {
  const statement = element(
    'a',
    { class: cls('statement', 'code'), href: `#line-${p.item.line}` },
    joinHtml([
      textElement('span', { class: cls('lineref') }, `line ${p.item.line}`),
      escapeHtml(p.item.statement),
    ]),
  );
  return element(
    'section',
    { id: p.anchor, class: cls('section') },
    joinHtml([
      textElement('h2', {}, `${p.number}. ${p.view.title}`),
      statement,
      sectionsHtml(p.view),
      joinHtml(p.view.charts.map((c) => figureHtml(c, counter))),
    ]),
  );
}

function provenanceHtml(session: ReportInput): Html {
  return element(
    'section',
    { id: 'provenance', class: cls('section') },
    joinHtml([
      textElement('h2', {}, 'Provenance'),
      joinHtml(provenanceTables(session).map(htmlTable)),
      textElement('p', { class: cls('muted') }, REPRODUCIBILITY_NOTE),
    ]),
  );
}

/** The standalone HTML report. */
function reportHtml(session: ReportInput, title: string): string {
  const items = prepare(session);
  const hasCharts = items.some((p) => p.view.charts.length > 0);
  const counter: ChartCounter = { next: 1 };
  const evalbookVersion = session.versions.evalbook;
  const head = joinHtml([
    rawHtml('<meta charset="utf-8">'),
    rawHtml('<meta name="viewport" content="width=device-width, initial-scale=1">'),
    rawHtml(
      `<meta name="generator" content="${escapeHtml(
        evalbookVersion === undefined ? 'Evalbook' : `Evalbook ${evalbookVersion}`,
      )}">`,
    ),
    textElement('title', {}, title),
    rawHtml(`<style>${STYLESHEET}${PAGE_STYLESHEET}</style>`),
    hasCharts ? rawHtml(`<script type="text/javascript">${plotlyJs()}</script>`) : rawHtml(''),
  ]);
  const body = element(
    'div',
    { class: 'evalbook-root evalbook-report' },
    joinHtml([
      textElement('h1', {}, title),
      textElement(
        'p',
        { class: cls('byline') },
        `Evaluation report${evalbookVersion === undefined ? '' : ` · Evalbook ${evalbookVersion}`}`,
      ),
      tocHtml(items, session),
      joinHtml(items.map((p) => itemHtml(p, counter))),
      element(
        'section',
        { id: 'program', class: cls('section') },
        joinHtml([textElement('h2', {}, 'Program'), programHtml(session.source)]),
      ),
      provenanceHtml(session),
    ]),
  );
  return `<!DOCTYPE html>\n<html lang="en">\n<head>${head}</head>\n<body>${body}</body>\n</html>\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** `dir/name.md` → `dir/name_files`: where a markdown report's chart pages go. */
export function assetsDirectory(mainPath: string): string {
  return mainPath.replace(/\.[^./\\]*$/u, '') + '_files';
}

function fencedCode(text: string, info = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/gu) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n$/u, '')}\n${fence}`;
}

/** A chart as its own page, loading plotly.min.js from the same folder. */
function chartPage(chart: Chart, title: string, id: string): string {
  const heading = textElement('h1', { class: cls('heading') }, title);
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">' +
    `${textElement('title', {}, title)}<style>${STYLESHEET}body{margin:16px}</style>` +
    '<script type="text/javascript" src="plotly.min.js"></script></head>\n' +
    `<body><div class="evalbook-root">${heading}${chartElement(chart.figure, id)}</div></body>\n</html>\n`
  );
}

function slugText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '');
}

/** The markdown report and its chart pages. */
function reportMarkdown(session: ReportInput, title: string, mainPath: string): ReportFile[] {
  const items = prepare(session);
  const assets = assetsDirectory(mainPath);
  const assetsLink = basename(assets);
  const assetFiles: ReportFile[] = [];
  let chartNumber = 1;
  const blocks: string[] = [`# ${escapeMarkdown(title)}`, '## Contents'];
  const toc = items.map((p) => `${p.number}. [${escapeMarkdown(p.view.title)}](#${p.anchor})`);
  toc.push(
    `${items.length + 1}. [Program](#program)`,
    `${items.length + 2}. [Provenance](#provenance)`,
  );
  blocks.push(toc.join('\n'));
  for (const p of items) {
    blocks.push(`<a id="${p.anchor}"></a>`);
    const view: ResultView = { ...p.view, title: `${p.number}. ${p.view.title}` };
    blocks.push(
      viewMarkdown(view, { level: 2 }).replace(
        /^## [^\n]*/u,
        (h) => `${h}\n\n*line ${p.item.line}:*\n\n${fencedCode(p.item.statement)}`,
      ),
    );
    const links = p.view.charts.map((chart) => {
      const number = String(chartNumber).padStart(2, '0');
      const file = `figure-${number}-${slugText(chart.slug)}.html`;
      const id = chartId(chart.figure, chartNumber);
      chartNumber++;
      const chartTitle = `${title} — figure ${number}: ${chart.slug}`;
      assetFiles.push({ path: `${assets}/${file}`, content: chartPage(chart, chartTitle, id) });
      const caption = chart.text.split('\n')[0];
      return `- [Figure ${number}: ${escapeMarkdown(caption)}](${assetsLink}/${file})`;
    });
    if (links.length > 0)
      blocks.push(`**Charts** (interactive, open in a browser)\n\n${links.join('\n')}`);
  }
  blocks.push('<a id="program"></a>', '## Program', fencedCode(session.source));
  blocks.push('<a id="provenance"></a>', '## Provenance');
  for (const table of provenanceTables(session)) blocks.push(markdownTable(table));
  blocks.push(`*${escapeMarkdown(REPRODUCIBILITY_NOTE)}*`);
  const files: ReportFile[] = [{ path: mainPath, content: `${blocks.join('\n\n')}\n` }];
  if (assetFiles.length > 0) {
    files.push(...assetFiles, { path: `${assets}/plotly.min.js`, content: plotlyJs() });
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** The report's files: the main file first. Byte-identical for the same input. */
export function renderReport(session: ReportInput, options: ReportOptions): ReportOutput {
  const title = options.title ?? session.title;
  if (options.format === 'html') {
    const path = options.path ?? 'report.html';
    return { files: [{ path, content: reportHtml(session, title) }] };
  }
  return { files: reportMarkdown(session, title, options.path ?? 'report.md') };
}

function summaryLines(p: PreparedItem): string[] {
  const sentences = p.view.sections.find((s) => s.type === 'sentences');
  return sentences === undefined || sentences.type !== 'sentences' ? [] : [...sentences.lines];
}

/**
 * `report` without a file: a markdown summary for the cell — each result's title and
 * sentences, its warnings, and the inputs with their hashes.
 */
export function reportSummaryMarkdown(session: ReportInput, title?: string): string {
  const items = prepare(session);
  const blocks: string[] = [`## ${escapeMarkdown(title ?? session.title)}`];
  if (items.length === 0) blocks.push('*No results yet.*');
  for (const p of items) {
    const lines = summaryLines(p).map((l) => `  - ${escapeMarkdown(l)}`);
    const warnings = p.view.warnings
      .filter((w) => w.severity === 'warning')
      .map((w) => `  - ⚠ ${escapeMarkdown(w.message)}`);
    blocks.push(
      [
        `${p.number}. **${escapeMarkdown(p.view.title)}** (line ${p.item.line})`,
        ...lines,
        ...warnings,
      ].join('\n'),
    );
  }
  if (session.inputs.length > 0) {
    const inputs = session.inputs.map(
      (f) =>
        `- \`${displayPath(f.path, session.baseDir).replace(/`/gu, "'")}\` SHA-256 \`${f.sha256}\``,
    );
    blocks.push(`**Inputs**\n\n${inputs.join('\n')}`);
  }
  return `${blocks.join('\n\n')}\n`;
}

/** The summary as a bundle for the cell: markdown, with a plain-text rendering of it. */
export function reportSummaryBundle(session: ReportInput, title?: string): DisplayBundle {
  const items = prepare(session);
  const heading = title ?? session.title;
  const plain = [heading];
  for (const p of items) {
    plain.push('', `${p.number}. ${p.view.title} (line ${p.item.line})`);
    for (const line of summaryLines(p)) plain.push(`   ${line}`);
    for (const w of p.view.warnings.filter((x) => x.severity === 'warning'))
      plain.push(`   warning: ${w.message}`);
  }
  if (session.inputs.length > 0) plain.push('', textTable(inputsTable(session)));
  return {
    data: {
      'text/plain': plain.join('\n'),
      'text/markdown': reportSummaryMarkdown(session, title),
    },
    metadata: {},
  };
}
