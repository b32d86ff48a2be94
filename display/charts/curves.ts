/**
 * ROC and precision-recall curves, one line per model, side by side, each model's chosen
 * operating point marked. The curves are the engine's thinned curves as they are: this
 * module adds no points. Reference lines: the diagonal (a random ranking) on the ROC panel,
 * the positive share (a random ranking's precision) on the PR panel.
 */
import type { ThinnedCurve } from '../../engine/analysis/types.js';
import { formatMetric, formatNumber } from '../format.js';
import {
  FIGURE_CONFIG,
  axis,
  baseLayout,
  columnDomains,
  modelColour,
  panelTitle,
  plotlyText,
  referenceLine,
  type Chart,
  type PlotlyTrace,
} from '../plotly.js';

interface CurveModel {
  readonly name: string;
  /** x = false-positive rate, y = true-positive rate. */
  readonly roc: ThinnedCurve;
  /** x = recall, y = precision. */
  readonly pr: ThinnedCurve;
  readonly rocAuc: number | null;
  readonly averagePrecision: number;
}

function thresholdTexts(curve: ThinnedCurve): string[] {
  return curve.threshold.map((t) => (t === null ? 'no threshold' : `threshold ${formatNumber(t)}`));
}

function curveTrace(
  curve: ThinnedCurve,
  name: string,
  colour: string,
  axes: { x: string; y: string },
  xName: string,
  yName: string,
  group: string,
  showlegend: boolean,
): PlotlyTrace {
  return {
    type: 'scatter',
    mode: 'lines',
    name,
    legendgroup: group,
    showlegend,
    x: [...curve.x],
    y: [...curve.y],
    text: thresholdTexts(curve),
    line: { color: colour, width: 2, shape: 'linear' },
    hovertemplate: `${name}<br>${xName} %{x:.4f}, ${yName} %{y:.4f}<br>%{text}<extra></extra>`,
    xaxis: axes.x,
    yaxis: axes.y,
  };
}

function pointTrace(
  curve: ThinnedCurve,
  name: string,
  colour: string,
  axes: { x: string; y: string },
  group: string,
): PlotlyTrace | null {
  if (curve.chosenIndex === null) return null;
  const i = curve.chosenIndex;
  const threshold = curve.threshold[i];
  return {
    type: 'scatter',
    mode: 'markers',
    name: `${name}: chosen threshold`,
    legendgroup: group,
    showlegend: false,
    x: [curve.x[i]],
    y: [curve.y[i]],
    marker: { color: colour, size: 11, symbol: 'diamond', line: { color: '#0f172a', width: 1.5 } },
    hovertemplate:
      `${name}: chosen operating point<br>` +
      `threshold ${threshold === null ? 'n/a' : formatNumber(threshold)}<br>` +
      `(%{x:.4f}, %{y:.4f})<extra></extra>`,
    xaxis: axes.x,
    yaxis: axes.y,
  };
}

/**
 * @param prevalence the positive share of the rows: a random ranking's precision, drawn as
 *   the PR panel's reference line (null to leave it out).
 */
export function rocPrChart(
  models: readonly CurveModel[],
  prevalence: number | null,
  options: { readonly title?: string } = {},
): Chart {
  const [rocDomain, prDomain] = columnDomains(2, 0.1);
  const traces: PlotlyTrace[] = [
    referenceLine('random ranking', [0, 1], [0, 1], { x: 'x', y: 'y' }),
  ];
  if (prevalence !== null) {
    traces.push(
      referenceLine(
        'random ranking',
        [0, 1],
        [prevalence, prevalence],
        { x: 'x2', y: 'y2' },
        {
          showlegend: false,
        },
      ),
    );
  }
  models.forEach((model, j) => {
    const colour = modelColour(j);
    const name = plotlyText(model.name);
    const group = `model-${j}`;
    const rocName = `${name} (AUC ${formatMetric(model.rocAuc)}, AP ${formatMetric(model.averagePrecision)})`;
    traces.push(
      curveTrace(model.roc, rocName, colour, { x: 'x', y: 'y' }, 'FPR', 'TPR', group, true),
    );
    traces.push(
      curveTrace(model.pr, name, colour, { x: 'x2', y: 'y2' }, 'recall', 'precision', group, false),
    );
    const rocPoint = pointTrace(model.roc, name, colour, { x: 'x', y: 'y' }, group);
    const prPoint = pointTrace(model.pr, name, colour, { x: 'x2', y: 'y2' }, group);
    if (rocPoint !== null) traces.push(rocPoint);
    if (prPoint !== null) traces.push(prPoint);
  });
  const unit = { range: [-0.02, 1.02], dtick: 0.2, zeroline: false };
  const layout = baseLayout(plotlyText(options.title ?? 'ROC and precision-recall curves'), {
    xaxis: axis('false-positive rate', { ...unit, domain: rocDomain, anchor: 'y' }),
    yaxis: axis('true-positive rate (recall)', { ...unit, anchor: 'x' }),
    xaxis2: axis('recall', { ...unit, domain: prDomain, anchor: 'y2' }),
    yaxis2: axis('precision', { ...unit, anchor: 'x2' }),
    annotations: [
      panelTitle('<b>ROC</b>', rocDomain),
      panelTitle('<b>precision-recall</b>', prDomain),
    ],
    height: 440,
    margin: { l: 64, r: 24, t: 80, b: 64 },
  });
  const lines = models.map((m) => {
    const parts = [
      `${m.name}: ROC AUC ${formatMetric(m.rocAuc)}, AP ${formatMetric(m.averagePrecision)}`,
    ];
    const i = m.roc.chosenIndex;
    if (i !== null) {
      parts.push(`chosen point FPR ${formatMetric(m.roc.x[i])}, TPR ${formatMetric(m.roc.y[i])}`);
    }
    return parts.join('; ');
  });
  return {
    figure: { data: traces, layout, config: FIGURE_CONFIG },
    text: `ROC and precision-recall curves\n${lines.join('\n')}`,
    slug: 'roc-pr',
  };
}
