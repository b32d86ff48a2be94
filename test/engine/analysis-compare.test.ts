import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareModels,
  describeDelta,
  REGRESSION_METRICS,
  type ClassificationComparison,
  type CompareOptions,
  type ComparisonResult,
  type RegressionComparison,
} from '../../engine/analysis/index.js';
import * as warn from '../../engine/analysis/warnings.js';
import { EngineError } from '../../engine/errors.js';
import { loadTable } from '../../engine/load/index.js';
import { makeTable, numberColumn, stringColumn, type Table } from '../../engine/table.js';
import {
  assertGolden,
  goldenPath,
  goldenCases,
  readExpected,
  type Json,
} from '../helpers/golden.js';
import { toGoldenKeys } from '../helpers/keys.js';

function casesOfKind(kind: string): string[] {
  return goldenCases((expected) => expected.kind === kind);
}

function optionsFor(expected: Json, extra: Partial<CompareOptions> = {}): CompareOptions {
  const scores = expected.score_columns;
  return {
    label: expected.label_column,
    positive: expected.positive_label ?? undefined,
    models: [
      {
        name: 'base',
        predictionColumn: expected.prediction_columns.base,
        scoreColumn: scores?.base,
      },
      { name: 'ft', predictionColumn: expected.prediction_columns.ft, scoreColumn: scores?.ft },
    ],
    examples: 1000,
    ...extra,
  };
}

async function compareCase(name: string, extra: Partial<CompareOptions> = {}) {
  const expected = readExpected(name);
  const table = await loadTable(goldenPath(name));
  return { expected, table, result: compareModels(table, optionsFor(expected, extra)) };
}

function classification(result: ComparisonResult): ClassificationComparison {
  assert.notEqual(result.task, 'regression');
  return result as ClassificationComparison;
}

/** The golden `paired` section, read back from the analysis objects. */
function assertPaired(result: ClassificationComparison, expected: Json): void {
  const paired = result.deltas[0].paired;
  assert.ok(paired !== null);
  assertGolden(
    {
      n: paired.n,
      base_correct: paired.referenceCorrect,
      ft_correct: paired.modelCorrect,
      both_correct: paired.bothCorrect,
      both_wrong: paired.bothWrong,
      fixed: paired.fixed,
      broken: paired.broken,
      discordant: paired.discordant,
      accuracy_delta: paired.accuracyDelta,
      mcnemar_exact_p: paired.mcnemar?.exactP,
      mcnemar_chi2_corrected: {
        statistic: paired.mcnemar?.chiSquare,
        p_value: paired.mcnemar?.chiSquareP,
      },
      fixed_ids: paired.fixedExamples.map((e) => e.id),
      broken_ids: paired.brokenExamples.map((e) => e.id),
    },
    expected.paired,
    '$.paired',
  );
}

for (const name of casesOfKind('binary')) {
  test(`compareModels reproduces golden binary case ${name}`, async () => {
    const { expected, result: r } = await compareCase(name);
    const result = classification(r);
    assert.equal(result.task, 'binary');
    assert.equal(result.n, expected.n);
    assert.deepEqual(result.labels, expected.labels);
    assert.equal(result.positiveLabel, expected.positive_label);
    assert.equal(result.negativeLabel, expected.negative_label);
    assertGolden(toGoldenKeys(result.models[0].metrics), expected.models.base, '$.models.base');
    assertGolden(toGoldenKeys(result.models[1].metrics), expected.models.ft, '$.models.ft');
    assertPaired(result, expected);
    if (expected.scores !== undefined) {
      result.models.forEach((model, j) => {
        const golden = expected.scores[j === 0 ? 'base' : 'ft'];
        assert.ok(model.scores !== null);
        assertGolden(
          {
            roc_auc: model.scores.rocAuc,
            average_precision: model.scores.averagePrecision,
            log_loss: model.scores.logLoss,
            brier_score: model.scores.brier,
          },
          {
            roc_auc: golden.roc_auc,
            average_precision: golden.average_precision,
            log_loss: golden.log_loss,
            brier_score: golden.brier_score,
          },
          `$.scores.${model.name}`,
        );
      });
    }
    // The metric table shows the same numbers as the full metrics.
    const row = (metric: string): readonly (number | null)[] =>
      result.metricTable.values[result.metricTable.metrics.indexOf(metric as never)];
    assert.deepEqual(row('accuracy'), [expected.models.base.accuracy, expected.models.ft.accuracy]);
    assertGolden(row('f1'), [expected.models.base.f1, expected.models.ft.f1]);
    assertGolden(row('mcc'), [expected.models.base.mcc, expected.models.ft.mcc]);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });
}

for (const name of casesOfKind('multiclass')) {
  test(`compareModels reproduces golden multiclass case ${name}`, async () => {
    const { expected, result: r } = await compareCase(name);
    const result = classification(r);
    assert.equal(result.task, 'multiclass');
    assert.equal(result.positiveLabel, null);
    assert.equal(result.average, 'macro');
    assertGolden(toGoldenKeys(result.models[0].metrics), expected.models.base, '$.models.base');
    assertGolden(toGoldenKeys(result.models[1].metrics), expected.models.ft, '$.models.ft');
    assertPaired(result, expected);
    const f1 = result.metricTable.values[result.metricTable.metrics.indexOf('f1')];
    assertGolden(f1, [expected.models.base.macro.f1, expected.models.ft.macro.f1]);
    // Per-class rows cover the union of labels; a label a model never meets is null there.
    const union = [
      ...new Set([...expected.models.base.labels, ...expected.models.ft.labels]),
    ].sort();
    assert.deepEqual(result.perClass.labels, union);
    for (const [j, model] of ['base', 'ft'].entries()) {
      for (const golden of expected.models[model].per_class) {
        const row = result.perClass.rows.find((r) => r.label === golden.label);
        assert.ok(row !== undefined);
        assert.equal(row.support, golden.support);
        assertGolden(row.models[j], {
          precision: golden.precision,
          recall: golden.recall,
          f1: golden.f1,
        });
      }
    }
    assert.equal(result.explanation[1].metrics[0].metric, 'accuracy');
    assertGolden(result.explanation[1].metrics[0].value, expected.models.ft.accuracy);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });
}

for (const name of casesOfKind('regression')) {
  test(`compareModels reproduces golden regression case ${name}`, async () => {
    const { expected, result: r } = await compareCase(name, { metrics: [...REGRESSION_METRICS] });
    assert.equal(r.task, 'regression');
    const result = r as RegressionComparison;
    assertGolden(toGoldenKeys(result.models[0].metrics), expected.models.base, '$.models.base');
    assertGolden(toGoldenKeys(result.models[1].metrics), expected.models.ft, '$.models.ft');
    const mse = result.deltas[0].metrics[0];
    assert.equal(mse.metric, 'mse');
    assertGolden(mse.delta, expected.models.ft.mse - expected.models.base.mse);
    assert.equal(mse.higherIsBetter, false);
    assert.equal(result.deltas[0].paired, null);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });
}

test('worked example, ten rows: fine-tuned all 1.0, base 0.8, McNemar p = 0.5, in words', async () => {
  const { result: r } = await compareCase('worked_example_ten_rows', { examples: 10 });
  const result = classification(r);
  const table = result.metricTable;
  assert.deepEqual(table.metrics, [
    'accuracy',
    'precision',
    'recall',
    'f1',
    'specificity',
    'balanced_accuracy',
    'mcc',
  ]);
  const column = (j: number) => table.values.map((row) => row[j]);
  assertGolden(column(0), [0.8, 0.8, 0.8, 0.8000000000000002, 0.8, 0.8, 0.6]);
  assert.deepEqual(column(1), [1, 1, 1, 1, 1, 1, 1]);
  const delta = result.deltas[0];
  assert.equal(delta.paired?.fixed, 2);
  assert.equal(delta.paired?.broken, 0);
  assert.equal(delta.paired?.mcnemar?.exactP, 0.5);
  assert.deepEqual(
    delta.paired?.fixedExamples.map((e) => [
      e.row,
      e.id,
      e.label,
      e.referencePrediction,
      e.modelPrediction,
    ]),
    [
      [4, 4, 1, 0, 1],
      [10, 10, 0, 1, 0],
    ],
  );
  assert.equal(delta.metrics[0].pValue, 0.5);
  assert.equal(
    delta.metrics[0].statement,
    '+20.0 points of accuracy, p = 0.500: not significant at this test size',
  );
  assert.equal(
    delta.headline,
    'ft vs base: +20.0 points of accuracy, p = 0.500: not significant at this test size',
  );
  // Only the accuracy row has a p-value; without a bootstrap the others have no verdict.
  assert.equal(delta.metrics[1].statement, '+20.0 points of precision');
  const codes = result.warnings.map((w) => w.code);
  assert.deepEqual(codes, ['difference-not-significant', 'few-discordant-pairs']);
  assert.deepEqual(result.warnings[1], warn.fewDiscordantPairs('ft', 'base', 2, 0));
  // The explanation substitutes the base model's counts.
  const precision = result.explanation[0].metrics.find((m) => m.metric === 'precision');
  assert.deepEqual(precision, {
    metric: 'precision',
    formula: 'TP / (TP + FP)',
    substituted: '4 / (4 + 1)',
    value: 0.8,
    note: null,
  });
});

test('accuracy paradox: the warning names the majority-class baseline beside the accuracy', async () => {
  const { expected, result } = await compareCase('accuracy_paradox_rare_positive');
  const paradox = result.warnings.filter((w) => w.code === 'accuracy-paradox');
  assert.ok(paradox.length >= 1, 'at least one model gets the paradox warning');
  const base = paradox.find((w) => w.model === 'base');
  assert.ok(base !== undefined);
  assert.equal(base.details.baselineAccuracy, expected.majority_baseline.accuracy);
  assert.equal(base.details.majorityLabel, expected.majority_baseline.predicted_label);
  assertGolden(base.details.accuracy, expected.models.base.accuracy);
  assertGolden(base.details.minorityRecall, expected.models.base.recall);
  assert.match(base.message, /^base: Accuracy paradox: accuracy 98\.1% .* scores 98\.0% accuracy/);
  // McNemar p = 0.86 on a +0.16-point difference: too small to flag as "looks big".
  assert.ok(!result.warnings.some((w) => w.code === 'difference-not-significant'));
});

test('paired_mcnemar: fixed and broken examples are the first rows of each kind', async () => {
  const { expected, result: r } = await compareCase('paired_mcnemar', { examples: 3 });
  const paired = classification(r).deltas[0].paired;
  assert.ok(paired !== null);
  assert.deepEqual(
    paired.fixedExamples.map((e) => e.id),
    expected.paired.fixed_ids.slice(0, 3),
  );
  assert.deepEqual(
    paired.brokenExamples.map((e) => e.id),
    expected.paired.broken_ids.slice(0, 3),
  );
  const first = paired.fixedExamples[0];
  assert.equal(first.text, 'On bonus this credit.');
  assert.equal(first.row, 2);
  assert.equal(first.referenceScore, null);
  // p = 0.043 < 0.05 and 30 discordant rows: no significance warnings.
  assert.deepEqual(
    classification(r).warnings.map((w) => w.code),
    [],
  );
});

test('binary_spam_ham: examples carry the scores; text labels keep their order', async () => {
  const { result: r } = await compareCase('binary_spam_ham', { examples: 2 });
  const result = classification(r);
  assert.deepEqual(result.labels, ['ham', 'spam']);
  const fixed = result.deltas[0].paired?.fixedExamples[0];
  assert.deepEqual(fixed, {
    row: 2,
    id: 2,
    text: 'Urgent cash deal now we the for.',
    label: 'ham',
    referencePrediction: 'spam',
    modelPrediction: 'ham',
    referenceScore: 0.569,
    modelScore: 0.048,
  });
  assert.deepEqual(result.metricTable.metrics.slice(-4), [
    'roc_auc',
    'average_precision',
    'log_loss',
    'brier',
  ]);
  assert.deepEqual(result.metricTable.higherIsBetter.slice(-4), [true, true, false, false]);
  // 25 discordant rows but p = 0.004: a note that the verdict is fragile, not a warning.
  assert.deepEqual(result.warnings, [warn.fewDiscordantPairs('ft', 'base', 20, 5, true)]);
  assert.equal(result.warnings[0].severity, 'note');
});

test('bootstrap intervals are deterministic for a seed and bracket the estimate', async () => {
  const options = { significance: { bootstrap: { resamples: 300, seed: 7 } } };
  const a = await compareCase('paired_mcnemar', options);
  const b = await compareCase('paired_mcnemar', options);
  const c = await compareCase('paired_mcnemar', {
    significance: { bootstrap: { resamples: 300, seed: 8 } },
  });
  const intervals = (r: ComparisonResult) => r.deltas[0].metrics.map((m) => m.interval);
  assert.deepEqual(intervals(a.result), intervals(b.result));
  assert.notDeepEqual(intervals(a.result), intervals(c.result));
  for (const m of a.result.deltas[0].metrics) {
    assert.ok(m.interval !== null, m.metric);
    assert.equal(m.interval.resamples, 300);
    assert.equal(m.interval.seed, 7);
    assert.ok(m.interval.lower <= (m.delta as number) && (m.delta as number) <= m.interval.upper);
  }
  const accuracy = a.result.deltas[0].metrics[0];
  assert.equal(
    accuracy.statement,
    describeDelta({
      metric: 'accuracy',
      delta: accuracy.delta,
      interval: accuracy.interval,
      pValue: accuracy.pValue,
    }),
  );
  assert.match(
    accuracy.statement,
    /^\+4\.0 points of accuracy, 95% CI \[[-+]\d+\.\d, \+\d+\.\d\], p = 0\.043: /,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(a.result)), a.result);
});

test('regression bootstrap: row resampling is seeded; median and max error get no interval', async () => {
  const extra = {
    metrics: ['mse', 'mae', 'r2', 'median_absolute_error', 'max_error'],
    significance: { bootstrap: { resamples: 200, seed: 3 } },
  };
  const a = await compareCase('regression_basic', extra);
  const b = await compareCase('regression_basic', extra);
  const metrics = a.result.deltas[0].metrics;
  assert.deepEqual(metrics, b.result.deltas[0].metrics);
  for (const m of metrics.slice(0, 3)) {
    assert.ok(m.interval !== null);
    assert.equal(m.interval.method, 'rows');
    assert.ok(m.interval.lower <= m.interval.upper);
  }
  assert.equal(metrics[3].interval, null);
  assert.equal(metrics[4].interval, null);
});

test('slices: per-slice metrics equal the metrics of the slice on its own', async () => {
  const expected = readExpected('binary_spam_ham');
  const table = await loadTable(goldenPath('binary_spam_ham'));
  const result = classification(
    compareModels(table, { ...optionsFor(expected), by: 'label', metrics: ['accuracy', 'recall'] }),
  );
  assert.ok(result.slices !== null);
  assert.deepEqual(
    result.slices.rows.map((r) => [r.value, r.n]),
    [
      ['ham', expected.models.base.support.negative],
      ['spam', expected.models.base.support.positive],
    ],
  );
  // Within the spam slice, accuracy is recall; within ham, recall of spam is 0/0 → 0.
  const spam = result.slices.rows[1];
  assertGolden(spam.values[0], [expected.models.base.recall, expected.models.ft.recall]);
  assert.deepEqual(result.slices.rows[0].values[1], [0, 0]);
  assertGolden(result.slices.rows[0].values[0], [
    expected.models.base.specificity,
    expected.models.ft.specificity,
  ]);
});

test('more slices than maxSlices: the largest are kept, in value order, with a note', () => {
  const label = ['a', 'a', 'b', 'b', 'a', 'b', 'a', 'b'];
  const table = makeTable([
    stringColumn('label', label),
    stringColumn('p1', label),
    stringColumn('p2', ['a', 'b', 'b', 'b', 'a', 'a', 'a', 'b']),
    numberColumn('group', [3, 1, 1, 2, 2, 2, 4, 2]),
  ]);
  const result = compareModels(table, {
    label: 'label',
    positive: 'b',
    models: [
      { name: 'one', predictionColumn: 'p1' },
      { name: 'two', predictionColumn: 'p2' },
    ],
    by: 'group',
    maxSlices: 2,
    metrics: ['accuracy'],
  });
  assert.deepEqual(
    result.slices?.rows.map((r) => [r.value, r.n, r.values[0]]),
    [
      [1, 2, [1, 0.5]],
      [2, 4, [1, 0.75]],
    ],
  );
  assert.equal(result.slices?.omitted, 2);
  assert.deepEqual(
    result.warnings.find((w) => w.code === 'slices-omitted'),
    warn.slicesOmitted('group', 2, 2),
  );
});

function tinyTable(truth: string[], a: string[], b: string[]): Table {
  return makeTable([stringColumn('y', truth), stringColumn('a', a), stringColumn('b', b)]);
}

const tinyModels = [
  { name: 'a', predictionColumn: 'a' },
  { name: 'b', predictionColumn: 'b' },
];

test('a model that never predicts the positive label gets an ill-defined warning', () => {
  const table = tinyTable(['p', 'n', 'n'], ['n', 'n', 'n'], ['p', 'n', 'n']);
  const result = classification(
    compareModels(table, { label: 'y', positive: 'p', models: tinyModels }),
  );
  const metrics = result.models[0].metrics;
  assert.ok(metrics.task === 'binary' && metrics.precision === 0);
  assert.deepEqual(
    result.warnings.find((w) => w.code === 'ill-defined-metric'),
    warn.illDefinedMetric('a', [{ metric: 'precision', reason: 'the model never predicts "p"' }]),
  );
  const explained = result.explanation[0].metrics.find((m) => m.metric === 'precision');
  assert.equal(explained?.substituted, '0 / (0 + 0)');
  assert.equal(explained?.note, '0 / 0 is undefined; reported as 0');
});

test('without a positive label, text labels take the last sorted one and say so', () => {
  const table = tinyTable(['no', 'yes', 'no'], ['no', 'yes', 'yes'], ['no', 'yes', 'no']);
  const result = classification(compareModels(table, { label: 'y', models: tinyModels }));
  assert.equal(result.positiveLabel, 'yes');
  assert.deepEqual(result.warnings[0], warn.positiveLabelAssumed('yes', ['no', 'yes']));
});

test('a misspelt positive label is an error naming the labels', () => {
  const table = tinyTable(['no', 'yes', 'no'], ['no', 'yes', 'yes'], ['no', 'yes', 'no']);
  assert.throws(
    () => compareModels(table, { label: 'y', positive: 'Yes', models: tinyModels }),
    (e: unknown) =>
      e instanceof EngineError &&
      e.code === 'unknown-label' &&
      e.message ===
        'the positive label "Yes" is not one of the labels "no", "yes" of "y" and the predictions',
  );
});

test('bad requests are errors: one model, unknown metric, regression metric on labels', () => {
  const table = tinyTable(['no', 'yes', 'no'], ['no', 'yes', 'yes'], ['no', 'yes', 'no']);
  const code = (code: string) => (e: unknown) => e instanceof EngineError && e.code === code;
  assert.throws(
    () => compareModels(table, { label: 'y', models: tinyModels.slice(0, 1) }),
    code('bad-argument'),
  );
  assert.throws(
    () =>
      compareModels(table, { label: 'y', positive: 'yes', models: tinyModels, metrics: ['f3'] }),
    /unknown metric "f3"/,
  );
  assert.throws(
    () =>
      compareModels(table, { label: 'y', positive: 'yes', models: tinyModels, metrics: ['mse'] }),
    /mse is a regression metric/,
  );
  assert.throws(
    () => compareModels(table, { label: 'nope', models: tinyModels }),
    code('unknown-column'),
  );
});

test('three models: every delta is against the first', () => {
  const table = makeTable([
    numberColumn('y', [1, 0, 1, 1, 0, 0]),
    numberColumn('p0', [0, 0, 0, 1, 1, 0]),
    numberColumn('p1', [1, 0, 0, 1, 1, 0]),
    numberColumn('p2', [1, 0, 1, 1, 0, 0]),
  ]);
  const result = compareModels(table, {
    label: 'y',
    models: [
      { name: 'base', predictionColumn: 'p0' },
      { name: 'mid', predictionColumn: 'p1' },
      { name: 'best', predictionColumn: 'p2' },
    ],
    metrics: ['accuracy'],
  });
  assert.deepEqual(
    result.deltas.map((d) => [d.model, d.reference, d.metrics[0].delta]),
    [
      ['mid', 'base', 4 / 6 - 3 / 6],
      ['best', 'base', 1 - 3 / 6],
    ],
  );
  assert.deepEqual(
    result.deltas.map((d) => [d.paired?.fixed, d.paired?.broken]),
    [
      [1, 0],
      [3, 0],
    ],
  );
});

test('0/1 labels made a regression by a continuous prediction column: a warning names the column', () => {
  const table = makeTable([
    numberColumn('y', [1, 0, 1, 0]),
    numberColumn('base', [1, 0, 1, 1]),
    numberColumn('ft', [0.8, 0.1, 0.6, 0.3]),
  ]);
  const result = compareModels(table, {
    label: 'y',
    models: [
      { name: 'base', predictionColumn: 'base' },
      { name: 'ft', predictionColumn: 'ft' },
    ],
  });
  assert.equal(result.task, 'regression');
  assert.deepEqual(result.warnings[0], warn.treatedAsRegression('y', ['ft'], 1, 0.8));
  assert.equal(
    result.warnings[0].message,
    'Treated as regression because ft is not a label column (row 1 of ft holds 0.8), although ' +
      'y holds class labels. For a classification, predict labels in ft, and give continuous ' +
      'values as `score` of a model.',
  );
  // A continuous target is a regression by itself: nothing to say.
  const continuous = makeTable([
    numberColumn('y', [1.5, 0.2, 1.1, 0.4]),
    numberColumn('base', [1, 0, 1, 1]),
    numberColumn('ft', [0.8, 0.1, 0.6, 0.3]),
  ]);
  const plain = compareModels(continuous, {
    label: 'y',
    models: [
      { name: 'base', predictionColumn: 'base' },
      { name: 'ft', predictionColumn: 'ft' },
    ],
  });
  assert.ok(!plain.warnings.some((w) => w.code === 'treated-as-regression'));
});

test('progress is reported by phase, and a cancelled comparison stops with "interrupted"', async () => {
  const expected = readExpected('paired_mcnemar');
  const table = await loadTable(goldenPath('paired_mcnemar'));
  const seen: { phase: string; done: number; total: number }[] = [];
  compareModels(table, {
    ...optionsFor(expected),
    metrics: ['accuracy'],
    significance: { bootstrap: { resamples: 50, seed: 1 } },
    onProgress: (p) => seen.push(p),
  });
  assert.ok(seen.every((p) => p.done >= 0 && p.done <= p.total));
  assert.deepEqual(
    [...new Set(seen.map((p) => p.phase))],
    ['metrics', 'bootstrap ft vs base: accuracy'],
  );
  assert.deepEqual(seen.at(-1), { phase: 'bootstrap ft vs base: accuracy', done: 50, total: 50 });
  assert.throws(
    () => compareModels(table, { ...optionsFor(expected), cancel: { cancelled: true } }),
    (e: unknown) => e instanceof EngineError && e.code === 'interrupted',
  );
});

test('a positive label on a multiclass task is not used, and a note says so', () => {
  const table = tinyTable(['a', 'b', 'c'], ['a', 'b', 'b'], ['a', 'c', 'c']);
  const result = classification(
    compareModels(table, { label: 'y', positive: 'a', models: tinyModels }),
  );
  assert.equal(result.task, 'multiclass');
  assert.equal(result.positiveLabel, null);
  assert.deepEqual(result.warnings[0], warn.positiveLabelIgnored('a', ['a', 'b', 'c']));
});

test('when every row and prediction is 1, the negative label 0 is added to keep a 2×2 matrix', () => {
  const table = makeTable([
    numberColumn('y', [1, 1]),
    numberColumn('a', [1, 1]),
    numberColumn('b', [1, 1]),
  ]);
  const result = classification(compareModels(table, { label: 'y', models: tinyModels }));
  assert.deepEqual(result.labels, [0, 1]);
  assert.equal(result.positiveLabel, 1);
  const metrics = result.models[0].metrics;
  assert.ok(metrics.task === 'binary');
  assert.deepEqual(metrics.confusionMatrix, [
    [0, 0],
    [0, 2],
  ]);
  assert.deepEqual(metrics.illDefined, ['specificity']);
});
