/**
 * A notebook with a 50 MiB markdown cell runs through `evalbook run` with the runner's heap
 * bounded to 512 MB (a memory bound, not a timing): the executed notebook keeps the cell's text
 * exactly, and the HTML rendering holds every block of it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EVALBOOK_BIN, freshDir } from './helpers.js';

const BLOCK = [
  '## Section with `code`',
  '',
  'Some *emphasis*, **strong** text, a [link](https://example.com "title") and snake_case.',
  '',
  '- an item',
  '- another',
  '',
  '| a | b |',
  '|---|--:|',
  '| 1 | 2 |',
  '',
].join('\n');

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
}

test('a 50 MiB markdown cell runs with a 512 MB heap', async () => {
  const dir = freshDir('huge-markdown');
  const repeats = Math.ceil((50 * 1024 * 1024) / BLOCK.length);
  const source = BLOCK.repeat(repeats);
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'evalbook', display_name: 'Evalbook', language: 'evalbook' } },
    cells: [
      { cell_type: 'markdown', id: 'prose', metadata: {}, source },
      {
        cell_type: 'code',
        id: 'code',
        metadata: {},
        source: 'set seed 3',
        outputs: [],
        execution_count: null,
      },
    ],
  };
  const path = join(dir, 'huge.ipynb');
  writeFileSync(path, JSON.stringify(notebook));
  const out = join(dir, 'out');
  const status = await new Promise<number | null>((resolve) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=512', EVALBOOK_BIN, 'run', path, '--out', out],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error !== null) process.stderr.write(stderr);
        resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : null);
      },
    );
  });
  assert.equal(status, 0);

  const executed = JSON.parse(readFileSync(join(out, 'huge.ipynb'), 'utf8')) as {
    cells: { source: string[] }[];
  };
  assert.equal(executed.cells[0].source.join(''), source);
  const html = readFileSync(join(out, 'huge.html'), 'utf8');
  assert.equal(count(html, '<h2>Section with <code>code</code></h2>'), repeats);
  assert.equal(count(html, '<td style="text-align:right">2</td>'), repeats);
  assert.equal(
    count(html, '<a href="https://example.com" title="title">link</a>'),
    repeats,
  );
});
