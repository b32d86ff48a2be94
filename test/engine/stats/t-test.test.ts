import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nonInferiority, pairedTTest, tostPaired } from '../../../engine/stats/t-test.js';

test('t-test, TOST, non-inferiority: invalid input is refused', () => {
  assert.throws(() => pairedTTest([1], [2]), {
    name: 'EngineError',
    code: 'bad-argument',
    message: 'a paired t-test needs at least 2 examples, got 1',
  });
  assert.throws(() => pairedTTest([1, 2], [2]), { code: 'length-mismatch' });
  assert.throws(() => pairedTTest([1, NaN], [2, 3]), { code: 'not-numeric' });
  assert.throws(() => tostPaired([1, 2], [2, 3], 1, -1), { code: 'bad-argument' });
  assert.throws(() => nonInferiority([1, 2], [2, 3], -0.1), {
    code: 'bad-argument',
    message: 'a non-inferiority margin must be ≥ 0, got -0.1',
  });
});

test('TOST: equivalence exactly when the (1 − 2α) interval lies inside the bounds', () => {
  const score = fc.integer({ min: 0, max: 64 }).map((v) => v / 64);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(score, score), { minLength: 3, maxLength: 30 }),
      fc.integer({ min: 1, max: 40 }),
      (pairs, m) => {
        const base = pairs.map((p) => p[0]);
        const ft = pairs.map((p) => p[1]);
        const t = pairedTTest(base, ft, 0.9);
        if (!(t.seDifference > 0)) return;
        const margin = m / 80;
        const [lo, hi] = t.confidenceInterval;
        const r = tostPaired(base, ft, -margin, margin);
        // Away from the boundary (rounding), the decision is the interval's inclusion.
        if (Math.abs(lo + margin) > 1e-9 && Math.abs(hi - margin) > 1e-9) {
          assert.equal(r.equivalent, lo > -margin && hi < margin);
        }
        assert.equal(r.pValue, Math.max(r.lower.pValue, r.upper.pValue));
      },
    ),
  );
});
