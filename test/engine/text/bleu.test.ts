import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  bleuCorpusStats,
  bleuFromStats,
  bleuSentenceStats,
  closestReferenceLength,
  corpusBleu,
  sentenceBleu,
  type BleuOptions,
  type BleuScore,
} from '../../../engine/text/bleu.js';
import { statsRow } from '../../../engine/text/sufficient-stats.js';
import { tokenize13a } from '../../../engine/text/tokenize-13a.js';
import { splitPythonWhitespace } from '../../../engine/text/tokens.js';
import { MODELS, assertClose, mtCaseNames, outputs, readMtCase, references } from './mt-golden.js';

/** A score under the fixture's key names. */
function goldenKeys(s: BleuScore): Record<string, unknown> {
  return {
    score: s.score,
    counts: s.counts,
    totals: s.totals,
    precisions: s.precisions,
    bp: s.bp,
    ratio: s.ratio,
    sys_len: s.sysLen,
    ref_len: s.refLen,
  };
}

test('the golden mt cases are all found', () => {
  assert.deepEqual(mtCaseNames(), [
    'identical_outputs',
    'mt_multi_ref_variable',
    'mt_paired_significance',
    'mt_short_unicode_case',
    'mt_single_ref_basic',
  ]);
});

for (const name of mtCaseNames()) {
  test(`golden BLEU: ${name}`, () => {
    const c = readMtCase(name);
    const refs = references(c);
    for (const model of MODELS) {
      const hyps = outputs(c, model);
      const expected = c.expected.models[model];
      assertClose(goldenKeys(corpusBleu(hyps, refs)), expected.bleu, `${model}.bleu`);
      if (expected.bleu_lowercase) {
        assert.equal(c.expected.options.bleu_lowercase.lowercase, true);
        assertClose(
          goldenKeys(corpusBleu(hyps, refs, { lowercase: true })),
          expected.bleu_lowercase,
          `${model}.bleu_lowercase`,
        );
      }
      const stats = bleuCorpusStats(hyps, refs);
      expected.per_example.forEach(
        (ex: { id: unknown; stats: { bleu: number[] }; sentence_bleu: object }, i: number) => {
          assert.equal(ex.id, c.rows[i].id);
          assertClose(statsRow(stats, i), ex.stats.bleu, `${model}[${i}].stats.bleu`);
          assertClose(
            goldenKeys(sentenceBleu(hyps[i], refs[i])),
            ex.sentence_bleu,
            `${model}[${i}].sentence_bleu`,
          );
        },
      );
    }
    if (c.expected.delta) {
      assertClose(
        corpusBleu(outputs(c, 'ft'), refs).score - corpusBleu(outputs(c, 'base'), refs).score,
        c.expected.delta.bleu,
        'delta.bleu',
      );
    }
  });
}

test('13a tokenizer: symbols, periods and commas outside numbers, dashes after digits, entities', () => {
  assert.equal(
    tokenize13a('Hello, world. It costs $3.50 (approx.)!'),
    'Hello , world . It costs $ 3.50 ( approx . ) !',
  );
  assert.equal(tokenize13a('1,000 people; 2-3 days'), '1,000 people ; 2 - 3 days');
  assert.equal(tokenize13a('a &amp; b &lt;c&gt; &quot;d&quot;'), 'a & b < c > " d "');
  assert.equal(
    tokenize13a("don't re-enter<skipped> line-\nbreak\nnext"),
    "don't re-enter linebreak next",
  );
  assert.equal(tokenize13a('  \u00a0 '), '');
});

/** mteval-v13a's rules as sacrebleu writes them: regular-expression rewrites, then a split. */
function regex13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  s = s
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
  s = ` ${s} `
    .replace(/([{-~[-` -&(-+:-@/])/gu, ' $1 ')
    .replace(/([^0-9])([.,])/gu, '$1 $2 ')
    .replace(/([.,])([^0-9])/gu, ' $1 $2')
    .replace(/([0-9])(-)/gu, '$1 $2 ');
  return splitPythonWhitespace(s).join(' ');
}

test('13a tokenizer: the scanning rules give the text of the regular-expression rules', () => {
  const unit = fc.constantFrom(
    'a',
    'Z',
    '1',
    '9',
    '.',
    ',',
    '-',
    ' ',
    '\n',
    "'",
    '"',
    '&',
    ';',
    '$',
    '(',
    '<',
    'é',
    '😀',
    '\u00a0',
    '\u3000',
    '&amp;',
  );
  fc.assert(
    fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
      const line = parts.join('');
      assert.equal(tokenize13a(line), regex13a(line), JSON.stringify(line));
    }),
    { numRuns: 2000 },
  );
});

test('closest reference length: the nearest, the shorter on a tie', () => {
  assert.equal(closestReferenceLength(5, [4, 6]), 4);
  assert.equal(closestReferenceLength(5, [6, 4]), 4);
  assert.equal(closestReferenceLength(5, [9, 7, 3]), 3);
  assert.equal(closestReferenceLength(0, [2, 1]), 1);
});

test('smoothing methods as sacrebleu defines them', () => {
  // hyp_len 4, ref_len 4, 1-grams 3/4 matched, 2-grams 1/3, no 3- or 4-gram match.
  const stats = [4, 4, 3, 1, 0, 0, 4, 3, 2, 1];
  const geo = (ps: number[], k: number): number =>
    Math.exp(ps.slice(0, k).reduce((s, p) => s + Math.log(p), 0) / k);
  const exp = bleuFromStats(stats);
  assert.deepEqual(exp.precisions, [75, 100 / 3, 100 / (2 * 2), 100 / (4 * 1)]);
  assert.equal(exp.score, geo(exp.precisions, 4));
  const floor = bleuFromStats(stats, { smoothMethod: 'floor' });
  assert.deepEqual(floor.precisions, [75, 100 / 3, (100 * 0.1) / 2, (100 * 0.1) / 1]);
  const addK = bleuFromStats(stats, { smoothMethod: 'add-k', smoothValue: 1 });
  assert.deepEqual(addK.precisions, [75, (100 * 2) / 4, (100 * 1) / 3, (100 * 1) / 2]);
  assert.equal(addK.score, geo(addK.precisions, 4));
  assert.equal(bleuFromStats(stats, { smoothMethod: 'none' }).score, 0);
  // Effective order: only the orders with n-grams count.
  const short = [2, 2, 2, 0, 0, 0, 2, 1, 0, 0];
  const effective = bleuFromStats(short, { effectiveOrder: true });
  assert.deepEqual(effective.precisions, [100, 50, 0, 0]);
  assert.equal(effective.score, Math.exp((Math.log(100) + Math.log(50)) / 2));
  assert.equal(bleuFromStats(short).score, 0);
  assert.equal(bleuFromStats(short, { smoothMethod: 'none' }).score, 0);
  // Nothing matched: zero, whatever the smoothing.
  assert.equal(bleuFromStats([3, 3, 0, 0, 0, 0, 3, 2, 1, 0], { smoothMethod: 'floor' }).score, 0);
  // An empty output: brevity penalty 0.
  const empty = bleuFromStats([0, 5, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(empty.bp, 0);
  assert.equal(empty.score, 0);
});

test('BLEU of an output against itself is 100 when it has 4-grams', () => {
  const words = fc.constantFrom('the', 'cat', 'sat', 'on', 'a', 'mat', '.', ',', 'Dog', '3.5');
  fc.assert(
    fc.property(fc.array(words, { minLength: 4, maxLength: 20 }), (ws) => {
      const s = ws.join(' ');
      const b = sentenceBleu(s, [s]);
      assert.ok(Math.abs(b.score - 100) < 1e-9, `${s}: ${b.score}`);
    }),
  );
});

test('BLEU statistics: matches never exceed totals, and the corpus score uses summed rows', () => {
  const words = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'A', 'é', '😀');
  const sentence = fc.array(words, { maxLength: 12 }).map((ws) => ws.join(' '));
  const options: BleuOptions = {};
  fc.assert(
    fc.property(
      fc.array(fc.tuple(sentence, fc.array(sentence, { minLength: 1, maxLength: 3 })), {
        minLength: 1,
        maxLength: 6,
      }),
      (rows) => {
        const hyps = rows.map((r) => r[0]);
        const refs = rows.map((r) => r[1]);
        const sums = new Array<number>(10).fill(0);
        rows.forEach(([h, rs]) => {
          const row = bleuSentenceStats(h, rs, options);
          for (let n = 0; n < 4; n++) assert.ok(row[2 + n] <= row[6 + n]);
          row.forEach((v, k) => (sums[k] += v));
        });
        assert.deepEqual(corpusBleu(hyps, refs, options), bleuFromStats(sums, options));
      },
    ),
  );
});

test('BLEU statistics: a repeated reference changes nothing (the one-reference and the several-reference paths agree)', () => {
  const words = fc.constantFrom('a', 'b', 'c', 'd', 'a.', ',', 'É', '😀');
  const sentence = fc.array(words, { maxLength: 15 }).map((ws) => ws.join(' '));
  fc.assert(
    fc.property(sentence, sentence, (h, r) => {
      assert.deepEqual(bleuSentenceStats(h, [r]), bleuSentenceStats(h, [r, r]));
    }),
    { numRuns: 500 },
  );
});

test('BLEU statistics with ten thousand distinct tokens (keys too large for numbers)', () => {
  const tokens = Array.from({ length: 10000 }, (_, i) => `t${i}`);
  const ref = tokens.join(' ');
  // The hypothesis drops the token t5000: one unigram fewer, and the n-grams across the gap lost.
  const hyp = tokens.filter((t) => t !== 't5000').join(' ');
  const row = Array.from(bleuSentenceStats(hyp, [ref, ref]));
  assert.deepEqual(row, [9999, 10000, 9999, 9997, 9995, 9993, 9999, 9998, 9997, 9996]);
  assert.deepEqual(Array.from(bleuSentenceStats(hyp, [ref])), row);
});
