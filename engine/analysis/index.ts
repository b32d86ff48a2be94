/**
 * The engine's high-level analyses: one entry function per statement, each taking tables and
 * typed options and returning a plain, JSON-serialisable result discriminated on `kind` (see
 * `types.ts`). The language layer calls these; the display layer renders their results.
 *
 * | function              | statement   | result kind     |
 * |-----------------------|-------------|-----------------|
 * | `summarizeTable`      | load, show  | `table-summary` |
 * | `compareModels`       | compare     | `comparison`    |
 * | `analyseThresholds`   | threshold   | `threshold`     |
 * | `calibrationAnalysis` | calibration | `calibration`   |
 * | `lossCurveAnalysis`   | curve       | `loss-curve`    |
 * | `leakageAnalysis`     | check leakage | `leakage`     |
 * | `splitSummary`        | split … into | `split`        |
 * | `sliceSummary`        | split … by  | `slices`        |
 */
export * from './types.js';
export {
  summarizeTable,
  DEFAULT_PREVIEW_ROWS,
  PREVIEW_COLUMNS,
  type TableSummaryOptions,
} from './table-summary.js';
export {
  compareModels,
  COMPARISON_METRICS,
  isComparisonMetricName,
  DEFAULT_BINARY_METRICS,
  DEFAULT_MULTICLASS_METRICS,
  DEFAULT_REGRESSION_METRICS,
  DEFAULT_SCORE_METRICS,
  DEFAULT_EXAMPLES,
  DEFAULT_MAX_SLICES,
} from './compare.js';
export { analyseThresholds, describeRule } from './threshold.js';
export { calibrationAnalysis, DEFAULT_CALIBRATION_BINS } from './calibration.js';
export { lossCurveAnalysis } from './loss-curve.js';
export { leakageAnalysis, DEFAULT_MAX_LISTED } from './leakage.js';
export {
  splitSummary,
  sliceSummary,
  type SplitSummaryOptions,
  type SplitOutcome,
  type SliceSummaryOptions,
} from './split.js';
export {
  describeDelta,
  metricDisplayName,
  formatPoints,
  formatPValue,
  pValueText,
  higherIsBetter,
  isShareMetric,
  type DeltaStatementInput,
} from './statements.js';
export { explainBinary, explainMulticlass } from './explain.js';
export { thinPolyline, DEFAULT_MAX_POINTS, DEFAULT_TOLERANCE, type Thinning } from './thin.js';
export * as analysisWarnings from './warnings.js';
