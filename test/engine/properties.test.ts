import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  binaryClassificationMetrics,
  multiclassClassificationMetrics,
  type AveragedMetrics,
  type ClassMetrics,
} from '../../engine/metrics/classification.js';
import { regressionMetrics } from '../../engine/metrics/regression.js';
import { Rng } from '../../engine/random.js';
import { binomialCdf } from '../../engine/stats/binomial.js';
import { mcnemarExactP, pairedComparison } from '../../engine/stats/paired.js';

const RUNS = { numRuns: 300, seed: 20240601 };
const EPS = 1e-12;

/** k labels and n ≥ 1 rows of (true, base, fine-tuned) codes. */
const labelledRows = fc.integer({ min: 2, max: 5 }).chain((k) =>
  fc.record({
    k: fc.constant(k),
    rows: fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: k - 1 }),
        fc.integer({ min: 0, max: k - 1 }),
        fc.integer({ min: 0, max: k - 1 }),
      ),
      { minLength: 1, maxLength: 80 },
    ),
    shuffleSeed: fc.integer(),
  }),
);

type Rows = readonly (readonly [number, number, number])[];

function codes(rows: Rows, which: 0 | 1 | 2): Int32Array {
  return Int32Array.from(rows, (r) => r[which]);
}

function labelsOf(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `c${i}`);
}

function shuffled<T>(rows: readonly T[], seed: number): T[] {
  const order = new Rng(seed).shuffle(Int32Array.from(rows, (_, i) => i));
  return Array.from(order, (i) => rows[i]);
}

function within(x: number, lo: number, hi: number): boolean {
  return x >= lo - EPS && x <= hi + EPS;
}

test('metrics do not depend on row order', () => {
  fc.assert(
    fc.property(labelledRows, ({ k, rows, shuffleSeed }) => {
      const labels = labelsOf(k);
      const other = shuffled(rows, shuffleSeed);
      assert.deepEqual(
        multiclassClassificationMetrics(codes(rows, 0), codes(rows, 1), labels),
        multiclassClassificationMetrics(codes(other, 0), codes(other, 1), labels),
      );
      const binary = rows.map(([t, b]) => [t % 2, b % 2] as const);
      const binaryOther = shuffled(binary, shuffleSeed);
      const code = (rs: readonly (readonly [number, number])[], i: 0 | 1) =>
        Int32Array.from(rs, (r) => r[i]);
      assert.deepEqual(
        binaryClassificationMetrics(code(binary, 0), code(binary, 1), ['n', 'p'], 1),
        binaryClassificationMetrics(code(binaryOther, 0), code(binaryOther, 1), ['n', 'p'], 1),
      );
    }),
    RUNS,
  );
});

test('regression metrics do not depend on row order', () => {
  // Decimals with three places, as measured targets are; no subnormal pathologies.
  const value = fc.integer({ min: -1e9, max: 1e9 }).map((x) => x / 1000);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 60 }),
      fc.integer(),
      (pairs, seed) => {
        const other = shuffled(pairs, seed);
        const a = regressionMetrics(
          Float64Array.from(pairs, (p) => p[0]),
          Float64Array.from(pairs, (p) => p[1]),
        );
        const b = regressionMetrics(
          Float64Array.from(other, (p) => p[0]),
          Float64Array.from(other, (p) => p[1]),
        );
        for (const key of ['mse', 'mae', 'mape', 'r2', 'explainedVariance'] as const) {
          const scale = Math.max(1, Math.abs(a[key]));
          assert.ok(Math.abs(a[key] - b[key]) <= 1e-9 * scale, `${key}: ${a[key]} vs ${b[key]}`);
        }
        assert.equal(a.medianAbsoluteError, b.medianAbsoluteError);
        assert.equal(a.maxError, b.maxError);
      },
    ),
    RUNS,
  );
});

function assertF1Between(c: { precision: number; recall: number; f1: number }): void {
  const lo = Math.min(c.precision, c.recall);
  const hi = Math.max(c.precision, c.recall);
  assert.ok(within(c.f1, lo, hi), `F1 ${c.f1} outside [${lo}, ${hi}]`);
}

function assertAverageWithin(avg: AveragedMetrics, perClass: readonly ClassMetrics[]): void {
  for (const key of ['precision', 'recall', 'f1'] as const) {
    const values = perClass.map((c) => c[key]);
    assert.ok(
      within(avg[key], Math.min(...values), Math.max(...values)),
      `${key} ${avg[key]} outside per-class range ${values}`,
    );
  }
}

test('F1 lies between precision and recall; averages between the per-class extremes', () => {
  fc.assert(
    fc.property(labelledRows, ({ k, rows }) => {
      const m = multiclassClassificationMetrics(codes(rows, 0), codes(rows, 1), labelsOf(k));
      m.perClass.forEach(assertF1Between);
      m.zeroDivision1.perClass.forEach(assertF1Between);
      assertF1Between(m.micro);
      assertAverageWithin(m.macro, m.perClass);
      assertAverageWithin(m.zeroDivision1.macro, m.zeroDivision1.perClass);
      // Weighted averages only span the classes that have support.
      assertAverageWithin(
        m.weighted,
        m.perClass.filter((c) => c.support > 0),
      );

      const t = Int32Array.from(rows, (r) => r[0] % 2);
      const p = Int32Array.from(rows, (r) => r[1] % 2);
      const b = binaryClassificationMetrics(t, p, ['n', 'p'], 1);
      assertF1Between(b);
      assertF1Between(b.zeroDivision1);
      assertAverageWithin(b.macro, b.perClass);
      for (const beta of ['f0_5', 'f2'] as const) {
        assertF1Between({ precision: b.precision, recall: b.recall, f1: b[beta] });
      }
    }),
    RUNS,
  );
});

test('accuracy is the trace over n; MCC, kappa and balanced accuracy stay in range', () => {
  fc.assert(
    fc.property(labelledRows, ({ k, rows }) => {
      const m = multiclassClassificationMetrics(codes(rows, 0), codes(rows, 1), labelsOf(k));
      const trace = m.confusionMatrix.reduce((s, row, i) => s + row[i], 0);
      const total = m.confusionMatrix.flat().reduce((s, v) => s + v, 0);
      assert.equal(total, rows.length);
      assert.equal(m.accuracy, trace / rows.length);
      assert.equal(m.micro.precision, m.accuracy);
      assert.ok(within(m.mcc, -1, 1), `mcc ${m.mcc}`);
      assert.ok(m.cohenKappa === null || m.cohenKappa <= 1 + EPS, `kappa ${m.cohenKappa}`);
      assert.ok(within(m.balancedAccuracy, 0, 1));
      assert.ok(m.macro.precision <= m.zeroDivision1.macro.precision);

      const t = Int32Array.from(rows, (r) => r[0] % 2);
      const p = Int32Array.from(rows, (r) => r[1] % 2);
      const b = binaryClassificationMetrics(t, p, ['n', 'p'], 1);
      assert.equal(b.accuracy, (b.tp + b.tn) / rows.length);
      assert.ok(within(b.mcc, -1, 1), `mcc ${b.mcc}`);
    }),
    RUNS,
  );
});

test('McNemar exact p is in [0, 1], symmetric in b and c, and 1 when b = c', () => {
  fc.assert(
    fc.property(fc.nat(5000), fc.nat(5000), (b, c) => {
      const p = mcnemarExactP(b, c);
      assert.ok(p >= 0 && p <= 1, `p ${p}`);
      assert.equal(p, mcnemarExactP(c, b));
      assert.equal(mcnemarExactP(b, b), 1);
      // One more row on the larger side makes the split more lopsided: p never rises.
      if (b < c) assert.ok(mcnemarExactP(b, c + 1) <= p + EPS);
    }),
    RUNS,
  );
});

test('the binomial cdf is monotone in k and within [0, 1]', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100000 }),
      fc.double({ min: 0.001, max: 0.999, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (n, p, at) => {
        const k = Math.floor(at * n);
        const lo = binomialCdf(k, n, p);
        const hi = binomialCdf(k + 1, n, p);
        assert.ok(lo >= 0 && hi <= 1 + EPS, `${lo} ${hi}`);
        assert.ok(lo <= hi + 1e-12, `cdf(${k}) = ${lo} > cdf(${k + 1}) = ${hi}`);
      },
    ),
    RUNS,
  );
});

test('swapping base and fine-tuned swaps fixed and broken', () => {
  fc.assert(
    fc.property(labelledRows, ({ rows }) => {
      const [t, b, f] = [codes(rows, 0), codes(rows, 1), codes(rows, 2)];
      const r = pairedComparison(t, b, f);
      const s = pairedComparison(t, f, b);
      assert.deepEqual(s.fixedRows, r.brokenRows);
      assert.deepEqual(s.brokenRows, r.fixedRows);
      assert.equal(s.fixed, r.broken);
      assert.equal(s.bothCorrect, r.bothCorrect);
      assert.equal(s.bothWrong, r.bothWrong);
      assert.equal(s.mcnemarExactP, r.mcnemarExactP);
      assert.equal(s.accuracyDelta + r.accuracyDelta, 0);
      assert.equal(r.bothCorrect + r.bothWrong + r.fixed + r.broken, rows.length);
    }),
    RUNS,
  );
});
