/**
 * Reliability diagram: for each model, the fraction of positives against the mean score of
 * every non-empty bin, overlaid on one square panel with the diagonal of perfect calibration;
 * ECE in each legend entry. Below it, the number of rows per bin, so that a bin's point can
 * be weighed by how many rows stand behind it.
 */
import type { CalibrationBin } from '../../engine/metrics/calibration.js';
import { formatCount, formatMetric, formatNumber } from '../format.js';
import {
  FIGURE_CONFIG,
  axis,
  baseLayout,
  modelColour,
  plotlyText,
  referenceLine,
  type Chart,
  type PlotlyTrace,
} from '../plotly.js';

interface ReliabilityModel {
  readonly name: string;
  /** Every bin, empty ones included (their means are null and they are not drawn). */
  readonly bins: readonly CalibrationBin[];
  readonly ece: number;
  readonly mce: number;
  readonly brier: number;
}

function filled(bins: readonly CalibrationBin[]): CalibrationBin[] {
  return bins.filter((b) => b.count > 0 && b.meanPredicted !== null && b.fractionPositive !== null);
}

export function reliabilityChart(
  models: readonly ReliabilityModel[],
  options: { readonly title?: string } = {},
): Chart {
  const traces: PlotlyTrace[] = [
    referenceLine('perfect calibration', [0, 1], [0, 1], { x: 'x', y: 'y' }),
  ];
  models.forEach((model, j) => {
    const colour = modelColour(j);
    const name = plotlyText(model.name);
    const bins = filled(model.bins);
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${name} (ECE ${formatMetric(model.ece)})`,
      legendgroup: `model-${j}`,
      x: bins.map((b) => b.meanPredicted),
      y: bins.map((b) => b.fractionPositive),
      customdata: bins.map(
        (b) =>
          `bin (${formatNumber(b.lower)}, ${formatNumber(b.upper)}]: ` +
          `${formatCount(b.positives)} of ${formatCount(b.count)} positive`,
      ),
      line: { color: colour, width: 2 },
      marker: { color: colour, size: 8 },
      hovertemplate: `${name}<br>mean score %{x:.4f}<br>fraction positive %{y:.4f}<br>%{customdata}<extra></extra>`,
      xaxis: 'x',
      yaxis: 'y',
    });
    traces.push({
      type: 'bar',
      name: `${name}: rows per bin`,
      legendgroup: `model-${j}`,
      showlegend: false,
      x: model.bins.map((b) => (b.lower + b.upper) / 2),
      width: model.bins.map((b) => (b.upper - b.lower) / (models.length + 0.5)),
      offset: model.bins.map(
        (b) =>
          -((b.upper - b.lower) / 2) + (j + 0.25) * ((b.upper - b.lower) / (models.length + 0.5)),
      ),
      y: model.bins.map((b) => b.count),
      marker: { color: colour, opacity: 0.75 },
      hovertemplate: `${name}<br>%{y:,} rows<extra></extra>`,
      xaxis: 'x',
      yaxis: 'y2',
    });
  });
  const eceText = models.map((m) => `${m.name} ${formatMetric(m.ece)}`).join(', ');
  const layout = baseLayout(plotlyText(options.title ?? `Reliability diagram — ECE ${eceText}`), {
    xaxis: axis('mean predicted score', { range: [0, 1], dtick: 0.1, anchor: 'y2' }),
    yaxis: axis('fraction positive', {
      domain: [0.32, 1],
      range: [0, 1],
      dtick: 0.2,
      anchor: 'x',
    }),
    yaxis2: axis('rows', { domain: [0, 0.22], anchor: 'x', rangemode: 'tozero' }),
    barmode: 'overlay',
    height: 560,
    margin: { l: 64, r: 24, t: 84, b: 64 },
    legend: { orientation: 'h', x: 0, y: 1.01, xanchor: 'left', yanchor: 'bottom' },
  });
  const lines = models.map(
    (m) =>
      `${m.name}: ECE ${formatMetric(m.ece)}, MCE ${formatMetric(m.mce)}, ` +
      `Brier ${formatMetric(m.brier)} over ${filled(m.bins).length} non-empty bins`,
  );
  return {
    figure: { data: traces, layout, config: FIGURE_CONFIG },
    text: `Reliability diagram\n${lines.join('\n')}`,
    slug: 'reliability',
  };
}
