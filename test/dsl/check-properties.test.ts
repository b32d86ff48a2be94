/**
 * The checker over generated programs of every form (test/grammar/arbitraries.ts): it never
 * throws, every diagnostic is from the catalogue with a span inside the text and a hint, and a
 * program that checks gives one planned statement per statement. Run against an empty session
 * and against one with a table and a comparison bound, so that names resolve in some
 * programs and not in others.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { check, parse, runCell, Session } from '../../dsl/index.js';
import { SEMANTIC_CODES } from '../../dsl/messages.js';
import { programSource } from '../grammar/arbitraries.js';
import { goldenRoot } from '../helpers/golden.js';

const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const SEED = Number(process.env.PROPERTY_SEED ?? 31337);
const knownCodes = new Set<string>(Object.values(SEMANTIC_CODES));

const empty = new Session();
const bound = new Session({ params: { seed: '3' } });

before(async () => {
  const result = await runCell(
    'load "binary_spam_ham/data.csv" as test\ncompare base_pred, ft_pred on test against label as R\nparam p = 0.5',
    bound,
    { baseDir: goldenRoot },
  );
  assert.equal(result.stage, 'run');
});

describe('the checker on generated programs', () => {
  for (const [name, session] of [
    ['an empty session', empty],
    ['a session with a table and a result', bound],
  ] as const) {
    test(`never throws, and reports clean diagnostics (${name})`, () => {
      fc.assert(
        fc.property(programSource, (text) => {
          const parsed = parse(text);
          if (!parsed.ok) return;
          const checked = check(parsed.program, session, { source: text, baseDir: goldenRoot });
          if (checked.ok) {
            assert.equal(checked.plan.statements.length, parsed.program.statements.length);
            assert.equal(checked.plan.dataChecked.length, parsed.program.statements.length);
            return;
          }
          assert.ok(checked.diagnostics.length > 0);
          for (const d of checked.diagnostics) {
            assert.ok(knownCodes.has(d.code), d.code);
            assert.ok(0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= text.length);
            assert.ok(d.hints.length > 0, `${d.code} ${d.message} has a hint`);
          }
        }),
        { numRuns: 300 * SCALE, seed: SEED },
      );
    });
  }
});
