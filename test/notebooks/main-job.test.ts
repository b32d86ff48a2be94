/**
 * The main job (`npm start` after its build step): every bundled notebook executed into out/,
 * an index page, a summary with the paths, exit status 0.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bundledNotebooks, indexHtml, OUT_DIR } from '../../bin/main-job.js';
import { repoRoot } from '../helpers/golden.js';
import { NOTEBOOK_DIR, readJson } from './helpers.js';

test('the job runs quickstart first, then the other notebooks by name', () => {
  assert.deepEqual(
    bundledNotebooks().map((path) => path.slice(NOTEBOOK_DIR.length + 1)),
    ['quickstart.ipynb', 'finetune-writeup.ipynb', 'precision-recall-tradeoffs.ipynb'],
  );
});

test('the index page escapes names and links paths relative to out/', () => {
  const html = indexHtml(
    [
      {
        failed: true,
        interrupted: false,
        notebookPath: '/o/a<b>.ipynb',
        htmlPath: '/o/a<b>.html',
        reports: ['/o/r/report.html'],
        cells: [],
      },
    ],
    '/o',
  );
  assert.ok(html.includes('<td>a&lt;b&gt;.ipynb</td><td>✗ failed</td>'));
  assert.ok(html.includes('<a href="a&lt;b&gt;.html">a&lt;b&gt;.html</a>'));
  assert.ok(html.includes('<a href="r/report.html">r/report.html</a>'));
});

test('node dist/bin/main-job.js writes every notebook, rendering and report into out/', async () => {
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        process.execPath,
        [join(repoRoot, 'dist', 'bin', 'main-job.js')],
        { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
      );
    },
  );
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /✓ 3 notebooks ran; open out\/index\.html in a browser\n$/u);
  for (const name of ['quickstart', 'precision-recall-tradeoffs', 'finetune-writeup']) {
    for (const file of [`${name}.ipynb`, `${name}.html`]) {
      assert.ok(existsSync(join(OUT_DIR, file)), file);
      assert.match(run.stdout, new RegExp(`out/${file.replace('.', '\\.')}\\n`, 'u'));
    }
    assert.equal(readJson(join(OUT_DIR, `${name}.ipynb`)).nbformat_minor, 5);
  }
  for (const report of ['quickstart-report.html', 'finetune-writeup-report.html']) {
    assert.ok(existsSync(join(OUT_DIR, report)), report);
    assert.match(run.stdout, new RegExp(`report    out/${report.replace('.', '\\.')}`, 'u'));
  }
  const index = readFileSync(join(OUT_DIR, 'index.html'), 'utf8');
  assert.equal(index.split('✓ ran').length - 1, 3);
  assert.ok(index.includes('<a href="finetune-writeup-report.html">'));
  assert.match(run.stderr, /^▶ notebooks\/quickstart\.ipynb$/mu);
});
