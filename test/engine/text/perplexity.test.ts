import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { perplexityCorpus, perplexityExample } from '../../../engine/text/perplexity.js';
import { readJsonl, readTextExpected } from '../../helpers/golden-text-fixtures.js';

const CASE = 'perplexity_basic';

/** The case's rule: relative tolerance 1e-9. */
function assertRelative(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.abs(expected),
    `${what}: expected ${expected}, got ${actual}`,
  );
}

for (const model of ['base', 'ft'] as const) {
  test(`${CASE}: ${model} per-example and token-weighted perplexity`, () => {
    const rows = readJsonl(CASE);
    const e = readTextExpected(CASE).models[model];
    const got = perplexityCorpus(rows.map((r) => r[`${model}_logprobs`]));
    assert.equal(got.nTokens, e.n_tokens);
    assert.equal(got.nExamplesWithTokens, e.n_examples_with_tokens);
    assertRelative(got.sumLogprob, e.sum_logprob, 'sum_logprob');
    assertRelative(got.meanLogprob, e.mean_logprob, 'mean_logprob');
    assertRelative(got.perplexity, e.perplexity, 'perplexity');
    assertRelative(
      got.meanOfPerExamplePerplexity,
      e.mean_of_per_example_perplexity,
      'mean_of_per_example',
    );
    assertRelative(
      got.perplexityOfMeanPerExampleNll,
      e.perplexity_of_mean_per_example_nll,
      'of_mean_nll',
    );
    assert.equal(got.perExample.length, e.per_example.length);
    got.perExample.forEach((p, i) => {
      const x = e.per_example[i];
      assert.equal(p.nTokens, x.n_tokens);
      assertRelative(p.sumLogprob, x.sum_logprob, `row ${x.id} sum_logprob`);
      assertRelative(p.meanLogprob, x.mean_logprob, `row ${x.id} mean_logprob`);
      assertRelative(p.perplexity, x.perplexity, `row ${x.id} perplexity`);
      assertRelative(p.nll, -x.mean_logprob, `row ${x.id} nll`);
    });
  });
}

test(`${CASE}: the delta of the corpus perplexities`, () => {
  const rows = readJsonl(CASE);
  const e = readTextExpected(CASE);
  const base = perplexityCorpus(rows.map((r) => r.base_logprobs));
  const ft = perplexityCorpus(rows.map((r) => r.ft_logprobs));
  assertRelative(ft.perplexity - base.perplexity, e.delta.perplexity, 'delta.perplexity');
});

test('perplexity: an example without tokens is undefined and left out of the per-example mean', () => {
  const got = perplexityCorpus([[], [Math.log(0.5)]]);
  assert.ok(Number.isNaN(got.perExample[0].perplexity));
  assert.equal(got.nExamplesWithTokens, 1);
  assertRelative(got.perplexity, 2, 'perplexity');
  assertRelative(got.meanOfPerExamplePerplexity, 2, 'mean');
});

test('perplexity: a positive or missing log-probability is refused with its row', () => {
  assert.throws(() => perplexityCorpus([[-1], [0.5]]), {
    name: 'EngineError',
    code: 'score-out-of-range',
    message: 'a log-probability must be a number ≤ 0, got 0.5 (token 1)',
    location: { row: 2 },
  });
  assert.throws(() => perplexityExample([NaN]), { code: 'score-out-of-range' });
});

test('perplexity: the corpus value lies between the per-example extremes and is ≥ 1', () => {
  const logprob = fc.double({ min: -20, max: 0, noNaN: true });
  fc.assert(
    fc.property(
      fc.array(fc.array(logprob, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
      (rows) => {
        const got = perplexityCorpus(rows);
        const values = got.perExample.map((p) => p.perplexity);
        assert.ok(got.perplexity >= 1);
        assert.ok(got.perplexity >= Math.min(...values) * (1 - 1e-12));
        assert.ok(got.perplexity <= Math.max(...values) * (1 + 1e-12));
      },
    ),
  );
});
