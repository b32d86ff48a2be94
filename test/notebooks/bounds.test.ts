/**
 * Sizes beyond the language's bounds end to end: `evalbook run` of a program asking for
 * 100,000,000 calibration bins (which used to exhaust the heap and abort) or a bootstrap of
 * 10^12 resamples prints the rendered error and exits 1 without running anything; `--json`
 * gives the error object; a 10 MB cell and a check of thousands of `not`s are errors with
 * codes, not stack traces; and the kernel's executor answers the same cells with a
 * CheckError or ParseError and its caret excerpt.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DisplayBundle } from '../../display/bundle.js';
import { EvalbookExecutor } from '../../kernel/evalbook-executor.js';
import type { ExecutionContext } from '../../kernel/executor.js';
import { goldenRoot, repoRoot } from '../helpers/golden.js';
import { freshDir, jsonLines, runEvalbook } from './helpers.js';

const DATA = join(repoRoot, 'notebooks', 'data', 'spam_test.csv');
const CALIBRATION =
  'calibration ft_score on test against label positive "spam" bins 100000000 as C';

function program(dir: string, name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

test('evalbook run: bins 100000000 is the rendered error and status 1, nothing run', async () => {
  const dir = freshDir('bounds-bins');
  const path = program(dir, 'bins.eval', [`load ${JSON.stringify(DATA)} as test`, CALIBRATION]);
  const run = await runEvalbook(['run', path]);
  assert.equal(run.status, 1, run.stderr);
  assert.ok(
    run.stdout.includes(
      [
        'error[E0217]: the number of bins must be a whole number from 1 to 10000, found 100000000',
        '  --> line 2, col 65',
        '   |',
        ` 2 | ${CALIBRATION}`,
        `   | ${' '.repeat(64)}^^^^^^^^^`,
        '   = hint: ten equal-width bins is usual; with few rows, fewer',
      ].join('\n'),
    ),
    run.stdout,
  );
  assert.match(run.stdout, /✗ 1 problem; nothing was run/u);
  assert.doesNotMatch(`${run.stdout}${run.stderr}`, /RangeError|heap| {4}at /u);

  const json = await runEvalbook(['run', path, '--json']);
  assert.equal(json.status, 1, json.stderr);
  const [only, ...rest] = jsonLines(json.stdout);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    [only.line, only.statement, only.name, only.error.code, only.error.message],
    [
      2,
      'calibration',
      null,
      'E0217',
      'the number of bins must be a whole number from 1 to 10000, found 100000000',
    ],
  );
  assert.match(only.error.rendered, /^error\[E0217\]: .*\n {2}--> line 2, col 65\n/u);
});

test('evalbook run: a bootstrap of 10^12 resamples and a seed past 32 bits, both reported', async () => {
  const dir = freshDir('bounds-bootstrap');
  const path = program(dir, 'bootstrap.eval', [
    `load ${JSON.stringify(DATA)} as test`,
    'compare base_pred, ft_pred on test against label positive "spam"',
    '    significance bootstrap 1000000000000 seed 4294967296',
  ]);
  const run = await runEvalbook(['run', path, '--json']);
  assert.equal(run.status, 1, run.stderr);
  assert.deepEqual(
    jsonLines(run.stdout).map((o) => [o.line, o.error.code, o.error.message]),
    [
      [
        3,
        'E0217',
        'the number of resamples must be a whole number from 1 to 1000000, found 1000000000000',
      ],
      [3, 'E0217', 'a seed must be a whole number from 0 to 4294967295, found 4294967296'],
    ],
  );
});

test('evalbook run: a 10 MB string literal and 20,000 `not`s are errors with codes', async () => {
  const dir = freshDir('bounds-size');
  const huge = program(dir, 'huge.eval', [`report "${'a'.repeat(10_000_000)}.html"`]);
  const run = await runEvalbook(['run', huge, '--json']);
  assert.equal(run.status, 1, run.stderr.slice(0, 2000));
  assert.deepEqual(
    jsonLines(run.stdout).map((o) => [o.line, o.error.code, o.error.message]),
    [[1, 'E0008', 'the cell is 10000015 characters long; a cell may have at most 4000000']],
  );
  const deep = program(dir, 'deep.eval', [`check ${'not '.repeat(20_000)}1 > 0`]);
  const text = await runEvalbook(['run', deep]);
  assert.equal(text.status, 1, text.stderr.slice(0, 2000));
  assert.match(text.stdout, /^error\[E0106\]: this statement has 20004 words, numbers and symbols; a statement may have at most 1000$/mu);
  assert.doesNotMatch(`${text.stdout}${text.stderr}`, /RangeError|Maximum call stack/u);
});

function context(): ExecutionContext {
  return {
    executionCount: 1,
    cancel: { cancelled: false },
    display(_bundle: DisplayBundle) {},
    updateDisplay() {},
    stream() {},
  };
}

test('the kernel answers the same cells with a CheckError or a ParseError, never a RangeError', async () => {
  const executor = new EvalbookExecutor({ baseDir: goldenRoot });
  const bins = await executor.execute(
    `load "binary_spam_ham/data.csv" as test\n${CALIBRATION}`,
    context(),
  );
  assert.equal(bins.status, 'error');
  if (bins.status !== 'error') return;
  assert.equal(bins.ename, 'CheckError');
  assert.equal(
    bins.evalue,
    'the number of bins must be a whole number from 1 to 10000, found 100000000',
  );
  assert.equal(bins.traceback[1], '  --> line 2, col 65');
  assert.equal(executor.session.binding('test'), undefined, 'nothing ran');

  const deep = await executor.execute(`check ${'not '.repeat(150)}1 > 0`, context());
  assert.equal(deep.status === 'error' && deep.ename, 'ParseError');
  assert.equal(
    deep.status === 'error' && deep.evalue,
    'this expression nests more than 100 levels deep',
  );
  const long = await executor.execute(`show "${'x'.repeat(10_001)}"`, context());
  assert.equal(long.status === 'error' && long.ename, 'ParseError');
  assert.equal(
    long.status === 'error' && long.traceback[0],
    'error[E0009]: this string is 10001 characters long; at most 10000 are allowed',
  );
});
