import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../../engine/errors.js';
import { calibration, uniformBinEdges } from '../../engine/metrics/calibration.js';
import { csvIndicator, csvNumbers, readCsvRows } from '../helpers/csv.js';
import { assertGolden, goldenPath, readExpected } from '../helpers/golden.js';

test('calibration_10_bins: bins, sklearn arrays, ECE, MCE and Brier match', () => {
  const expected = readExpected('calibration_10_bins');
  const csv = readCsvRows(goldenPath('calibration_10_bins'));
  const isPositive = csvIndicator(csv, expected.label_column, String(expected.positive_label));
  for (const model of Object.keys(expected.score_columns)) {
    const result = calibration(csvNumbers(csv, expected.score_columns[model]), isPositive, {
      nBins: 10,
    });
    const want = expected.models[model];
    assertGolden(
      {
        n_bins: result.nBins,
        bin_edges: result.binEdges,
        bins: result.bins.map((b) => ({
          bin: b.bin,
          lower: b.lower,
          upper: b.upper,
          count: b.count,
          positives: b.positives,
          mean_predicted: b.meanPredicted,
          fraction_positive: b.fractionPositive,
          abs_gap: b.absGap,
        })),
        sklearn_prob_true: result.probTrue,
        sklearn_prob_pred: result.probPred,
        ece: result.ece,
        mce: result.mce,
        brier_score: result.brierScore,
      },
      want,
      model,
    );
    // The edges are numpy's bit for bit, not merely close.
    assert.deepEqual(Array.from(result.binEdges), want.bin_edges);
  }
});

test('bin edges are numpy.linspace(0, 1, n + 1) exactly', () => {
  // Printed by numpy 2.4 (np.linspace(0, 1, 21)).
  assert.deepEqual(
    Array.from(uniformBinEdges(20)),
    [
      0, 0.05, 0.1, 0.15000000000000002, 0.2, 0.25, 0.30000000000000004, 0.35000000000000003, 0.4,
      0.45, 0.5, 0.55, 0.6000000000000001, 0.65, 0.7000000000000001, 0.75, 0.8, 0.8500000000000001,
      0.9, 0.9500000000000001, 1,
    ],
  );
  assert.deepEqual(Array.from(uniformBinEdges(3)), [0, 0.3333333333333333, 0.6666666666666666, 1]);
});

test('a score on an edge goes to the bin below it, as numpy.searchsorted places it', () => {
  // numpy: searchsorted(linspace(0,1,11)[1:-1], s) for these scores is
  // [0, 0, 1, 2, 2, 3, 6, 6, 9].
  const scores = [0, 0.1, 0.1000000001, 0.3, 0.30000000000000004, 0.3000000000000001, 0.7];
  scores.push(0.7000000000000001, 1);
  const expectedBins = [0, 0, 1, 2, 2, 3, 6, 6, 9];
  const result = calibration(Float64Array.from(scores), new Uint8Array(scores.length));
  const counts = new Array(10).fill(0);
  for (const b of expectedBins) counts[b]++;
  assert.deepEqual(
    result.bins.map((b) => b.count),
    counts,
  );
});

test('empty bins have null means and are left out of ECE and the sklearn arrays', () => {
  const scores = Float64Array.from([0.05, 0.15, 0.95, 0.95]);
  const isPositive = Uint8Array.from([0, 1, 1, 0]);
  const result = calibration(scores, isPositive, { nBins: 5 });
  assert.deepEqual(
    result.bins.map((b) => b.count),
    [2, 0, 0, 0, 2],
  );
  assert.equal(result.bins[1].meanPredicted, null);
  assert.equal(result.bins[1].fractionPositive, null);
  assert.equal(result.bins[1].absGap, null);
  assert.deepEqual(Array.from(result.probTrue), [0.5, 0.5]);
  assert.deepEqual(Array.from(result.probPred), [(0.05 + 0.15) / 2, 0.95]);
  const gapLow = Math.abs(0.5 - (0.05 + 0.15) / 2);
  const gapHigh = Math.abs(0.5 - 0.95);
  assert.ok(Math.abs(result.ece - (0.5 * gapLow + 0.5 * gapHigh)) < 1e-15);
  assert.equal(result.mce, gapHigh);
});

test('out-of-range scores and bad bin counts are errors', () => {
  assert.throws(
    () => calibration(Float64Array.from([0.2, -0.1]), Uint8Array.from([0, 1])),
    (error: unknown) =>
      error instanceof EngineError &&
      error.code === 'score-out-of-range' &&
      error.location.row === 2,
  );
  for (const nBins of [0, 2.5, NaN]) {
    assert.throws(
      () => calibration(Float64Array.from([0.2]), Uint8Array.from([1]), { nBins }),
      (error: unknown) => error instanceof EngineError && error.code === 'bad-argument',
    );
  }
});
