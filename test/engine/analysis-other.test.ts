import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  calibrationAnalysis,
  describeDelta,
  explainBinary,
  formatPoints,
  formatPValue,
  pValueText,
  leakageAnalysis,
  lossCurveAnalysis,
  sliceSummary,
  splitSummary,
  summarizeTable,
} from '../../engine/analysis/index.js';
import * as warn from '../../engine/analysis/warnings.js';
import { binaryMetricsFromCounts } from '../../engine/metrics/counts.js';
import { loadTable } from '../../engine/load/index.js';
import { makeTable, numberColumn, stringColumn } from '../../engine/table.js';
import { assertGolden, goldenPath, readExpected } from '../helpers/golden.js';
import { toGoldenKeys } from '../helpers/keys.js';

function roundTrips(value: unknown): void {
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
}

test('calibration on calibration_10_bins reproduces the golden bins, ECE, MCE and Brier', async () => {
  const expected = readExpected('calibration_10_bins');
  const table = await loadTable(goldenPath('calibration_10_bins'));
  const result = calibrationAnalysis(table, {
    tableName: 'cal',
    label: expected.label_column,
    positive: expected.positive_label,
    models: [
      { name: 'base', scoreColumn: expected.score_columns.base },
      { name: 'ft', scoreColumn: expected.score_columns.ft },
    ],
    bins: 10,
  });
  assert.equal(result.kind, 'calibration');
  assert.equal(result.n, expected.n);
  for (const model of result.models) {
    const golden = expected.models[model.name];
    assertGolden(
      {
        n_bins: result.nBins,
        bin_edges: model.binEdges,
        bins: toGoldenKeys(model.bins),
        sklearn_prob_true: model.probTrue,
        sklearn_prob_pred: model.probPred,
        ece: model.ece,
        mce: model.mce,
        brier_score: model.brier,
      },
      golden,
      `$.models.${model.name}`,
    );
  }
  roundTrips(result);
});

test('loss curve on loss_log_early_stopping: best epoch, early stop, overfitting warning', async () => {
  const expected = readExpected('loss_log_early_stopping');
  const table = await loadTable(goldenPath('loss_log_early_stopping'));
  const result = lossCurveAnalysis(table, { patience: 3 });
  assertGolden(
    {
      epochs: result.epochs,
      best_epoch: result.bestEpoch,
      best_val_loss: result.bestValLoss,
      train_loss_at_best: result.trainLossAtBest,
      final_val_loss: result.finalValLoss,
      final_train_loss: result.finalTrainLoss,
      val_loss_rise_after_best: result.valLossRiseAfterBest,
      epochs_after_best: result.epochsAfterBest,
      early_stop_epoch_patience_3: result.earlyStopEpoch,
    },
    Object.fromEntries(
      Object.entries(expected).filter(
        ([k]) => !['case', 'kind', 'files', 'task', 'epoch_column', 'loss_columns'].includes(k),
      ),
    ),
  );
  // Fifteen epochs are far below the point budget: the whole series is there.
  assert.deepEqual(
    result.series.epoch,
    Array.from({ length: 15 }, (_, i) => i + 1),
  );
  assert.equal(result.series.valLoss[5], expected.best_val_loss);
  assert.ok(result.overfittingStartEpoch !== null && result.overfittingStartEpoch > 6);
  assert.deepEqual(result.warnings, [
    warn.overfitting({
      overfittingStartEpoch: result.overfittingStartEpoch,
      bestEpoch: 6,
      bestValLoss: expected.best_val_loss,
      finalValLoss: expected.final_val_loss,
      earlyStopEpoch: 9,
      patience: 3,
    }),
  ]);
  assert.match(
    result.warnings[0].message,
    /^From epoch \d+ the validation loss rises while the training loss still falls/,
  );
  roundTrips(result);
});

test('a long loss log is thinned, keeping the marked epochs', () => {
  const n = 50_000;
  const epoch = Float64Array.from({ length: n }, (_, i) => i + 1);
  const train = epoch.map((e) => 1 / Math.sqrt(e));
  const val = epoch.map((e) => 1 / Math.sqrt(e) + ((e - 20_000) / 40_000) ** 2);
  const table = makeTable([
    numberColumn('epoch', epoch),
    numberColumn('train_loss', train),
    numberColumn('val_loss', val),
  ]);
  const result = lossCurveAnalysis(table, { maxPoints: 300 });
  assert.ok(result.series.epoch.length <= 300);
  assert.equal(result.series.epoch[0], 1);
  assert.equal(result.series.epoch[result.series.epoch.length - 1], n);
  assert.ok(result.series.epoch.includes(result.bestEpoch));
  if (result.earlyStopEpoch !== null)
    assert.ok(result.series.epoch.includes(result.earlyStopEpoch));
});

test('leakage on leakage_duplicates reproduces the golden duplicates, with a warning', async () => {
  const expected = readExpected('leakage_duplicates');
  const train = await loadTable(goldenPath('leakage_duplicates', 'train.csv'));
  const test_ = await loadTable(goldenPath('leakage_duplicates', 'test.csv'));
  const result = leakageAnalysis(train, test_, {
    trainName: 'train',
    testName: 'test',
    column: 'text',
  });
  assertGolden(toGoldenKeys(result), {
    column: expected.column,
    train_rows: expected.train_rows,
    test_rows: expected.test_rows,
    duplicate_text_count: expected.duplicate_text_count,
    duplicates: expected.duplicates,
    leaked_test_ids: expected.leaked_test_ids,
    leaked_train_ids: expected.leaked_train_ids,
    leaked_test_fraction: expected.leaked_test_fraction,
  });
  assert.equal(result.idColumn, 'id');
  assert.equal(result.leakedTestRows, 7);
  assert.equal(result.truncated, false);
  assert.equal(result.normalized, null);
  assert.deepEqual(result.warnings, [warn.leakage('train', 'test', 'text', 7, 60, 7, false)]);
  assert.equal(
    result.warnings[0].message,
    '7 of 60 rows of test (11.7%) have exactly the same text as a row of train (7 distinct ' +
      'values): a model trained on train has seen them, so metrics on test are optimistic. ' +
      'Remove them from test, or deduplicate before splitting.',
  );
  const cut = leakageAnalysis(train, test_, { column: 'text', maxListed: 2 });
  assert.equal(cut.duplicates.length, 2);
  assert.equal(cut.leakedTestIds.length, 2);
  assert.equal(cut.duplicateTextCount, 7);
  assert.equal(cut.truncated, true);
  roundTrips(result);
});

test('leakage with normalize also reports near-duplicates', () => {
  const train = makeTable([stringColumn('text', ['Hello  World', 'other'])]);
  const test_ = makeTable([stringColumn('text', ['hello world', 'other', 'new'])]);
  const result = leakageAnalysis(train, test_, { column: 'text', normalize: true });
  assert.equal(result.leakedTestRows, 1);
  assert.deepEqual(result.leakedTestIds, [2]);
  assert.equal(result.normalized?.leakedTestRows, 2);
  assert.deepEqual(result.normalized?.leakedTestIds, [1, 2]);
  assert.deepEqual(
    result.warnings.map((w) => w.details.normalized),
    [false, true],
  );
});

test('split summary: sizes, class proportions per part, the part tables', () => {
  const label = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 'rare' : 'common'));
  const table = makeTable([
    numberColumn(
      'id',
      label.map((_, i) => i + 1),
    ),
    stringColumn('label', label),
  ]);
  const { summary, parts } = splitSummary(
    table,
    [
      { name: 'train', fraction: 0.8 },
      { name: 'test', fraction: 0.2 },
    ],
    { tableName: 'data', seed: 42, stratifyBy: 'label' },
  );
  assert.equal(summary.kind, 'split');
  assert.equal(summary.source, 'data');
  assert.deepEqual(summary.classes, ['common', 'rare']);
  assert.deepEqual(summary.classCounts, [75, 25]);
  assert.deepEqual(
    summary.parts.map((p) => [p.name, p.size, p.share, p.classCounts]),
    [
      ['train', 80, 0.8, [60, 20]],
      ['test', 20, 0.2, [15, 5]],
    ],
  );
  assert.equal(summary.maxProportionGap, 0);
  assert.equal(parts[0].table.nRows, 80);
  roundTrips(summary);
  const again = splitSummary(table, [{ name: 'a', count: 10 }], { seed: 1 });
  assert.equal(again.summary.unassigned, 90);
  assert.equal(again.summary.classes, null);
  assert.equal(again.summary.maxProportionGap, null);
});

test('split summary: a part that gets no rows is named in a warning', () => {
  const table = makeTable([numberColumn('id', [1, 2, 3])]);
  const parts = [
    { name: 'train', fraction: 0.9 },
    { name: 'val', fraction: 0.05 },
    { name: 'test', fraction: 0.05 },
  ];
  const { summary } = splitSummary(table, parts, { tableName: 'all', seed: 1 });
  const empty = summary.parts.filter((p) => p.size === 0).map((p) => p.name);
  assert.deepEqual(empty, ['val', 'test']);
  assert.deepEqual(summary.warnings, [warn.emptySplitPart(['val', 'test'], 3)]);
  assert.equal(
    summary.warnings[0].message,
    'Parts val, test have no rows: 3 rows are too few for their shares. A statement on an ' +
      'empty part cannot compute anything; give it a larger share, or split a larger table.',
  );
  roundTrips(summary);
  const full = splitSummary(
    table,
    [
      { name: 'a', fraction: 0.5 },
      { name: 'b', fraction: 0.5 },
    ],
    {
      seed: 1,
    },
  );
  assert.deepEqual(full.summary.warnings, []);
});

test('slice summary: values in order with sizes; the largest listed when there are many', () => {
  const table = makeTable([stringColumn('lang', ['en', 'de', 'en', null, 'fr', 'en', 'de'])]);
  const result = sliceSummary(table, 'lang', { tableName: 't' });
  assert.deepEqual(
    result.slices.map((s) => [s.value, s.n]),
    [
      ['de', 2],
      ['en', 3],
      ['fr', 1],
      [null, 1],
    ],
  );
  assert.equal(result.sliceCount, 4);
  const top = sliceSummary(table, 'lang', { maxSlices: 2 });
  assert.deepEqual(
    top.slices.map((s) => s.value),
    ['de', 'en'],
  );
  assert.equal(top.omitted, 2);
  roundTrips(result);
});

test('table summary: types, missing values, ranges, frequent values, preview, source', async () => {
  const table = await loadTable(goldenPath('binary_spam_ham'));
  const summary = summarizeTable(table, 'spam', { previewRows: 2 });
  assert.equal(summary.rows, 240);
  assert.deepEqual(
    summary.columns.map((c) => [c.name, c.type]),
    [
      ['id', 'number'],
      ['text', 'text'],
      ['label', 'text'],
      ['base_pred', 'text'],
      ['ft_pred', 'text'],
      ['base_score', 'number'],
      ['ft_score', 'number'],
    ],
  );
  const id = summary.columns[0];
  assert.ok(id.type === 'number');
  assert.deepEqual(
    [id.min, id.max, id.mean, id.missing, id.categorical],
    [1, 240, 120.5, 0, false],
  );
  const label = summary.columns[2];
  assert.ok(label.type === 'text');
  assert.deepEqual(
    [label.distinct, label.top],
    [
      2,
      [
        { value: 'ham', count: 156 },
        { value: 'spam', count: 84 },
      ],
    ],
  );
  assert.deepEqual(summary.preview.rows[0].slice(0, 3), [
    1,
    'Family tomorrow the tomorrow report project.',
    'ham',
  ]);
  assert.equal(summary.preview.truncated, true);
  assert.equal(summary.source.format, 'csv');
  assert.match(summary.source.sha256 ?? '', /^[0-9a-f]{64}$/);
  roundTrips(summary);
  const empty = summarizeTable(makeTable([numberColumn('x', [NaN, NaN])]), 'e');
  assert.deepEqual(empty.columns[0], {
    name: 'x',
    type: 'number',
    missing: 2,
    min: null,
    max: null,
    mean: null,
    categorical: false,
  });
});

test('statements in words: points, intervals, p-values and the verdict', () => {
  assert.equal(
    describeDelta({
      metric: 'accuracy',
      delta: 0.03,
      interval: { lower: -0.004, upper: 0.062, confidence: 0.95 },
      pValue: 0.09,
    }),
    '+3.0 points of accuracy, 95% CI [-0.4, +6.2], p = 0.090: not significant at this test size',
  );
  assert.equal(
    describeDelta({
      metric: 'f1',
      delta: 0.052,
      interval: { lower: 0.01, upper: 0.09, confidence: 0.9 },
    }),
    '+5.2 points of F1, 90% CI [+1.0, +9.0]: significant at the 10% level',
  );
  assert.equal(
    describeDelta({ metric: 'accuracy', delta: 0.04, pValue: 0.0002 }),
    '+4.0 points of accuracy, p < 0.001: significant at the 5% level',
  );
  assert.equal(
    describeDelta({
      metric: 'accuracy',
      delta: 0.04,
      pValue: 0.03,
      interval: { lower: -0.001, upper: 0.08, confidence: 0.95 },
    }),
    '+4.0 points of accuracy, 95% CI [-0.1, +8.0], p = 0.030: borderline, the test and the interval disagree',
  );
  assert.equal(describeDelta({ metric: 'mse', delta: -12.345 }), '-12.3 MSE (lower is better)');
  assert.equal(
    describeDelta({ metric: 'recall', delta: null }),
    'recall is undefined for one of the models',
  );
  assert.equal(formatPoints(-0.0004), '0.0');
  assert.equal(formatPValue(0.5), '0.500');
  assert.equal(formatPValue(0.04277394525706768), '0.043');
  assert.equal(formatPValue(0.0009995), '< 0.001');
  assert.equal(pValueText(0.04277394525706768), 'p = 0.043');
  assert.equal(pValueText(0.0428), 'p = 0.043');
  assert.equal(pValueText(1e-9), 'p < 0.001');
});

test('explanation of the worked example 85 / 15 / 10 / 90', () => {
  const counts = { tp: 85, fp: 10, fn: 15, tn: 90 };
  const explanation = explainBinary('ft', counts, binaryMetricsFromCounts(counts));
  const byName = Object.fromEntries(explanation.metrics.map((m) => [m.metric, m]));
  assert.deepEqual(byName.precision, {
    metric: 'precision',
    formula: 'TP / (TP + FP)',
    substituted: '85 / (85 + 10)',
    value: 85 / 95,
    note: null,
  });
  assert.equal(byName.recall.substituted, '85 / (85 + 15)');
  assert.equal(byName.recall.value, 0.85);
  assert.equal(byName.accuracy.substituted, '(85 + 90) / (85 + 90 + 10 + 15)');
  assert.equal(byName.f1.substituted, '2 · 85 / (2 · 85 + 10 + 15)');
  assertGolden(byName.f1.value, 170 / 195);
  assert.equal(byName.f2.substituted, '5 · 85 / (5 · 85 + 4 · 15 + 10)');
  assert.equal(byName.f0_5.substituted, '1.25 · 85 / (1.25 · 85 + 0.25 · 15 + 10)');
  assert.equal(byName.balanced_accuracy.substituted, '(85 / (85 + 15) + 90 / (90 + 10)) / 2');
  assert.equal(byName.fpr.value, 0.1);
  roundTrips(explanation);
});
