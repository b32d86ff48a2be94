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

export interface ThresholdChartInput {
  readonly model: string;
  readonly positiveLabel: Label;
  readonly n: number;
  readonly sweep: SweepSeries;
  /** The rule's choice; null when the rule found none. */
  readonly chosen: ChosenPoint | null;
  /** The rule in words ("max F1"), for the legend and the title. */
  readonly rule: string;
}

/** One series drawn against the threshold. */
interface Series {
  readonly name: string;
  readonly values: readonly number[];
  readonly colour: string;
  readonly dash: string;
}

const SERIES_COLOURS = {
  precision: '#2563eb',
  recall: '#d97706',
  f1: '#059669',
  fbeta: '#7c3aed',
  cost: '#b91c1c',
} as const;

function seriesOf(sweep: SweepSeries): Series[] {
  const series: Series[] = [
    { name: 'precision', values: sweep.precision, colour: SERIES_COLOURS.precision, dash: 'solid' },
    { name: 'recall', values: sweep.recall, colour: SERIES_COLOURS.recall, dash: 'solid' },
    { name: 'F1', values: sweep.f1, colour: SERIES_COLOURS.f1, dash: 'solid' },
  ];
  if (sweep.fbeta !== null && sweep.beta !== null) {
    series.push({
      name: `F${formatNumber(sweep.beta)}`,
      values: sweep.fbeta,
      colour: SERIES_COLOURS.fbeta,
      dash: 'dot',
    });
  }
  return series;
}

/**
 * The sweep index the slider starts at: the chosen point when it is one of the sweep's
 * thresholds; else the threshold nearest the chosen one; with no choice, the one nearest 0.5.
 */
export function initialIndex(sweep: SweepSeries, chosen: ChosenPoint | null): number {
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

interface PointState {
  readonly threshold: number;
  readonly counts: { tp: number; fp: number; fn: number; tn: number };
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

export function thresholdChart(input: ThresholdChartInput): Chart {
  const { sweep } = input;
  const m = sweep.threshold.length;
  if (m === 0) throw new Error('a threshold chart needs at least one sweep point');
  const series = seriesOf(sweep);
  const model = plotlyText(input.model);
  const positive = plotlyText(labelText(input.positiveLabel));
  const predicted = [`predicted ${positive}`, `predicted not ${positive}`];
  const actual = [`actual ${positive}`, `actual not ${positive}`];
  const cellNames = [
    ['TP', 'FN'],
    ['FP', 'TN'],
  ];
  const stepState = (i: number): PointState => {
    const values = series.map((s) => s.values[i]);
    return {
      threshold: sweep.threshold[i],
      counts: { tp: sweep.tp[i], fp: sweep.fp[i], fn: sweep.fn[i], tn: sweep.tn[i] },
      values,
      title: stateTitle(model, sweep.threshold[i], values, series),
    };
  };
  const start = initialIndex(sweep, input.chosen);
  // The figure opens at the rule's own point (computed on all rows), which is a sweep point
  // unless the rule fixed a threshold between two scores.
  const chosen = input.chosen;
  const initial: PointState =
    chosen !== null && chosen.threshold !== null && sweep.chosenIndex === null
      ? (() => {
          const values = series.map((s) =>
            s.name === 'precision'
              ? chosen.precision
              : s.name === 'recall'
                ? chosen.recall
                : s.name === 'F1'
                  ? chosen.f1
                  : Number.NaN,
          );
          return {
            threshold: chosen.threshold,
            counts: chosen,
            values,
            title: stateTitle(model, chosen.threshold, values, series),
          };
        })()
      : stepState(start);

  const traces: PlotlyTrace[] = series.map((s) => ({
    type: 'scatter',
    mode: 'lines',
    name: s.name,
    x: [...sweep.threshold],
    y: [...s.values],
    line: { color: s.colour, width: 2, dash: s.dash, shape: 'hv' },
    hovertemplate: `threshold %{x}<br>${s.name} %{y:.4f}<extra></extra>`,
    xaxis: 'x',
    yaxis: 'y',
  }));
  if (sweep.cost !== null) {
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'cost',
      x: [...sweep.threshold],
      y: [...sweep.cost],
      line: { color: SERIES_COLOURS.cost, width: 1.5, dash: 'dash', shape: 'hv' },
      hovertemplate: 'threshold %{x}<br>cost %{y:,}<extra></extra>',
      xaxis: 'x',
      yaxis: 'y3',
    });
  }
  if (chosen !== null && chosen.threshold !== null) {
    // The rule's threshold as a dashed line that stays put while the slider moves; a trace
    // rather than a shape so that the legend says what it is.
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: `chosen: ${plotlyText(input.rule)} (${formatNumber(chosen.threshold)})`,
      x: [chosen.threshold, chosen.threshold],
      y: [0, 1],
      line: { color: '#64748b', width: 1.2, dash: 'dash' },
      hoverinfo: 'skip',
      xaxis: 'x',
      yaxis: 'y',
    });
  }
  const markerText = series.map((s) => s.name);
  traces.push({
    type: 'scatter',
    mode: 'markers',
    name: 'current threshold',
    showlegend: false,
    x: series.map(() => initial.threshold),
    y: initial.values.map((v) => (Number.isFinite(v) ? v : null)),
    text: markerText,
    marker: {
      color: series.map((s) => s.colour),
      size: 10,
      line: { color: '#ffffff', width: 1.5 },
    },
    hovertemplate: '%{text} %{y:.4f} at threshold %{x}<extra></extra>',
    xaxis: 'x',
    yaxis: 'y',
  });
  traces.push({
    type: 'heatmap',
    name: 'confusion matrix',
    x: predicted,
    y: actual,
    z: heatmapCounts(initial.counts),
    text: cellNames,
    texttemplate: '<b>%{text}</b><br>%{z:,}',
    textfont: { size: 14 },
    hovertemplate: '%{y}, %{x}: %{z:,} rows<extra>%{text}</extra>',
    colorscale: HEATMAP_COLOURS,
    zmin: 0,
    zmax: Math.max(1, input.n),
    showscale: false,
    xgap: 2,
    ygap: 2,
    xaxis: 'x2',
    yaxis: 'y2',
  });
  const markerIndex = traces.length - 2;
  const heatmapIndex = traces.length - 1;

  const lineDomain: [number, number] = [0, 0.6];
  const matrixDomain: [number, number] = [0.72, 1];
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
  const steps = sweep.threshold.map((_, i) => {
    const state = stepState(i);
    return {
      label: formatNumber(state.threshold),
      value: String(i),
      method: 'update',
      args: [
        {
          x: [series.map(() => state.threshold), predicted],
          y: [state.values.map((v) => v), actual],
          z: [null, heatmapCounts(state.counts)],
        },
        {
          'shapes[0].x0': state.threshold,
          'shapes[0].x1': state.threshold,
          'title.text': state.title,
        },
        [markerIndex, heatmapIndex],
      ],
    };
  });
  const axes: Record<string, PlotlyLayout> = {
    xaxis: axis('threshold (predict positive when score ≥ threshold)', {
      domain: lineDomain,
      anchor: 'y',
    }),
    yaxis: axis('metric', { anchor: 'x', range: [-0.02, 1.05] }),
    xaxis2: axis('', {
      domain: matrixDomain,
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
  if (sweep.cost !== null) {
    axes.yaxis3 = axis('cost', { anchor: 'x', overlaying: 'y', side: 'right', showgrid: false });
  }
  const layout = baseLayout(initial.title, {
    ...axes,
    shapes,
    annotations: [panelTitle('<b>confusion matrix at the threshold</b>', matrixDomain)],
    height: 500,
    margin: { l: 64, r: sweep.cost !== null ? 64 : 24, t: 84, b: 150 },
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
  const chosenText =
    chosen === null || chosen.threshold === null
      ? 'no threshold chosen'
      : `chosen threshold ${formatNumber(chosen.threshold)} (${input.rule}): ` +
        `TP ${formatCount(chosen.tp)}, FP ${formatCount(chosen.fp)}, ` +
        `FN ${formatCount(chosen.fn)}, TN ${formatCount(chosen.tn)}`;
  return {
    figure: { data: traces, layout, config: FIGURE_CONFIG },
    text:
      `${input.model}: metrics against threshold, a slider over ${formatCount(m)} thresholds` +
      (sweep.originalPoints > m ? ` (thinned from ${formatCount(sweep.originalPoints)})` : '') +
      `; ${chosenText}`,
    slug: 'threshold',
  };
}
