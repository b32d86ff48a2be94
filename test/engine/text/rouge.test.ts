import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RougeScorer, rougeCorpus, rougeTokens } from '../../../engine/text/rouge.js';
import { assertGolden } from '../../helpers/golden.js';
import { readJsonl, readTextExpected } from '../../helpers/golden-text-fixtures.js';

const CASE = 'rouge_newlines_stemming';
const TYPES = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const;

for (const mode of ['no_stemmer', 'stemmer'] as const) {
  for (const model of ['base', 'ft'] as const) {
    test(`${CASE}: ${model}, ${mode}: every score, the means and the tokens`, () => {
      const rows = readJsonl(CASE);
      const expected = readTextExpected(CASE).models[model][mode];
      const options = { stem: mode === 'stemmer' };
      const outputs = rows.map((r) => r[`${model}_output`] as string);
      const got = rougeCorpus(
        rows.map((r) => r.reference),
        outputs,
        options,
      );
      const scorer = new RougeScorer(options);
      for (const t of TYPES) assertGolden(got.mean[t], expected.mean[t], `mean.${t}`);
      assert.equal(got.perExample.length, expected.per_example.length);
      got.perExample.forEach((s, i) => {
        const e = expected.per_example[i];
        for (const t of TYPES) assertGolden(s[t], e[t], `row ${e.id} ${t}`);
        assert.deepEqual(
          scorer.tokens(rows[i].reference),
          e.reference_tokens,
          `row ${e.id} reference tokens`,
        );
        assert.deepEqual(scorer.tokens(outputs[i]), e.output_tokens, `row ${e.id} output tokens`);
      });
    });
  }
}

test('ROUGE tokenizer: outside [a-z0-9] separates, and the stemmer applies to tokens over 3 letters', () => {
  assert.deepEqual(rougeTokens('Café U.S. 2.5%  ŁÓDŹ'), ['caf', 'u', 's', '2', '5', 'd']);
  const scorer = new RougeScorer({ stem: true });
  assert.deepEqual(scorer.tokens('ran cats running flies dies'), [
    'ran',
    'cat',
    'run',
    'fli',
    'die',
  ]);
  // "was" (3 letters) is left alone where the stemmer would give "wa".
  assert.deepEqual(scorer.tokens('was seas'), ['was', 'sea']);
});

test('ROUGE-Lsum: union LCS over sentences, each token counted at most as often as it occurs', () => {
  const scorer = new RougeScorer();
  // Reference sentence "a b c d" against output sentences "a b" and "c d": the union covers it.
  const s = scorer.score('a b c d', 'a b\nc d');
  assert.deepEqual(s.rougeLsum, { precision: 1, recall: 1, fmeasure: 1 });
  assert.equal(s.rougeL.recall, 1);
  // Repeated reference sentences cannot reuse the output's single "x".
  const r = scorer.score('x\nx', 'x');
  assert.deepEqual(r.rougeLsum, { precision: 1, recall: 0.5, fmeasure: 2 / 3 });
  // A reference of empty lines only has no sentence: all zero.
  assert.deepEqual(scorer.score('\n\n', 'x').rougeLsum, { precision: 0, recall: 0, fmeasure: 0 });
});

test('ROUGE: every value in [0, 1]; a text against itself has ROUGE-1, -L and -Lsum 1', () => {
  const word = fc.constantFrom('the', 'cat', 'sat', 'running', 'mat', 'Dogs', 'ran', '2.5', '\n');
  const text = fc.array(word, { maxLength: 14 }).map((w) => w.join(' '));
  const scorer = new RougeScorer({ stem: true });
  fc.assert(
    fc.property(text, text, (reference, output) => {
      const s = scorer.score(reference, output);
      for (const t of TYPES) {
        for (const v of [s[t].precision, s[t].recall, s[t].fmeasure])
          assert.ok(v >= 0 && v <= 1, `${t} ${v}`);
      }
      const self = scorer.score(reference, reference);
      if (scorer.tokens(reference).length > 0) {
        assert.equal(self.rouge1.fmeasure, 1);
        assert.equal(self.rougeL.fmeasure, 1);
        assert.equal(self.rougeLsum.fmeasure, 1);
      }
    }),
  );
});
