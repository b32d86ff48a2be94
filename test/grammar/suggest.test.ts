/** Did-you-mean: the Damerau–Levenshtein distance and the choice of suggestions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { STATEMENT_KEYWORDS } from '../../dsl/messages.js';
import { damerauLevenshtein, maxSuggestionDistance, suggest } from '../../dsl/suggest.js';

describe('damerauLevenshtein', () => {
  test('known distances', () => {
    const cases: [string, string, number][] = [
      ['', '', 0],
      ['', 'abc', 3],
      ['abc', '', 3],
      ['compare', 'compare', 0],
      ['compre', 'compare', 1],
      ['treshold', 'threshold', 1],
      ['agains', 'against', 1],
      ['postive', 'positive', 1],
      ['calibartion', 'calibration', 1],
      ['ab', 'ba', 1],
      ['kitten', 'sitting', 3],
      // Unrestricted: the transposed pair may be edited again (restricted/OSA would say 3).
      ['ca', 'abc', 2],
      ['Compare', 'compare', 1],
    ];
    for (const [a, b, d] of cases) assert.equal(damerauLevenshtein(a, b), d, `${a} → ${b}`);
  });

  test('a metric: symmetric, zero only for equal strings, triangle inequality', () => {
    const word = fc.string({ maxLength: 7, unit: fc.constantFrom('a', 'b', 'c', 'd') });
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        const ab = damerauLevenshtein(a, b);
        assert.equal(ab, damerauLevenshtein(b, a));
        assert.equal(ab === 0, a === b);
        assert.ok(damerauLevenshtein(a, c) <= ab + damerauLevenshtein(b, c));
        assert.ok(ab <= Math.max(a.length, b.length));
        assert.ok(ab >= Math.abs(a.length - b.length));
      }),
      { numRuns: 500, seed: 99 },
    );
  });
});

describe('suggest', () => {
  const statements = STATEMENT_KEYWORDS;

  test('misspelt keywords', () => {
    assert.deepEqual(suggest('compre', statements), ['compare']);
    assert.deepEqual(suggest('treshold', statements), ['threshold']);
    assert.deepEqual(suggest('calibartion', statements), ['calibration']);
    assert.deepEqual(suggest('Compare', statements), ['compare']);
    assert.deepEqual(suggest('LOAD', statements), ['load']);
  });

  test('nothing for unrelated words; never the word itself', () => {
    assert.deepEqual(suggest('banana', statements), []);
    assert.deepEqual(suggest('load', statements), []);
    assert.deepEqual(suggest('x', ['as', 'by']), []);
  });

  test('only the nearest tier, in candidate order, without duplicates, up to the limit', () => {
    assert.deepEqual(suggest('sat', ['set', 'sit', 'seat', 'set']), ['set', 'sit', 'seat']);
    assert.deepEqual(suggest('sat', ['set', 'sit', 'seat'], { limit: 2 }), ['set', 'sit']);
    assert.deepEqual(suggest('ft_scor', ['base_score', 'ft_score', 'ft_pred']), ['ft_score']);
  });

  test('the allowed distance grows with the word', () => {
    assert.deepEqual([1, 4, 5, 8, 9, 20].map(maxSuggestionDistance), [1, 1, 2, 2, 3, 3]);
    assert.deepEqual(suggest('acuracy', ['accuracy', 'recall']), ['accuracy']);
    assert.deepEqual(suggest('ab', ['abcd']), []);
    assert.deepEqual(suggest('ab', ['abcd'], { maxDistance: 2 }), ['abcd']);
  });
});
