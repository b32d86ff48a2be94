/**
 * Metrics against the decision threshold, with a slider that moves the operating point.
 *
 * Left panel: precision, recall and F1 (and F-beta, and the cost on a second axis, when the
 * sweep has them) against the threshold, a marker on each line at the current threshold, a
 * solid vertical line there (a layout shape) and a dashed one at the threshold the rule chose
 * (a trace, so that the legend names it). Right panel: the 2×2 confusion matrix at the
 * current threshold.
 *
 * The slider has one step per sweep point (the engine's thinned sweep, nothing added). Each
 * step is a Plotly `update` whose arguments carry that point's numbers: the markers' x and y
 * and the heatmap's counts (restyle), the vertical line's position and the title (relayout).
 * Every frame is precomputed in the figure, so the slider works with no kernel behind it, in
 * exported notebooks and in reports.
 *
 * Restyle arguments are per trace: `[markerTrace, heatmapTrace]`. An attribute only one of the
 * two traces has is `null` for the other (Plotly resets an attribute given as null; the
 * marker has no z, so resetting it changes nothing), and the heatmap's axis categories are
 * repeated so that the marker's new x and y are not copied onto it.
 */
import type { ChosenPoint, Label, SweepSeries } from '../../engine/analysis/types.js';
import { formatCount, formatMetric, formatNumber, labelText } from '../format.js';
import {
  FIGURE_CONFIG,
  axis,
  baseLayout,
  panelTitle,
  plotlyText,
  type Chart,
  type PlotlyLayout,
  type PlotlyTrace,
} from '../plotly.js';
import { HEATMAP_COLOURS } from './confusion.js';

interface ThresholdChartInput {
  readonly model: string;
  readonly positiveLabel: Label;
  readonly n: number;
  readonly sweep: SweepSeries;
  /** The rule's choice; null when the rule found none. */
  readonly chosen: ChosenPoint | null;
  /** The rule in words ("max F1"), for the legend and the title. */
  readonly rule: string;
}

/** How a series' line is drawn. */
interface LineStyle {
  readonly colour: string;
  readonly width: number;
  readonly dash: string;
}

/**
 * One series drawn against the threshold: a row of the table `seriesOf` builds. Metrics share
 * the left axis and are what the operating point shows (its markers, the title, each slider
 * step); the cost has its own axis and is drawn as a line only.
 */
interface Series {
  readonly name: string;
  /** The value at each sweep point. */
  readonly values: readonly number[];
  /**
   * The value at the rule's own point when that is no sweep point; null when only the sweep
   * has it (the marker is left out there).
   */
  readonly atChosen: ((chosen: ChosenPoint) => number) | null;
  /** The Plotly y axis it is drawn on. */
  readonly axis: 'y' | 'y3';
  readonly style: LineStyle;
  /** The d3 format of its values in the hover label. */
  readonly hoverFormat: string;
  /** Whether the operating point's markers, the title and the slider steps show it. */
  readonly atOperatingPoint: boolean;
}

const SERIES_COLOURS = {
  precision: '#2563eb',
  recall: '#d97706',
  f1: '#059669',
  fbeta: '#7c3aed',
  cost: '#b91c1c',
} as const;

function metricSeries(
  name: string,
  values: readonly number[],
  colour: string,
  dash: string,
  atChosen: Series['atChosen'],
): Series {
  return {
    name,
    values,
    atChosen,
    axis: 'y',
    style: { colour, width: 2, dash },
    hoverFormat: '.4f',
    atOperatingPoint: true,
  };
}

/** The series of a sweep, in drawing (and legend) order. */
function seriesOf(sweep: SweepSeries): Series[] {
  const series: Series[] = [
    metricSeries(
      'precision',
      sweep.precision,
      SERIES_COLOURS.precision,
      'solid',
      (c) => c.precision,
    ),
    metricSeries('recall', sweep.recall, SERIES_COLOURS.recall, 'solid', (c) => c.recall),
    metricSeries('F1', sweep.f1, SERIES_COLOURS.f1, 'solid', (c) => c.f1),
  ];
  if (sweep.fbeta !== null && sweep.beta !== null) {
    // The chosen point carries no F-beta: the engine computes it for the sweep only.
    series.push(
      metricSeries(`F${formatNumber(sweep.beta)}`, sweep.fbeta, SERIES_COLOURS.fbeta, 'dot', null),
    );
  }
  if (sweep.cost !== null) {
    series.push({
      name: 'cost',
      values: sweep.cost,
      atChosen: null,
      axis: 'y3',
      style: { colour: SERIES_COLOURS.cost, width: 1.5, dash: 'dash' },
      hoverFormat: ',',
      atOperatingPoint: false,
    });
  }
  return series;
}

/**
 * The sweep index the slider starts at: the chosen point when it is one of the sweep's
 * thresholds; else the threshold nearest the chosen one; with no choice, the one nearest 0.5.
 */
function initialIndex(sweep: SweepSeries, chosen: ChosenPoint | null): number {
  if (sweep.chosenIndex !== null) return sweep.chosenIndex;
  const target = chosen?.threshold ?? 0.5;
  let best = 0;
  sweep.threshold.forEach((t, i) => {
    if (Math.abs(t - target) < Math.abs(sweep.threshold[best] - target)) best = i;
  });
  return best;
}

/** Counts as the heatmap shows them: rows actual positive/negative, columns predicted. */
export function heatmapCounts(c: { tp: number; fp: number; fn: number; tn: number }): number[][] {
  return [
    [c.tp, c.fn],
    [c.fp, c.tn],
  ];
}

/** What the figure shows at one threshold: the markers, the heatmap and the title. */
interface PointState {
  readonly threshold: number;
  readonly counts: { tp: number; fp: number; fn: number; tn: number };
  /** One value per operating-point series, in their order; NaN where there is none. */
  readonly values: readonly number[];
  readonly title: string;
}

function stateTitle(
  model: string,
  threshold: number,
  values: readonly number[],
  series: readonly Series[],
): string {
  const metrics = series.map((s, k) => `${s.name} ${formatMetric(values[k])}`).join(' · ');
  return `${model}: threshold ${formatNumber(threshold)} — ${metrics}`;
}

/** The state at the rule's own point; a series it has no value for gets NaN (no marker). */
function chosenState(
  model: string,
  chosen: ChosenPoint,
  threshold: number,
  marked: readonly Series[],
): PointState {
  const values = marked.map((s) => (s.atChosen === null ? Number.NaN : s.atChosen(chosen)));
  return { threshold, counts: chosen, values, title: stateTitle(model, threshold, values, marked) };
}

function lineTrace(s: Series, thresholds: readonly number[]): PlotlyTrace {
  return {
    type: 'scatter',
    mode: 'lines',
    name: s.name,
    x: [...thresholds],
    y: [...s.values],
    line: { color: s.style.colour, width: s.style.width, dash: s.style.dash, shape: 'hv' },
    hovertemplate: `threshold %{x}<br>${s.name} %{y:${s.hoverFormat}}<extra></extra>`,
    xaxis: 'x',
    yaxis: s.axis,
  };
}

/** The rule's threshold as a dashed line; a trace rather than a shape so the legend names it. */
function chosenLineTrace(rule: string, threshold: number): PlotlyTrace {
  return {
    type: 'scatter',
    mode: 'lines',
    name: `chosen: ${plotlyText(rule)} (${formatNumber(threshold)})`,
    x: [threshold, threshold],
    y: [0, 1],
    line: { color: '#64748b', width: 1.2, dash: 'dash' },
    hoverinfo: 'skip',
    xaxis: 'x',
    yaxis: 'y',
  };
}

/** One marker per operating-point series at the current threshold. */
function markerTrace(marked: readonly Series[], initial: PointState): PlotlyTrace {
  return {
    type: 'scatter',
    mode: 'markers',
    name: 'current threshold',
    showlegend: false,
    x: marked.map(() => initial.threshold),
    y: initial.values.map((v) => (Number.isFinite(v) ? v : null)),
    text: marked.map((s) => s.name),
    marker: {
      color: marked.map((s) => s.style.colour),
      size: 10,
      line: { color: '#ffffff', width: 1.5 },
    },
    hovertemplate: '%{text} %{y:.4f} at threshold %{x}<extra></extra>',
    xaxis: 'x',
    yaxis: 'y',
  };
}

interface MatrixAxes {
  readonly predicted: readonly string[];
  readonly actual: readonly string[];
}

function heatmapTrace(axes: MatrixAxes, initial: PointState, n: number): PlotlyTrace {
  return {
    type: 'heatmap',
    name: 'confusion matrix',
    x: axes.predicted,
    y: axes.actual,
    z: heatmapCounts(initial.counts),
    text: [
      ['TP', 'FN'],
      ['FP', 'TN'],
    ],
    texttemplate: '<b>%{text}</b><br>%{z:,}',
    textfont: { size: 14 },
    hovertemplate: '%{y}, %{x}: %{z:,} rows<extra>%{text}</extra>',
    colorscale: HEATMAP_COLOURS,
    zmin: 0,
    zmax: Math.max(1, n),
    showscale: false,
    xgap: 2,
    ygap: 2,
    xaxis: 'x2',
    yaxis: 'y2',
  };
}

/** A slider step: restyle the marker and the heatmap, move the vertical line, retitle. */
function sliderStep(
  i: number,
  state: PointState,
  marked: readonly Series[],
  axes: MatrixAxes,
  traceIndices: readonly [number, number],
): PlotlyLayout {
  return {
    label: formatNumber(state.threshold),
    value: String(i),
    method: 'update',
    args: [
      {
        x: [marked.map(() => state.threshold), axes.predicted],
        y: [[...state.values], axes.actual],
        z: [null, heatmapCounts(state.counts)],
      },
      {
        'shapes[0].x0': state.threshold,
        'shapes[0].x1': state.threshold,
        'title.text': state.title,
      },
      [...traceIndices],
    ],
  };
}

const LINE_DOMAIN: [number, number] = [0, 0.6];
const MATRIX_DOMAIN: [number, number] = [0.72, 1];

function chartLayout(
  initial: PointState,
  steps: readonly PlotlyLayout[],
  start: number,
  hasCostAxis: boolean,
): PlotlyLayout {
  const shapes: PlotlyLayout[] = [
    {
      type: 'line',
      xref: 'x',
      yref: 'y domain',
      x0: initial.threshold,
      x1: initial.threshold,
      y0: 0,
      y1: 1,
      line: { color: '#0f172a', width: 1.5 },
    },
  ];
  const axes: Record<string, PlotlyLayout> = {
    xaxis: axis('threshold (predict positive when score ≥ threshold)', {
      domain: LINE_DOMAIN,
      anchor: 'y',
    }),
    yaxis: axis('metric', { anchor: 'x', range: [-0.02, 1.05] }),
    xaxis2: axis('', {
      domain: MATRIX_DOMAIN,
      anchor: 'y2',
      type: 'category',
      showgrid: false,
      ticks: '',
    }),
    yaxis2: axis('', {
      anchor: 'x2',
      type: 'category',
      autorange: 'reversed',
      showgrid: false,
      ticks: '',
    }),
  };
  if (hasCostAxis) {
    axes.yaxis3 = axis('cost', { anchor: 'x', overlaying: 'y', side: 'right', showgrid: false });
  }
  return baseLayout(initial.title, {
    ...axes,
    shapes,
    annotations: [panelTitle('<b>confusion matrix at the threshold</b>', MATRIX_DOMAIN)],
    height: 500,
    margin: { l: 64, r: hasCostAxis ? 64 : 24, t: 84, b: 150 },
    legend: { orientation: 'h', x: 0, y: 1.01, xanchor: 'left', yanchor: 'bottom' },
    sliders: [
      {
        active: start,
        steps,
        x: 0,
        len: 1,
        y: -0.14,
        yanchor: 'top',
        pad: { t: 30, b: 0 },
        currentvalue: { prefix: 'threshold ≥ ', font: { size: 12 }, xanchor: 'left' },
        tickcolor: '#94a3b8',
        font: { size: 10 },
      },
    ],
  });
}

function chartText(input: ThresholdChartInput): string {
  const { sweep, chosen } = input;
  const m = sweep.threshold.length;
  const chosenText =
    chosen === null || chosen.threshold === null
      ? 'no threshold chosen'
      : `chosen threshold ${formatNumber(chosen.threshold)} (${input.rule}): ` +
        `TP ${formatCount(chosen.tp)}, FP ${formatCount(chosen.fp)}, ` +
        `FN ${formatCount(chosen.fn)}, TN ${formatCount(chosen.tn)}`;
  return (
    `${input.model}: metrics against threshold, a slider over ${formatCount(m)} thresholds` +
    (sweep.originalPoints > m ? ` (thinned from ${formatCount(sweep.originalPoints)})` : '') +
    `; ${chosenText}`
  );
}

export function thresholdChart(input: ThresholdChartInput): Chart {
  const { sweep, chosen } = input;
  if (sweep.threshold.length === 0)
    throw new Error('a threshold chart needs at least one sweep point');
  const series = seriesOf(sweep);
  const marked = series.filter((s) => s.atOperatingPoint);
  const model = plotlyText(input.model);
  const positive = plotlyText(labelText(input.positiveLabel));
  const matrixAxes: MatrixAxes = {
    predicted: [`predicted ${positive}`, `predicted not ${positive}`],
    actual: [`actual ${positive}`, `actual not ${positive}`],
  };
  const stepState = (i: number): PointState => {
    const values = marked.map((s) => s.values[i]);
    return {
      threshold: sweep.threshold[i],
      counts: { tp: sweep.tp[i], fp: sweep.fp[i], fn: sweep.fn[i], tn: sweep.tn[i] },
      values,
      title: stateTitle(model, sweep.threshold[i], values, marked),
    };
  };
  const start = initialIndex(sweep, chosen);
  // The figure opens at the rule's own point (computed on all rows), which is a sweep point
  // unless the rule fixed a threshold above every score.
  const initial: PointState =
    chosen !== null && chosen.threshold !== null && sweep.chosenIndex === null
      ? chosenState(model, chosen, chosen.threshold, marked)
      : stepState(start);

  // Trace order matters: the slider steps restyle the marker and the heatmap by index.
  const traces: PlotlyTrace[] = series.map((s) => lineTrace(s, sweep.threshold));
  if (chosen !== null && chosen.threshold !== null) {
    traces.push(chosenLineTrace(input.rule, chosen.threshold));
  }
  traces.push(markerTrace(marked, initial), heatmapTrace(matrixAxes, initial, input.n));
  const traceIndices: [number, number] = [traces.length - 2, traces.length - 1];
  const steps = sweep.threshold.map((_, i) =>
    sliderStep(i, stepState(i), marked, matrixAxes, traceIndices),
  );
  const hasCostAxis = series.some((s) => s.axis === 'y3');
  return {
    figure: {
      data: traces,
      layout: chartLayout(initial, steps, start, hasCostAxis),
      config: FIGURE_CONFIG,
    },
    text: chartText(input),
    slug: 'threshold',
  };
}
