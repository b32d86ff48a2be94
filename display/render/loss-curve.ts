/** `curve`: training and validation loss, the best epoch, early stopping and overfitting. */
import type { LossCurveResult } from '../../engine/analysis/types.js';
import { lossChart } from '../charts/loss.js';
import { MISSING, formatCount, formatDelta, formatMetric, formatNumber } from '../format.js';
import { viewWarnings } from '../view.js';
import type { Renderer } from './renderer.js';

export const describeLossCurve: Renderer<LossCurveResult> = (result) => {
  const of = result.table === null ? '' : ` ${result.table}`;
  const thinned =
    result.series.epoch.length < result.epochs
      ? [
          `The chart shows ${formatCount(result.series.epoch.length)} of ${formatCount(result.epochs)} epochs ` +
            '(the best, early-stop and overfitting epochs always among them).',
        ]
      : [];
  return {
    title: `curve${of}: ${result.columns.trainLoss} and ${result.columns.valLoss} by ${result.columns.epoch}`,
    sections: [
      {
        type: 'figures',
        figures: [
          { label: 'epochs', value: formatCount(result.epochs) },
          { label: 'best epoch', value: formatNumber(result.bestEpoch), tone: 'strong' },
          { label: 'best val loss', value: formatMetric(result.bestValLoss) },
          { label: 'final val loss', value: formatMetric(result.finalValLoss) },
          {
            label: 'rise after best',
            value: formatDelta(result.valLossRiseAfterBest),
            tone: result.valLossRiseAfterBest > 0 ? 'bad' : undefined,
          },
          {
            label: `early stop (patience ${formatNumber(result.patience)})`,
            value: result.earlyStopEpoch === null ? MISSING : formatNumber(result.earlyStopEpoch),
          },
          {
            label: 'overfitting from',
            value:
              result.overfittingStartEpoch === null
                ? MISSING
                : formatNumber(result.overfittingStartEpoch),
            tone: result.overfittingStartEpoch === null ? undefined : 'bad',
          },
        ],
      },
      {
        type: 'table',
        table: {
          columns: [
            { header: '' },
            { header: result.columns.epoch, align: 'right' },
            { header: result.columns.trainLoss, align: 'right' },
            { header: result.columns.valLoss, align: 'right' },
          ],
          rows: [
            [
              'best',
              formatNumber(result.bestEpoch),
              formatMetric(result.trainLossAtBest),
              formatMetric(result.bestValLoss),
            ],
            [
              'final',
              formatNumber(result.series.epoch.at(-1) ?? null),
              formatMetric(result.finalTrainLoss),
              formatMetric(result.finalValLoss),
            ],
          ],
        },
      },
      ...(thinned.length > 0 ? [{ type: 'notes' as const, lines: thinned }] : []),
    ],
    warnings: viewWarnings(result.warnings),
    explanations: [],
    charts: result.series.epoch.length > 0 ? [lossChart(result)] : [],
  };
};
