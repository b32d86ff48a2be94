import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAYLOADS, assertEscaped } from './payloads.js';
import {
  STYLESHEET,
  escapeHtml,
  keyFigures,
  warningsBlock,
  wrapHtml,
  type Html,
} from '../../display/html.js';
import { plotlyText, scriptJson } from '../../display/plotly.js';
import {
  displayWidth,
  escapeMarkdown,
  htmlTable,
  markdownTable,
  textTable,
  type TableSpec,
} from '../../display/table.js';

test('escapeHtml escapes the five special characters and nothing else', () => {
  assert.equal(escapeHtml(`&"'<>`), '&amp;&quot;&#39;&lt;&gt;');
  assert.equal(escapeHtml('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(escapeHtml('plain text, é ü 日本'), 'plain text, é ü 日本');
});

test('an HTML table escapes captions, headers, cells and tooltips', () => {
  for (const payload of PAYLOADS) {
    const spec: TableSpec = {
      caption: payload,
      columns: [{ header: payload }, { header: 'n', align: 'right' }],
      rows: [[{ text: payload, title: payload }, '1']],
      footnote: payload,
    };
    const html = htmlTable(spec);
    assertEscaped(html, payload);
    assert.equal(html.match(/<table/gu)?.length, 1);
    assert.ok(!html.includes('<script'), 'no script element can come from a cell');
    assert.ok(!/<img/u.test(html));
  }
});

test('warnings and key figures escape their text', () => {
  const html =
    warningsBlock([PAYLOADS[0]]) + keyFigures([{ label: PAYLOADS[1], value: PAYLOADS[2] }]);
  assertEscaped(html, PAYLOADS[0]);
  assertEscaped(html, PAYLOADS[1]);
  assertEscaped(html, PAYLOADS[2]);
  assert.ok(html.includes('evalbook-warnings'));
  assert.equal(warningsBlock([]), '');
});

test('every rule of the stylesheet is scoped under .evalbook-root', () => {
  const rules = STYLESHEET.split('}').filter((r) => r.trim() !== '');
  assert.ok(rules.length > 20);
  for (const rule of rules) {
    const selectors = rule.slice(0, rule.indexOf('{')).split(',');
    for (const s of selectors) assert.ok(s.trim().startsWith('.evalbook-root'), s);
  }
  const wrapped = wrapHtml('<p>x</p>' as Html);
  assert.equal(wrapped.match(/<style>/gu)?.length, 1);
  assert.equal(wrapHtml('<p>x</p>' as Html, { bare: true }).includes('<style>'), false);
});

test('plain tables align numbers right and text left, with no trailing spaces', () => {
  const text = textTable({
    caption: 'Metrics',
    columns: [{ header: 'metric' }, { header: 'base', align: 'right' }],
    rows: [
      ['accuracy', '0.9167'],
      ['f1', '10.5'],
    ],
    footnote: 'a note',
  });
  assert.equal(
    text,
    [
      'Metrics',
      'metric      base',
      '--------  ------',
      'accuracy  0.9167',
      'f1          10.5',
      'a note',
    ].join('\n'),
  );
});

test('plain tables count wide characters as two columns and cut long cells', () => {
  assert.equal(displayWidth('日本'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  const text = textTable({
    columns: [{ header: 'label' }, { header: 'n', align: 'right' }],
    rows: [
      ['日本', '1'],
      ['ab', '22'],
      ['x'.repeat(100), '3'],
      ['line\nbreak', '4'],
    ],
  });
  const lines = text.split('\n');
  assert.equal(lines[2], '日本                                                           1');
  assert.equal(lines[3], 'ab                                                            22');
  assert.ok(lines[4].startsWith(`${'x'.repeat(59)}…`));
  assert.ok(lines[5].startsWith('line break'));
});

test('markdown tables escape what would break the table or start markup', () => {
  assert.equal(escapeMarkdown('a|b'), 'a\\|b');
  assert.equal(escapeMarkdown('<script>'), '\\<script\\>');
  assert.equal(escapeMarkdown('*x* _y_ `z`'), '\\*x\\* \\_y\\_ \\`z\\`');
  const md = markdownTable({
    caption: 'By label',
    columns: [{ header: 'label' }, { header: 'n', align: 'right' }],
    rows: [[PAYLOADS[4], '1,000']],
  });
  assert.equal(
    md,
    [
      '**By label**',
      '',
      '| label | n |',
      '| --- | ---: |',
      '| \\| pipe \\* star \\_under\\_ \\`tick\\` \\[link\\](x) \\# hash | 1,000 |',
    ].join('\n'),
  );
});

test('a table whose rows do not match its columns is an error, not a broken table', () => {
  assert.throws(
    () => htmlTable({ columns: [{ header: 'a' }], rows: [['1', '2']] }),
    /row 1 has 2 cells but the table has 1 columns/u,
  );
});

test('figure JSON in a script cannot end the script element', () => {
  const json = scriptJson({ name: '</script><script>alert(1)</script>', amp: '&', sep: '\u2028' });
  assert.ok(!json.includes('<'));
  assert.ok(!json.includes('>'));
  assert.ok(!json.includes('\u2028'));
  assert.deepEqual(JSON.parse(json), {
    name: '</script><script>alert(1)</script>',
    amp: '&',
    sep: '\u2028',
  });
  assert.equal(plotlyText('a<b>&c'), 'a&lt;b&gt;&amp;c');
});
