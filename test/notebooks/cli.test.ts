/**
 * `evalbook run NOTEBOOK.ipynb` as a CI gate and as papermill: exit statuses (a failing check,
 * a timeout, usage errors), cells after a failure, --allow-errors, --set parameters injected
 * and winning, --json, and the output directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, type Json } from '../helpers/golden.js';
import {
  EVALBOOK_BIN,
  FIXTURE_DIR,
  NOTEBOOK_DIR,
  codeCells,
  freshDir,
  jsonLines,
  nbformatPython,
  readJson,
  runEvalbook,
  text,
  validateWithNbformat,
} from './helpers.js';

const FAILING = join(FIXTURE_DIR, 'failing-check.ipynb');

test('a check that does not hold fails the run with status 1; the cells after it are not run', async () => {
  const dir = freshDir('failing');
  const run = await runEvalbook(['run', FAILING, '--out', dir]);
  assert.equal(run.status, 1, run.stderr);
  const notebook = readJson(join(dir, 'failing-check.ipynb'));
  const [load, check, empty, show] = codeCells(notebook);
  assert.equal(load.execution_count, 1);
  assert.ok(
    !JSON.stringify(load.outputs).includes('stale output'),
    "an earlier run's outputs are gone",
  );
  assert.equal(check.execution_count, 2, JSON.stringify(check.outputs).slice(0, 2000));
  const error = check.outputs.find((o: Json) => o.output_type === 'error');
  assert.equal(error.ename, 'CheckFailed');
  assert.match(error.evalue, /X\.base\.accuracy \(0\.8\) > 0\.9 → false/u);
  assert.deepEqual([empty.execution_count, empty.outputs], [null, []]);
  assert.deepEqual([show.execution_count, show.outputs], [null, []], 'not run after the failure');
  // The summary names the failure and what was not run.
  assert.match(run.stdout, /\[2\]\s+CheckFailed\s+[\d.]+ s\s+check X\.finetuned\.accuracy == 1 \[1\/2 checks held\]/u);
  assert.match(run.stdout, /error\[E0401\]: check failed/u);
  assert.match(run.stdout, /not run\s+show ten limit 3/u);
  assert.match(run.stdout, /✗ 1 cell failed; 1 not run/u);
  // Plain progress lines when stderr is not a terminal.
  assert.match(run.stderr, /^cell 1\/3 ok \([\d.]+ s\): load /mu);
  assert.match(run.stderr, /^cell 2\/3 CheckFailed /mu);
  // An nbformat 4.4 notebook without cell ids comes out as 4.5 with ids.
  assert.equal(notebook.nbformat_minor, 5);
  for (const cell of notebook.cells) assert.match(cell.id, /^[0-9a-f]{8}$/u);
  const python = nbformatPython();
  if (python !== null) assert.equal(validateWithNbformat(python, join(dir, 'failing-check.ipynb')), '4.5');
  const html = readFileSync(join(dir, 'failing-check.html'), 'utf8');
  assert.ok(html.includes('CheckFailed'));
  assert.ok(html.includes('not run'));
});

test('--allow-errors runs the cells after a failure, and the run still fails', async () => {
  const dir = freshDir('allow-errors');
  const run = await runEvalbook(['run', FAILING, '--out', dir, '--allow-errors']);
  assert.equal(run.status, 1);
  const [, , empty, show] = codeCells(readJson(join(dir, 'failing-check.ipynb')));
  assert.equal(empty.execution_count, null, 'an empty cell is not sent to the kernel');
  assert.equal(show.execution_count, 3);
  assert.equal(show.outputs.at(-1).output_type, 'execute_result');
  assert.match(text(show.outputs.at(-1).data['text/plain']), /^ten: 10 rows × 4 columns/u);
});

test('--json prints one object per statement, naming the cell; a failed check carries its result', async () => {
  const dir = freshDir('json');
  const run = await runEvalbook(['run', FAILING, '--out', dir, '--json']);
  assert.equal(run.status, 1);
  const lines = jsonLines(run.stdout);
  assert.deepEqual(
    lines.map((l) => [l.cell, l.line, l.statement, l.name]),
    [
      [1, 1, 'load', 'ten'],
      [1, 2, 'compare', 'X'],
      [2, 1, 'check', null],
      [2, 2, 'check', null],
    ],
  );
  assert.equal(lines[1].result.models[0].metrics.accuracy, 0.8);
  assert.equal(lines[3].result.passed, false);
  assert.equal(lines[3].error.code, 'E0401');
  assert.match(lines[3].error.rendered, /--> line 2, col 7/u);
  // The summary moves to stderr, so stdout is JSON only.
  assert.match(run.stderr, /✗ 1 cell failed/u);
});

test('--set overrides a parameter: the injected cell follows the parameters cell, and wins', async () => {
  const dir = freshDir('set-data');
  const run = await runEvalbook([
    'run',
    join(NOTEBOOK_DIR, 'quickstart.ipynb'),
    '--out',
    dir,
    '--json',
    '--set',
    'data=data/spam_rare_test.csv',
  ]);
  assert.equal(run.status, 0, run.stderr);
  const notebook = readJson(join(dir, 'quickstart.ipynb'));
  const ids = notebook.cells.map((c: Json) => c.id);
  const injected = notebook.cells[ids.indexOf('load') + 1];
  assert.equal(injected.id, 'injected-parameters');
  assert.deepEqual(injected.metadata.tags, ['injected-parameters']);
  assert.equal(
    text(injected.source),
    '# Parameters given to `evalbook run` (--set)\nparam data = "data/spam_rare_test.csv"',
  );
  assert.deepEqual(notebook.metadata.evalbook, {
    parameters: { data: 'data/spam_rare_test.csv' },
  });
  const lines = jsonLines(run.stdout);
  // The notebook's own `param` shows the override too: the session's value wins everywhere.
  const params = lines.filter((l) => l.statement === 'param');
  assert.deepEqual(
    params.map((l) => [l.cell_id, l.result.value, l.result.overridden]),
    [
      ['load', 'data/spam_rare_test.csv', true],
      ['injected-parameters', 'data/spam_rare_test.csv', true],
    ],
  );
  const load = lines.find((l) => l.statement === 'load');
  assert.equal(load.result.rows, 505);
  const R = lines.find((l) => l.name === 'R').result;
  assert.equal(R.models[0].metrics.accuracy, 450 / 505);
  assert.equal(R.models[1].metrics.accuracy, 488 / 505);
  assert.match(run.stderr, /✓ 6 cells ran/u);
  const html = readFileSync(join(dir, 'quickstart.html'), 'utf8');
  assert.ok(html.includes('with data=data/spam_rare_test.csv'));
});

test('--set of a number and of the seed: bootstrap resamples and seed follow', async () => {
  const dir = freshDir('set-resamples');
  const run = await runEvalbook([
    'run',
    join(NOTEBOOK_DIR, 'finetune-writeup.ipynb'),
    '--out',
    dir,
    '--json',
    '--set',
    'resamples=200',
    '--set',
    'seed=11',
  ]);
  assert.equal(run.status, 0, run.stderr);
  const notebook = readJson(join(dir, 'finetune-writeup.ipynb'));
  const injected = notebook.cells.find((c: Json) => c.id === 'injected-parameters');
  assert.equal(
    text(injected.source),
    '# Parameters given to `evalbook run` (--set)\nparam resamples = 200\nset seed 11',
  );
  const lines = jsonLines(run.stdout);
  const seeds = lines.filter((l) => l.statement === 'set');
  assert.ok(seeds.length >= 2);
  for (const s of seeds) assert.deepEqual([s.result.value, s.result.overridden], [11, true]);
  const R = lines.find((l) => l.name === 'R').result;
  assert.equal(R.deltas[0].metrics[0].interval.resamples, 200);
});

test('usage errors exit with status 2 and say what is wrong', async () => {
  const dir = freshDir('usage');
  const quickstart = join(NOTEBOOK_DIR, 'quickstart.ipynb');
  const cases: [string[], RegExp][] = [
    [['--set', 'date=x.csv'], /--set date: the notebook has no parameter date \(its parameters: data; `seed` sets the seed\)/u],
    [['--set', 'seed=abc'], /--set seed needs a whole number/u],
    [['--timeout', '0'], /--timeout needs a number of seconds > 0/u],
    [['--frobnicate'], /unknown option --frobnicate/u],
  ];
  for (const [extra, message] of cases) {
    const run = await runEvalbook(['run', quickstart, '--out', dir, ...extra]);
    assert.equal(run.status, 2, extra.join(' '));
    assert.match(run.stderr, message);
  }
  const missing = await runEvalbook(['run', join(dir, 'nowhere.ipynb'), '--out', dir]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read/u);
  // Writing the executed notebook over its source is refused.
  const copy = join(dir, 'quickstart.ipynb');
  copyFileSync(quickstart, copy);
  const over = await runEvalbook(['run', copy, '--out', dir]);
  assert.equal(over.status, 2);
  assert.match(over.stderr, /would overwrite the notebook itself/u);
  // A value that ends in .ipynb does not make a program a notebook.
  const program = await runEvalbook([
    'run',
    '--set',
    'x=a.ipynb',
    join('test', 'golden-programs', '02-worked-examples.eval'),
  ]);
  assert.equal(program.status, 2);
  assert.match(program.stderr, /--set x: the program has no parameter x/u);
  const help = await runEvalbook(['run', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /evalbook run NOTEBOOK\.ipynb \[--out DIR\]/u);
  assert.match(help.stdout, /evalbook run FILE\.eval/u);
});

test('a cell that runs past --timeout is interrupted and fails the run; the session survives', async () => {
  const dir = freshDir('timeout');
  const run = await runEvalbook([
    'run',
    join(FIXTURE_DIR, 'slow-cell.ipynb'),
    '--out',
    dir,
    '--timeout',
    '2',
    '--allow-errors',
  ]);
  assert.equal(run.status, 1);
  const [, slow, after] = codeCells(readJson(join(dir, 'slow-cell.ipynb')));
  const errors = slow.outputs.filter((o: Json) => o.output_type === 'error');
  assert.deepEqual(
    errors.map((o: Json) => o.ename),
    ['Interrupted', 'CellTimeout'],
  );
  assert.equal(errors[1].evalue, 'the cell ran longer than 2 s and was interrupted');
  // The load before the interrupted statement stays in the session: the next cell shows it.
  assert.equal(after.execution_count, 3);
  assert.match(text(after.outputs.at(-1).data['text/plain']), /^test: 914 rows × 9 columns/u);
  assert.match(run.stdout, /\[2\]\s+timed out/u);
});

test('Ctrl-C (SIGINT to evalbook run) interrupts the running cell, writes what ran, and exits 130', async () => {
  const dir = freshDir('sigint');
  const child = spawn(
    process.execPath,
    [EVALBOOK_BIN, 'run', join(FIXTURE_DIR, 'slow-cell.ipynb'), '--out', dir],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Interrupt once the first cell is done and the slow one has been sent to the kernel.
  const started = Date.now();
  while (!stderr.includes('cell 1/3 ok') && Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill('SIGINT');
  assert.equal(await exited, 130, `${stdout}\n${stderr}`);
  const [, slow, next] = codeCells(readJson(join(dir, 'slow-cell.ipynb')));
  assert.deepEqual(
    slow.outputs.filter((o: Json) => o.output_type === 'error').map((o: Json) => o.ename),
    ['Interrupted'],
  );
  assert.deepEqual([next.execution_count, next.outputs], [null, []]);
  assert.match(stdout, /✗ interrupted after 2 cells\n/u);
});
