import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { passAtK, passAtKCorpus } from '../../../engine/text/pass-at-k.js';
import { assertGolden } from '../../helpers/golden.js';
import { readCsv, readTextExpected } from '../../helpers/golden-text-fixtures.js';

const CASE = 'pass_at_k_basic';

for (const model of ['base', 'ft'] as const) {
  test(`${CASE}: ${model} pass@k per problem and averaged, for every k`, () => {
    const rows = readCsv(CASE);
    const expected = readTextExpected(CASE);
    const e = expected.models[model];
    const n = rows.map((r) => Number(r.n));
    const c = rows.map((r) => Number(r[`${model}_correct`]));
    for (const k of expected.ks as number[]) {
      const got = passAtKCorpus(n, c, k);
      assertGolden(got.mean, e.mean[`pass@${k}`], `mean pass@${k}`);
      got.perProblem.forEach((v, i) => {
        const p = e.per_problem[i];
        assert.equal(n[i], p.n);
        assert.equal(c[i], p.c);
        assertGolden(v, p[`pass@${k}`], `${p.id} pass@${k}`);
      });
    }
  });
}

test('pass@k: undefined for k > n, and the mean then too', () => {
  assert.ok(Number.isNaN(passAtK(3, 1, 4)));
  const got = passAtKCorpus([10, 3], [1, 1], 5);
  assert.ok(Number.isNaN(got.perProblem[1]));
  assert.ok(Number.isNaN(got.mean));
  assert.equal(got.perProblem[0], 1 - (1 - 5 / 10));
});

test('pass@k: invalid counts are refused', () => {
  assert.throws(() => passAtK(5, 6, 1), {
    name: 'EngineError',
    code: 'bad-argument',
    message: 'pass@k needs integers n ≥ c ≥ 0 and k ≥ 1, got n = 5, c = 6, k = 1',
  });
  assert.throws(() => passAtK(5, 1, 0), { code: 'bad-argument' });
});

test('pass@k: in [0, 1], pass@1 = c/n, non-decreasing in k and in c', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }), fc.nat(), fc.nat(), (n, cSeed, kSeed) => {
      const c = cSeed % (n + 1);
      const k = (kSeed % n) + 1;
      const v = passAtK(n, c, k);
      assert.ok(v >= 0 && v <= 1);
      assert.ok(Math.abs(passAtK(n, c, 1) - c / n) < 1e-12);
      if (k < n) assert.ok(passAtK(n, c, k + 1) >= v - 1e-12);
      if (c < n) assert.ok(passAtK(n, c + 1, k) >= v - 1e-12);
    }),
  );
});
