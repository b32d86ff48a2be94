/**
 * The display layer's entry: analysis results → display bundles.
 *
 * `render(result, options)` returns the bundles of one statement, in display order: first
 * the tables bundle (`text/plain`, `text/html`, `text/markdown`), then one bundle per chart
 * (`application/vnd.plotly.v1+json`, an offline `text/html` fallback, `text/plain`). The
 * kernel sends them as display_data messages in that order; `evalbook run` prints their
 * `text/plain`.
 */
import type {
  AnalysisResult,
  CalibrationAnalysisResult,
  ComparisonResult,
  LeakageAnalysisResult,
  LossCurveResult,
  SliceSummaryResult,
  SplitSummaryResult,
  TableSummary,
  ThresholdAnalysisResult,
} from '../../engine/analysis/types.js';
import type { DisplayBundle } from '../bundle.js';
import type { DisplayContext } from '../context.js';
import { viewBundles, type ResultView } from '../view.js';
import { describeCalibration } from './calibration.js';
import { describeCheck, type CheckOutcome } from './check.js';
import { describeComparison } from './comparison.js';
import { describeLeakage } from './leakage.js';
import { describeLossCurve } from './loss.js';
import { describeSlices, describeSplit, describeTableSummary } from './tables.js';
import { describeThreshold } from './threshold.js';

export type { CheckOutcome };

/** Anything a statement can display: an engine analysis or a check's outcome. */
export type Renderable = AnalysisResult | CheckOutcome;

export interface RenderOptions {
  /** Carries "plotly.js is already in this document" and the chart counter across calls. */
  readonly context: DisplayContext;
  /** Put the formulas with numbers in `text/plain` too (HTML always has them, folded). */
  readonly explain?: boolean;
  /** False: the tables bundle only, no chart bundles (a terminal, `--no-charts`). */
  readonly charts?: boolean;
}

/** The view of a result: what it shows, before any format is chosen. */
export function describe(result: Renderable): ResultView {
  switch (result.kind) {
    case 'table-summary':
      return describeTableSummary(result);
    case 'comparison':
      return describeComparison(result);
    case 'threshold':
      return describeThreshold(result);
    case 'calibration':
      return describeCalibration(result);
    case 'loss-curve':
      return describeLossCurve(result);
    case 'leakage':
      return describeLeakage(result);
    case 'split':
      return describeSplit(result);
    case 'slices':
      return describeSlices(result);
    case 'check':
      return describeCheck(result);
  }
}

/** The bundles of any result, in display order. */
export function render(result: Renderable, options: RenderOptions): DisplayBundle[] {
  return viewBundles(describe(result), options.context, options);
}

export function renderTableSummary(result: TableSummary, options: RenderOptions): DisplayBundle[] {
  return render(result, options);
}

export function renderComparison(
  result: ComparisonResult,
  options: RenderOptions,
): DisplayBundle[] {
  return render(result, options);
}

export function renderThreshold(
  result: ThresholdAnalysisResult,
  options: RenderOptions,
): DisplayBundle[] {
  return render(result, options);
}

export function renderCalibration(
  result: CalibrationAnalysisResult,
  options: RenderOptions,
): DisplayBundle[] {
  return render(result, options);
}

export function renderLossCurve(result: LossCurveResult, options: RenderOptions): DisplayBundle[] {
  return render(result, options);
}

export function renderLeakage(
  result: LeakageAnalysisResult,
  options: RenderOptions,
): DisplayBundle[] {
  return render(result, options);
}

export function renderSplit(result: SplitSummaryResult, options: RenderOptions): DisplayBundle[] {
  return render(result, options);
}

export function renderSlices(result: SliceSummaryResult, options: RenderOptions): DisplayBundle[] {
  return render(result, options);
}

export function renderCheck(result: CheckOutcome, options: RenderOptions): DisplayBundle[] {
  return render(result, options);
}
