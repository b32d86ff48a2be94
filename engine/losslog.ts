/**
 * Training logs: per-epoch training and validation loss, and what they say about when to stop.
 *
 * Definitions (rows are taken in increasing epoch order):
 * - best epoch: the epoch with the lowest validation loss; the first one on ties.
 * - early stop with patience P: the first epoch at which P consecutive epochs have passed
 *   without a new lowest validation loss (strictly lower than every earlier one), as Keras'
 *   EarlyStopping(patience=P, min_delta=0) would stop; null when training ends first.
 * - overfitting start: the first epoch after the best epoch at which the validation loss is
 *   higher than at the epoch before while the training loss is lower than at the epoch before
 *   (the model still fits the training data better but generalises worse). Only epochs after
 *   the best one count: before it, a rise in validation loss is undone later, so it is noise,
 *   and after it the validation loss never returns to its minimum, so the rise lasts. Null when
 *   there is no such epoch (e.g. the best epoch is the last, or both losses rise together,
 *   which points at divergence rather than overfitting).
 */
import { EngineError } from './errors.js';
import { requireNumberColumn } from './load/columns.js';
import type { Table } from './table.js';

export interface LossLogOptions {
  readonly epochColumn?: string;
  readonly trainLossColumn?: string;
  readonly valLossColumn?: string;
  /** Early-stopping patience in epochs (default 3). */
  readonly patience?: number;
}

export interface LossLogAnalysis {
  readonly epochColumn: string;
  readonly trainLossColumn: string;
  readonly valLossColumn: string;
  /** Number of rows (epochs logged). */
  readonly epochs: number;
  /** Epoch numbers and losses in increasing epoch order, for plotting. */
  readonly epoch: Float64Array;
  readonly trainLoss: Float64Array;
  readonly valLoss: Float64Array;
  readonly bestEpoch: number;
  readonly bestValLoss: number;
  readonly trainLossAtBest: number;
  readonly finalValLoss: number;
  readonly finalTrainLoss: number;
  /** finalValLoss − bestValLoss (≥ 0). */
  readonly valLossRiseAfterBest: number;
  /** How many logged epochs follow the best one. */
  readonly epochsAfterBest: number;
  readonly patience: number;
  readonly earlyStopEpoch: number | null;
  readonly overfittingStartEpoch: number | null;
}

export const DEFAULT_PATIENCE = 3;

export function analyzeLossLog(table: Table, options: LossLogOptions = {}): LossLogAnalysis {
  const epochColumn = options.epochColumn ?? 'epoch';
  const trainLossColumn = options.trainLossColumn ?? 'train_loss';
  const valLossColumn = options.valLossColumn ?? 'val_loss';
  const patience = options.patience ?? DEFAULT_PATIENCE;
  if (!Number.isInteger(patience) || patience < 1) {
    throw new EngineError('bad-argument', `patience must be a whole number ≥ 1, got ${patience}`);
  }
  const n = table.nRows;
  if (n === 0) {
    throw new EngineError('file-empty', 'the loss log has no epochs', { file: table.source.path });
  }
  const epochsRaw = requireNumberColumn(table, epochColumn).values;
  const trainRaw = requireNumberColumn(table, trainLossColumn).values;
  const valRaw = requireNumberColumn(table, valLossColumn).values;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => epochsRaw[a] - epochsRaw[b] || a - b,
  );
  const epoch = Float64Array.from(order, (i) => epochsRaw[i]);
  const trainLoss = Float64Array.from(order, (i) => trainRaw[i]);
  const valLoss = Float64Array.from(order, (i) => valRaw[i]);

  let best = 0;
  let earlyStop = -1;
  let sinceImprovement = 0;
  for (let i = 1; i < n; i++) {
    if (valLoss[i] < valLoss[best]) {
      best = i;
      sinceImprovement = 0;
    } else {
      sinceImprovement++;
      if (sinceImprovement === patience && earlyStop < 0) earlyStop = i;
    }
  }
  let overfitting = -1;
  for (let i = best + 1; i < n; i++) {
    if (valLoss[i] > valLoss[i - 1] && trainLoss[i] < trainLoss[i - 1]) {
      overfitting = i;
      break;
    }
  }
  const last = n - 1;
  return {
    epochColumn,
    trainLossColumn,
    valLossColumn,
    epochs: n,
    epoch,
    trainLoss,
    valLoss,
    bestEpoch: epoch[best],
    bestValLoss: valLoss[best],
    trainLossAtBest: trainLoss[best],
    finalValLoss: valLoss[last],
    finalTrainLoss: trainLoss[last],
    valLossRiseAfterBest: valLoss[last] - valLoss[best],
    epochsAfterBest: last - best,
    patience,
    earlyStopEpoch: earlyStop < 0 ? null : epoch[earlyStop],
    overfittingStartEpoch: overfitting < 0 ? null : epoch[overfitting],
  };
}
