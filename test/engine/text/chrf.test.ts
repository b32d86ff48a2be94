import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  CHRF_PLUS_PLUS,
  chrfCorpusStats,
  chrfFromStats,
  chrfSentenceStats,
  chrfWords,
  corpusChrf,
  sentenceChrf,
} from '../../../engine/text/chrf.js';
import { statsRow } from '../../../engine/text/sufficient-stats.js';
import { MODELS, assertClose, mtCaseNames, outputs, readMtCase, references } from './mt-golden.js';

for (const name of mtCaseNames()) {
  test(`golden chrF and chrF++: ${name}`, () => {
    const c = readMtCase(name);
    const refs = references(c);
    assert.equal(c.expected.options.chrf.word_order, 0);
    assert.equal(c.expected.options.chrf_pp.word_order, 2);
    for (const model of MODELS) {
      const hyps = outputs(c, model);
      const expected = c.expected.models[model];
      assertClose(corpusChrf(hyps, refs), expected.chrf.score, `${model}.chrf`);
      assertClose(
        corpusChrf(hyps, refs, CHRF_PLUS_PLUS),
        expected.chrf_pp.score,
        `${model}.chrf_pp`,
      );
      const plain = chrfCorpusStats(hyps, refs);
      const pp = chrfCorpusStats(hyps, refs, CHRF_PLUS_PLUS);
      expected.per_example.forEach(
        (
          ex: {
            stats: { chrf: number[]; chrf_pp: number[] };
            sentence_chrf: number;
            sentence_chrf_pp: number;
          },
          i: number,
        ) => {
          assertClose(statsRow(plain, i), ex.stats.chrf, `${model}[${i}].stats.chrf`);
          assertClose(statsRow(pp, i), ex.stats.chrf_pp, `${model}[${i}].stats.chrf_pp`);
          assertClose(
            sentenceChrf(hyps[i], refs[i]),
            ex.sentence_chrf,
            `${model}[${i}].sentence_chrf`,
          );
          assertClose(
            sentenceChrf(hyps[i], refs[i], CHRF_PLUS_PLUS),
            ex.sentence_chrf_pp,
            `${model}[${i}].sentence_chrf_pp`,
          );
        },
      );
    }
    if (c.expected.delta) {
      const delta = (o = {}): number =>
        corpusChrf(outputs(c, 'ft'), refs, o) - corpusChrf(outputs(c, 'base'), refs, o);
      assertClose(delta(), c.expected.delta.chrf, 'delta.chrf');
      assertClose(delta(CHRF_PLUS_PLUS), c.expected.delta.chrf_pp, 'delta.chrf_pp');
    }
  });
}

test("chrF++'s words split one trailing or leading punctuation mark off", () => {
  assert.deepEqual(chrfWords('Hello, "world" (a) . 😀 x.'), [
    'Hello',
    ',',
    '"world',
    '"',
    '(a',
    ')',
    '.',
    '😀',
    'x',
    '.',
  ]);
});

test('chrF counts code points and ignores whitespace', () => {
  // "😀a" vs "😀 a": 2 characters each, one bigram each, all matched.
  const row = chrfSentenceStats('😀a', ['😀 a'], { charOrder: 2 });
  assert.deepEqual(Array.from(row), [2, 2, 2, 1, 1, 1]);
  assert.equal(sentenceChrf('😀a', ['😀 a'], { charOrder: 2 }), 100);
});

test('chrF picks the reference with the best sentence score, the first on a tie', () => {
  const row = chrfSentenceStats('abc', ['xyz', 'abd', 'abd'], { charOrder: 2 });
  assert.deepEqual(Array.from(row), [3, 3, 2, 2, 2, 1]);
  // No reference n-grams of an order: its hypothesis count is recorded as 0.
  assert.deepEqual(
    Array.from(chrfSentenceStats('abc', ['a'], { charOrder: 2 })),
    [3, 1, 1, 0, 0, 0],
  );
});

test('chrF with float32 divisions differs from float64 by float32 rounding only', () => {
  const stats = [17, 14, 14, 16, 13, 12, 15, 12, 10, 14, 11, 8, 13, 10, 6, 12, 9, 4];
  const a = chrfFromStats(stats);
  const b = chrfFromStats(stats, {}, true);
  assert.notEqual(a, b);
  assert.ok(Math.abs(a - b) < 1e-5);
});

test('chrF of a text against itself is 100, and lies in [0, 100]', () => {
  const text = fc.string({
    unit: fc.constantFrom('a', 'b', 'c', ' ', '.', 'É', '😀'),
    maxLength: 30,
  });
  fc.assert(
    fc.property(text, text, (h, r) => {
      for (const options of [{}, CHRF_PLUS_PLUS]) {
        const s = sentenceChrf(h, [r], options);
        assert.ok(s >= 0 && s <= 100 + 1e-9, `${s}`);
        if (/[^\s]/.test(h)) assert.ok(Math.abs(sentenceChrf(h, [h], options) - 100) < 1e-9);
      }
    }),
  );
});

/** chrF statistics against one reference written plainly, with string n-gram keys. */
function plainChrfRow(hyp: string, ref: string, charOrder: number): number[] {
  const chars = (s: string): string[] => Array.from(s.replace(/\s+/gu, ''));
  const grams = (cs: string[], n: number): Map<string, number> => {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= cs.length; i++) {
      const g = cs.slice(i, i + n).join('');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    return m;
  };
  const h = chars(hyp);
  const r = chars(ref);
  const row: number[] = [];
  for (let n = 1; n <= charOrder; n++) {
    const hg = grams(h, n);
    const rg = grams(r, n);
    let matches = 0;
    for (const [g, c] of hg) matches += Math.min(c, rg.get(g) ?? 0);
    const refTotal = Math.max(0, r.length - n + 1);
    row.push(refTotal > 0 ? Math.max(0, h.length - n + 1) : 0, refTotal, matches);
  }
  return row;
}

test('chrF statistics with hundreds of distinct characters (keys too large for numbers) match the plain count', () => {
  // 600 distinct CJK characters: 600^6 > 2^53, so the n-gram keys fall back to strings.
  const alphabet = Array.from({ length: 600 }, (_, i) => String.fromCodePoint(0x4e00 + i));
  const pick = (seed: number, len: number): string =>
    Array.from({ length: len }, (_, i) => alphabet[(seed * 7919 + i * i * 31 + i) % 600]).join('');
  const ref = alphabet.join('') + pick(3, 200);
  const hyp = pick(3, 400) + alphabet.slice(0, 300).join('');
  assert.deepEqual(Array.from(chrfSentenceStats(hyp, [ref])), plainChrfRow(hyp, ref, 6));
  // And the same rule on a small alphabet, where the keys are numbers.
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '😀'), maxLength: 25 }),
      fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '😀'), maxLength: 25 }),
      (h, r) => assert.deepEqual(Array.from(chrfSentenceStats(h, [r])), plainChrfRow(h, r, 6)),
    ),
  );
});
