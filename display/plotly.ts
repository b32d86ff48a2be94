/**
 * Plotly figures as plain JSON ({data, layout, config}, Plotly's figure format) and the
 * bundles that carry them.
 *
 * A chart bundle has three representations:
 * - `application/vnd.plotly.v1+json`: the figure, drawn by JupyterLab's and VS Code's Plotly
 *   renderers;
 * - `text/html`: a fallback for classic Notebook, nbconvert's HTML export and any front end
 *   without a Plotly renderer — a placeholder `<div>` (its text says what is missing when no
 *   script runs) and a `<script>` that draws the figure with `window.Plotly`. When the
 *   `DisplayContext` says so, the first chart also carries plotly.js itself in a `<script>`,
 *   so the page needs no network. A chart whose script runs before plotly.js has loaded
 *   queues its drawing on `window.__evalbookPlotlyQueue`, which the carrier drains;
 * - `text/plain`: what the chart shows, in words.
 *
 * Figures hold numbers at full float64 precision, with typed arrays turned into plain
 * arrays and NaN into null (a gap, for Plotly).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PLOTLY_MIME, type DisplayBundle } from './bundle.js';
import type { DisplayContext } from './context.js';
import { cls, element, escapeHtml, rawHtml, wrapHtml, type Html } from './html.js';

/** A Plotly trace: `type` plus that trace type's attributes. */
export type PlotlyTrace = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A Plotly layout object (title, axes, annotations, shapes, sliders, ...). */
export type PlotlyLayout = Readonly<Record<string, unknown>>;

/**
 * A figure in Plotly's JSON format. Invariant: JSON-safe — plain arrays of numbers, strings
 * and null, no typed arrays, no NaN, no functions — so `JSON.stringify` round-trips it.
 */
export interface PlotlyFigure {
  readonly data: readonly PlotlyTrace[];
  readonly layout: PlotlyLayout;
  readonly config?: Readonly<Record<string, unknown>>;
}

/** A figure and what it shows in words (the chart bundle's `text/plain`). */
export interface Chart {
  readonly figure: PlotlyFigure;
  /** One or a few lines: what the chart shows and its key numbers. */
  readonly text: string;
  /** A short name for file names and ids ("confusion-matrices", "threshold"). */
  readonly slug: string;
}

/** The config every figure gets: responsive, no logo, no link to Plotly's cloud. */
export const FIGURE_CONFIG: Readonly<Record<string, unknown>> = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ['sendDataToCloud', 'lasso2d', 'select2d'],
};

/** Colours by model position: the reference (base) model first, then the others. */
const MODEL_COLOURS = ['#64748b', '#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed'] as const;

export function modelColour(index: number): string {
  return MODEL_COLOURS[index % MODEL_COLOURS.length];
}

/** Font and margins shared by every figure, so charts look alike next to each other. */
export function baseLayout(title: string, extra: PlotlyLayout = {}): PlotlyLayout {
  return {
    // The title sits at the top of the figure; legends and panel titles go between it and
    // the plot area (figures leave room with their top margin).
    title: {
      text: title,
      x: 0,
      xanchor: 'left',
      xref: 'container',
      y: 1,
      yanchor: 'top',
      yref: 'container',
      pad: { t: 12, l: 12 },
      font: { size: 15, color: '#0f172a' },
    },
    font: {
      family: '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
      size: 12,
      color: '#1e293b',
    },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    margin: { l: 64, r: 24, t: 56, b: 56 },
    hoverlabel: { font: { size: 12 } },
    legend: { orientation: 'h', x: 0, y: -0.18, xanchor: 'left', yanchor: 'top' },
    ...extra,
  };
}

/** An axis with light grid lines. */
export function axis(title: string, extra: PlotlyLayout = {}): PlotlyLayout {
  return {
    title: { text: title },
    gridcolor: '#e2e8f0',
    zerolinecolor: '#cbd5e1',
    linecolor: '#94a3b8',
    ticks: 'outside',
    tickcolor: '#94a3b8',
    automargin: true,
    ...extra,
  };
}

/** The figure's height in pixels (layout.height, else Plotly's default 450). */
function figureHeight(figure: PlotlyFigure): number {
  const height = figure.layout.height;
  return typeof height === 'number' ? height : 450;
}

/**
 * JSON for embedding in a `<script>`: `<`, `>` and `&` as \u escapes so that no string in the
 * figure (a label such as `</script>`) can end the script element, and the two line
 * separators JavaScript once rejected in strings escaped as well.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</gu, '\\u003c')
    .replace(/>/gu, '\\u003e')
    .replace(/&/gu, '\\u0026')
    .replace(/\u2028/gu, '\\u2028')
    .replace(/\u2029/gu, '\\u2029');
}

let plotlySource: string | undefined;

/**
 * plotly.min.js from the `plotly.js-dist-min` package, read on first use and cached (about
 * 5 MB: only reports and the first chart of a document need it). Any `</script` in it is
 * escaped so it can sit inside a script element.
 */
export function plotlyJs(): string {
  if (plotlySource === undefined) {
    const require = createRequire(import.meta.url);
    const text = readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
    plotlySource = text.replace(/<\/script/giu, '<\\/script');
  }
  return plotlySource;
}

/** The version of the bundled plotly.js, from its banner ("3.7.0"). */
export function plotlyVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = JSON.parse(
    readFileSync(require.resolve('plotly.js-dist-min/package.json'), 'utf8'),
  ) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

const QUEUE = '__evalbookPlotlyQueue';

/**
 * A `<script>` carrying plotly.js, then draining the queue of charts that were waiting for
 * it. A page must contain it at most once.
 */
export function plotlyScriptElement(): Html {
  const drain =
    `(function(){var q=window.${QUEUE};window.${QUEUE}=[];` +
    `if(q&&q.length){for(var i=0;i<q.length;i++){q[i]();}}})();`;
  return rawHtml(
    `<script type="text/javascript">${plotlyJs()}</script>` +
      `<script type="text/javascript">${drain}</script>`,
  );
}

/** A stable element id for a chart: its number in the document and a hash of its figure. */
export function chartId(figure: PlotlyFigure, chartNumber: number): string {
  const digest = createHash('sha256').update(JSON.stringify(figure)).digest('hex').slice(0, 10);
  return `evalbook-chart-${chartNumber}-${digest}`;
}

/**
 * The placeholder and the drawing script for one chart. The placeholder's text stays visible
 * where scripts do not run (a static notebook viewer) and is cleared when the chart draws.
 */
export function chartElement(figure: PlotlyFigure, id: string): Html {
  const height = figureHeight(figure);
  const placeholder = element(
    'div',
    { id, class: cls('plot'), style: `height:${height}px` },
    element(
      'div',
      { class: cls('plot-missing') },
      escapeHtml(
        'Interactive chart: it needs JavaScript and plotly.js. If this text stays, the page ' +
          'has not loaded plotly.js (re-run the cell, or open the exported report).',
      ),
    ),
  );
  const draw =
    `(function(){var fig=${scriptJson(figure)};` +
    `function draw(){var el=document.getElementById(${scriptJson(id)});if(!el){return;}` +
    `el.innerHTML='';window.Plotly.newPlot(el,fig.data,fig.layout,fig.config);}` +
    `if(window.Plotly&&window.Plotly.newPlot){draw();}` +
    `else{(window.${QUEUE}=window.${QUEUE}||[]).push(draw);}})();`;
  return rawHtml(`${placeholder}<script type="text/javascript">${draw}</script>`);
}

/**
 * Whether this chart should carry plotly.js, and the context updated to say it now does.
 * Exactly one chart of a context carries it while `includePlotlyJs` is 'inline'.
 */
function takePlotlyInclusion(context: DisplayContext): boolean {
  if (context.includePlotlyJs !== 'inline' || context.plotlyIncluded) return false;
  context.plotlyIncluded = true;
  return true;
}

/** The HTML of a chart for a bundle or a report section (no stylesheet when `bare`). */
function chartHtml(
  chart: Chart,
  context: DisplayContext,
  options: { readonly bare?: boolean } = {},
): Html {
  const id = chartId(chart.figure, context.nextChartNumber);
  context.nextChartNumber++;
  const carrier = takePlotlyInclusion(context) ? plotlyScriptElement() : rawHtml('');
  return wrapHtml(rawHtml(`${carrier}${chartElement(chart.figure, id)}`), options);
}

/** A chart's display bundle: the Plotly figure, the HTML fallback and the words. */
export function chartBundle(chart: Chart, context: DisplayContext): DisplayBundle {
  return {
    data: {
      'text/plain': chart.text,
      'text/html': chartHtml(chart, context),
      [PLOTLY_MIME]: chart.figure,
    },
    metadata: {},
  };
}

/**
 * Horizontal domains for `count` side-by-side panels separated by `gap` (fractions of the
 * figure width): [[0, 0.45], [0.55, 1]] for two panels and a gap of 0.1.
 */
export function columnDomains(count: number, gap: number): [number, number][] {
  const width = (1 - gap * (count - 1)) / count;
  return Array.from({ length: count }, (_, i) => {
    const start = i * (width + gap);
    // Rounded so that the layout JSON does not carry float noise such as 0.30000000000000004.
    return [round6(start), round6(i === count - 1 ? 1 : start + width)];
  });
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Axis names for panel i (0-based): 'x'/'y', then 'x2'/'y2', ... as traces refer to them. */
export function panelAxes(i: number): { x: string; y: string; xLayout: string; yLayout: string } {
  const suffix = i === 0 ? '' : String(i + 1);
  return { x: `x${suffix}`, y: `y${suffix}`, xLayout: `xaxis${suffix}`, yLayout: `yaxis${suffix}` };
}

/**
 * A dashed grey line that marks a reference (a random ranking, perfect calibration) on the
 * panel of `axes`; it takes no hover. `showlegend: false` leaves a repeated one out of the
 * legend.
 */
export function referenceLine(
  name: string,
  x: readonly number[],
  y: readonly number[],
  axes: { readonly x: string; readonly y: string },
  options: { readonly showlegend?: false } = {},
): PlotlyTrace {
  return {
    type: 'scatter',
    mode: 'lines',
    name,
    ...options,
    x,
    y,
    line: { color: '#94a3b8', dash: 'dash', width: 1 },
    hoverinfo: 'skip',
    xaxis: axes.x,
    yaxis: axes.y,
  };
}

/** A title over panel i, as a paper-anchored annotation. */
export function panelTitle(text: string, domain: readonly [number, number]): PlotlyLayout {
  return {
    text,
    x: (domain[0] + domain[1]) / 2,
    y: 1,
    xref: 'paper',
    yref: 'paper',
    xanchor: 'center',
    yanchor: 'bottom',
    yshift: 6,
    showarrow: false,
    font: { size: 13, color: '#334155' },
  };
}

/**
 * Text for Plotly to draw (titles, tick labels, legend names, hover text). Plotly reads a
 * few HTML tags (`<b>`, `<br>`, `<a>`) in such text and decodes `&amp;`, `&lt;`, `&gt;`, so a
 * user's string is entity-escaped to be drawn exactly as written.
 */
export function plotlyText(text: string): string {
  return text.replace(/[&<>]/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
