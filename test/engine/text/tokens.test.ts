import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  codePointLength,
  codePoints,
  levenshtein,
  splitPythonWhitespace,
  stripPythonWhitespace,
  TokenVocabulary,
} from '../../../engine/text/tokens.js';

/** The textbook full-table Levenshtein distance. */
function naiveDistance(a: number[], b: number[]): number {
  const t = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      t[i][j] = Math.min(
        t[i - 1][j] + 1,
        t[i][j - 1] + 1,
        t[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return t[a.length][b.length];
}

test('Levenshtein: equals the full-table distance, is symmetric, and reuses a buffer safely', () => {
  const seq = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 15 });
  const buffer = new Int32Array(64);
  fc.assert(
    fc.property(seq, seq, (a, b) => {
      const x = Int32Array.from(a);
      const y = Int32Array.from(b);
      const d = naiveDistance(a, b);
      assert.equal(levenshtein(x, y), d);
      assert.equal(levenshtein(y, x), d);
      assert.equal(levenshtein(x, y, buffer), d);
    }),
  );
});

test("Python's whitespace: split and strip as str.split() and str.strip()", () => {
  assert.deepEqual(splitPythonWhitespace('\u3000a\u2028b\u001fc\ufeff '), ['a', 'b', 'c\ufeff']);
  assert.deepEqual(splitPythonWhitespace(' \t\n'), []);
  assert.equal(stripPythonWhitespace('\u0085 x y\u00a0'), 'x y');
});

test('code points: a surrogate pair is one character, a combining mark is its own', () => {
  assert.equal(codePointLength('e\u0301🎵'), 3);
  assert.deepEqual(Array.from(codePoints('e\u0301🎵')), [0x65, 0x301, 0x1f3b5]);
  // A lone surrogate is one code point, as Python counts it.
  assert.equal(codePointLength('\ud83c'), 1);
});

test('token vocabulary: dense ids in order of first appearance', () => {
  const v = new TokenVocabulary();
  assert.deepEqual(Array.from(v.encode(['b', 'a', 'b', 'c'])), [0, 1, 0, 2]);
  assert.equal(v.size, 3);
});
