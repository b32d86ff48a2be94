import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  adjustPValues,
  type MultipleTestingMethod,
} from '../../../engine/stats/multiple-testing.js';
import { assertGolden } from '../../helpers/golden.js';
import { readCsv, readTextExpected } from '../../helpers/golden-text-fixtures.js';

const CASE = 'multiple_testing_holm_bh';
const METHODS: MultipleTestingMethod[] = ['holm', 'fdr_bh', 'bonferroni'];

test(`${CASE}: Holm, Benjamini–Hochberg and Bonferroni per family, in input order`, () => {
  const expected = readTextExpected(CASE);
  const rows = readCsv(CASE);
  const families = Object.keys(expected.families);
  assert.deepEqual(families, [...new Set(rows.map((r) => r.family))]);
  for (const family of families) {
    const e = expected.families[family];
    const inFamily = rows.filter((r) => r.family === family);
    assert.deepEqual(
      inFamily.map((r) => r.id),
      e.ids,
    );
    const p = inFamily.map((r) => Number(r.p_value));
    assertGolden(p, e.p_values, `${family}.p_values`);
    for (const method of METHODS) {
      const got = adjustPValues(p, method, expected.alpha);
      assertGolden(got.pAdjusted, e[method].p_adjusted, `${family}.${method}.p_adjusted`);
      assert.deepEqual(got.reject, e[method].reject, `${family}.${method}.reject`);
    }
  }
});

test('multiple testing: a p-value outside [0, 1] is refused with its position', () => {
  assert.throws(() => adjustPValues([0.1, 1.5], 'holm'), {
    name: 'EngineError',
    code: 'score-out-of-range',
    message: 'a p-value must be between 0 and 1, got 1.5',
  });
});

test('multiple testing: raw ≤ BH ≤ Holm ≤ Bonferroni ≤ 1, and ties get equal adjusted values', () => {
  const p = fc.double({ min: 0, max: 1, noNaN: true });
  fc.assert(
    fc.property(fc.array(p, { minLength: 1, maxLength: 30 }), (raw) => {
      const withTie = [...raw, raw[0]];
      const holm = adjustPValues(withTie, 'holm').pAdjusted;
      const bh = adjustPValues(withTie, 'fdr_bh').pAdjusted;
      const bonferroni = adjustPValues(withTie, 'bonferroni').pAdjusted;
      withTie.forEach((v, i) => {
        assert.ok(v <= bh[i] * (1 + 1e-12));
        assert.ok(bh[i] <= holm[i] * (1 + 1e-12));
        assert.ok(holm[i] <= bonferroni[i]);
        assert.ok(bonferroni[i] <= 1);
      });
      assert.equal(holm[0], holm[withTie.length - 1]);
      assert.equal(bh[0], bh[withTie.length - 1]);
    }),
  );
});
