/**
 * `evalbook run NOTEBOOK.ipynb --out DIR` writes only inside DIR: a report named with `..` or
 * an absolute path fails (E0311) and writes nothing, unless `--allow-outside-out`. Through the
 * kernel, too, a report never replaces a loaded input, and a second report to one file in a
 * run is warned about, naming both cells.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { executorOptionsFromEnv, KERNEL_ENV } from '../../kernel/evalbook-executor.js';
import type { Json } from '../helpers/golden.js';
import { codeCells, freshDir, jsonLines, readJson, runEvalbook, text } from './helpers.js';

const DATA = 'id,label,pred\n1,0,0\n2,1,1\n3,0,1\n4,1,1\n';

/** A folder with data.csv and a notebook of the given code cells. */
function notebookDir(name: string, cells: readonly string[]): { dir: string; notebook: string } {
  const dir = freshDir(name);
  writeFileSync(join(dir, 'data.csv'), DATA);
  const notebook = join(dir, 'nb.ipynb');
  writeFileSync(
    notebook,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map((source, i) => ({
        cell_type: 'code',
        id: `cell-${i + 1}`,
        metadata: {},
        execution_count: null,
        outputs: [],
        source,
      })),
    }),
  );
  return { dir, notebook };
}

function errorOf(cell: Json): Json | undefined {
  return cell.outputs.find((o: Json) => o.output_type === 'error');
}

test('reports named outside --out fail and write nothing; the notebook folder is untouched', async () => {
  const { dir, notebook } = notebookDir('confined', [
    'load "data.csv" as t',
    'report "../escape.html"',
  ]);
  const outside = join(dir, 'elsewhere.html');
  const out = join(dir, 'out');
  const run = await runEvalbook(['run', notebook, '--out', out, '--allow-errors']);
  assert.equal(run.status, 1, run.stdout);
  const cells = codeCells(readJson(join(out, 'nb.ipynb')));
  const error = errorOf(cells[1]);
  assert.equal(error?.ename, 'DataError');
  assert.equal(
    error?.evalue,
    `the report "../escape.html" would be written outside the output directory "${out}"`,
  );
  assert.match(error?.traceback.join('\n'), /error\[E0311\]/u);
  assert.ok(!existsSync(join(dir, 'escape.html')), 'the notebook folder got no report');

  // An absolute path is outside too.
  writeFileSync(
    notebook,
    readFileSync(notebook, 'utf8').replace('../escape.html', outside.replace(/\\/gu, '/')),
  );
  const absolute = await runEvalbook(['run', notebook, '--out', out, '--json']);
  assert.equal(absolute.status, 1);
  const report = jsonLines(absolute.stdout).find((line) => line.statement === 'report');
  assert.equal(report?.error.code, 'E0311');
  assert.ok(!existsSync(outside));
});

test('--allow-outside-out lets a report be written where it names', async () => {
  const { dir, notebook } = notebookDir('allowed', [
    'load "data.csv" as t',
    'report "../escape.html" title "Outside"',
  ]);
  const run = await runEvalbook([
    'run',
    notebook,
    '--out',
    join(dir, 'out'),
    '--allow-outside-out',
  ]);
  assert.equal(run.status, 0, run.stdout);
  assert.match(readFileSync(join(dir, 'escape.html'), 'utf8'), /Outside/u);
  assert.match(run.stdout, /report {4}.*escape\.html/u);
});

test('through the kernel, a report over a loaded input fails and the data stays', async () => {
  // The data sits inside --out under the name the report gives.
  const { dir, notebook } = notebookDir('kernel-input', [
    'load "out/data.html" as t format csv',
    'report "data.html"',
  ]);
  const out = join(dir, 'out');
  mkdirSync(out);
  const data = join(out, 'data.html');
  writeFileSync(data, DATA);
  const run = await runEvalbook(['run', notebook, '--out', out]);
  assert.equal(run.status, 1, run.stdout);
  const cells = codeCells(readJson(join(out, 'nb.ipynb')));
  assert.equal(
    errorOf(cells[1])?.evalue,
    'the report "data.html" would replace the data file "out/data.html" (the same file under another name), which this session loaded',
  );
  assert.match(errorOf(cells[1])?.traceback.join('\n'), /error\[E0310\]/u);
  assert.equal(readFileSync(data, 'utf8'), DATA);
});

test('two reports to one file in a run: a warning naming both cells', async () => {
  const { dir, notebook } = notebookDir('twice', [
    'load "data.csv" as t\nreport "r.md"',
    'report "r.md" title "Second"',
  ]);
  const out = join(dir, 'out');
  const run = await runEvalbook(['run', notebook, '--out', out]);
  assert.equal(run.status, 0, run.stdout);
  const cells = codeCells(readJson(join(out, 'nb.ipynb')));
  const shown = cells[1].outputs.map((o: Json) => text(o.data?.['text/plain'] ?? '')).join('\n');
  assert.ok(
    shown.includes(
      'warning[W0310]: "r.md" is written twice in this run: cell 2, line 1: `report "r.md" title "Second"` replaces what cell 1, line 2: `report "r.md"` wrote',
    ),
    shown,
  );
  assert.equal(cells[0].outputs.some((o: Json) => JSON.stringify(o).includes('W0310')), false);
  assert.match(readFileSync(join(out, 'r.md'), 'utf8'), /Second/u);
});

test('the kernel confines reports when the run says so through its environment', () => {
  const confined = executorOptionsFromEnv(
    { [KERNEL_ENV.reportDir]: 'out', [KERNEL_ENV.confineReports]: '1' },
    '/nb',
  );
  assert.equal(confined.confineReports, true);
  assert.equal(confined.reportDir, '/nb/out');
  const open = executorOptionsFromEnv({ [KERNEL_ENV.confineReports]: '0' }, '/nb');
  assert.equal(open.confineReports, undefined);
});

test('the same report statement run again (a cell re-run) is not warned about', async () => {
  const { dir, notebook } = notebookDir('rerun', [
    'load "data.csv" as t',
    'report "r.html"',
    'report "r.html"',
  ]);
  const out = join(dir, 'out');
  const run = await runEvalbook(['run', notebook, '--out', out, '--json']);
  assert.equal(run.status, 0, run.stdout);
  const reports = jsonLines(run.stdout).filter((line) => line.statement === 'report');
  assert.equal(reports.length, 2);
  assert.deepEqual(
    reports.map((line) => line.warnings),
    [undefined, undefined],
  );
});
