import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTable } from '../../engine/load/index.js';
import { analyzeLossLog } from '../../engine/losslog.js';
import { makeTable, numberColumn, type Table } from '../../engine/table.js';
import { assertGolden, goldenPath, readExpected } from '../helpers/golden.js';
import { toGoldenKeys } from '../helpers/keys.js';

function log(epochs: number[], train: number[], val: number[]): Table {
  return makeTable([
    numberColumn('epoch', epochs),
    numberColumn('train_loss', train),
    numberColumn('val_loss', val),
  ]);
}

test('loss_log_early_stopping: best epoch, finals, early stop with patience 3', async () => {
  const expected = readExpected('loss_log_early_stopping');
  const analysis = analyzeLossLog(await loadTable(goldenPath('loss_log_early_stopping')));
  const golden = toGoldenKeys(analysis) as Record<string, unknown>;
  const {
    case: _c,
    kind: _k,
    task: _t,
    files: _f,
    epoch_column,
    loss_columns,
    ...values
  } = expected;
  const { early_stop_epoch_patience_3, ...rest } = values;
  assertGolden(golden, rest);
  assert.equal(analysis.patience, 3);
  assert.equal(analysis.earlyStopEpoch, early_stop_epoch_patience_3);
  assert.equal(analysis.epochColumn, epoch_column);
  assert.deepEqual([analysis.trainLossColumn, analysis.valLossColumn], loss_columns);
  // Validation loss rises at epoch 7 while training loss keeps falling.
  assert.equal(analysis.overfittingStartEpoch, 7);
  assert.equal(analysis.valLoss.length, 15);
});

test('rows out of order are taken in epoch order', () => {
  const analysis = analyzeLossLog(log([3, 1, 2, 4], [0.5, 0.9, 0.7, 0.4], [0.6, 1.0, 0.5, 0.55]));
  assert.deepEqual(Array.from(analysis.epoch), [1, 2, 3, 4]);
  assert.equal(analysis.bestEpoch, 2);
  assert.equal(analysis.bestValLoss, 0.5);
  assert.equal(analysis.trainLossAtBest, 0.7);
  assert.equal(analysis.finalValLoss, 0.55);
  assert.equal(analysis.epochsAfterBest, 2);
  assert.equal(analysis.overfittingStartEpoch, 3);
});

test('ties: the first lowest validation loss is the best, and a tie is no improvement', () => {
  const analysis = analyzeLossLog(log([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [1, 0.5, 0.5, 0.5, 0.5]), {
    patience: 2,
  });
  assert.equal(analysis.bestEpoch, 2);
  assert.equal(analysis.earlyStopEpoch, 4);
  assert.equal(analysis.overfittingStartEpoch, null);
});

test('no early stop when training ends first; no overfitting when the best is last', () => {
  const analysis = analyzeLossLog(log([1, 2, 3], [3, 2, 1], [3, 2, 1]));
  assert.equal(analysis.bestEpoch, 3);
  assert.equal(analysis.earlyStopEpoch, null);
  assert.equal(analysis.overfittingStartEpoch, null);
  assert.equal(analysis.valLossRiseAfterBest, 0);
});

test('both losses rising is divergence, not overfitting; a later fall-and-rise is', () => {
  const analysis = analyzeLossLog(
    log([1, 2, 3, 4, 5], [1, 0.8, 0.9, 0.85, 0.8], [1, 0.7, 0.8, 0.75, 0.9]),
  );
  assert.equal(analysis.bestEpoch, 2);
  // Epoch 3: both rise. Epoch 4: validation falls. Epoch 5: validation rises, training falls.
  assert.equal(analysis.overfittingStartEpoch, 5);
});

test('custom columns, bad patience, non-numeric losses', async () => {
  const table = makeTable([
    numberColumn('step', [1, 2]),
    numberColumn('loss', [2, 1]),
    numberColumn('eval_loss', [2, 3]),
  ]);
  const analysis = analyzeLossLog(table, {
    epochColumn: 'step',
    trainLossColumn: 'loss',
    valLossColumn: 'eval_loss',
    patience: 1,
  });
  assert.equal(analysis.earlyStopEpoch, 2);
  assert.throws(() => analyzeLossLog(table, { epochColumn: 'step', patience: 0 }), {
    code: 'bad-argument',
    message: 'patience must be a whole number ≥ 1, got 0',
  });
  assert.throws(() => analyzeLossLog(table), {
    code: 'unknown-column',
    message: 'no column "epoch" (columns: step, loss, eval_loss)',
  });
});
