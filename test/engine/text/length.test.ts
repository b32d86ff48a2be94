import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { lengthCorpus, lengthExample, wordCount } from '../../../engine/text/length.js';

test('length: words are whitespace tokens, characters are code points', () => {
  assert.equal(wordCount('  two\u00a0words\t'), 2);
  const e = lengthExample('naïve café 🎵', 'cafe\u0301 🎵🎵');
  assert.deepEqual(e, {
    outputWords: 2,
    referenceWords: 3,
    wordRatio: 2 / 3,
    outputChars: 8,
    referenceChars: 12,
    charRatio: 8 / 12,
  });
});

test('length: the corpus ratio is of the totals, not the mean of the per-example ratios', () => {
  const got = lengthCorpus(['a b', 'a b c d e f'], ['a b c d', 'a b c']);
  assert.equal(got.n, 2);
  assert.equal(got.meanOutputWords, 3.5);
  assert.equal(got.meanReferenceWords, 4);
  assert.equal(got.wordRatio, 7 / 8);
  assert.deepEqual(
    got.perExample.map((e) => e.wordRatio),
    [2, 0.5],
  );
  assert.equal(got.meanOutputChars, (7 + 5) / 2);
  assert.equal(got.charRatio, 12 / 14);
});

test('length: an empty reference has no ratio', () => {
  const e = lengthExample('', 'x');
  assert.ok(Number.isNaN(e.wordRatio));
  assert.ok(Number.isNaN(e.charRatio));
  assert.ok(Number.isNaN(lengthCorpus([''], ['x']).wordRatio));
  assert.throws(() => lengthCorpus(['a'], []), { name: 'EngineError', code: 'length-mismatch' });
});

test('length: a text against itself has ratio 1', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (text) => {
      const e = lengthExample(text, text);
      assert.equal(e.charRatio, 1);
      if (e.referenceWords > 0) assert.equal(e.wordRatio, 1);
    }),
  );
});
