/**
 * The pieces of `evalbook run NOTEBOOK` on their own: the Markdown renderer (and its safety),
 * reading and writing nbformat, the HTML rendering's choice of MIME type, parameters, progress,
 * the kernel executor's configuration by environment, and how a client keeps a cell's outputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { escapeText, renderInline, renderMarkdown, safeUrl } from '../../bin/markdown.js';
import { chooseMime, notebookHtml, stripAnsi } from '../../bin/notebook-html.js';
import {
  parseNotebook,
  serializeNotebook,
  splitLines,
  NotebookFormatError,
  type Notebook,
} from '../../bin/notebook.js';
import { bar, fit, PlainProgress, TerminalProgress } from '../../bin/progress.js';
import { cellLabel, declaredParams, parametersSource } from '../../bin/run-notebook.js';
import { UsageError } from '../../bin/run-eval.js';
import { OutputCollector, type ReceivedMessage } from '../../kernel/client.js';
import {
  EvalbookExecutor,
  executorOptionsFromEnv,
  RESULT_MIME,
} from '../../kernel/evalbook-executor.js';
import type { DisplayBundle } from '../../display/bundle.js';
import type { ExecutionContext } from '../../kernel/executor.js';
import { goldenRoot, repoRoot } from '../helpers/golden.js';
import { NOTEBOOKS } from '../../scripts/make-notebooks.js';

describe('markdown', () => {
  test('headings, paragraphs, emphasis, code, links', () => {
    assert.equal(
      renderMarkdown('# Title *one*\n\nSome **bold**, _em_ and `a < b`.\nSecond line.'),
      '<h1>Title <em>one</em></h1>\n<p>Some <strong>bold</strong>, <em>em</em> and <code>a &lt; b</code>.\nSecond line.</p>',
    );
    assert.equal(
      renderInline('[the data](data/README.md "how") and <https://example.org/x>'),
      '<a href="data/README.md" title="how">the data</a> and <a href="https://example.org/x">https://example.org/x</a>',
    );
    assert.equal(renderInline('snake_case_name and 2 * 3 * 4'), 'snake_case_name and 2 * 3 * 4');
    assert.equal(renderInline('\\*not em\\* and ``code with ` inside``'), '*not em* and <code>code with ` inside</code>');
  });

  test('lists, nested and numbered, tables with alignment, quotes, fences, rules', () => {
    assert.equal(
      renderMarkdown('- one\n- two\n  - nested\n- three'),
      '<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>nested</li>\n</ul></li>\n<li>three</li>\n</ul>',
    );
    assert.equal(renderMarkdown('3. c\n4. d'), '<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>');
    assert.equal(
      renderMarkdown('| a | b |\n|:--|--:|\n| `x|y` | 2 |'),
      '<table><thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>' +
        '<tbody><tr><td style="text-align:left"><code>x|y</code></td><td style="text-align:right">2</td></tr></tbody></table>',
    );
    assert.equal(renderMarkdown('> quoted *text*'), '<blockquote>\n<p>quoted <em>text</em></p>\n</blockquote>');
    assert.equal(
      renderMarkdown('```evalbook\nload "a" as <t>\n```\n---'),
      '<pre><code class="language-evalbook">load &quot;a&quot; as &lt;t&gt;\n</code></pre>\n<hr>',
    );
  });

  test('raw HTML and dangerous links are shown as text, never interpreted', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n' +
        '[click](javascript:alert(1)) [data](data:text/html,<b>x</b>) [ok](#anchor)',
    );
    assert.ok(!html.includes('<script'));
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('href="javascript'));
    assert.ok(!html.includes('href="data:'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('<a href="#anchor">ok</a>'));
    assert.equal(safeUrl(' JavaScript:alert(1)'), null);
    assert.equal(safeUrl('java\tscript:alert(1)'), null);
    assert.equal(safeUrl('mailto:a@b.c'), 'mailto:a@b.c');
    assert.equal(escapeText(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('nbformat', () => {
  const raw = {
    nbformat: 4,
    nbformat_minor: 2,
    metadata: { kernelspec: { name: 'evalbook' } },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# A\n', 'b'] },
      {
        cell_type: 'code',
        id: 'same',
        metadata: { tags: ['parameters'] },
        execution_count: 3,
        source: 'param x = 1',
        outputs: [
          { output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] },
          { output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/plain': ['1\n', '2'], 'application/json': { a: [1] } } },
        ],
      },
      { cell_type: 'raw', id: 'same', metadata: {}, source: '' },
    ],
  };

  test('reads nbformat 4: sources joined, ids made unique, outputs kept', () => {
    const notebook = parseNotebook(JSON.stringify(raw));
    assert.equal(notebook.cells[0].source, '# A\nb');
    assert.match(notebook.cells[0].id, /^[0-9a-f]{8}$/u);
    assert.equal(notebook.cells[1].id, 'same');
    assert.notEqual(notebook.cells[2].id, 'same', 'a duplicate id is replaced');
    const code = notebook.cells[1];
    assert.ok(code.cell_type === 'code');
    assert.deepEqual(code.outputs[0], { output_type: 'stream', name: 'stdout', text: 'a\nb\n' });
    assert.deepEqual(code.outputs[1], {
      output_type: 'execute_result',
      execution_count: 3,
      metadata: {},
      data: { 'text/plain': '1\n2', 'application/json': { a: [1] } },
    });
  });

  test('writes nbformat 4.5 as Jupyter does: sorted keys, one-space indent, lines', () => {
    const written = serializeNotebook(parseNotebook(JSON.stringify(raw)));
    assert.ok(written.startsWith('{\n "cells": [\n  {\n   "cell_type": "markdown",\n   "id": '));
    assert.ok(written.endsWith('\n "nbformat": 4,\n "nbformat_minor": 5\n}\n'));
    const again = JSON.parse(written);
    assert.deepEqual(again.cells[1].outputs[1].data['text/plain'], ['1\n', '2']);
    assert.deepEqual(again.cells[1].outputs[1].data['application/json'], { a: [1] });
    assert.deepEqual(again.cells[1].source, ['param x = 1']);
    assert.equal(serializeNotebook(parseNotebook(written)), written, 'a fixed point');
    assert.deepEqual(splitLines('a\n\nb'), ['a\n', '\n', 'b']);
    assert.deepEqual(splitLines(''), []);
  });

  test('refuses what it cannot run, saying why', () => {
    const refuse = (text: string, message: RegExp) =>
      assert.throws(() => parseNotebook(text, 'nb.ipynb'), (e: unknown) => e instanceof NotebookFormatError && message.test(e.message));
    refuse('{', /nb\.ipynb is not JSON/u);
    refuse('{"nbformat": 3, "worksheets": []}', /nbformat 3; only nbformat 4/u);
    refuse('{"nbformat": 4, "cells": [{"cell_type": "python"}]}', /cell 1: unknown cell_type "python"/u);
    refuse('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}', /cell 1: source must be a string/u);
  });
});

describe('the HTML rendering', () => {
  test('picks the richest MIME type it can show', () => {
    const figure = { data: [{ type: 'bar', y: [1] }], layout: {} };
    assert.equal(chooseMime({ 'text/plain': 'x', 'text/html': '<b>x</b>', 'application/vnd.plotly.v1+json': figure }), 'application/vnd.plotly.v1+json');
    assert.equal(chooseMime({ 'text/plain': 'x', 'application/vnd.plotly.v1+json': 'not a figure' }), 'text/plain');
    assert.equal(chooseMime({ 'text/plain': 'x', 'text/markdown': '*x*' }), 'text/markdown');
    assert.equal(chooseMime({ [RESULT_MIME]: {} }), null);
    assert.equal(stripAnsi('\u001b[31mred\u001b[0m'), 'red');
  });

  test('escapes sources, streams and errors; shows not-run cells; carries plotly.js only with a chart', () => {
    const notebook: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'markdown', id: 'm', metadata: {}, source: '# Hi <there>' },
        {
          cell_type: 'code',
          id: 'c1',
          metadata: {},
          source: 'show "<b>"',
          execution_count: 1,
          outputs: [
            { output_type: 'stream', name: 'stderr', text: '<oops>' },
            { output_type: 'error', ename: 'CheckFailed', evalue: 'a < b', traceback: ['\u001b[31m<line>\u001b[0m'] },
            { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': '1 < 2' } },
          ],
        },
        { cell_type: 'code', id: 'c2', metadata: {}, source: 'show t', execution_count: null, outputs: [] },
      ],
    };
    const html = notebookHtml(notebook);
    assert.ok(html.includes('<title>Hi &lt;there&gt;</title>'));
    assert.ok(html.includes('show &quot;&lt;b&gt;&quot;'));
    assert.ok(html.includes('&lt;oops&gt;'));
    assert.ok(html.includes('CheckFailed</span>: a &lt; b\n\n&lt;line&gt;'));
    assert.ok(html.includes('Out[1]:'));
    assert.ok(html.includes('not run'));
    assert.ok(!html.includes('plotly.js v'), 'no chart, no plotly.js');
  });
});

describe('parameters', () => {
  const notebook = parseNotebook(
    JSON.stringify({
      nbformat: 4,
      cells: [
        { cell_type: 'code', source: 'param data = "a.csv"\nparam gain = 2%\nparam n = 100' },
        { cell_type: 'code', source: '%%ts\nconst param = 1;' },
        { cell_type: 'code', source: 'param data = 3' },
      ],
    }),
  );

  test('are found in the language cells, the first declaration giving the type', () => {
    assert.deepEqual([...declaredParams(notebook)], [
      ['data', 'String'],
      ['gain', 'Percent'],
      ['n', 'Number'],
    ]);
  });

  test('become the injected cell, one statement per override, literals as the language writes them', () => {
    const declared = declaredParams(notebook);
    assert.equal(
      parametersSource({ data: 'say "hi"\\n', gain: '5%', n: '2e3', seed: '7' }, declared),
      '# Parameters given to `evalbook run` (--set)\n' +
        'param data = "say \\"hi\\"\\\\n"\nparam gain = 5%\nparam n = 2e3\nset seed 7',
    );
    assert.throws(() => parametersSource({ n: 'many' }, declared), (e: unknown) => e instanceof UsageError && /value must be a number or a percentage/u.test(e.message));
    assert.throws(() => parametersSource({ size: '1' }, declared), /no parameter size \(its parameters: data, gain, n/u);
    assert.throws(() => parametersSource({ seed: '-1' }, declared), /whole number/u);
  });

  test('cells are labelled by their first statement', () => {
    assert.equal(cellLabel('# a comment\n\nload "x" as t\nshow t'), 'load "x" as t');
    assert.equal(cellLabel('%%ts\nconst x = 1;'), '%%ts: const x = 1;');
    assert.equal(cellLabel('# only a comment'), '# only a comment');
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY, columns: 60, write: (t: string) => chunks.push(t) } };
  };

  test('plain lines: one per cell as it ends', () => {
    const { chunks, stream } = sink(false);
    const progress = new PlainProgress(stream);
    const cell = { position: 2, total: 5, label: 'compare a, b on t against y' };
    progress.cellStarted();
    progress.detail();
    progress.cellFinished(cell, 'CheckFailed', 0.25, true);
    assert.deepEqual(chunks, ['cell 2/5 CheckFailed (0.25 s): compare a, b on t against y\n']);
  });

  test('a terminal bar, redrawn in place, fitted to the width; failures stay above it', () => {
    const { chunks, stream } = sink(true);
    const progress = new TerminalProgress(stream);
    const cell = { position: 1, total: 2, label: 'load "data/spam_test.csv" as test' };
    progress.cellStarted(cell);
    assert.equal(chunks[0], `\r\u001b[2K${fit(`${bar(0, 2)} 0/2 cells · cell 1: load "data/spam_test.csv" as test`, 59)}`);
    progress.cellFinished(cell, 'CheckFailed (expected)', 0.5, false);
    assert.ok(chunks.includes('• cell 1/2 CheckFailed (expected) (0.50 s): load "data/spam_test.csv" as test\n'));
    progress.cellFinished(cell, 'DataError', 1, true);
    assert.ok(chunks.includes('✗ cell 1/2 DataError (1.00 s): load "data/spam_test.csv" as test\n'));
    assert.equal(chunks.at(-1), `\r\u001b[2K${bar(1, 2)} 1/2 cells · cell 1: `);
    progress.finish();
    assert.equal(chunks.at(-1), '\r\u001b[2K');
    assert.equal(bar(1, 4, 8), '[██░░░░░░]');
    assert.equal(fit('abcdef', 4), 'abc…');
  });
});

describe('the kernel side', () => {
  test('the executor is configured by the environment evalbook run gives the kernel', () => {
    assert.deepEqual(
      executorOptionsFromEnv(
        { EVALBOOK_PARAMS: '{"data":"x.csv","n":3}', EVALBOOK_REPORT_DIR: 'out', EVALBOOK_RESULTS: '1' },
        '/nb',
      ),
      { baseDir: '/nb', reportDir: '/nb/out', params: { data: 'x.csv', n: 3 }, results: true },
    );
    assert.deepEqual(executorOptionsFromEnv({}, '/nb'), { baseDir: '/nb', params: {}, results: false });
    assert.throws(() => executorOptionsFromEnv({ EVALBOOK_PARAMS: '[1]' }, '/nb'), /must be a JSON object/u);
    assert.throws(() => executorOptionsFromEnv({ EVALBOOK_PARAMS: '{"a":{}}' }, '/nb'), /a text or a number/u);
  });

  test('with results on, each statement publishes its --json object after its outputs', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot, results: true, params: { min: '0.5' } });
    const shown: DisplayBundle[] = [];
    const ctx: ExecutionContext = {
      executionCount: 1,
      cancel: { cancelled: false },
      display: (bundle) => shown.push(bundle),
      updateDisplay: () => undefined,
      stream: () => undefined,
    };
    const outcome = await executor.execute(
      'param min = 0.9\nload "worked_example_ten_rows/data.csv" as ten\ncheck ten.rows > min',
      ctx,
    );
    assert.equal(outcome.status, 'ok');
    const results = shown.filter((b) => RESULT_MIME in b.data).map((b) => b.data[RESULT_MIME] as Record<string, unknown>);
    assert.deepEqual(
      results.map((r) => [r.line, r.statement, r.name]),
      [
        [1, 'param', 'min'],
        [2, 'load', 'ten'],
        [3, 'check', null],
      ],
    );
    assert.deepEqual(results[0].result, { kind: 'setting', setting: 'param', name: 'min', value: 0.5, overridden: true });
    const bad = await executor.execute('load "nowhere.csv" as x\nshow y', ctx);
    assert.equal(bad.status, 'error');
    const problems = shown.slice(-2).map((b) => b.data[RESULT_MIME] as Record<string, unknown>);
    assert.deepEqual(problems.map((p) => [p.line, p.statement]), [[1, 'load'], [2, 'show']]);
  });

  test('a client keeps outputs as a front end does: streams joined, displays updated, clears', () => {
    let n = 0;
    const message = (type: string, content: Record<string, unknown>): ReceivedMessage => ({
      channel: 'iopub',
      header: { msg_id: `m${++n}`, msg_type: type, session: 's', username: 'u', date: '', version: '5.3' },
      parentHeader: null,
      metadata: {},
      content,
      at: 0,
    });
    const collector = new OutputCollector();
    collector.add(message('stream', { name: 'stdout', text: 'a' }));
    collector.add(message('stream', { name: 'stdout', text: 'b\n' }));
    collector.add(message('display_data', { data: { 'text/plain': '0%' }, metadata: {}, transient: { display_id: 'p' } }));
    collector.add(message('stream', { name: 'stderr', text: 'c' }));
    collector.add(message('update_display_data', { data: { 'text/plain': '100%' }, metadata: {}, transient: { display_id: 'p' } }));
    collector.add(message('execute_result', { execution_count: 4, data: { 'text/plain': '42' }, metadata: {} }));
    collector.add(message('status', { execution_state: 'idle' }));
    assert.deepEqual(collector.outputs, [
      { output_type: 'stream', name: 'stdout', text: 'ab\n' },
      { output_type: 'display_data', data: { 'text/plain': '100%' }, metadata: {}, displayId: 'p' },
      { output_type: 'stream', name: 'stderr', text: 'c' },
      { output_type: 'execute_result', execution_count: 4, data: { 'text/plain': '42' }, metadata: {} },
    ]);
    collector.add(message('clear_output', { wait: true }));
    assert.equal(collector.outputs.length, 4, 'wait: cleared when the next output comes');
    collector.add(message('error', { ename: 'E', evalue: 'v', traceback: ['t'] }));
    assert.deepEqual(collector.outputs, [{ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t'] }]);
    collector.add(message('clear_output', { wait: false }));
    assert.deepEqual(collector.outputs, []);
  });
});

test('the committed notebooks are what scripts/make-notebooks.ts writes', () => {
  for (const [name, notebook] of Object.entries(NOTEBOOKS)) {
    assert.equal(
      readFileSync(join(repoRoot, 'notebooks', name), 'utf8'),
      serializeNotebook(notebook),
      `${name}: rerun node dist/scripts/make-notebooks.js`,
    );
  }
});
