import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signTest } from '../../../engine/stats/sign-test.js';

test('sign test: exact binomial tails, undefined without a non-zero difference', () => {
  // 13 of 17 positive: 2 · (1 + 17 + 136 + 680 + 2380) / 2¹⁷.
  const d = [...new Array(13).fill(0.5), ...new Array(4).fill(-0.25), 0, 0];
  const r = signTest(d);
  assert.deepEqual([r.nNonzero, r.nPositive], [17, 13]);
  assert.ok(Math.abs(r.pValue - 6428 / 131072) < 1e-15, `${r.pValue}`);
  assert.equal(signTest([1, -1]).pValue, 1);
  assert.ok(Number.isNaN(signTest([0, 0]).pValue));
});
