/**
 * Metrics per slice: grouped bars, one group per slice value and one bar per model, for one
 * metric at a time; a dropdown switches the metric (every metric's values are in the figure,
 * so it works without a kernel). Slice names carry their row counts, because a metric on a
 * small slice says little.
 */
import type { SliceTable } from '../../engine/analysis/types.js';
import { formatCount, formatMetric, labelText } from '../format.js';
import {
  FIGURE_CONFIG,
  axis,
  baseLayout,
  modelColour,
  plotlyText,
  type Chart,
  type PlotlyTrace,
} from '../plotly.js';

/** The category shown for a slice: its value and its size. */
function sliceName(value: SliceTable['rows'][number]['value'], n: number): string {
  return `${labelText(value)} (n=${formatCount(n)})`;
}

export function sliceChart(table: SliceTable, options: { readonly title?: string } = {}): Chart {
  const categories = table.rows.map((r) => plotlyText(sliceName(r.value, r.n)));
  const valuesOf = (m: number, j: number): (number | null)[] =>
    table.rows.map((r) => r.values[m][j]);
  const traces: PlotlyTrace[] = table.models.map((model, j) => ({
    type: 'bar',
    name: plotlyText(model),
    x: categories,
    y: valuesOf(0, j),
    marker: { color: modelColour(j) },
    hovertemplate: `${plotlyText(model)}<br>%{x}: %{y:.4f}<extra></extra>`,
  }));
  const metricNames = table.metrics.map((m) => plotlyText(m));
  const buttons = table.metrics.map((_, m) => ({
    label: metricNames[m],
    method: 'update',
    args: [
      { y: table.models.map((_, j) => valuesOf(m, j)) },
      { 'yaxis.title.text': metricNames[m] },
    ],
  }));
  const layout = baseLayout(plotlyText(options.title ?? `Metrics by ${table.column}`), {
    xaxis: axis(plotlyText(table.column), { type: 'category', ticks: '' }),
    yaxis: axis(metricNames[0] ?? 'value'),
    barmode: 'group',
    bargap: 0.25,
    height: 420,
    updatemenus:
      table.metrics.length > 1
        ? [
            {
              type: 'dropdown',
              active: 0,
              x: 1,
              xanchor: 'right',
              y: 1.12,
              yanchor: 'bottom',
              buttons,
              font: { size: 11 },
            },
          ]
        : [],
  });
  const first = table.metrics[0] ?? 'value';
  const lines = table.rows.map((r) => {
    const values = table.models.map(
      (model, j) => `${model} ${formatMetric(r.values[0]?.[j] ?? null)}`,
    );
    return `${sliceName(r.value, r.n)}: ${values.join(', ')}`;
  });
  return {
    figure: { data: traces, layout, config: FIGURE_CONFIG },
    text: `${first} by ${table.column}\n${lines.join('\n')}`,
    slug: 'slices',
  };
}
