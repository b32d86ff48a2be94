/**
 * Metrics side by side: grouped bars of every model's value per metric (left panel) and,
 * when there is more than one model, each model's difference from the reference with its
 * bootstrap confidence interval as error bars (right panel). The intervals are the engine's
 * paired intervals for the differences; a per-model interval is not drawn because the
 * engine does not compute one.
 */
import { formatDelta, formatDeltaInterval, formatMetric, formatPercent } from '../format.js';
import {
  FIGURE_CONFIG,
  axis,
  baseLayout,
  columnDomains,
  modelColour,
  panelAxes,
  panelTitle,
  plotlyText,
  type Chart,
  type PlotlyLayout,
  type PlotlyTrace,
} from '../plotly.js';

/** Values of one model, one per metric of `MetricBarsInput.metrics` (null: undefined). */
interface ModelValues {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/** A model's difference from the reference per metric, with an interval where computed. */
interface ModelDeltas {
  readonly name: string;
  readonly deltas: readonly (number | null)[];
  readonly intervals: readonly ({
    readonly lower: number;
    readonly upper: number;
    readonly confidence: number;
  } | null)[];
}

/**
 * Invariant: every `values`, `deltas` and `intervals` array has `metrics.length` entries.
 * `models[0]` is the reference; `deltas` holds one entry per other model, in model order.
 */
interface MetricBarsInput {
  readonly metrics: readonly string[];
  /** Per metric; a metric where lower is better is marked "↓" on the axis. All higher by default. */
  readonly higherIsBetter?: readonly boolean[];
  readonly models: readonly ModelValues[];
  readonly deltas: readonly ModelDeltas[];
}

export function metricBarsChart(input: MetricBarsInput, options: { title?: string } = {}): Chart {
  const metricNames = input.metrics.map((metric, m) =>
    plotlyText(input.higherIsBetter?.[m] === false ? `${metric} ↓` : metric),
  );
  const withDeltas = input.deltas.length > 0;
  const domains = columnDomains(withDeltas ? 2 : 1, 0.1);
  const traces: PlotlyTrace[] = input.models.map((model, j) => ({
    type: 'bar',
    name: plotlyText(model.name),
    legendgroup: `model-${j}`,
    x: metricNames,
    y: model.values.map((v) => v),
    text: model.values.map((v) => formatMetric(v)),
    textposition: 'none',
    marker: { color: modelColour(j) },
    hovertemplate: `${plotlyText(model.name)}<br>%{x} = %{text}<extra></extra>`,
    xaxis: 'x',
    yaxis: 'y',
  }));
  const allValues = input.models.flatMap((m) => m.values).filter((v): v is number => v !== null);
  const lowest = Math.min(0, ...allValues);
  const layoutAxes: Record<string, PlotlyLayout> = {
    xaxis: axis('', { domain: domains[0], type: 'category', anchor: 'y', ticks: '' }),
    yaxis: axis('value', { anchor: 'x', range: [lowest < 0 ? -1.05 : 0, 1.05] }),
  };
  const annotations: PlotlyLayout[] = [panelTitle('<b>value</b>', domains[0])];
  if (withDeltas) {
    const ax = panelAxes(1);
    input.deltas.forEach((d, i) => {
      const j = input.models.findIndex((m) => m.name === d.name);
      const colour = modelColour(j < 0 ? i + 1 : j);
      const errors = d.intervals.map((interval, m) => {
        const delta = d.deltas[m];
        return interval === null || delta === null
          ? { plus: null, minus: null }
          : { plus: interval.upper - delta, minus: delta - interval.lower };
      });
      // Two traces per model in one offset group: the metrics with an interval carry error
      // bars, the others none (an empty error bar would read as a zero-width interval).
      const withInterval = d.intervals.map(
        (interval, m) => interval !== null && d.deltas[m] !== null,
      );
      for (const part of [true, false]) {
        if (!withInterval.some((w) => w === part)) continue;
        traces.push({
          type: 'bar',
          name: plotlyText(`${d.name} − ${input.models[0].name}`),
          legendgroup: `model-${j}`,
          offsetgroup: `delta-${i}`,
          showlegend: false,
          x: metricNames,
          y: d.deltas.map((v, m) => (withInterval[m] === part ? v : null)),
          text: d.deltas.map((v) => formatDelta(v)),
          textposition: 'none',
          customdata: d.intervals.map((interval) =>
            interval === null
              ? 'no interval'
              : `${formatPercent(interval.confidence, 0)} CI ${formatDeltaInterval(interval.lower, interval.upper)}`,
          ),
          hovertemplate: `${plotlyText(d.name)} − ${plotlyText(input.models[0].name)}<br>%{x}: %{text}<br>%{customdata}<extra></extra>`,
          marker: { color: colour },
          error_y: part
            ? {
                type: 'data',
                symmetric: false,
                array: errors.map((e) => e.plus),
                arrayminus: errors.map((e) => e.minus),
                color: '#0f172a',
                thickness: 1.2,
                width: 5,
              }
            : { visible: false },
          xaxis: ax.x,
          yaxis: ax.y,
        });
      }
    });
    const confidences = input.deltas.flatMap((d) =>
      d.intervals.flatMap((i) => (i === null ? [] : [i.confidence])),
    );
    const ciNote =
      confidences.length > 0
        ? ` (error bars: ${formatPercent(confidences[0], 0)} bootstrap CI)`
        : '';
    layoutAxes[ax.xLayout] = axis('', {
      domain: domains[1],
      type: 'category',
      anchor: ax.y,
      ticks: '',
    });
    layoutAxes[ax.yLayout] = axis('difference', { anchor: ax.x, zerolinewidth: 2 });
    annotations.push(
      panelTitle(`<b>difference from ${plotlyText(input.models[0].name)}</b>${ciNote}`, domains[1]),
    );
  }
  const layout = baseLayout(plotlyText(options.title ?? 'Metrics'), {
    ...layoutAxes,
    annotations,
    barmode: 'group',
    bargap: 0.25,
    height: 420,
    margin: { l: 64, r: 24, t: 72, b: 72 },
  });
  const lines = input.metrics.map((metric, m) => {
    const values = input.models.map((model) => `${model.name} ${formatMetric(model.values[m])}`);
    const deltas = input.deltas.map((d) => {
      const interval = d.intervals[m];
      const ci = interval === null ? '' : ` ${formatDeltaInterval(interval.lower, interval.upper)}`;
      return `Δ ${d.name} ${formatDelta(d.deltas[m])}${ci}`;
    });
    return `${metric}: ${[...values, ...deltas].join(', ')}`;
  });
  return {
    figure: { data: traces, layout, config: FIGURE_CONFIG },
    text: `Metrics by model\n${lines.join('\n')}`,
    slug: 'metrics',
  };
}
