/**
 * `lossCurveAnalysis`: training and validation loss by epoch (engine/losslog.ts) with the best
 * epoch, the early-stopping epoch, where overfitting starts, and a warning when it does.
 */
import { analyzeLossLog } from '../losslog.js';
import type { Table } from '../table.js';
import { tableLabel } from './common.js';
import { DEFAULT_MAX_POINTS, takeAt, thinPolyline } from './thin.js';
import type { LossCurveOptions, LossCurveResult } from './types.js';
import * as warn from './warnings.js';

export function lossCurveAnalysis(table: Table, options: LossCurveOptions = {}): LossCurveResult {
  const log = analyzeLossLog(table, {
    epochColumn: options.epoch,
    trainLossColumn: options.trainLoss,
    valLossColumn: options.valLoss,
    patience: options.patience,
  });
  // Long logs (one row per step) are thinned for the chart; the marked epochs always stay.
  const marked = [log.bestEpoch, log.earlyStopEpoch, log.overfittingStartEpoch]
    .filter((e): e is number => e !== null)
    .map((e) => log.epoch.indexOf(e));
  const { indices } = thinPolyline([log.epoch, log.trainLoss, log.valLoss], {
    maxPoints: options.maxPoints ?? DEFAULT_MAX_POINTS,
    keep: marked,
    scale: 'range',
  });
  const warnings =
    log.overfittingStartEpoch === null
      ? []
      : [
          warn.overfitting({
            overfittingStartEpoch: log.overfittingStartEpoch,
            bestEpoch: log.bestEpoch,
            bestValLoss: log.bestValLoss,
            finalValLoss: log.finalValLoss,
            earlyStopEpoch: log.earlyStopEpoch,
            patience: log.patience,
          }),
        ];
  return {
    kind: 'loss-curve',
    table: tableLabel(table, options.tableName),
    columns: {
      epoch: log.epochColumn,
      trainLoss: log.trainLossColumn,
      valLoss: log.valLossColumn,
    },
    epochs: log.epochs,
    series: {
      epoch: takeAt(log.epoch, indices),
      trainLoss: takeAt(log.trainLoss, indices),
      valLoss: takeAt(log.valLoss, indices),
    },
    bestEpoch: log.bestEpoch,
    bestValLoss: log.bestValLoss,
    trainLossAtBest: log.trainLossAtBest,
    finalValLoss: log.finalValLoss,
    finalTrainLoss: log.finalTrainLoss,
    valLossRiseAfterBest: log.valLossRiseAfterBest,
    epochsAfterBest: log.epochsAfterBest,
    patience: log.patience,
    earlyStopEpoch: log.earlyStopEpoch,
    overfittingStartEpoch: log.overfittingStartEpoch,
    warnings,
  };
}
