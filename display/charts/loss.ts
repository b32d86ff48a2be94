/**
 * Training and validation loss by epoch: both curves, the best epoch (lowest validation loss)
 * marked with a star and a vertical line, where overfitting starts (a shaded band from there
 * to the last epoch), and where early stopping with the given patience would have stopped.
 */
import type { LossCurveResult } from '../../engine/analysis/types.js';
import { formatCount, formatMetric, formatNumber } from '../format.js';
import {
  FIGURE_CONFIG,
  axis,
  baseLayout,
  plotlyText,
  type Chart,
  type PlotlyLayout,
} from '../plotly.js';

const TRAIN_COLOUR = '#64748b';
const VAL_COLOUR = '#2563eb';

function verticalLine(x: number, colour: string, dash: string): PlotlyLayout {
  return {
    type: 'line',
    xref: 'x',
    yref: 'paper',
    x0: x,
    x1: x,
    y0: 0,
    y1: 1,
    line: { color: colour, width: 1.5, dash },
  };
}

function lineLabel(x: number, text: string, colour: string, y: number): PlotlyLayout {
  return {
    x,
    y,
    xref: 'x',
    yref: 'paper',
    text,
    showarrow: false,
    xanchor: 'left',
    xshift: 4,
    font: { size: 11, color: colour },
    bgcolor: 'rgba(255,255,255,0.85)',
  };
}

export function lossChart(
  result: LossCurveResult,
  options: { readonly title?: string } = {},
): Chart {
  const { series, columns } = result;
  const lastEpoch =
    series.epoch.length > 0 ? series.epoch[series.epoch.length - 1] : result.bestEpoch;
  const shapes: PlotlyLayout[] = [verticalLine(result.bestEpoch, '#059669', 'dot')];
  const annotations: PlotlyLayout[] = [
    lineLabel(result.bestEpoch, `best epoch ${formatNumber(result.bestEpoch)}`, '#047857', 1),
  ];
  if (result.overfittingStartEpoch !== null) {
    shapes.push({
      type: 'rect',
      xref: 'x',
      yref: 'paper',
      x0: result.overfittingStartEpoch,
      x1: lastEpoch,
      y0: 0,
      y1: 1,
      fillcolor: '#fee2e2',
      opacity: 0.5,
      line: { width: 0 },
      layer: 'below',
    });
    shapes.push(verticalLine(result.overfittingStartEpoch, '#b91c1c', 'dash'));
    annotations.push(
      lineLabel(
        result.overfittingStartEpoch,
        `overfitting from epoch ${formatNumber(result.overfittingStartEpoch)}`,
        '#b91c1c',
        0.92,
      ),
    );
  }
  if (result.earlyStopEpoch !== null) {
    shapes.push(verticalLine(result.earlyStopEpoch, '#475569', 'dashdot'));
    annotations.push(
      lineLabel(
        result.earlyStopEpoch,
        `early stop (patience ${formatNumber(result.patience)}): epoch ${formatNumber(result.earlyStopEpoch)}`,
        '#475569',
        0.84,
      ),
    );
  }
  const trainName = plotlyText(columns.trainLoss);
  const valName = plotlyText(columns.valLoss);
  const layout = baseLayout(plotlyText(options.title ?? 'Loss curves'), {
    xaxis: axis(plotlyText(columns.epoch)),
    yaxis: axis('loss'),
    shapes,
    annotations,
    height: 420,
    hovermode: 'x unified',
  });
  const data = [
    {
      type: 'scatter',
      mode: 'lines',
      name: trainName,
      x: [...series.epoch],
      y: [...series.trainLoss],
      line: { color: TRAIN_COLOUR, width: 2 },
      hovertemplate: `${trainName} %{y:.4f}<extra></extra>`,
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: valName,
      x: [...series.epoch],
      y: [...series.valLoss],
      line: { color: VAL_COLOUR, width: 2 },
      hovertemplate: `${valName} %{y:.4f}<extra></extra>`,
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'best epoch',
      x: [result.bestEpoch],
      y: [result.bestValLoss],
      marker: { symbol: 'star', size: 14, color: '#059669', line: { color: '#ffffff', width: 1 } },
      hovertemplate: `best epoch %{x}: ${valName} %{y:.4f}<extra></extra>`,
    },
  ];
  const parts = [
    `best epoch ${formatNumber(result.bestEpoch)} of ${formatCount(result.epochs)} ` +
      `(validation loss ${formatMetric(result.bestValLoss)}, training loss ${formatMetric(result.trainLossAtBest)})`,
    result.overfittingStartEpoch === null
      ? 'no overfitting start found'
      : `overfitting starts at epoch ${formatNumber(result.overfittingStartEpoch)}`,
    result.earlyStopEpoch === null
      ? `early stopping (patience ${formatNumber(result.patience)}) would not have stopped`
      : `early stopping (patience ${formatNumber(result.patience)}) stops at epoch ${formatNumber(result.earlyStopEpoch)}`,
  ];
  return {
    figure: { data, layout, config: FIGURE_CONFIG },
    text: `Loss curves: ${parts.join('; ')}`,
    slug: 'loss-curves',
  };
}
