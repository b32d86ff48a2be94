/**
 * Confusion matrices side by side: one heatmap per model, rows = true label (top to bottom
 * in label order), columns = predicted label. Every cell is annotated with its count and its
 * share of the true row; colour follows the count, and a button switches the colour to the
 * row share, which compares models fairly when classes are imbalanced. All models share one
 * colour scale so that equal colours mean equal numbers.
 */
import type { Label } from '../../engine/table.js';
import { formatCount, formatPercent, labelText } from '../format.js';
import {
  FIGURE_CONFIG,
  axis,
  baseLayout,
  columnDomains,
  panelAxes,
  panelTitle,
  plotlyText,
  type Chart,
  type PlotlyLayout,
  type PlotlyTrace,
} from '../plotly.js';

/** One model's matrix. Invariant: `matrix` is k×k with k = labels.length, rows = true. */
interface ConfusionPanel {
  readonly name: string;
  readonly labels: readonly Label[];
  readonly matrix: readonly (readonly number[])[];
}

/** Blues from near-white, so that a zero cell reads as empty. */
export const HEATMAP_COLOURS: readonly [number, string][] = [
  [0, '#f8fafc'],
  [0.25, '#c7dbf5'],
  [0.5, '#7fb0e8'],
  [0.75, '#3b82d6'],
  [1, '#1e4fa3'],
];

/** Each row divided by its sum; null for a row with no true rows (0/0). */
export function rowShares(matrix: readonly (readonly number[])[]): (number | null)[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total === 0 ? null : v / total));
  });
}

function cellTexts(matrix: readonly (readonly number[])[]): string[][] {
  const shares = rowShares(matrix);
  return matrix.map((row, i) =>
    row.map((v, j) => `<b>${formatCount(v)}</b><br>${formatPercent(shares[i][j], 1)}`),
  );
}

function hoverTexts(
  matrix: readonly (readonly number[])[],
  labels: readonly string[],
  model: string,
): string[][] {
  const shares = rowShares(matrix);
  return matrix.map((row, i) =>
    row.map(
      (v, j) =>
        `${model}<br>true ${labels[i]}, predicted ${labels[j]}<br>` +
        `${formatCount(v)} rows (${formatPercent(shares[i][j], 1)} of true ${labels[i]})`,
    ),
  );
}

export function confusionChart(
  panels: readonly ConfusionPanel[],
  options: { readonly title?: string } = {},
): Chart {
  if (panels.length === 0) throw new Error('a confusion chart needs at least one model');
  const domains = columnDomains(panels.length, panels.length > 1 ? 0.08 : 0);
  // A loop, not Math.max(...): a matrix of 1,000 classes is a million cells, more arguments
  // than a call takes.
  let maxCount = 1;
  for (const p of panels)
    for (const row of p.matrix) for (const v of row) maxCount = Math.max(maxCount, v);
  const traces: PlotlyTrace[] = [];
  const axes: Record<string, PlotlyLayout> = {};
  const annotations: PlotlyLayout[] = [];
  panels.forEach((panel, i) => {
    const names = panel.labels.map((l) => plotlyText(labelText(l)));
    const name = plotlyText(panel.name);
    const ax = panelAxes(i);
    traces.push({
      type: 'heatmap',
      name,
      x: names,
      y: names,
      z: panel.matrix.map((row) => [...row]),
      text: cellTexts(panel.matrix),
      texttemplate: '%{text}',
      textfont: { size: 13 },
      hovertext: hoverTexts(panel.matrix, names, name),
      hovertemplate: '%{hovertext}<extra></extra>',
      colorscale: HEATMAP_COLOURS,
      zmin: 0,
      zmax: maxCount,
      showscale: false,
      xgap: 2,
      ygap: 2,
      xaxis: ax.x,
      yaxis: ax.y,
    });
    axes[ax.xLayout] = axis('Predicted', {
      domain: domains[i],
      type: 'category',
      anchor: ax.y,
      showgrid: false,
      ticks: '',
    });
    axes[ax.yLayout] = axis(i === 0 ? 'True' : '', {
      type: 'category',
      autorange: 'reversed',
      anchor: ax.x,
      showgrid: false,
      ticks: '',
      showticklabels: i === 0 || panel.labels.length !== panels[0].labels.length,
    });
    annotations.push(panelTitle(`<b>${name}</b>`, domains[i]));
  });
  const k = Math.max(...panels.map((p) => p.labels.length));
  const height = Math.min(760, 260 + 44 * k);
  const byShare = panels.map((p) => rowShares(p.matrix));
  const layout = baseLayout(plotlyText(options.title ?? 'Confusion matrices'), {
    ...axes,
    annotations,
    height,
    margin: { l: 72, r: 24, t: 84, b: 64 },
    updatemenus: [
      {
        type: 'buttons',
        direction: 'right',
        x: 1,
        xanchor: 'right',
        y: 1.2,
        yanchor: 'bottom',
        showactive: true,
        active: 0,
        font: { size: 11 },
        buttons: [
          {
            label: 'colour: counts',
            method: 'restyle',
            args: [{ z: panels.map((p) => p.matrix.map((row) => [...row])), zmax: [maxCount] }],
          },
          {
            label: 'colour: share of true row',
            method: 'restyle',
            args: [{ z: byShare, zmax: [1] }],
          },
        ],
      },
    ],
  });
  const lines = panels.map((p) => {
    const names = p.labels.map((l) => labelText(l));
    const rows = p.matrix.map(
      (row, i) =>
        `true ${names[i]}: ${row.map((v, j) => `${names[j]} ${formatCount(v)}`).join(', ')}`,
    );
    return `${p.name} — ${rows.join('; ')}`;
  });
  return {
    figure: { data: traces, layout, config: FIGURE_CONFIG },
    text: `Confusion matrices (rows = true label, columns = predicted)\n${lines.join('\n')}`,
    slug: 'confusion-matrices',
  };
}
