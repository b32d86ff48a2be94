/**
 * Completion: what fits at the cursor, from the grammar's own expectations and the session.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { complete, runCell, Session } from '../../dsl/index.js';
import { goldenRoot } from '../helpers/golden.js';

const session = new Session();

before(async () => {
  const result = await runCell(
    'param resamples = 100\nload "binary_spam_ham/data.csv" as test\ncompare base = base_pred, finetuned = ft_pred on test against label positive "spam" as R',
    session,
    { baseDir: goldenRoot },
  );
  assert.equal(result.stage, 'run');
});

/** Completes at the `|` in `code`. */
function at(code: string): { matches: readonly string[]; replaced: string } {
  const cursor = code.indexOf('|');
  const text = code.slice(0, cursor) + code.slice(cursor + 1);
  const c = complete(text, cursor, session, { baseDir: goldenRoot });
  return { matches: c.matches, replaced: text.slice(c.start, c.end) };
}

describe('completion', () => {
  test('statement keywords at the start of a statement', () => {
    assert.deepEqual(
      at('co|').matches,
      ['compare', 'calibration', 'curve', 'check'].filter((k) => k.startsWith('co')),
    );
    assert.ok(at('load "x" as y\n|').matches.includes('threshold'));
  });

  test('the clause keywords that fit, after the required parts', () => {
    const { matches } = at('compare base_pred, ft_pred on test against label |');
    for (const keyword of [
      'positive',
      'metrics',
      'average',
      'by',
      'significance',
      'explain',
      'as',
      'beta',
    ]) {
      assert.ok(matches.includes(keyword), keyword);
    }
    assert.deepEqual(at('threshold ft_score on test against label pick |').matches, [
      'at',
      'max',
      'min',
      'precision',
      'recall',
    ]);
    assert.deepEqual(at('compare base_pred, ft_pred on test ag|').matches, ['against']);
  });

  test('tables after `on`, and names bound above in the same cell', () => {
    assert.deepEqual(at('compare base_pred, ft_pred on t|').matches, ['test']);
    assert.deepEqual(at('load "a.csv" as train_set\ncompare a, b on tr|').matches, ['train_set']);
  });

  test('columns of the table the statement works on, even when `on` comes after the cursor', () => {
    assert.deepEqual(at('compare base_pred, ft_pred on test against l|').matches, ['label']);
    assert.deepEqual(at('compare b| on test against label').matches, ['base_pred', 'base_score']);
    assert.deepEqual(at('split test by |').matches.slice(0, 3), ['id', 'text', 'label']);
  });

  test('metric names after `metrics`, parameters where a value may stand', () => {
    assert.deepEqual(at('compare a, b on test against label metrics ac|').matches, ['accuracy']);
    assert.ok(
      at('compare a, b on test against label significance bootstrap |').matches.includes(
        'resamples',
      ),
    );
  });

  test('keys of a bound result in a check path', () => {
    assert.deepEqual(at('check R.fi|').matches, ['fixed', 'finetuned']);
    assert.deepEqual(at('check R.finetuned.f|').matches, ['f1', 'f0_5', 'f2', 'fp', 'fn']);
    assert.deepEqual(at('check R|').matches, []);
    assert.ok(at('check |').matches.includes('R'));
  });

  test('file names inside a string, from the base directory', () => {
    const { matches, replaced } = at('load "binary_spam_ham/|');
    assert.deepEqual(matches, [
      'binary_spam_ham/case.md',
      'binary_spam_ham/data.csv',
      'binary_spam_ham/expected.json',
    ]);
    assert.equal(replaced, 'binary_spam_ham/');
    assert.deepEqual(at('load "leakage_dup|').matches, ['leakage_duplicates/']);
  });

  test('nothing where nothing fits, and never an exception', () => {
    assert.deepEqual(at('compare a b c ) |').matches, []);
    for (const code of ['', '|', '"', '`', 'check R.`', '\n\n  |']) {
      assert.doesNotThrow(() => complete(code, code.length, session));
    }
  });
});
