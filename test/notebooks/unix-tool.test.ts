/**
 * `evalbook` as a Unix tool, through the real command line: a closed pipe ends a run quietly
 * (stdout, --json, notebooks, stderr), control characters in printed data are shown as
 * `\xHH`, a byte-order mark is accepted, a --set of the wrong type is one error, a notebook of
 * another kernel is run with a warning, --cell-timeout, and usage errors.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bar, TerminalProgress } from '../../bin/progress.js';
import { jsonSafe, terminalSafe } from '../../bin/terminal.js';
import { repoRoot, type Json } from '../helpers/golden.js';
import {
  EVALBOOK_BIN,
  FIXTURE_DIR,
  NOTEBOOK_DIR,
  codeCells,
  freshDir,
  jsonLines,
  readJson,
  runEvalbook,
  text,
} from './helpers.js';

const PROGRAMS = join(repoRoot, 'test', 'golden-programs');
const ESC = '\u001b';
/** What must not reach a terminal raw: C0 controls but tab and newline, DEL, C1 controls. */
// eslint-disable-next-line no-control-regex -- these are the characters looked for
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

interface ClosedRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** What was read from the stream that stayed open. */
  other: string;
}

/**
 * Runs `evalbook ARGS` and closes the reading end of `closed` (stdout or stderr) as soon as
 * the first bytes arrive there, as `| head -c 1` would.
 */
function runClosing(args: readonly string[], closed: 'stdout' | 'stderr'): Promise<ClosedRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [EVALBOOK_BIN, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const other = closed === 'stdout' ? child.stderr : child.stdout;
    let text = '';
    other.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child[closed].once('data', () => child[closed].destroy());
    child.once('exit', (status, signal) => resolve({ status, signal, other: text }));
  });
}

/** A notebook of code cells (nbformat 4.5) with the given metadata. */
function writeNotebook(path: string, sources: readonly string[], metadata: Json = {}): void {
  const cells = sources.map((source, i) => ({
    cell_type: 'code',
    execution_count: null,
    id: `cell-${i + 1}`,
    metadata: {},
    outputs: [],
    source,
  }));
  writeFileSync(path, JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }));
}

test('a closed stdout ends a program run quietly, in text and in --json, with status 141', async () => {
  const program = join(PROGRAMS, '01-spam-compare.eval');
  for (const extra of [[], ['--json']]) {
    const run = await runClosing(['run', program, ...extra, '--out', freshDir('pipe')], 'stdout');
    assert.deepEqual([run.status, run.signal], [141, null], extra.join(' '));
    assert.equal(run.other, '', 'no stack trace, no message on stderr');
  }
});

test('a closed pipe stops a notebook run: the kernel is shut down and the rest is not run', async () => {
  const dir = freshDir('pipe-notebook');
  const quickstart = join(NOTEBOOK_DIR, 'quickstart.ipynb');
  // --json writes a line per statement as each cell ends: the second cell's write fails.
  const stdout = await runClosing(['run', quickstart, '--json', '--out', dir], 'stdout');
  assert.deepEqual([stdout.status, stdout.signal], [141, null], stdout.other);
  assert.doesNotMatch(stdout.other, /EPIPE|at .*\.js:\d+/u);
  const cells = codeCells(readJson(join(dir, 'quickstart.ipynb')));
  assert.equal(cells.at(-1).execution_count, null, 'the last cell did not run');
  // Progress lines go to stderr: closing it stops the run the same way.
  const stderr = await runClosing(['run', quickstart, '--out', freshDir('pipe-stderr')], 'stderr');
  assert.deepEqual([stderr.status, stderr.signal], [141, null]);
  assert.equal(stderr.other, '', 'the summary is not written once the reader is gone');
});

test('control characters in data are shown as \\xHH in text output, and escaped in --json', async () => {
  const dir = freshDir('controls');
  // An SGR colour in a column name, an OSC 8 link in a value, an 8-bit CSI (U+009B) in another.
  writeFileSync(
    join(dir, 'data.csv'),
    `id,lab${ESC}[31mel,pred\n1,spam${ESC}]8;;http://x\u0007,spam\n2,ham\u009b2J,ham\n`,
  );
  const program = join(dir, 'program.eval');
  writeFileSync(program, 'load "data.csv" as t\nshow t\ncompare pred, pred2 on t against label\n');
  const run = await runEvalbook(['run', program]);
  assert.equal(run.status, 1);
  assert.doesNotMatch(run.stdout, CONTROLS);
  assert.match(run.stdout, /^id +lab\\x1b\[31mel +pred$/mu);
  assert.ok(run.stdout.includes('spam\\x1b]8;;http://x\\x07'));
  assert.ok(run.stdout.includes('ham\\x9b2J'));
  // An error that quotes the column names.
  assert.ok(run.stdout.includes('= hint: the columns of `t` are `id`, `lab\\x1b[31mel` and `pred`'));

  const json = await runEvalbook(['run', program, '--json']);
  assert.doesNotMatch(json.stdout, CONTROLS);
  assert.ok(json.stdout.includes('"ham\\u009b2J"'));
  const [load] = jsonLines(json.stdout);
  assert.deepEqual(load.result.preview.columns, ['id', `lab${ESC}[31mel`, 'pred']);
  assert.deepEqual(load.result.preview.rows[1], [2, 'ham\u009b2J', 'ham']);
});

test('control characters in a notebook run: progress lines and the summary show them as \\xHH', async () => {
  const dir = freshDir('controls-notebook');
  // (Colour sequences are taken out of the summary's tracebacks: a title-setting OSC is not.)
  writeFileSync(join(dir, 'data.csv'), `id,lab${ESC}]2;x\u0007el\n1,a\n2,b\n`);
  const notebook = join(dir, 'controls.ipynb');
  writeNotebook(notebook, [
    `load "data.csv" as t # ${ESC}]0;a new title\u0007`,
    'compare a, b on t against label',
  ]);
  const run = await runEvalbook(['run', notebook, '--out', join(dir, 'out')]);
  assert.equal(run.status, 1);
  for (const text of [run.stdout, run.stderr]) {
    assert.doesNotMatch(text, CONTROLS);
  }
  assert.match(run.stderr, /^cell 1\/2 ok \([\d.]+ s\): load "data\.csv" as t # \\x1b\]0;a new title\\x07$/mu);
  assert.ok(run.stdout.includes('the columns of `t` are `id` and `lab\\x1b]2;x\\x07el`'));
  // The executed notebook keeps the data as it is: Jupyter shows it safely.
  const [load] = codeCells(readJson(join(dir, 'out', 'controls.ipynb')));
  assert.equal(text(load.source), `load "data.csv" as t # ${ESC}]0;a new title\u0007`);
});

test('a byte-order mark at the start of a program, a notebook file or a cell is accepted', async () => {
  const dir = freshDir('bom');
  const program = join(dir, 'bom.eval');
  writeFileSync(program, '\uFEFFset seed 3\ncheck 1 < 2\n');
  const run = await runEvalbook(['run', program]);
  assert.equal(run.status, 0, run.stdout);
  assert.match(run.stdout, /^── line 1: set seed 3$/mu);
  const notebook = join(dir, 'bom.ipynb');
  // A mark before the notebook's JSON, and one pasted at the start of a cell.
  writeNotebook(notebook, ['\uFEFFset seed 3', 'check 1 < 2']);
  writeFileSync(notebook, `\uFEFF${readJsonText(notebook)}`);
  const nb = await runEvalbook(['run', notebook, '--out', join(dir, 'out')]);
  assert.equal(nb.status, 0, nb.stdout);
  assert.match(nb.stdout, /✓ 2 cells ran/u);
});

function readJsonText(path: string): string {
  return JSON.stringify(readJson(path));
}

test('--set of the wrong type is one error, not also "unknown parameter" where it is used', async () => {
  const run = await runEvalbook([
    'run',
    join(PROGRAMS, '08-params-formats.eval'),
    '--set',
    'resamples=abc',
    '--out',
    freshDir('set-type'),
  ]);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /^error\[E0216\]: parameter `resamples` is a number, but the run gave it "abc"$/mu);
  assert.doesNotMatch(run.stdout, /E0215|unknown parameter/u);
  assert.match(run.stdout, /✗ 1 problem; nothing was run/u);
});

test('a notebook whose metadata names another kernel runs as Evalbook, with a warning', async () => {
  const dir = freshDir('other-kernel');
  const notebook = join(dir, 'python.ipynb');
  writeNotebook(notebook, ['set seed 3'], {
    kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
  });
  const run = await runEvalbook(['run', notebook, '--out', join(dir, 'out')]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(
    run.stderr,
    /^evalbook run: warning: the metadata of .*python\.ipynb names the kernel "python3" \(Python 3\), not Evalbook; its cells are run as Evalbook$/mu,
  );
  assert.equal(readJson(join(dir, 'out', 'python.ipynb')).metadata.kernelspec.name, 'evalbook');
  // An Evalbook kernelspec, under any name, is not warned about.
  writeNotebook(notebook, ['set seed 3'], {
    kernelspec: { name: 'evalbook-dev', display_name: 'Evalbook (dev)', language: 'evalbook' },
  });
  const own = await runEvalbook(['run', notebook, '--out', join(dir, 'out')]);
  assert.equal(own.status, 0);
  assert.doesNotMatch(own.stderr, /warning/u);
});

test('--cell-timeout interrupts a slow cell: a timed-out cell in the summary, its error in the notebook, status 1', async () => {
  const dir = freshDir('cell-timeout');
  const run = await runEvalbook([
    'run',
    join(FIXTURE_DIR, 'slow-cell.ipynb'),
    '--out',
    dir,
    '--cell-timeout',
    '2',
  ]);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /\[2\]\s+timed out\s+[\d.]+ s\s+load /u);
  assert.match(run.stdout, /CellTimeout: the cell ran longer than 2 s and was interrupted/u);
  assert.match(run.stdout, /✗ 1 cell failed; 1 not run/u);
  const [, slow, after] = codeCells(readJson(join(dir, 'slow-cell.ipynb')));
  const error = slow.outputs.find((o: Json) => o.ename === 'CellTimeout');
  assert.equal(error.evalue, 'the cell ran longer than 2 s and was interrupted');
  assert.equal(after.execution_count, null);
});

test('usage errors: a short usage on stderr, status 2, and the nearest option or command', async () => {
  const program = join(PROGRAMS, '02-worked-examples.eval');
  const quickstart = join(NOTEBOOK_DIR, 'quickstart.ipynb');
  const cases: [string[], RegExp][] = [
    [['rnu', program], /^evalbook: unknown command "rnu" \(did you mean run\?\)$/mu],
    [['install', '--usr'], /^evalbook install: unknown option "--usr" \(did you mean --user\?\)$/mu],
    [
      ['kernel', '--conection-file', 'x.json'],
      /^evalbook kernel: unknown option "--conection-file" \(did you mean --connection-file\?\)$/mu,
    ],
    [['run', program, '--jsno'], /^evalbook run: unknown option --jsno \(did you mean --json\?\)$/mu],
    [['run', program, '--frobnicate'], /^evalbook run: unknown option --frobnicate$/mu],
    [
      ['run', program, '--cell-timeout', '3'],
      /^evalbook run: --cell-timeout is an option of notebook runs \(FILE\.ipynb\) only$/mu,
    ],
    [
      ['run', quickstart, '--cell-timout', '3'],
      /^evalbook run: unknown option --cell-timout \(did you mean --cell-timeout\?\)$/mu,
    ],
    [['run', quickstart, '--cell-timeout', 'soon'], /--cell-timeout needs a number of seconds > 0, got soon/u],
  ];
  for (const [args, message] of cases) {
    const run = await runEvalbook(args);
    assert.equal(run.status, 2, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
    assert.match(run.stderr, message);
    if (args[0] !== 'rnu') {
      // The usage lines and where the rest is, not the whole help.
      assert.match(run.stderr, new RegExp(`^usage: evalbook ${args[0]} `, 'mu'));
      assert.match(run.stderr, new RegExp(`\`evalbook ${args[0]} --help\` lists the options\n$`, 'u'));
      assert.doesNotMatch(run.stderr, /Exit status/u);
    }
  }
  const bare = await runEvalbook([]);
  assert.equal(bare.status, 2);
  assert.equal(bare.stdout, '');
  assert.match(bare.stderr, /^usage: evalbook <command> \[options\]/u);
});

test('terminalSafe shows C0 (but tab and newline), DEL and C1 controls as \\xHH; jsonSafe keeps JSON values', () => {
  assert.equal(
    terminalSafe(`a${ESC}[2Jb\tc\nd\re\r\nf\u0000g\u007fh\u0085i\u009bj\u00a0k`),
    'a\\x1b[2Jb\tc\nd\\x0de\r\nf\\x00g\\x7fh\\x85i\\x9bj\u00a0k',
  );
  const value = { text: `x${ESC}]0;t\u0007\u009b\u007fy` };
  const line = jsonSafe(JSON.stringify(value));
  assert.equal(line, '{"text":"x\\u001b]0;t\\u0007\\u009b\\u007fy"}');
  assert.deepEqual(JSON.parse(line), value);
  assert.equal(terminalSafe(line), line, 'safe JSON passes the terminal filter unchanged');
});

test('terminalSafe shows the bidi overrides and isolates as \\u{HHHH}; jsonSafe escapes them as JSON', () => {
  assert.equal(
    terminalSafe('safe \u202egnp.exe\u202c \u2066x\u2069 \u200f\u05d0'),
    'safe \\u{202e}gnp.exe\\u{202c} \\u{2066}x\\u{2069} \u200f\u05d0',
  );
  const value = { title: 'a\u202ab\u202dc\u2067d' };
  const line = jsonSafe(JSON.stringify(value));
  assert.equal(line, '{"title":"a\\u202ab\\u202dc\\u2067d"}');
  assert.deepEqual(JSON.parse(line), value);
  assert.equal(terminalSafe(line), line);
});

test("the terminal progress bar shows a cell's control characters as \\xHH, keeping its own escapes", async () => {
  const chunks: string[] = [];
  const progress = new TerminalProgress({
    isTTY: true,
    columns: 100,
    write: (text: string) => chunks.push(text),
  });
  const cell = { position: 1, total: 1, label: `show t # ${ESC}[31mred` };
  progress.cellStarted(cell);
  assert.equal(chunks.at(-1), `\r${ESC}[2K${bar(0, 1)} 0/1 cells · cell 1: show t # \\x1b[31mred`);
  // Details are drawn at most every 100 ms.
  await new Promise((resolve) => setTimeout(resolve, 150));
  progress.detail(`line 1 show: ${ESC}]0;title\u0007`);
  assert.equal(
    chunks.at(-1),
    `\r${ESC}[2K${bar(0, 1)} 0/1 cells · cell 1: line 1 show: \\x1b]0;title\\x07`,
  );
  progress.cellFinished(cell, 'DataError', 1, true);
  assert.ok(chunks.includes(`✗ cell 1/1 DataError (1.00 s): show t # \\x1b[31mred\n`));
  const raw = chunks.filter(
    (chunk) => chunk.includes('\u0007') || chunk.replaceAll(`${ESC}[2K`, '').includes(ESC),
  );
  assert.deepEqual(raw, [], 'only the bar\'s own escapes reach the terminal');
});
