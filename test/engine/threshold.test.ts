import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../../engine/errors.js';
import { binaryMetricsFromCounts } from '../../engine/metrics/counts.js';
import { scoreCurve } from '../../engine/metrics/curves.js';
import {
  analyseThreshold,
  countsAtThreshold,
  operatingPoint,
  pickThreshold,
  pickThresholdForScores,
  thresholdSweep,
  type ThresholdPick,
  type ThresholdRule,
} from '../../engine/metrics/threshold.js';
import { csvIndicator, csvNumbers, readCsvRows } from '../helpers/csv.js';
import { goldenPath, readExpected } from '../helpers/golden.js';

// Four rows, from the highest score down: positive, negative, negative, positive.
const scores = Float64Array.from([0.6, 0.9, 0.7, 0.8]);
const isPositive = Uint8Array.from([1, 1, 0, 0]);
const curve = scoreCurve(scores, isPositive);

function picked(pick: ThresholdPick): Extract<ThresholdPick, { found: true }> {
  assert.ok(pick.found, pick.found ? '' : pick.reason);
  return pick;
}

test('max F1: equal maxima go to the highest threshold, and the ties are counted', () => {
  // F1 by threshold: 0.9 → 2/3, 0.8 → 1/2, 0.7 → 2/5, 0.6 → 4/6 = 2/3.
  const pick = picked(pickThreshold(curve, { kind: 'max-f1' }));
  assert.equal(pick.point.threshold, 0.9);
  assert.equal(pick.objective, 2 / 3);
  assert.equal(pick.tiedThresholds, 2);
  assert.deepEqual(
    { tp: pick.point.tp, fp: pick.point.fp, fn: pick.point.fn, tn: pick.point.tn },
    { tp: 1, fp: 0, fn: 1, tn: 2 },
  );
  assert.equal(pick.point.metrics.precision, 1);
  assert.equal(pick.point.metrics.recall, 0.5);
});

test('F1 ties are judged on the exact ratio 2TP/(2TP+FP+FN), not on rounded floats', () => {
  // 0 → TP 3, FP 2, FN 1: 6/9; −1 → TP 4, FP 4, FN 0: 8/12. Equal, though F1 from the float
  // precision and recall gives 0.6666666666666665 and 0.6666666666666666.
  const tied = scoreCurve(
    Float64Array.from([0, -1, 0, 0, 0, -1, -1, 0]),
    Uint8Array.from([0, 1, 1, 1, 1, 0, 0, 0]),
  );
  const pick = picked(pickThreshold(tied, { kind: 'max-f1' }));
  assert.equal(pick.point.threshold, 0);
  assert.equal(pick.tiedThresholds, 2);
  assert.equal(pick.objective, 2 / 3);
  assert.equal(pick.point.metrics.f1, 0.6666666666666665);
});

test('max F-beta: beta 2 favours recall, beta 0.5 precision', () => {
  // F2 = 5TP / (5TP + 4FN + FP): 0.9 → 5/9, 0.6 → 10/12; F0.5 = 1.25TP / (1.25TP + 0.25FN + FP).
  const f2 = picked(pickThreshold(curve, { kind: 'max-fbeta', beta: 2 }));
  assert.equal(f2.point.threshold, 0.6);
  assert.equal(f2.objective, 10 / 12);
  const fHalf = picked(pickThreshold(curve, { kind: 'max-fbeta', beta: 0.5 }));
  assert.equal(fHalf.point.threshold, 0.9);
  assert.equal(fHalf.objective, 1.25 / 1.5);
});

test('recall floor: the highest threshold that reaches it', () => {
  const half = picked(pickThreshold(curve, { kind: 'min-recall', recall: 0.5 }));
  assert.equal(half.point.threshold, 0.9);
  assert.equal(half.objective, 0.5);
  const more = picked(pickThreshold(curve, { kind: 'min-recall', recall: 0.51 }));
  assert.equal(more.point.threshold, 0.6);
  assert.equal(more.objective, 1);
});

test('precision floor: the most recall that keeps it, at the highest such threshold', () => {
  // Precision by threshold: 0.9 → 1, 0.8 → 1/2, 0.7 → 1/3, 0.6 → 1/2.
  const half = picked(pickThreshold(curve, { kind: 'min-precision', precision: 0.5 }));
  assert.equal(half.point.threshold, 0.6);
  assert.equal(half.point.metrics.recall, 1);
  const strict = picked(pickThreshold(curve, { kind: 'min-precision', precision: 0.6 }));
  assert.equal(strict.point.threshold, 0.9);
  // One positive on top of three negatives: at a floor of 1/4 the lowest threshold
  // qualifies, but the highest with the same true positives has precision 1.
  const oneOnTop = scoreCurve(Float64Array.from([4, 3, 2, 1]), Uint8Array.from([1, 0, 0, 0]));
  const climbed = picked(pickThreshold(oneOnTop, { kind: 'min-precision', precision: 0.25 }));
  assert.equal(climbed.point.threshold, 4);
  assert.equal(climbed.objective, 1);
});

test('a floor nobody reaches is reported, not thrown', () => {
  const negativeOnTop = scoreCurve(Float64Array.from([0.9, 0.1]), Uint8Array.from([0, 1]));
  const pick = pickThreshold(negativeOnTop, { kind: 'min-precision', precision: 1 });
  assert.equal(pick.found, false);
  assert.match(pick.found ? '' : pick.reason, /precision 1/);
});

test('no positive rows: F-scores and floors are not found', () => {
  const none = scoreCurve(Float64Array.from([0.2, 0.4]), Uint8Array.from([0, 0]));
  const rules: ThresholdRule[] = [
    { kind: 'max-f1' },
    { kind: 'max-fbeta', beta: 2 },
    { kind: 'min-recall', recall: 0.9 },
    { kind: 'min-precision', precision: 0.1 },
  ];
  for (const rule of rules) {
    const pick = pickThreshold(none, rule);
    assert.equal(pick.found, false, rule.kind);
    assert.match(pick.found ? '' : pick.reason, /no positive rows/);
  }
});

test('minimum cost, including predicting nothing positive', () => {
  const even = picked(
    pickThreshold(curve, { kind: 'min-cost', costs: { falsePositive: 1, falseNegative: 1 } }),
  );
  assert.equal(even.point.threshold, 0.9);
  assert.equal(even.objective, 1);
  const missesHurt = picked(
    pickThreshold(curve, { kind: 'min-cost', costs: { falsePositive: 1, falseNegative: 10 } }),
  );
  assert.equal(missesHurt.point.threshold, 0.6);
  assert.equal(missesHurt.objective, 2);
  // Negative on top, false alarms expensive: flag nothing (threshold = top score + 1).
  const negativeOnTop = scoreCurve(Float64Array.from([0.9, 0.1]), Uint8Array.from([0, 1]));
  const nothing = picked(
    pickThreshold(negativeOnTop, {
      kind: 'min-cost',
      costs: { falsePositive: 10, falseNegative: 1 },
    }),
  );
  assert.equal(nothing.point.threshold, 1.9);
  assert.equal(nothing.objective, 1);
  assert.equal(nothing.point.tp + nothing.point.fp, 0);
});

test('a fixed threshold counts score >= t', () => {
  assert.deepEqual(countsAtThreshold(curve, 0.65), { tp: 1, fp: 2, fn: 1, tn: 0 });
  assert.deepEqual(countsAtThreshold(curve, 0.6), { tp: 2, fp: 2, fn: 0, tn: 0 });
  assert.deepEqual(countsAtThreshold(curve, 0.95), { tp: 0, fp: 0, fn: 2, tn: 2 });
  assert.deepEqual(countsAtThreshold(curve, -5), { tp: 2, fp: 2, fn: 0, tn: 0 });
  const pick = picked(pickThreshold(curve, { kind: 'fixed', threshold: 0.75 }));
  assert.equal(pick.point.threshold, 0.75);
  assert.deepEqual(pick.point.metrics, binaryMetricsFromCounts({ tp: 1, fp: 1, fn: 1, tn: 1 }));
  // Nothing predicted positive: precision is 0/0, reported as zero_division.
  const none = operatingPoint(curve, 2, 1);
  assert.equal(none.metrics.precision, 1);
  assert.deepEqual(none.metrics.illDefined, ['precision']);
});

test('bad rule parameters are errors', () => {
  const bad: ThresholdRule[] = [
    { kind: 'max-fbeta', beta: 0 },
    { kind: 'min-recall', recall: 1.5 },
    { kind: 'min-precision', precision: -0.1 },
    { kind: 'min-cost', costs: { falsePositive: -1, falseNegative: 1 } },
    { kind: 'min-cost', costs: { falsePositive: 1, falseNegative: Infinity } },
    { kind: 'fixed', threshold: NaN },
  ];
  for (const rule of bad) {
    assert.throws(
      () => pickThreshold(curve, rule),
      (error: unknown) => error instanceof EngineError && error.code === 'bad-argument',
      rule.kind,
    );
  }
});

test('the sweep lists every distinct score in increasing order', () => {
  const sweep = thresholdSweep(curve, { beta: 2, costs: { falsePositive: 1, falseNegative: 3 } });
  assert.deepEqual(Array.from(sweep.threshold), [0.6, 0.7, 0.8, 0.9]);
  assert.deepEqual(Array.from(sweep.tp), [2, 1, 1, 1]);
  assert.deepEqual(Array.from(sweep.fp), [2, 2, 1, 0]);
  assert.deepEqual(Array.from(sweep.fn), [0, 1, 1, 1]);
  assert.deepEqual(Array.from(sweep.tn), [0, 0, 1, 2]);
  assert.deepEqual(Array.from(sweep.precision), [0.5, 1 / 3, 0.5, 1]);
  assert.deepEqual(Array.from(sweep.recall), [1, 0.5, 0.5, 0.5]);
  assert.deepEqual(Array.from(sweep.specificity), [0, 0, 0.5, 1]);
  assert.deepEqual(Array.from(sweep.accuracy), [0.5, 0.25, 0.5, 0.75]);
  assert.deepEqual(Array.from(sweep.cost ?? []), [2, 5, 4, 3]);
  assert.equal(sweep.beta, 2);
  for (let r = 0; r < 4; r++) {
    const metrics = binaryMetricsFromCounts({
      tp: sweep.tp[r],
      fp: sweep.fp[r],
      fn: sweep.fn[r],
      tn: sweep.tn[r],
    });
    assert.equal(sweep.f1[r], metrics.f1);
    assert.equal(sweep.fbeta?.[r], metrics.f2);
  }
  const plain = thresholdSweep(curve);
  assert.equal(plain.fbeta, null);
  assert.equal(plain.cost, null);
});

test('on golden data the sweep and the picks agree with direct counting', () => {
  const expected = readExpected('binary_spam_ham');
  const csv = readCsvRows(goldenPath('binary_spam_ham'));
  const truth = csvIndicator(csv, 'label', 'spam');
  const ft = csvNumbers(csv, 'ft_score');
  const analysis = analyseThreshold(ft, truth, {
    kind: 'min-cost',
    costs: { falsePositive: 5, falseNegative: 1 },
  });
  const { sweep } = analysis;
  for (let r = 0; r < sweep.threshold.length; r++) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < ft.length; i++) {
      if (ft[i] >= sweep.threshold[r]) {
        if (truth[i]) tp++;
        else fp++;
      }
    }
    assert.equal(sweep.tp[r], tp);
    assert.equal(sweep.fp[r], fp);
    assert.equal(sweep.tp[r] + sweep.fp[r] + sweep.fn[r] + sweep.tn[r], ft.length);
    assert.equal(sweep.cost?.[r], 5 * fp + (84 - tp));
  }
  const pick = picked(analysis.pick);
  const cheapest = Math.min(...Array.from(sweep.cost ?? []), 84);
  assert.equal(pick.objective, cheapest);
  // The predictions at 0.5 in the file are the model's own: same counts as the golden model.
  const atHalf = picked(pickThresholdForScores(ft, truth, { kind: 'fixed', threshold: 0.5 }));
  const model = expected.models.ft;
  assert.deepEqual(
    [atHalf.point.tp, atHalf.point.fp, atHalf.point.fn, atHalf.point.tn],
    [model.tp, model.fp, model.fn, model.tn],
  );
});
