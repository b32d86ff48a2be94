import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { statsRow } from '../../../engine/text/sufficient-stats.js';
import {
  corpusTer,
  sentenceTer,
  terCorpusStats,
  terEdits,
  terFromStats,
  terWords,
  type TerScore,
} from '../../../engine/text/ter.js';
import { MODELS, assertClose, mtCaseNames, outputs, readMtCase, references } from './mt-golden.js';

function goldenKeys(s: TerScore): Record<string, number> {
  return { score: s.score, num_edits: s.numEdits, ref_length: s.refLength };
}

for (const name of mtCaseNames()) {
  test(`golden TER: ${name}`, () => {
    const c = readMtCase(name);
    const refs = references(c);
    for (const model of MODELS) {
      const hyps = outputs(c, model);
      const expected = c.expected.models[model];
      assertClose(goldenKeys(corpusTer(hyps, refs)), expected.ter, `${model}.ter`);
      if (expected.ter_case_sensitive) {
        assert.equal(c.expected.options.ter_case_sensitive.case_sensitive, true);
        assertClose(
          goldenKeys(corpusTer(hyps, refs, { caseSensitive: true })),
          expected.ter_case_sensitive,
          `${model}.ter_case_sensitive`,
        );
      }
      const stats = terCorpusStats(hyps, refs);
      expected.per_example.forEach(
        (ex: { stats: { ter: number[] }; sentence_ter: { score: number } }, i: number) => {
          assertClose(statsRow(stats, i), ex.stats.ter, `${model}[${i}].stats.ter`);
          assertClose(
            sentenceTer(hyps[i], refs[i]).score,
            ex.sentence_ter.score,
            `${model}[${i}].sentence_ter`,
          );
        },
      );
    }
    if (c.expected.delta) {
      assertClose(
        corpusTer(outputs(c, 'ft'), refs).score - corpusTer(outputs(c, 'base'), refs).score,
        c.expected.delta.ter,
        'delta.ter',
      );
    }
  });
}

const words = (s: string): string[] => s.split(' ');

test('TER counts a block shift as one edit', () => {
  // Moving "on the mat" to the front is one shift; nothing else differs.
  assert.deepEqual(terEdits(words('on the mat the cat sat'), words('the cat sat on the mat')), {
    edits: 1,
    refLength: 6,
  });
  assert.deepEqual(terEdits(words('a b c'), words('a b c')), { edits: 0, refLength: 3 });
  assert.deepEqual(terEdits(words('a x c'), words('a b c')), { edits: 1, refLength: 3 });
  assert.deepEqual(terEdits([], words('a b')), { edits: 2, refLength: 2 });
  assert.deepEqual(terEdits(words('a b'), []), { edits: 2, refLength: 0 });
});

test('TER words: lower-cased unless case-sensitive, punctuation kept, whitespace collapsed', () => {
  assert.deepEqual(terWords('  The Cat,\tsat. \n'), ['the', 'cat,', 'sat.']);
  assert.deepEqual(terWords('The Cat', { caseSensitive: true }), ['The', 'Cat']);
  assert.deepEqual(terWords('"Hi," he said (twice).', { noPunct: true }), [
    'hi',
    'he',
    'said',
    'twice',
  ]);
  assert.deepEqual(terWords("it's 3.5, ok.", { normalized: true }), [
    'it',
    "'s",
    '3.5',
    ',',
    'ok',
    '.',
  ]);
});

test('TER with empty references: 100 with edits, 0 without', () => {
  assert.equal(terFromStats([3, 0]).score, 100);
  assert.equal(terFromStats([0, 0]).score, 0);
  assert.equal(sentenceTer('', ['']).score, 0);
});

test('TER edits are bounded by the plain edit distance and zero only for equal texts', () => {
  const word = fc.constantFrom('a', 'b', 'c', 'd');
  const levenshtein = (h: string[], r: string[]): number => {
    let prev = r.map((_, j) => j + 1);
    prev.unshift(0);
    for (let i = 1; i <= h.length; i++) {
      const cur = [i];
      for (let j = 1; j <= r.length; j++) {
        cur.push(
          Math.min(prev[j - 1] + (h[i - 1] === r[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1),
        );
      }
      prev = cur;
    }
    return prev[r.length];
  };
  fc.assert(
    fc.property(
      fc.array(word, { maxLength: 12 }),
      fc.array(word, { minLength: 1, maxLength: 12 }),
      (h, r) => {
        const { edits } = terEdits(h, r);
        assert.ok(edits <= levenshtein(h, r), `${h} / ${r}: ${edits}`);
        assert.equal(edits === 0, h.join(' ') === r.join(' '));
      },
    ),
  );
});
