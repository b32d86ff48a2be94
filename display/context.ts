/**
 * What the renderers need to know about the document their bundles land in.
 *
 * A chart's `text/html` fallback draws with plotly.js. A notebook or an exported page should
 * carry plotly.js (about 5 MB) once, not once per chart: the first chart rendered with
 * `includePlotlyJs: 'inline'` carries it and sets `plotlyIncluded`; later charts of the same
 * context reuse `window.Plotly`. The kernel keeps one context per session (a new one after a
 * restart, since a restarted kernel's first chart may land in a fresh page); a report makes
 * its own and puts plotly.js in the page head instead.
 *
 * Chart element ids come from `nextChartNumber` and a hash of the figure, never from a clock
 * or a random source, so the same session renders byte-identical output; the hash keeps ids
 * apart when two sessions' outputs end up in one page.
 */
export type PlotlyJsInclusion = 'inline' | 'none';

export interface DisplayContext {
  /**
   * 'inline': the first chart's HTML carries plotly.js, unless `plotlyIncluded` says the
   * document has it already. 'none': never carry it (the page provides `window.Plotly`).
   */
  readonly includePlotlyJs: PlotlyJsInclusion;
  /** Whether plotly.js is already in the document; set by the chart that includes it. */
  plotlyIncluded: boolean;
  /** The number of the next chart (1-based), for element ids; incremented per chart. */
  nextChartNumber: number;
}

export interface DisplayContextOptions {
  readonly includePlotlyJs?: PlotlyJsInclusion;
  readonly plotlyIncluded?: boolean;
}

export function createDisplayContext(options: DisplayContextOptions = {}): DisplayContext {
  return {
    includePlotlyJs: options.includePlotlyJs ?? 'inline',
    plotlyIncluded: options.plotlyIncluded ?? false,
    nextChartNumber: 1,
  };
}
