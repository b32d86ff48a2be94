/**
 * A cell of very many statements: every statement runs, in order, and the checks on data made
 * once a statement's dependencies have run still find every problem, however far apart the
 * statements are.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  complete,
  runCell,
  Session,
  type CellResult,
  type StatementOutcome,
} from '../../dsl/index.js';
import { goldenRoot, repoRoot } from '../helpers/golden.js';

function outcomes(result: CellResult): readonly StatementOutcome[] {
  assert.equal(result.stage, 'run');
  return result.stage === 'run' ? result.outcomes : [];
}

describe('a cell of many statements', () => {
  test('100,000 short statements all run, in order', async () => {
    const count = 100_000;
    const lines: string[] = [];
    for (let i = 0; i < count; i++)
      lines.push(i % 2 === 0 ? `set seed ${i}` : `param p${i} = ${i}`);
    const session = new Session();
    const ran = outcomes(await runCell(`${lines.join('\n')}\n`, session));
    assert.equal(ran.length, count);
    assert.equal(ran.filter((o) => o.status === 'ok').length, count);
    assert.deepEqual(
      [ran[0].line, ran[count - 1].line, ran[count - 1].text],
      [1, count, `param p${count - 1} = ${count - 1}`],
    );
    assert.equal(session.seedDefault(), count - 2);
    assert.equal(session.params().length, count / 2);
    assert.equal(session.param('p77777')?.value, 77777);
  });

  test('statements on a table loaded in the cell are checked once it is loaded, all together', async () => {
    const between = 20_000;
    const lines = ['load "binary_spam_ham/data.csv" as test'];
    for (let i = 0; i < between; i++) lines.push(`set seed ${i}`);
    lines.push('threshold ft_scor on test against label positive "spam"');
    for (let i = 0; i < between; i++) lines.push(`set seed ${i}`);
    lines.push('compare base_pred, ft_pred on test against lable');
    const session = new Session();
    const ran = outcomes(await runCell(`${lines.join('\n')}\n`, session, { baseDir: goldenRoot }));
    // The load runs; then the problems of every statement on `test` stop the cell at once.
    assert.equal(ran.length, 2);
    assert.equal(ran[0].status, 'ok');
    const problems = ran[1];
    assert.equal(problems.status, 'error');
    if (problems.status !== 'error') return;
    assert.equal(problems.line, between + 2);
    assert.deepEqual(
      problems.error.diagnostics.map((d) => [d.code, d.span.line, d.message]),
      [
        ['E0203', between + 2, 'table `test` has no column `ft_scor`'],
        ['E0203', 2 * between + 3, 'table `test` has no column `lable`'],
      ],
    );
    assert.equal(session.seedDefault(), null);
  });

  test('completion offers the columns of a table of 200,000 columns', async () => {
    const dir = join(repoRoot, 'test', '.tmp', `many-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const columns = 200_000;
      const header = Array.from({ length: columns }, (_, j) => `c${j}`).join(',');
      const row = Array.from({ length: columns }, (_, j) => String(j % 2)).join(',');
      writeFileSync(join(dir, 'wide.csv'), `${header}\n${row}\n`);
      const session = new Session();
      const loaded = outcomes(
        await runCell('load "wide.csv" as wide\n', session, { baseDir: dir }),
      );
      assert.equal(loaded[0].status, 'ok');
      const code = 'threshold c19999 on wide against c0';
      const completion = complete(code, 'threshold c19999'.length, session);
      assert.deepEqual(completion.matches, [...Array.from({ length: 10 }, (_, d) => `c19999${d}`)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
