import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError, type CancelToken } from '../../engine/errors.js';
import { Rng } from '../../engine/random.js';
import {
  averagePrecision,
  prCurve,
  rocAuc,
  rocCurve,
  rocCurveFromScoreCurve,
  rocPrSummary,
  scoreCurve,
  sortFloat64Ascending,
} from '../../engine/metrics/curves.js';
import { brierScore, logLoss } from '../../engine/metrics/scores.js';
import { pickThreshold } from '../../engine/metrics/threshold.js';
import {
  multiclassLogLoss,
  ovrRocAuc,
  topKAccuracy,
} from '../../engine/metrics/multiclass-scores.js';
import { csvColumn, csvIndicator, csvNumbers, readCsvRows } from '../helpers/csv.js';
import { assertGolden, goldenCases, goldenPath, readExpected } from '../helpers/golden.js';

const SCORE_CASES = [
  'binary_spam_ham',
  'binary_int_labels',
  'scores_with_ties',
  'scores_continuous',
  'perfect_predictions',
];

test('every golden case with scores is covered here', () => {
  const withScores = goldenCases((expected) => expected.scores !== undefined);
  assert.deepEqual(withScores, [...SCORE_CASES].sort());
});

for (const caseName of SCORE_CASES) {
  const expected = readExpected(caseName);
  const csv = readCsvRows(goldenPath(caseName));
  const isPositive = csvIndicator(csv, expected.label_column, String(expected.positive_label));
  for (const model of Object.keys(expected.score_columns) as string[]) {
    test(`${caseName} ${model}: score metrics match scikit-learn`, () => {
      const want = expected.scores[model];
      const scores = csvNumbers(csv, expected.score_columns[model]);
      const summary = rocPrSummary(scores, isPositive);
      assertGolden(summary.rocAuc, want.roc_auc, 'roc_auc');
      assertGolden(summary.averagePrecision, want.average_precision, 'average_precision');
      assertGolden(logLoss(scores, isPositive), want.log_loss, 'log_loss');
      assertGolden(brierScore(scores, isPositive), want.brier_score, 'brier_score');
      assertGolden(summary.roc, want.roc_curve, 'roc_curve');
      assertGolden(rocCurveFromScoreCurve(summary.curve, false), want.roc_curve_all, 'roc_all');
      assertGolden(summary.pr, want.pr_curve, 'pr_curve');

      const f1 = pickThreshold(summary.curve, { kind: 'max-f1' });
      assert.ok(f1.found);
      assertGolden(
        {
          threshold: f1.point.threshold,
          f1: f1.point.metrics.f1,
          precision: f1.point.metrics.precision,
          recall: f1.point.metrics.recall,
          tp: f1.point.tp,
          fp: f1.point.fp,
          fn: f1.point.fn,
          tn: f1.point.tn,
          n_thresholds_with_max_f1: f1.tiedThresholds,
        },
        want.best_f1,
        'best_f1',
      );

      const recall = pickThreshold(summary.curve, { kind: 'min-recall', recall: 0.9 });
      assert.ok(recall.found);
      assertGolden(
        {
          threshold: recall.point.threshold,
          recall: recall.point.metrics.recall,
          precision: recall.point.metrics.precision,
          tp: recall.point.tp,
          fp: recall.point.fp,
        },
        want.recall_at_least_0_9,
        'recall_at_least_0_9',
      );

      // The one-call forms agree with the shared pass.
      assert.equal(rocAuc(scores, isPositive), summary.rocAuc);
      assert.equal(averagePrecision(scores, isPositive), summary.averagePrecision);
      assert.deepEqual(prCurve(scores, isPositive), summary.pr);
      assert.deepEqual(rocCurve(scores, isPositive, { dropIntermediate: true }), summary.roc);
    });
  }
}

test('scores_continuous: drop_intermediate really drops points there', () => {
  const expected = readExpected('scores_continuous');
  const all = expected.scores.base.roc_curve_all.thresholds.length;
  const dropped = expected.scores.base.roc_curve.thresholds.length;
  assert.ok(dropped < all, `${dropped} < ${all}`);
});

test('multiclass_intent_4: log loss, one-vs-rest AUC and top-2 accuracy match', () => {
  const expected = readExpected('multiclass_intent_4');
  const csv = readCsvRows(goldenPath('multiclass_intent_4'));
  const classes: string[] = expected.probability_class_order;
  const truth = csvColumn(csv, expected.label_column);
  const trueClass = Int32Array.from(truth, (label) => classes.indexOf(label));
  assert.ok(trueClass.every((c) => c >= 0));
  for (const model of Object.keys(expected.probabilities)) {
    const columns = classes.map((c) => csvNumbers(csv, expected.probability_columns[model][c]));
    const want = expected.probabilities[model];
    assertGolden(multiclassLogLoss(columns, trueClass), want.log_loss, `${model}.log_loss`);
    const auc = ovrRocAuc(columns, trueClass);
    assertGolden(auc.macro, want.roc_auc_ovr_macro, `${model}.macro`);
    assertGolden(auc.weighted, want.roc_auc_ovr_weighted, `${model}.weighted`);
    assert.deepEqual(auc.support, [150, 75, 45, 30]);
    assertGolden(topKAccuracy(columns, trueClass, 2), want.top_2_accuracy, `${model}.top2`);
    // Top-1 accuracy equals plain accuracy of the arg-max predictions in the file.
    const predicted = csvColumn(csv, expected.prediction_columns[model]);
    const correct = predicted.filter((p, i) => p === truth[i]).length;
    assert.equal(topKAccuracy(columns, trueClass, 1), correct / truth.length);
    assert.equal(topKAccuracy(columns, trueClass, 4), 1);
  }
});

test('scoreCurve: distinct thresholds from high to low with cumulative counts', () => {
  const scores = Float64Array.from([0.1, 0.4, 0.35, 0.8, 0.4]);
  const isPositive = Uint8Array.from([0, 0, 1, 1, 1]);
  const curve = scoreCurve(scores, isPositive);
  assert.deepEqual(Array.from(curve.thresholds), [0.8, 0.4, 0.35, 0.1]);
  assert.deepEqual(Array.from(curve.tps), [1, 2, 3, 3]);
  assert.deepEqual(Array.from(curve.fps), [0, 1, 1, 2]);
  assert.equal(curve.positives, 3);
  assert.equal(curve.negatives, 2);
});

test('the textbook example: sklearn roc_curve([0,0,1,1], [0.1,0.4,0.35,0.8])', () => {
  const scores = Float64Array.from([0.1, 0.4, 0.35, 0.8]);
  const isPositive = Uint8Array.from([0, 0, 1, 1]);
  const roc = rocCurve(scores, isPositive);
  assert.deepEqual(Array.from(roc.fpr), [0, 0, 0.5, 0.5, 1]);
  assert.deepEqual(Array.from(roc.tpr), [0, 0.5, 0.5, 1, 1]);
  assert.deepEqual(Array.from(roc.thresholds), [1.8, 0.8, 0.4, 0.35, 0.1]);
  assert.equal(rocAuc(scores, isPositive), 0.75);
  // sklearn: average_precision_score gives 0.8333333333333333 here.
  assert.equal(averagePrecision(scores, isPositive), 0.8333333333333333);
  const pr = prCurve(scores, isPositive);
  assert.deepEqual(Array.from(pr.precision), [0.5, 2 / 3, 0.5, 1, 1]);
  assert.deepEqual(Array.from(pr.recall), [1, 1, 0.5, 0.5, 0]);
  assert.deepEqual(Array.from(pr.thresholds), [0.1, 0.35, 0.4, 0.8]);
});

test('one class only: rates of the absent class are NaN, AUC null, PR recall 1', () => {
  const scores = Float64Array.from([0.2, 0.7, 0.7]);
  const noPositives = rocPrSummary(scores, Uint8Array.from([0, 0, 0]));
  assert.equal(noPositives.rocAuc, null);
  assert.ok(Array.from(noPositives.roc.tpr).every(Number.isNaN));
  assert.deepEqual(Array.from(noPositives.roc.fpr), [0, 2 / 3, 1]);
  assert.deepEqual(Array.from(noPositives.pr.recall), [1, 1, 0]);
  assert.deepEqual(Array.from(noPositives.pr.precision), [0, 0, 1]);
  assert.equal(noPositives.averagePrecision, 0);

  const noNegatives = rocPrSummary(scores, Uint8Array.from([1, 1, 1]));
  assert.equal(noNegatives.rocAuc, null);
  assert.ok(Array.from(noNegatives.roc.fpr).every(Number.isNaN));
  assert.equal(noNegatives.averagePrecision, 1);
});

test('a single row still gives a curve', () => {
  const summary = rocPrSummary(Float64Array.from([0.3]), Uint8Array.from([1]));
  assert.deepEqual(Array.from(summary.roc.thresholds), [1.3, 0.3]);
  assert.deepEqual(Array.from(summary.roc.tpr), [0, 1]);
  assert.deepEqual(Array.from(summary.pr.precision), [1, 1]);
  assert.deepEqual(Array.from(summary.pr.recall), [1, 0]);
  assert.equal(summary.averagePrecision, 1);
});

test('a missing score is an error that names the row and column', () => {
  const scores = Float64Array.from([0.2, 0.5, NaN, 0.1]);
  assert.throws(
    () => scoreCurve(scores, Uint8Array.from([0, 1, 1, 0]), { source: { column: 'ft_score' } }),
    (error: unknown) =>
      error instanceof EngineError &&
      error.code === 'missing-value' &&
      error.location.row === 3 &&
      error.location.column === 'ft_score' &&
      /row 3/.test(error.message),
  );
  assert.throws(
    () => scoreCurve(Float64Array.from([Infinity]), Uint8Array.from([1])),
    (error: unknown) => error instanceof EngineError && error.code === 'score-out-of-range',
  );
  assert.throws(
    () => scoreCurve(Float64Array.from([0.1, 0.2]), Uint8Array.from([1])),
    (error: unknown) => error instanceof EngineError && error.code === 'length-mismatch',
  );
  assert.throws(
    () => scoreCurve(new Float64Array(0), new Uint8Array(0)),
    (error: unknown) => error instanceof EngineError && error.code === 'bad-argument',
  );
});

test('probability metrics refuse scores outside [0, 1], naming the row', () => {
  const scores = Float64Array.from([0.2, 1.5]);
  const isPositive = Uint8Array.from([0, 1]);
  for (const metric of [logLoss, brierScore]) {
    assert.throws(
      () => metric(scores, isPositive),
      (error: unknown) =>
        error instanceof EngineError &&
        error.code === 'score-out-of-range' &&
        error.location.row === 2,
    );
  }
  // ROC needs only an order, so any finite score is fine there.
  assert.equal(rocAuc(scores, isPositive), 1);
});

test('log loss clips 0 and 1 as sklearn does', () => {
  const isPositive = Uint8Array.from([1, 0]);
  const worst = logLoss(Float64Array.from([0, 1]), isPositive);
  // −log(eps) = 36.04365338911715 for both rows.
  assert.equal(worst, 36.04365338911715);
  // numpy gives −log(1 − eps) = 2.220446049250313e-16; V8's log differs in the last bit.
  const best = logLoss(Float64Array.from([1, 0]), isPositive);
  assert.ok(Math.abs(best / 2.220446049250313e-16 - 1) < 1e-14, `${best}`);
});

test('a cancelled token stops the pass', () => {
  assert.throws(
    () =>
      scoreCurve(Float64Array.from([0.1, 0.2]), Uint8Array.from([0, 1]), {
        cancel: { cancelled: true },
      }),
    (error: unknown) => error instanceof EngineError && error.code === 'interrupted',
  );
});

test('the bucket sort agrees with the native sort on awkward inputs', () => {
  const inputs: number[][] = [
    [],
    [3],
    Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000),
    Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? 1e-300 * i : -i)),
    Array.from({ length: 10000 }, (_, i) => (i % 2 === 0 ? 1e-9 * (i % 17) : 1 - 1e-9 * (i % 13))),
    Array.from({ length: 6000 }, (_, i) => (i % 5 === 0 ? -1e308 : 1e308 * ((i % 7) / 7))),
    Array.from({ length: 4000 }, () => 0.5),
  ];
  for (const input of inputs) {
    const ours = sortFloat64Ascending(Float64Array.from(input));
    const native = Float64Array.from(input).sort();
    assert.deepEqual(Array.from(ours), Array.from(native));
  }
});

/** The curve by a map from score to class counts: slow, obviously right. */
function referenceCurve(scores: Float64Array, isPositive: Uint8Array) {
  const byScore = new Map<number, [number, number]>();
  scores.forEach((s, i) => {
    const counts = byScore.get(s) ?? [0, 0];
    counts[isPositive[i] ? 0 : 1]++;
    byScore.set(s, counts);
  });
  const thresholds = [...byScore.keys()].sort((a, b) => b - a);
  let tp = 0;
  let fp = 0;
  const tps: number[] = [];
  const fps: number[] = [];
  for (const t of thresholds) {
    const [p, n] = byScore.get(t) ?? [0, 0];
    tp += p;
    fp += n;
    tps.push(tp);
    fps.push(fp);
  }
  return { thresholds: thresholds.map((t) => t + 0), tps, fps };
}

test('large inputs (the bucketed pass) give the same curve as counting by score', () => {
  const rng = new Rng(99);
  const n = 60_000;
  const distributions: Record<string, () => number> = {
    continuous: () => rng.nextFloat(),
    ties: () => Math.round(rng.nextFloat() * 100) / 100,
    clipped: () => Math.min(1, Math.max(0, rng.nextFloat() * 1.6 - 0.3)),
    signedZeros: () =>
      rng.nextInt(3) === 0 ? -0 : rng.nextInt(2) === 0 ? 0 : rng.nextFloat() - 0.5,
    skewed: () => (rng.nextInt(2) === 0 ? rng.nextFloat() * 1e-12 : 1 - rng.nextFloat() * 1e-12),
    clustered: () => (rng.nextInt(100) === 0 ? 1e6 * rng.nextFloat() : rng.nextFloat() * 1e-3),
    hugeRange: () => (rng.nextInt(2) === 0 ? -1e308 : 1e308) * rng.nextFloat(),
    constant: () => 0.25,
  };
  for (const [name, draw] of Object.entries(distributions)) {
    const scores = new Float64Array(n);
    const isPositive = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      scores[i] = draw();
      isPositive[i] = rng.nextInt(10) < 3 ? 1 : 0;
    }
    const curve = scoreCurve(scores, isPositive);
    const reference = referenceCurve(scores, isPositive);
    assert.deepEqual(
      Array.from(curve.thresholds, (t) => t + 0),
      reference.thresholds,
      `${name}: thresholds`,
    );
    assert.deepEqual(Array.from(curve.tps), reference.tps, `${name}: tps`);
    assert.deepEqual(Array.from(curve.fps), reference.fps, `${name}: fps`);
  }
});

test('a long pass polls the cancel token as it goes, not only while checking', () => {
  const n = 2_500_000;
  const rng = new Rng(5);
  const scores = new Float64Array(n);
  const isPositive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = rng.nextFloat();
    isPositive[i] = rng.nextInt(2);
  }
  // The input check polls once per 2^20 rows (3 times here), the pass once before
  // bucketing; cancel on the first poll of the merge that follows.
  let polls = 0;
  const token: CancelToken = {
    get cancelled() {
      polls++;
      return polls > 4;
    },
  };
  assert.throws(
    () => scoreCurve(scores, isPositive, { cancel: token }),
    (error: unknown) => error instanceof EngineError && error.code === 'interrupted',
  );
  assert.equal(polls, 5);
});
