/**
 * `calibration`: each model's expected and maximum calibration error and Brier score, the
 * reliability bins, and the reliability diagram.
 */
import type { CalibrationAnalysisResult } from '../../engine/analysis/types.js';
import { reliabilityChart } from '../charts/reliability.js';
import { MISSING, formatCount, formatMetric, formatNumber, labelText, plural } from '../format.js';
import type { CellInput, TableColumn, TableSpec } from '../table.js';
import { viewWarnings } from '../view.js';
import type { Renderer } from './renderer.js';

function summaryTable(result: CalibrationAnalysisResult): TableSpec {
  return {
    columns: [
      { header: 'model' },
      { header: 'score column' },
      { header: 'ECE', align: 'right' },
      { header: 'MCE', align: 'right' },
      { header: 'Brier', align: 'right' },
      { header: 'non-empty bins', align: 'right' },
    ],
    rows: result.models.map((m) => [
      m.name,
      m.scoreColumn,
      { text: formatMetric(m.ece), tone: 'strong' },
      formatMetric(m.mce),
      formatMetric(m.brier),
      `${formatCount(m.probTrue.length)} of ${formatCount(m.bins.length)}`,
    ]),
    footnote:
      'ECE: the rows-weighted mean gap |fraction positive − mean score| over the bins; MCE: the largest gap; lower is better.',
  };
}

function binsTable(result: CalibrationAnalysisResult): TableSpec {
  const columns: TableColumn[] = [{ header: 'bin' }];
  for (const m of result.models) {
    columns.push(
      { header: `${m.name} rows`, align: 'right' },
      { header: `${m.name} mean score`, align: 'right' },
      { header: `${m.name} fraction positive`, align: 'right' },
    );
  }
  const nBins = Math.max(0, ...result.models.map((m) => m.bins.length));
  const rows: CellInput[][] = [];
  for (let b = 0; b < nBins; b++) {
    const first = result.models.find((m) => m.bins[b] !== undefined)?.bins[b];
    const range =
      first === undefined
        ? MISSING
        : `(${formatNumber(first.lower)}, ${formatNumber(first.upper)}]`;
    const cells: CellInput[] = [b === 0 && first !== undefined ? `[${range.slice(1)}` : range];
    for (const m of result.models) {
      const bin = m.bins[b];
      if (bin === undefined || bin.count === 0) {
        cells.push(
          { text: '0', tone: 'muted' },
          { text: MISSING, tone: 'muted' },
          { text: MISSING, tone: 'muted' },
        );
      } else {
        cells.push(
          formatCount(bin.count),
          formatMetric(bin.meanPredicted),
          formatMetric(bin.fractionPositive),
        );
      }
    }
    rows.push(cells);
  }
  return { caption: 'Reliability bins', columns, rows };
}

export const describeCalibration: Renderer<CalibrationAnalysisResult> = (result) => {
  const on = result.table === null ? '' : ` on ${result.table}`;
  return {
    title: `calibration${on}: ${result.models.map((m) => m.name).join(' vs ')}`,
    sections: [
      {
        type: 'sentences',
        lines: [
          `${plural(result.n, 'row')}, positive ${result.labelColumn} = ${labelText(result.positiveLabel)}, ` +
            `${formatCount(result.nBins)} uniform bins.`,
        ],
      },
      { type: 'table', table: summaryTable(result) },
      { type: 'table', table: binsTable(result) },
    ],
    warnings: viewWarnings(result.warnings),
    explanations: [],
    charts: result.models.length > 0 ? [reliabilityChart(result.models)] : [],
  };
};
