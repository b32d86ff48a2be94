import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  deviationFromThinned,
  takeAt,
  thinPolyline,
  type ThinOptions,
} from '../../engine/analysis/thin.js';
import { EngineError } from '../../engine/errors.js';
import { Rng } from '../../engine/random.js';

/** A random monotone staircase from (0, 0) to (1, 1), like a ROC curve of `n` points. */
function staircase(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const step = rng.nextFloat();
    x[i] = x[i - 1] + (step < 0.5 ? 1 : 0);
    y[i] = y[i - 1] + (step >= 0.3 ? 1 : 0);
  }
  const mx = x[n - 1] || 1;
  const my = y[n - 1] || 1;
  for (let i = 0; i < n; i++) {
    x[i] /= mx;
    y[i] /= my;
  }
  return { x, y };
}

function checkThinning(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: ThinOptions,
): { indices: Int32Array; maxDeviation: number } {
  const n = x.length;
  const result = thinPolyline([x, y], options);
  const { indices } = result;
  assert.equal(indices[0], 0, 'first point kept');
  assert.equal(indices[indices.length - 1], n - 1, 'last point kept');
  for (let k = 1; k < indices.length; k++) assert.ok(indices[k] > indices[k - 1], 'increasing');
  for (const i of options.keep ?? []) assert.ok(indices.includes(i), `forced point ${i} kept`);
  const forced = new Set([0, n - 1, ...(options.keep ?? [])]).size;
  assert.ok(indices.length <= Math.max(options.maxPoints ?? 2000, forced), 'size bounded');
  const deviation = deviationFromThinned([x, y], indices);
  assert.ok(deviation <= result.maxDeviation + 1e-12, `${deviation} > ${result.maxDeviation}`);
  return result;
}

test('thinned curves: subsets with both ends and the forced point, within the reported error', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 3, max: 600 }),
      fc.integer({ min: 0, max: 1 << 30 }),
      fc.integer({ min: 2, max: 80 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (n, seed, maxPoints, keepAt) => {
        const { x, y } = staircase(n, seed);
        const keep = [Math.floor(keepAt * (n - 1))];
        checkThinning(x, y, { maxPoints, keep, tolerance: 1e-4 });
      },
    ),
    { numRuns: 200 },
  );
});

test('with a budget to spare, the error stays below the tolerance', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 3, max: 400 }),
      fc.integer({ min: 0, max: 1 << 30 }),
      (n, seed) => {
        const { x, y } = staircase(n, seed);
        const result = checkThinning(x, y, { maxPoints: n, tolerance: 1e-3 });
        assert.ok(result.maxDeviation <= 1e-3);
        assert.ok(deviationFromThinned([x, y], result.indices) <= 1e-3);
      },
    ),
    { numRuns: 100 },
  );
});

test('collinear points are dropped, corners are kept', () => {
  // (0,0) → (0,1) → (1,1) sampled at 11 points per side: only the corner matters.
  const x = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  const y = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
  const result = thinPolyline([x, y]);
  assert.deepEqual(Array.from(result.indices), [0, 10, 20]);
  assert.equal(result.maxDeviation, 0);
  assert.deepEqual(takeAt(x, result.indices), [0, 0, 1]);
  // A forced point in the middle of a straight run stays too.
  assert.deepEqual(Array.from(thinPolyline([x, y], { keep: [15] }).indices), [0, 10, 15, 20]);
});

test('the farthest detail goes first when the budget is short', () => {
  // A flat line with one big bump at 30 and one small bump at 70.
  const x = Array.from({ length: 101 }, (_, i) => i / 100);
  const y = x.map((_, i) => (i === 30 ? 0.5 : i === 70 ? 0.1 : 0));
  assert.deepEqual(Array.from(thinPolyline([x, y], { maxPoints: 3 }).indices), [0, 30, 100]);
  const four = thinPolyline([x, y], { maxPoints: 4 });
  // After the big bump, the steepest remaining detail is its far side (31), not the small bump.
  assert.deepEqual(Array.from(four.indices), [0, 30, 31, 100]);
});

test('one million points thin to the budget (timings live in the bench)', () => {
  const { x, y } = staircase(1_000_000, 5);
  const result = thinPolyline([x, y], { maxPoints: 2000 });
  assert.ok(result.indices.length <= 2000);
  assert.ok(result.maxDeviation < 0.005, `deviation ${result.maxDeviation}`);
});

test('range scaling makes a large coordinate count like a small one', () => {
  const x = [0, 1000, 2000, 3000];
  const y = [0, 0.00005, 0.00005, 0.0001];
  // As given, the wiggle in y is below the tolerance; scaled by range it is half the plot.
  assert.deepEqual(Array.from(thinPolyline([x, y]).indices), [0, 3]);
  assert.deepEqual(Array.from(thinPolyline([x, y], { scale: 'range' }).indices), [0, 1, 2, 3]);
});

test('short curves are returned whole; bad options are errors', () => {
  assert.deepEqual(Array.from(thinPolyline([[], []]).indices), []);
  assert.deepEqual(
    Array.from(
      thinPolyline([
        [1, 2],
        [3, 4],
      ]).indices,
    ),
    [0, 1],
  );
  assert.throws(
    () =>
      thinPolyline([
        [1, 2, 3],
        [1, 2],
      ]),
    EngineError,
  );
  assert.throws(
    () =>
      thinPolyline(
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
        { maxPoints: 1 },
      ),
    EngineError,
  );
  // NaN coordinates (a ROC rate of an absent class) carry no shape but do not break thinning.
  assert.deepEqual(
    Array.from(
      thinPolyline([
        [NaN, NaN, NaN],
        [0, 0.5, 1],
      ]).indices,
    ),
    [0, 2],
  );
});
