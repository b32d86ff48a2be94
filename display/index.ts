/**
 * The display layer: analysis results → display bundles (MIME type → content), Plotly
 * figures and reports. It reads the engine's result types and nothing above it.
 *
 * | function                        | takes                      | gives                         |
 * |---------------------------------|----------------------------|-------------------------------|
 * | `render` (and `render<Kind>`)   | a result, a DisplayContext | the statement's bundles       |
 * | `describe`                      | a result                   | its view (before any format)  |
 * | `renderReport`                  | a session (ReportInput)    | the report's files            |
 * | `reportSummaryBundle`/`…Markdown` | a session                | the summary shown by `report` |
 *
 * See `plotly.ts` for how charts work offline (plotly.js carried once per document) and
 * `report.ts` for the report formats.
 */
export { PLOTLY_MIME, plainBundle, type DisplayBundle } from './bundle.js';
export {
  createDisplayContext,
  type DisplayContext,
  type DisplayContextOptions,
  type PlotlyJsInclusion,
} from './context.js';
export {
  describe,
  render,
  renderCalibration,
  renderCheck,
  renderComparison,
  renderLeakage,
  renderLossCurve,
  renderSlices,
  renderSplit,
  renderTableSummary,
  renderThreshold,
  type CheckOutcome,
  type Renderable,
  type RenderOptions,
} from './render/index.js';
export {
  displayPath,
  renderReport,
  reportSummaryBundle,
  reportSummaryMarkdown,
  type ReportFile,
  type ReportFormat,
  type ReportInput,
  type ReportInputFile,
  type ReportItem,
  type ReportOptions,
  type ReportOutput,
} from './report.js';
export { viewBundles, viewHtml, viewMarkdown, viewText, type ResultView } from './view.js';
export type { Chart, PlotlyFigure } from './plotly.js';
export * from './format.js';
