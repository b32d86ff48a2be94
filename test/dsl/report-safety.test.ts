/**
 * A report never replaces data the session loaded — under the same name, a `.html`/`.md` name,
 * a symlink or a hard link — and a failed write leaves the previous report: `evalbook run
 * FILE.eval` as a user runs it (a child process), in text and in `--json`. Data files that are
 * not files are refused by the checker.
 */
import assert from 'node:assert/strict';
import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../helpers/golden.js';
import { jsonLines, runEvalbook } from '../notebooks/helpers.js';

const tmp = join(repoRoot, 'test', '.tmp', `report-safety-${process.pid}`);
const DATA = 'id,label,pred\n1,0,0\n2,1,1\n3,0,1\n4,1,1\n';

before(() => mkdirSync(tmp, { recursive: true }));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh folder holding data.csv and the program. */
function program(name: string, source: string): { dir: string; eval: string } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.csv'), DATA);
  writeFileSync(join(dir, 'program.eval'), source);
  return { dir, eval: join(dir, 'program.eval') };
}

test('a report named as the loaded data file (.html) fails at its file name; the data stays', async () => {
  const { dir, eval: file } = program('same-name', '');
  writeFileSync(join(dir, 'data.html'), DATA);
  writeFileSync(file, 'load "data.html" as t format csv\nreport "data.html"\n');
  const run = await runEvalbook(['run', file]);
  assert.equal(run.status, 1, run.stdout);
  assert.ok(
    run.stdout.includes(
      [
        'error[E0310]: the report "data.html" would replace the data file "data.html", which this session loaded',
        '  --> line 2, col 8',
        '   |',
        ' 2 | report "data.html"',
        '   |        ^^^^^^^^^^^',
        '   = hint: write the report to a file of its own, as in `report "report.html"`',
      ].join('\n'),
    ),
    run.stdout,
  );
  assert.equal(readFileSync(join(dir, 'data.html'), 'utf8'), DATA);
  assert.deepEqual(readdirSync(dir).sort(), ['data.csv', 'data.html', 'program.eval']);
});

test('a symlink and a hard link to the data are the data: both refused, in --json too', async () => {
  const { dir, eval: file } = program('links', '');
  symlinkSync('data.csv', join(dir, 'link.html'));
  linkSync(join(dir, 'data.csv'), join(dir, 'hard.md'));
  for (const report of ['link.html', 'hard.md']) {
    writeFileSync(file, `load "data.csv" as t\nreport "${report}"\n`);
    const run = await runEvalbook(['run', '--json', file]);
    assert.equal(run.status, 1, run.stdout);
    const last = jsonLines(run.stdout).at(-1);
    assert.equal(last?.statement, 'report');
    assert.equal(last?.error.code, 'E0310');
    assert.equal(
      last?.error.message,
      `the report "${report}" would replace the data file "data.csv" (the same file under another name), which this session loaded`,
    );
    assert.match(last?.error.rendered, /--> line 2, col 8/u);
    assert.equal(readFileSync(join(dir, 'data.csv'), 'utf8'), DATA);
  }
});

test('a report may replace an earlier report, and a second one in a run is warned about', async () => {
  const { dir, eval: file } = program(
    'twice',
    'load "data.csv" as t\nreport "r.html"\nreport "r.html" title "Again"\n',
  );
  const run = await runEvalbook(['run', file]);
  assert.equal(run.status, 0, run.stdout);
  assert.ok(
    run.stdout.includes(
      'warning[W0310]: "r.html" is written twice in this run: line 3: `report "r.html" title "Again"` replaces what line 2: `report "r.html"` wrote',
    ),
    run.stdout,
  );
  assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /Again/u);
  const json = await runEvalbook(['run', '--json', file]);
  const [, first, second] = jsonLines(json.stdout);
  assert.equal(first.warnings, undefined);
  assert.equal(second.warnings[0].code, 'W0310');
});

test('a report that cannot be written says why, naming the file, and writes nothing', async () => {
  const { dir, eval: file } = program(
    'unwritable',
    'load "data.csv" as t\nreport "data.csv/r.html"\n',
  );
  const run = await runEvalbook(['run', '--json', file]);
  assert.equal(run.status, 1, run.stdout);
  const last = jsonLines(run.stdout).at(-1);
  assert.equal(last?.error.code, 'E0312');
  assert.equal(
    last?.error.message,
    `the report "data.csv/r.html" cannot be written: ${join(dir, 'data.csv', 'r.html')}: a part of its path is a file, not a directory`,
  );
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /u, 'no stack trace');
  assert.deepEqual(readdirSync(dir).sort(), ['data.csv', 'program.eval']);
});

test('a FIFO and a symlink loop as data are refused by the checker, nothing run', async () => {
  const { dir, eval: file } = program('not-files', '');
  execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
  symlinkSync('loop-b.csv', join(dir, 'loop-a.csv'));
  symlinkSync('loop-a.csv', join(dir, 'loop-b.csv'));
  writeFileSync(file, 'load "pipe.csv" as p\nload "loop-a.csv" as l\n');
  const run = await runEvalbook(['run', file]);
  assert.equal(run.status, 1, run.stdout);
  assert.ok(
    run.stdout.includes(
      'error[E0230]: "pipe.csv" is a named pipe (FIFO), not a regular file\n  --> line 1, col 6',
    ),
    run.stdout,
  );
  assert.ok(
    run.stdout.includes(
      'error[E0231]: "loop-a.csv" is a symbolic link loop (a link that leads back to itself)\n' +
        '  --> line 2, col 6',
    ),
    run.stdout,
  );
  assert.doesNotMatch(run.stdout, /did you mean/u, 'the other half of the loop is no suggestion');
  assert.match(run.stdout, /✗ 2 problems; nothing was run/u);
});
