/**
 * The display layer's entry: analysis results → display bundles.
 *
 * `render(result, options)` returns the bundles of one statement, in display order: first
 * the tables bundle (`text/plain`, `text/html`, `text/markdown`), then one bundle per chart
 * (`application/vnd.plotly.v1+json`, an offline `text/html` fallback, `text/plain`). The
 * kernel sends them as display_data messages in that order; `evalbook run` prints their
 * `text/plain`.
 *
 * Each result kind has one renderer module here and one entry in `RENDERERS`; a new
 * statement's result adds both, and the registry's type makes a missing entry a compile error.
 */
import type { AnalysisResult } from '../../engine/analysis/types.js';
import type { DisplayBundle } from '../bundle.js';
import type { DisplayContext } from '../context.js';
import { viewBundles, type ResultView } from '../view.js';
import { describeCalibration } from './calibration.js';
import { describeCheck, type CheckOutcome } from './check.js';
import { describeComparison } from './comparison.js';
import { describeLeakage } from './leakage.js';
import { describeLossCurve } from './loss-curve.js';
import type { Renderer } from './renderer.js';
import { describeSlices } from './slices.js';
import { describeSplit } from './split.js';
import { describeTableSummary } from './table-summary.js';
import { describeThreshold } from './threshold.js';

export type { CheckOutcome };

/** Anything a statement can display: an engine analysis or a check's outcome. */
export type Renderable = AnalysisResult | CheckOutcome;

type RenderableKind = Renderable['kind'];

/** The result of one kind. */
type RenderableOf<K extends RenderableKind> = Extract<Renderable, { readonly kind: K }>;

const RENDERERS: { readonly [K in RenderableKind]: Renderer<RenderableOf<K>> } = {
  'table-summary': describeTableSummary,
  comparison: describeComparison,
  threshold: describeThreshold,
  calibration: describeCalibration,
  'loss-curve': describeLossCurve,
  leakage: describeLeakage,
  split: describeSplit,
  slices: describeSlices,
  check: describeCheck,
};

export interface RenderOptions {
  /** Carries "plotly.js is already in this document" and the chart counter across calls. */
  readonly context: DisplayContext;
  /** Put the formulas with numbers in `text/plain` too (HTML always has them, folded). */
  readonly explain?: boolean;
  /** False: the tables bundle only, no chart bundles (a terminal, `--no-charts`). */
  readonly charts?: boolean;
}

function rendererOf<K extends RenderableKind>(kind: K): Renderer<RenderableOf<K>> {
  return RENDERERS[kind];
}

/** The view of a result: what it shows, before any format is chosen. */
export function describe(result: Renderable): ResultView {
  return rendererOf(result.kind)(result);
}

/** The bundles of any result, in display order. */
export function render(result: Renderable, options: RenderOptions): DisplayBundle[] {
  return viewBundles(describe(result), options.context, options);
}
