import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { wilcoxonApprox, wilcoxonExact } from '../../../engine/stats/wilcoxon.js';

/** The exact p-value by brute force over the 2ⁿ sign patterns of the ranks 1..n. */
function bruteForceExactP(d: number[]): number {
  const n = d.length;
  const order = d.map((v, i) => [Math.abs(v), i] as const).sort((a, b) => a[0] - b[0]);
  const rank = new Array<number>(n);
  order.forEach(([, i], r) => (rank[i] = r + 1));
  const observed = d.reduce((s, v, i) => (v > 0 ? s + rank[i] : s), 0);
  const total = (n * (n + 1)) / 2;
  if (observed === Math.floor(total / 2)) return 1;
  let less = 0;
  let greater = 0;
  for (let mask = 0; mask < 2 ** n; mask++) {
    let s = 0;
    for (let k = 0; k < n; k++) if (mask & (1 << k)) s += k + 1;
    if (s <= observed) less++;
    if (s >= observed) greater++;
  }
  return Math.min(1, (2 * Math.min(less, greater)) / 2 ** n);
}

test('Wilcoxon exact: the counted distribution agrees with brute force', () => {
  const distinct = fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), {
    minLength: 1,
    maxLength: 12,
  });
  fc.assert(
    fc.property(
      distinct,
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      (magnitudes, signs) => {
        const d = magnitudes.map((m, i) => (signs[i] ? m : -m));
        const r = wilcoxonExact(d);
        assert.equal(r.pValue, bruteForceExactP(d));
        assert.equal(r.rPlus + r.rMinus, (d.length * (d.length + 1)) / 2);
        assert.equal(r.statistic, Math.min(r.rPlus, r.rMinus));
      },
    ),
  );
});

test('Wilcoxon: the exact test is undefined with zeros or ties, the approximations without variation', () => {
  assert.equal(wilcoxonExact([1, 0, 2]).undefinedBecause, 'zeros-or-ties');
  assert.equal(wilcoxonExact([1, -1, 2]).undefinedBecause, 'zeros-or-ties');
  assert.ok(Number.isNaN(wilcoxonExact([1, -1, 2]).pValue));
  const zeros = [0, 0, 0];
  assert.equal(wilcoxonApprox(zeros, 'wilcox').undefinedBecause, 'all-differences-zero');
  assert.equal(wilcoxonApprox(zeros, 'pratt').undefinedBecause, 'all-differences-zero');
  const split = wilcoxonApprox(zeros, 'zsplit');
  assert.deepEqual([split.statistic, split.z, split.pValue], [3, 0, 1]);
});

test('Wilcoxon: swapping the models keeps the statistic and p-value and swaps R+ and R−', () => {
  const value = fc.integer({ min: -6, max: 6 }).map((v) => v / 4);
  fc.assert(
    fc.property(fc.array(value, { minLength: 2, maxLength: 25 }), (d) => {
      if (d.every((v) => v === 0)) return;
      for (const method of ['wilcox', 'pratt', 'zsplit'] as const) {
        const a = wilcoxonApprox(d, method, true);
        const b = wilcoxonApprox(
          d.map((v) => -v),
          method,
          true,
        );
        assert.equal(a.statistic, b.statistic);
        assert.equal(a.pValue, b.pValue);
        assert.equal(a.rPlus, b.rMinus);
        assert.ok(a.pValue >= 0 && a.pValue <= 1);
      }
    }),
  );
});
