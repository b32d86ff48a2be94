import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyseThresholds,
  type ThinnedCurve,
  type ThresholdAnalysisResult,
  type ThresholdOptions,
} from '../../engine/analysis/index.js';
import { deviationFromThinned } from '../../engine/analysis/thin.js';
import * as warn from '../../engine/analysis/warnings.js';
import { EngineError } from '../../engine/errors.js';
import { loadTable } from '../../engine/load/index.js';
import { rocAuc } from '../../engine/metrics/curves.js';
import { Rng } from '../../engine/random.js';
import { makeTable, numberColumn, stringColumn } from '../../engine/table.js';
import {
  assertGolden,
  goldenPath,
  goldenCases,
  readExpected,
  type Json,
} from '../helpers/golden.js';

const scoredCases = goldenCases((e) => e.kind === 'binary' && e.score_columns !== undefined);

test('the golden cases with scores are found', () => {
  assert.deepEqual(scoredCases, [
    'binary_int_labels',
    'binary_spam_ham',
    'perfect_predictions',
    'scores_continuous',
    'scores_with_ties',
  ]);
});

async function analyse(
  name: string,
  extra: Partial<ThresholdOptions> = {},
): Promise<{ expected: Json; result: ThresholdAnalysisResult }> {
  const expected = readExpected(name);
  const table = await loadTable(goldenPath(name));
  const result = analyseThresholds(table, {
    tableName: 'test',
    label: expected.label_column,
    positive: expected.positive_label,
    models: [
      { name: 'base', scoreColumn: expected.score_columns.base },
      { name: 'ft', scoreColumn: expected.score_columns.ft },
    ],
    ...extra,
  });
  return { expected, result };
}

/** Every thinned point is a point of the full golden curve, in the same order. */
function assertSubsetOf(
  curve: ThinnedCurve,
  xs: readonly number[],
  ys: readonly number[],
  thresholds: readonly (number | null)[],
  what: string,
): void {
  assert.equal(curve.originalPoints, xs.length, `${what}: original points`);
  assert.ok(curve.x.length >= 2 && curve.x.length <= xs.length, what);
  let from = 0;
  curve.x.forEach((x, i) => {
    let j = from;
    while (j < xs.length && !(xs[j] === x && ys[j] === curve.y[i])) j++;
    assert.ok(j < xs.length, `${what}: point ${i} (${x}, ${curve.y[i]}) is not on the curve`);
    assertGolden(curve.threshold[i], thresholds[j], `${what}.threshold[${i}]`);
    from = j + 1;
  });
  assert.equal(curve.x[0], xs[0]);
  assert.equal(curve.x[curve.x.length - 1], xs[xs.length - 1]);
  assert.equal(curve.y[curve.y.length - 1], ys[ys.length - 1]);
}

for (const name of scoredCases) {
  test(`analyseThresholds: golden best_f1 and curves of ${name}`, async () => {
    const { expected, result } = await analyse(name);
    assert.equal(result.rule.description, 'max F1');
    for (const [j, model] of result.models.entries()) {
      const golden = expected.scores[j === 0 ? 'base' : 'ft'];
      assertGolden(model.rocAuc, golden.roc_auc, `${model.name}.rocAuc`);
      assertGolden(model.averagePrecision, golden.average_precision);
      const chosen = model.chosen;
      assert.ok(chosen !== null);
      const best = golden.best_f1;
      assertGolden(
        {
          threshold: chosen.threshold,
          f1: chosen.f1,
          precision: chosen.precision,
          recall: chosen.recall,
          tp: chosen.tp,
          fp: chosen.fp,
          fn: chosen.fn,
          tn: chosen.tn,
          n_thresholds_with_max_f1: chosen.tiedThresholds,
        },
        best,
        `${name}.${model.name}.best_f1`,
      );
      const all = golden.roc_curve_all;
      assertSubsetOf(model.roc, all.fpr, all.tpr, all.thresholds, `${model.name}.roc`);
      const pr = golden.pr_curve;
      assertSubsetOf(
        model.pr,
        pr.recall,
        pr.precision,
        [...pr.thresholds, null],
        `${model.name}.pr`,
      );
      // The chosen point is on every drawn curve, exactly.
      const roc = model.roc;
      assert.ok(roc.chosenIndex !== null);
      assert.equal(roc.threshold[roc.chosenIndex], chosen.threshold);
      assert.equal(roc.x[roc.chosenIndex], chosen.fpr);
      assert.equal(roc.y[roc.chosenIndex], chosen.recall);
      assert.ok(model.pr.chosenIndex !== null);
      assert.equal(model.pr.threshold[model.pr.chosenIndex], chosen.threshold);
      const sweep = model.sweep;
      assert.ok(sweep.chosenIndex !== null);
      assert.equal(sweep.threshold[sweep.chosenIndex], chosen.threshold);
      assert.equal(sweep.f1[sweep.chosenIndex], chosen.f1);
      assert.equal(sweep.tp[sweep.chosenIndex], chosen.tp);
      sweep.threshold.forEach((t, i) => {
        assert.equal(sweep.tp[i] + sweep.fp[i] + sweep.fn[i] + sweep.tn[i], result.n);
        if (i > 0) assert.ok(t > sweep.threshold[i - 1], 'thresholds increase');
      });
      assert.equal(sweep.originalPoints, pr.thresholds.length);
      // The formulas at the chosen point use its counts.
      const f1 = model.explanation?.metrics.find((m) => m.metric === 'f1');
      assert.equal(
        f1?.substituted,
        `2 · ${chosen.tp} / (2 · ${chosen.tp} + ${chosen.fp} + ${chosen.fn})`,
      );
      assert.equal(model.explanation?.threshold, chosen.threshold);
    }
    assert.deepEqual(result.warnings, [
      warn.thresholdOnEvaluationRows(['base', 'ft'], 'test', 'max F1'),
    ]);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });

  test(`analyseThresholds: golden recall_at_least_0_9 of ${name}`, async () => {
    const { expected, result } = await analyse(name, { pick: { kind: 'min-recall', recall: 0.9 } });
    assert.equal(result.rule.description, 'recall ≥ 0.9');
    for (const [j, model] of result.models.entries()) {
      const golden = expected.scores[j === 0 ? 'base' : 'ft'].recall_at_least_0_9;
      const chosen = model.chosen;
      assert.ok(chosen !== null);
      assertGolden(
        {
          threshold: chosen.threshold,
          recall: chosen.recall,
          precision: chosen.precision,
          tp: chosen.tp,
          fp: chosen.fp,
        },
        golden,
      );
      assert.equal(chosen.objective, chosen.recall);
    }
  });
}

test('a fixed threshold is not tuned: no warning, counts at that threshold', async () => {
  const { expected, result } = await analyse('binary_spam_ham', {
    pick: { kind: 'fixed', threshold: 0.5 },
  });
  assert.deepEqual(result.warnings, []);
  assert.equal(result.rule.description, 'at 0.5');
  // Golden predictions are score >= 0.5, so the confusion counts are the golden models'.
  for (const [j, model] of result.models.entries()) {
    const golden = expected.models[j === 0 ? 'base' : 'ft'];
    const chosen = model.chosen;
    assert.ok(chosen !== null);
    assert.equal(chosen.threshold, 0.5);
    assert.deepEqual(
      [chosen.tp, chosen.fp, chosen.fn, chosen.tn],
      [golden.tp, golden.fp, golden.fn, golden.tn],
    );
    assertGolden(chosen.f1, golden.f1);
    assertGolden(chosen.mcc, golden.mcc);
  }
});

test('a rule no threshold meets: not found, with the reason as a warning', () => {
  const table = makeTable([
    stringColumn('y', ['p', 'n', 'p', 'n']),
    numberColumn('s', [0.9, 0.8, 0.1, 0.7]),
  ]);
  const result = analyseThresholds(table, {
    label: 'y',
    positive: 'p',
    models: [{ name: 'm', scoreColumn: 's' }],
    pick: { kind: 'min-precision', precision: 1 },
  });
  // Precision 1 holds at the top score: found. Ask for more than any threshold gives instead.
  assert.equal(result.models[0].chosen?.threshold, 0.9);
  const none = analyseThresholds(table, {
    label: 'y',
    positive: 'p',
    models: [{ name: 'm', scoreColumn: 's' }],
    pick: { kind: 'max-f1' },
  });
  assert.equal(none.models[0].chosen?.f1, 2 / 3);
  const absent = analyseThresholds(
    makeTable([stringColumn('y', ['n', 'n']), numberColumn('s', [0.2, 0.4])]),
    {
      label: 'y',
      positive: 'p',
      models: [{ name: 'm', scoreColumn: 's' }],
    },
  );
  assert.equal(absent.models[0].chosen, null);
  const reason = 'there are no positive rows, so recall and F-scores are undefined';
  assert.equal(absent.models[0].notFound, reason);
  assert.deepEqual(absent.warnings, [warn.thresholdNotFound('m', 'max F1', reason)]);
  assert.equal(absent.models[0].rocAuc, null);
  assert.deepEqual(absent.models[0].roc.x, []);
  assert.deepEqual(JSON.parse(JSON.stringify(absent)), absent);
});

test('a positive label missing from a two-label column is an error', () => {
  const table = makeTable([stringColumn('y', ['spam', 'ham']), numberColumn('s', [0.9, 0.1])]);
  assert.throws(
    () =>
      analyseThresholds(table, {
        label: 'y',
        positive: 'Spam',
        models: [{ name: 'm', scoreColumn: 's' }],
      }),
    (e: unknown) =>
      e instanceof EngineError && e.code === 'unknown-label' && /"Spam"/.test(e.message),
  );
});

test('a text positive label matches numeric labels and is reported as a number', async () => {
  const { result } = await analyse('binary_int_labels', { positive: '1' });
  assert.equal(result.positiveLabel, 1);
});

test('200 000 rows: every curve is thinned to the budget, areas come from all rows', () => {
  const n = 200_000;
  const rng = new Rng(11);
  const y = new Float64Array(n);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextFloat() < 0.3 ? 1 : 0;
    score[i] = Math.min(1, Math.max(0, 0.35 * y[i] + 0.65 * rng.nextFloat()));
  }
  const table = makeTable([numberColumn('y', y), numberColumn('s', score)]);
  const result = analyseThresholds(table, {
    label: 'y',
    positive: 1,
    models: [{ name: 'm', scoreColumn: 's' }],
    pick: { kind: 'min-cost', costs: { falsePositive: 1, falseNegative: 4 } },
    maxPoints: 500,
  });
  const model = result.models[0];
  const isPositive = Uint8Array.from(y);
  assert.equal(model.rocAuc, rocAuc(score, isPositive));
  for (const curve of [model.roc, model.pr]) {
    assert.ok(curve.x.length <= 500 && curve.x.length > 50, `${curve.x.length} points`);
    assert.ok(curve.originalPoints > 10_000);
    assert.ok(curve.chosenIndex !== null);
    assert.ok(curve.maxDeviation < 0.01, `deviation ${curve.maxDeviation}`);
  }
  assert.ok(model.sweep.threshold.length <= 500);
  assert.ok(model.sweep.cost !== null);
  const chosen = model.chosen;
  assert.ok(chosen !== null && model.sweep.chosenIndex !== null);
  assert.equal(model.sweep.cost[model.sweep.chosenIndex], chosen.objective);
  assert.equal(Math.min(...model.sweep.cost), chosen.objective);
  // The thinned ROC stays within its reported deviation of the full curve.
  const full = { x: [] as number[], y: [] as number[] };
  const order = Array.from(score.keys()).sort((a, b) => score[b] - score[a]);
  const positives = isPositive.reduce((a, b) => a + b, 0);
  let tp = 0;
  let fp = 0;
  full.x.push(0);
  full.y.push(0);
  order.forEach((row, i) => {
    if (isPositive[row]) tp++;
    else fp++;
    if (i + 1 === n || score[order[i + 1]] !== score[row]) {
      full.x.push(fp / (n - positives));
      full.y.push(tp / positives);
    }
  });
  assert.equal(full.x.length, model.roc.originalPoints);
  const kept = model.roc.x.map((x, i) => {
    let j = 0;
    while (!(full.x[j] === x && full.y[j] === model.roc.y[i])) j++;
    return j;
  });
  const keptSet = new Set(kept);
  const sample = (values: number[]) => values.filter((_, i) => i % 50 === 0 || keptSet.has(i));
  const sampledRows = sample(full.x.map((_, i) => i));
  const sampledIndices = kept.map((j) => sampledRows.indexOf(j));
  const deviation = deviationFromThinned([sample(full.x), sample(full.y)], sampledIndices);
  assert.ok(
    deviation <= model.roc.maxDeviation + 1e-12,
    `${deviation} > ${model.roc.maxDeviation}`,
  );
});
