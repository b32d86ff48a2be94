/**
 * Properties of the score metrics over random inputs (fast-check, fixed seeds), and
 * agreement with deliberately naive reference computations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { calibration } from '../../engine/metrics/calibration.js';
import {
  rocCurveFromScoreCurve,
  rocPrSummary,
  scoreCurve,
  sortFloat64Ascending,
} from '../../engine/metrics/curves.js';
import { logLoss } from '../../engine/metrics/scores.js';
import { pickThreshold, thresholdSweep } from '../../engine/metrics/threshold.js';
import {
  multiclassLogLoss,
  ovrRocAuc,
  topKAccuracy,
} from '../../engine/metrics/multiclass-scores.js';

const RUNS = { seed: 20240611, numRuns: 300 };

interface Labelled {
  readonly scores: Float64Array;
  readonly isPositive: Uint8Array;
}

/** Rows with integer scores in a small range (many ties), both classes present. */
const tiedRows: fc.Arbitrary<Labelled> = fc
  .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.boolean()), {
    minLength: 2,
    maxLength: 60,
  })
  .filter((rows) => rows.some((r) => r[1]) && rows.some((r) => !r[1]))
  .map((rows) => ({
    scores: Float64Array.from(rows, (r) => r[0]),
    isPositive: Uint8Array.from(rows, (r) => (r[1] ? 1 : 0)),
  }));

/** Rows with arbitrary finite scores; a class may be missing. */
const anyRows: fc.Arbitrary<Labelled> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.integer({ min: 0, max: 10 }).map((k) => k / 10),
      ),
      fc.boolean(),
    ),
    { minLength: 1, maxLength: 80 },
  )
  .map((rows) => ({
    scores: Float64Array.from(rows, (r) => r[0]),
    isPositive: Uint8Array.from(rows, (r) => (r[1] ? 1 : 0)),
  }));

/** AUC as the Mann-Whitney probability P(score⁺ > score⁻) + ½·P(tie), over all pairs. */
function pairwiseAuc({ scores, isPositive }: Labelled): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!isPositive[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (isPositive[j]) continue;
      pairs++;
      if (scores[i] > scores[j]) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

/** Average precision straight from its definition, one distinct threshold at a time. */
function naiveAveragePrecision({ scores, isPositive }: Labelled): number {
  const positives = isPositive.reduce((a, b) => a + b, 0);
  const thresholds = [...new Set(Array.from(scores))].sort((a, b) => b - a);
  let ap = 0;
  let previousRecall = 0;
  for (const t of thresholds) {
    let tp = 0;
    let predicted = 0;
    scores.forEach((s, i) => {
      if (s >= t) {
        predicted++;
        tp += isPositive[i];
      }
    });
    const recall = tp / positives;
    ap += (recall - previousRecall) * (tp / predicted);
    previousRecall = recall;
  }
  return ap;
}

function close(actual: number | null, expected: number, tol = 1e-12): boolean {
  return actual !== null && Math.abs(actual - expected) <= tol;
}

test('scoreCurve counts agree with counting each threshold directly', () => {
  fc.assert(
    fc.property(anyRows, (rows) => {
      const curve = scoreCurve(rows.scores, rows.isPositive);
      const distinct = [...new Set(Array.from(rows.scores, (s) => (s === 0 ? 0 : s)))];
      assert.deepEqual(
        Array.from(curve.thresholds, (s) => (s === 0 ? 0 : s)),
        distinct.sort((a, b) => b - a),
      );
      curve.thresholds.forEach((t, k) => {
        let tp = 0;
        let fp = 0;
        rows.scores.forEach((s, i) => {
          if (s >= t) {
            if (rows.isPositive[i]) tp++;
            else fp++;
          }
        });
        assert.equal(curve.tps[k], tp);
        assert.equal(curve.fps[k], fp);
      });
    }),
    RUNS,
  );
});

test('ROC AUC equals the pairwise (Mann-Whitney) probability', () => {
  fc.assert(
    fc.property(tiedRows, (rows) =>
      close(rocPrSummary(rows.scores, rows.isPositive).rocAuc, pairwiseAuc(rows)),
    ),
    RUNS,
  );
});

test('AUC of reversed scores is 1 − AUC', () => {
  fc.assert(
    fc.property(fc.oneof(tiedRows, anyRows), (rows) => {
      const auc = rocPrSummary(rows.scores, rows.isPositive).rocAuc;
      const reversed = rocPrSummary(
        rows.scores.map((s) => -s),
        rows.isPositive,
      ).rocAuc;
      if (auc === null) return reversed === null;
      return close(reversed, 1 - auc);
    }),
    RUNS,
  );
});

test('AUC is unchanged by a strictly increasing transform and by row order', () => {
  fc.assert(
    fc.property(tiedRows, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (rows, seed) => {
      const auc = rocPrSummary(rows.scores, rows.isPositive).rocAuc;
      // Integer scores in [−20, 20]: both transforms stay strictly increasing in float64.
      const cubed = rocPrSummary(
        rows.scores.map((s) => s * s * s + 7),
        rows.isPositive,
      ).rocAuc;
      const exponential = rocPrSummary(
        rows.scores.map((s) => Math.exp(s / 3)),
        rows.isPositive,
      ).rocAuc;
      // A seeded shuffle of the rows.
      const order = Array.from(rows.scores, (_, i) => i);
      let state = seed;
      for (let i = order.length - 1; i > 0; i--) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        const j = state % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const shuffled = rocPrSummary(
        Float64Array.from(order, (i) => rows.scores[i]),
        Uint8Array.from(order, (i) => rows.isPositive[i]),
      );
      const original = rocPrSummary(rows.scores, rows.isPositive);
      assert.equal(cubed, auc);
      assert.equal(exponential, auc);
      assert.equal(shuffled.rocAuc, auc);
      assert.deepEqual(shuffled.roc, original.roc);
      assert.deepEqual(shuffled.pr, original.pr);
      assert.equal(shuffled.averagePrecision, original.averagePrecision);
    }),
    RUNS,
  );
});

test('average precision lies in [0, 1] and matches its definition', () => {
  fc.assert(
    fc.property(anyRows, (rows) => {
      const ap = rocPrSummary(rows.scores, rows.isPositive).averagePrecision;
      assert.ok(ap >= 0 && ap <= 1, `${ap}`);
      if (rows.isPositive.some((p) => p === 1)) {
        assert.ok(close(ap, naiveAveragePrecision(rows)), `${ap}`);
      } else {
        assert.equal(ap, 0);
      }
    }),
    RUNS,
  );
});

test('ROC curves are monotone from (0, 0) to (1, 1); dropping keeps the area', () => {
  fc.assert(
    fc.property(fc.oneof(tiedRows, anyRows), fc.boolean(), (rows, drop) => {
      const curve = scoreCurve(rows.scores, rows.isPositive);
      const roc = rocCurveFromScoreCurve(curve, drop);
      const m = roc.thresholds.length;
      for (let i = 1; i < m; i++) {
        assert.ok(roc.thresholds[i] < roc.thresholds[i - 1]);
        if (curve.negatives > 0) assert.ok(roc.fpr[i] >= roc.fpr[i - 1]);
        if (curve.positives > 0) assert.ok(roc.tpr[i] >= roc.tpr[i - 1]);
      }
      if (curve.negatives > 0) assert.deepEqual([roc.fpr[0], roc.fpr[m - 1]], [0, 1]);
      if (curve.positives > 0) assert.deepEqual([roc.tpr[0], roc.tpr[m - 1]], [0, 1]);
      if (curve.negatives > 0 && curve.positives > 0) {
        let area = 0;
        for (let i = 1; i < m; i++) {
          area += ((roc.fpr[i] - roc.fpr[i - 1]) * (roc.tpr[i] + roc.tpr[i - 1])) / 2;
        }
        assert.ok(close(area, pairwiseAuc(rows), 1e-9), `${area}`);
      }
    }),
    RUNS,
  );
});

test('PR curves end at precision 1, recall 0, with recall never rising', () => {
  fc.assert(
    fc.property(anyRows, (rows) => {
      const { pr } = rocPrSummary(rows.scores, rows.isPositive);
      const m = pr.precision.length;
      assert.equal(pr.recall.length, m);
      assert.equal(pr.thresholds.length, m - 1);
      assert.deepEqual([pr.precision[m - 1], pr.recall[m - 1]], [1, 0]);
      for (let i = 1; i < m; i++) assert.ok(pr.recall[i] <= pr.recall[i - 1]);
      for (let i = 1; i < m - 1; i++) assert.ok(pr.thresholds[i] > pr.thresholds[i - 1]);
      for (const p of pr.precision) assert.ok(p >= 0 && p <= 1);
    }),
    RUNS,
  );
});

test('sweep counts sum to n everywhere, and the best F1 beats every other threshold', () => {
  fc.assert(
    fc.property(tiedRows, (rows) => {
      const curve = scoreCurve(rows.scores, rows.isPositive);
      const sweep = thresholdSweep(curve);
      const n = rows.scores.length;
      const pick = pickThreshold(curve, { kind: 'max-f1' });
      assert.ok(pick.found);
      let atMax = 0;
      for (let r = 0; r < sweep.threshold.length; r++) {
        const { tp, fp, fn, tn } = {
          tp: sweep.tp[r],
          fp: sweep.fp[r],
          fn: sweep.fn[r],
          tn: sweep.tn[r],
        };
        assert.equal(tp + fp + fn + tn, n);
        const exactF1 = (2 * tp) / (2 * tp + fp + fn);
        assert.ok(pick.objective >= exactF1);
        // F1 formed from the float P and R (as reported) can split an exact tie by an ulp:
        // 6/9 and 8/12 come out as 0.6666666666666665 and 0.6666666666666666. Ties are
        // judged on the exact ratio, so compare the reported values only off the tie.
        if (exactF1 < pick.objective) assert.ok(pick.point.metrics.f1 > sweep.f1[r]);
        if (exactF1 === pick.objective) {
          atMax++;
          assert.ok(sweep.threshold[r] <= pick.point.threshold);
        }
      }
      assert.equal(atMax, pick.tiedThresholds);
    }),
    RUNS,
  );
});

test('a cost pick is never beaten by another threshold, and ties go up', () => {
  fc.assert(
    fc.property(
      tiedRows,
      fc.integer({ min: 0, max: 10 }),
      fc.integer({ min: 0, max: 10 }),
      (rows, costFp, costFn) => {
        const curve = scoreCurve(rows.scores, rows.isPositive);
        const costs = { falsePositive: costFp, falseNegative: costFn };
        const pick = pickThreshold(curve, { kind: 'min-cost', costs });
        const sweep = thresholdSweep(curve, { costs });
        assert.ok(pick.found);
        const cost = sweep.cost ?? new Float64Array(0);
        for (let r = 0; r < cost.length; r++) {
          assert.ok(pick.objective <= cost[r]);
          if (cost[r] === pick.objective) assert.ok(sweep.threshold[r] <= pick.point.threshold);
        }
      },
    ),
    RUNS,
  );
});

test('the bucket sort equals the native sort on any finite doubles', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.double({ noNaN: true }),
          fc.double({ noNaN: true, min: 0, max: 1 }),
          fc.integer({ min: 0, max: 3 }),
        ),
        { maxLength: 6000 },
      ),
      (values) => {
        // −0 and +0 are equal scores and may come out in either order.
        const ours = Array.from(sortFloat64Ascending(Float64Array.from(values)), (v) => v + 0);
        const native = Array.from(Float64Array.from(values).sort(), (v) => v + 0);
        assert.deepEqual(ours, native);
      },
    ),
    { seed: 7, numRuns: 60 },
  );
});

test('calibration: counts add up, ECE ≤ MCE, and each score sits in the numpy bin', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.double({ noNaN: true, min: 0, max: 1 }), fc.boolean()), {
        minLength: 1,
        maxLength: 60,
      }),
      fc.integer({ min: 1, max: 25 }),
      (rows, nBins) => {
        const scores = Float64Array.from(rows, (r) => r[0]);
        const isPositive = Uint8Array.from(rows, (r) => (r[1] ? 1 : 0));
        const result = calibration(scores, isPositive, { nBins });
        const inner = Array.from(result.binEdges).slice(1, -1);
        const counts = new Array(nBins).fill(0);
        for (const s of scores) counts[inner.filter((edge) => edge < s).length]++;
        assert.deepEqual(
          result.bins.map((b) => b.count),
          counts,
        );
        assert.ok(result.ece <= result.mce + 1e-15);
        assert.ok(result.ece >= 0 && result.mce <= 1);
      },
    ),
    RUNS,
  );
});

/** Probability rows over k classes, each row normalised to sum 1. */
const multiclassRows = fc.integer({ min: 2, max: 5 }).chain((k) =>
  fc
    .array(
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: k, maxLength: k }),
        fc.integer({ min: 0, max: k - 1 }),
      ),
      { minLength: 1, maxLength: 40 },
    )
    .map((rows) => {
      const probabilities = Array.from({ length: k }, () => new Float64Array(rows.length));
      rows.forEach(([weights, _], i) => {
        const total = weights.reduce((a, b) => a + b, 0);
        weights.forEach((w, c) => {
          probabilities[c][i] = total === 0 ? 1 / k : w / total;
        });
      });
      return { k, probabilities, trueClass: Int32Array.from(rows, (r) => r[1]) };
    }),
);

test('top-k accuracy grows with k, reaches 1 at k = classes, and breaks ties as sklearn', () => {
  fc.assert(
    fc.property(multiclassRows, ({ k, probabilities, trueClass }) => {
      let previous = 0;
      for (let top = 1; top <= k; top++) {
        const accuracy = topKAccuracy(probabilities, trueClass, top);
        assert.ok(accuracy >= previous);
        previous = accuracy;
        // Reference: rank classes by a stable ascending sort of the probabilities, reversed.
        let hits = 0;
        trueClass.forEach((t, i) => {
          const ranked = Array.from({ length: k }, (_, c) => c)
            .sort((a, b) => probabilities[a][i] - probabilities[b][i])
            .reverse();
          if (ranked.slice(0, top).includes(t)) hits++;
        });
        assert.equal(accuracy, hits / trueClass.length);
      }
      assert.equal(previous, 1);
    }),
    RUNS,
  );
});

test('one-vs-rest AUC per class is the binary AUC of that column', () => {
  fc.assert(
    fc.property(multiclassRows, ({ k, probabilities, trueClass }) => {
      const result = ovrRocAuc(probabilities, trueClass);
      let allPresent = true;
      for (let c = 0; c < k; c++) {
        const isClass = Uint8Array.from(trueClass, (t) => (t === c ? 1 : 0));
        const binary = isClass.some((v) => v === 0) && isClass.some((v) => v === 1);
        allPresent &&= isClass.some((v) => v === 1);
        const expected = binary ? rocPrSummary(probabilities[c], isClass).rocAuc : null;
        assert.equal(result.perClass[c], expected);
      }
      if (!allPresent) assert.equal(result.macro, null);
    }),
    RUNS,
  );
});

test('two-class log loss agrees with the binary log loss', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.double({ noNaN: true, min: 0, max: 1 }), fc.boolean()), {
        minLength: 1,
        maxLength: 50,
      }),
      (rows) => {
        const p = Float64Array.from(rows, (r) => r[0]);
        const isPositive = Uint8Array.from(rows, (r) => (r[1] ? 1 : 0));
        const binary = logLoss(p, isPositive);
        const multi = multiclassLogLoss([p.map((x) => 1 - x), p], Int32Array.from(isPositive));
        assert.ok(Math.abs(binary - multi) <= 1e-9 * Math.max(1, binary), `${binary} ${multi}`);
      },
    ),
    RUNS,
  );
});
