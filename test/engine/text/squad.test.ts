import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normalizeSquadAnswer, squadCorpus, squadExample } from '../../../engine/text/squad.js';
import { assertGolden } from '../../helpers/golden.js';
import { readJsonl, readTextExpected } from '../../helpers/golden-text-fixtures.js';

const CASE = 'squad_normalisation';

for (const model of ['base', 'ft'] as const) {
  test(`${CASE}: ${model} exact match, F1 and normalisation of every question`, () => {
    const rows = readJsonl(CASE);
    const expected = readTextExpected(CASE).models[model];
    const got = squadCorpus(
      rows.map((r) => r[`${model}_output`]),
      rows.map((r) => r.references),
    );
    assertGolden(got.exactMatch, expected.exact_match, `${model}.exact_match`);
    assertGolden(got.f1, expected.f1, `${model}.f1`);
    assert.equal(got.perExample.length, expected.per_example.length);
    got.perExample.forEach((s, i) => {
      const e = expected.per_example[i];
      assert.equal(s.exactMatch, e.exact_match, `${e.id} exact_match`);
      assertGolden(s.f1, e.f1, `${e.id}.f1`);
      assert.equal(s.normalizedOutput, e.normalized_output, `${e.id} normalized_output`);
      assert.deepEqual(
        s.normalizedReferences,
        e.normalized_references,
        `${e.id} normalized_references`,
      );
    });
  });
}

test(`${CASE}: the delta of the corpus scores`, () => {
  const rows = readJsonl(CASE);
  const expected = readTextExpected(CASE);
  const refs = rows.map((r) => r.references);
  const base = squadCorpus(
    rows.map((r) => r.base_output),
    refs,
  );
  const ft = squadCorpus(
    rows.map((r) => r.ft_output),
    refs,
  );
  assertGolden(ft.exactMatch - base.exactMatch, expected.delta.exact_match, 'delta.exact_match');
  assertGolden(ft.f1 - base.f1, expected.delta.f1, 'delta.f1');
});

test('SQuAD normalisation: articles are whole words with Unicode boundaries, curly quotes stay', () => {
  assert.equal(normalizeSquadAnswer('The  theory of an Anthem'), 'theory of anthem');
  assert.equal(normalizeSquadAnswer('“Thomas Edison”'), '“thomas edison”');
  // Letters and numbers of any script are word characters: no article inside these words.
  assert.equal(normalizeSquadAnswer('theé the\u00b2 a\u0663 a'), 'theé the\u00b2 a\u0663');
  // "a" followed by a combining mark is still a whole word for Python's \b (marks are not \w).
  assert.equal(normalizeSquadAnswer('a\u0301 b'), '\u0301 b');
  assert.equal(normalizeSquadAnswer('x\u00a0y\u2003z'), 'x y z');
});

test('SQuAD: an empty output against an empty reference matches exactly with F1 0', () => {
  const s = squadExample('The', ['a']);
  assert.equal(s.exactMatch, 1);
  assert.equal(s.f1, 0);
});

test('SQuAD: F1 lies in [0, 1] and an answer matches itself', () => {
  fc.assert(
    fc.property(
      fc.string(),
      fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
      (output, refs) => {
        const s = squadExample(output, refs);
        assert.ok(s.f1 >= 0 && s.f1 <= 1);
        const self = squadExample(output, [output]);
        assert.equal(self.exactMatch, 1);
        if (self.normalizedOutput.length > 0) assert.equal(self.f1, 1);
      },
    ),
  );
});

test('SQuAD: a question without reference answers is refused', () => {
  assert.throws(() => squadExample('x', []), { name: 'EngineError', code: 'bad-argument' });
  assert.throws(() => squadCorpus(['x', 'y'], [['x'], []]), {
    code: 'bad-argument',
    message: 'a SQuAD question needs at least one reference answer',
    location: { row: 2 },
  });
});
