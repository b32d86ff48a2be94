/**
 * Inspection: what the word at the cursor means, from the session and the reference.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { inspect, runCell, Session } from '../../dsl/index.js';
import { goldenRoot } from '../helpers/golden.js';

const session = new Session();

before(async () => {
  const result = await runCell(
    'param min_gain = 2%\nload "binary_spam_ham/data.csv" as test\ncompare base = base_pred, finetuned = ft_pred on test against label positive "spam" as R',
    session,
    { baseDir: goldenRoot },
  );
  assert.equal(result.stage, 'run');
});

/** Inspects at the `|` in `code`. */
function at(code: string): ReturnType<typeof inspect> {
  const cursor = code.indexOf('|');
  return inspect(code.slice(0, cursor) + code.slice(cursor + 1), cursor, session);
}

describe('inspection', () => {
  test('a statement keyword gives its synopsis and what it does', () => {
    const found = at('comp|are a, b on test against label');
    assert.equal(found.found, true);
    assert.match(
      found.plain,
      /^compare \[NAME =\] COLUMN \[score COLUMN\], \.\.\. on TABLE against LABEL/u,
    );
    assert.match(found.markdown, /McNemar/u);
  });

  test('a bound table gives its size, source and columns', () => {
    const found = at('show te|st');
    assert.match(
      found.plain,
      /^table test: 240 rows × 7 columns\nfile binary_spam_ham\/data\.csv \(SHA-256 46b04622/u,
    );
    assert.match(found.plain, /label: text, 2 distinct, 0 missing/u);
    assert.match(found.markdown, /\| base_score \| number \| min 0\.021, max 0\.978 \| 0 \|/u);
  });

  test('a bound result gives its numbers and keys; a path into it, the values under it', () => {
    const result = at('check |R.finetuned.f1 > 0');
    assert.match(result.plain, /^result R: comparison \(bound at line 3\)/u);
    assert.match(result.plain, /f1: base 0\.8851, finetuned 0\.9708/u);
    assert.match(result.plain, /keys: n, delta, p_value, fixed, broken, base, finetuned/u);
    const path = at('check R.fine|tuned.f1 > 0');
    assert.match(path.plain, /R\.finetuned\.f1 = 0\.9708/u);
    assert.equal(at('check R.finetuned.f|1 > 0').plain, 'R.finetuned.f1 = 0.9708');
  });

  test('columns, metrics, parameters and clause keywords', () => {
    assert.match(
      at('compare base_pred, ft_pred on test against la|bel').plain,
      /^column label of table test: text, 2 distinct values \(most frequent: "ham" 156, "spam" 84\)/u,
    );
    assert.match(
      at('compare a, b on test against label metrics mc|c').plain,
      /^metric mcc: Matthews/u,
    );
    assert.equal(at('check R.delta.f1 > min_ga|in').plain, 'parameter min_gain = 0.02');
    assert.match(at('compare a, b on test against label signif|icance mcnemar').plain, /McNemar/u);
  });

  test('nothing for a word with no meaning here', () => {
    assert.equal(at('check zz|z > 1').found, false);
    assert.equal(at('|').found, false);
  });
});
