import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cerCharacters, errorRates, errorRatesCorpus, werWords } from '../../../engine/text/wer.js';
import { assertGolden } from '../../helpers/golden.js';
import { readJsonl, readTextExpected } from '../../helpers/golden-text-fixtures.js';

const CASE = 'wer_cer_basic';

for (const model of ['base', 'ft'] as const) {
  test(`${CASE}: ${model} corpus and per-example WER and CER with their counts`, () => {
    const rows = readJsonl(CASE);
    const expected = readTextExpected(CASE).models[model];
    const got = errorRatesCorpus(
      rows.map((r) => r.reference),
      rows.map((r) => r[`${model}_output`]),
    );
    assertGolden(got.wer, expected.wer, 'wer');
    assertGolden(got.cer, expected.cer, 'cer');
    assert.equal(got.referenceWords, expected.reference_words);
    assert.equal(got.wordEdits, expected.word_edits);
    assert.equal(got.referenceChars, expected.reference_chars);
    assert.equal(got.charEdits, expected.char_edits);
    assertGolden(got.meanPerExampleWer, expected.mean_per_example_wer, 'mean_per_example_wer');
    assertGolden(got.meanPerExampleCer, expected.mean_per_example_cer, 'mean_per_example_cer');
    assert.equal(got.perExample.length, expected.per_example.length);
    got.perExample.forEach((r, i) => {
      const e = expected.per_example[i];
      assertGolden(r.wer, e.wer, `row ${e.id} wer`);
      assertGolden(r.cer, e.cer, `row ${e.id} cer`);
      assert.deepEqual(
        [
          r.referenceWords,
          r.outputWords,
          r.wordEdits,
          r.referenceChars,
          r.outputChars,
          r.charEdits,
        ],
        [
          e.reference_words,
          e.output_words,
          e.word_edits,
          e.reference_chars,
          e.output_chars,
          e.char_edits,
        ],
        `row ${e.id} counts`,
      );
    });
  });
}

test(`${CASE}: the delta of the corpus rates`, () => {
  const rows = readJsonl(CASE);
  const expected = readTextExpected(CASE).delta;
  const refs = rows.map((r) => r.reference);
  const base = errorRatesCorpus(
    refs,
    rows.map((r) => r.base_output),
  );
  const ft = errorRatesCorpus(
    refs,
    rows.map((r) => r.ft_output),
  );
  assertGolden(ft.wer - base.wer, expected.wer, 'delta.wer');
  assertGolden(ft.cer - base.cer, expected.cer, 'delta.cer');
});

test("jiwer's transforms: only runs of whitespace collapse, code points are characters", () => {
  assert.deepEqual(werWords('  a\tb  c\u00a0\u00a0d '), ['a\tb', 'c', 'd']);
  assert.deepEqual(Array.from(cerCharacters(' 🎵e\u0301 ')), [0x1f3b5, 0x65, 0x301]);
});

test('jiwer: an empty reference gives the number of inserted words or characters', () => {
  const r = errorRates('', 'two words');
  assert.equal(r.wer, 2);
  assert.equal(r.cer, 9);
  const both = errorRates('  ', '');
  assert.equal(both.wer, 0);
  assert.equal(both.cer, 0);
});

test('WER and CER: identical texts give 0, and edits never exceed the longer length', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (reference, output) => {
      const self = errorRates(reference, reference);
      assert.equal(self.wer, 0);
      assert.equal(self.cer, 0);
      const r = errorRates(reference, output);
      assert.ok(r.wordEdits <= Math.max(r.referenceWords, r.outputWords));
      assert.ok(r.charEdits <= Math.max(r.referenceChars, r.outputChars));
      assert.ok(r.wordEdits >= Math.abs(r.referenceWords - r.outputWords));
    }),
  );
});

test("jiwer's whitespace is Python's: NEL and U+001C count, U+FEFF does not", () => {
  assert.deepEqual(werWords('a\u0085\u001cb\ufeffc  d'), ['a', 'b\ufeffc', 'd']);
  assert.deepEqual(werWords('a\u0085b'), ['a\u0085b']);
});
