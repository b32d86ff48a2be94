import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml } from '../../display/html.js';
import {
  assetsDirectory,
  displayPath,
  renderReport,
  reportSummaryBundle,
  reportSummaryMarkdown,
  type ReportInput,
} from '../../display/report.js';
import { escapeMarkdown } from '../../display/table.js';
import { repoRoot } from '../helpers/golden.js';
import { PAYLOADS } from './payloads.js';
import { PROGRAM, buildSession } from './session.js';

function count(text: string, needle: string | RegExp): number {
  return typeof needle === 'string'
    ? text.split(needle).length - 1
    : (text.match(needle) ?? []).length;
}

test('an HTML report is byte-identical for the same session', async () => {
  const a = renderReport(await buildSession(), { format: 'html', path: 'r.html' });
  const b = renderReport(await buildSession(), { format: 'html', path: 'r.html' });
  assert.equal(a.files.length, 1);
  assert.equal(a.files[0].path, 'r.html');
  assert.equal(a.files[0].content, b.files[0].content);
});

test('an HTML report is one standalone page with plotly.js included once', async () => {
  const session = await buildSession();
  const page = renderReport(session, { format: 'html' }).files[0].content;
  assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>'));
  assert.equal(count(page, /<html[\s>]/gu), 1);
  assert.equal(count(page, '</html>'), 1);
  assert.equal(count(page, /<head>/gu), 1);
  assert.equal(count(page, /<body>/gu), 1);
  assert.equal(count(page, '<style>'), 1);
  assert.equal(count(page, '* plotly.js v'), 1, 'plotly.js banner once');
  assert.ok(page.indexOf('* plotly.js v') < page.indexOf('<body>'), 'plotly.js is in the head');
  // Scripts open and close in pairs: nothing in the page ends one early.
  assert.equal(count(page, '<script'), count(page, '</script>'));
  // Nothing fetched from elsewhere: no src= or href= in the page's own markup leaves it (the
  // inlined plotly.js holds map attribution links, which are not markup of this page).
  const body = page.slice(page.indexOf('<body>'));
  assert.ok(!/\s(src|href)="(?!#)/u.test(body));
  // Every chart has its placeholder and its drawing script.
  const charts = count(page, 'class="evalbook-plot"');
  assert.equal(charts, 9);
  assert.equal(count(page, 'window.Plotly.newPlot(el,'), charts);
  // Every input's hash, the program, and every table of contents link resolves.
  for (const input of session.inputs) assert.ok(page.includes(input.sha256), input.path);
  for (const line of PROGRAM.split('\n')) assert.ok(page.includes(escapeHtml(line)), line);
  const links = [...page.matchAll(/href="#([^"]+)"/gu)].map((m) => m[1]);
  assert.ok(links.length >= session.items.length + 2);
  for (const id of links) assert.ok(page.includes(`id="${id}"`), `missing anchor ${id}`);
  assert.equal(count(page, '<section id="result-'), session.items.length);
});

test('a report holds no absolute paths, timestamps or random ids', async () => {
  const page = renderReport(await buildSession(), { format: 'html' }).files[0].content;
  assert.ok(!page.includes(repoRoot));
  assert.ok(page.includes('binary_spam_ham/data.csv'));
  const body = page.slice(page.indexOf('<body>'));
  assert.ok(!/\b20\d\d-\d\d-\d\d\b/u.test(body), 'no dates');
  assert.ok(!/\d\d:\d\d:\d\d/u.test(body), 'no times');
  const ids = [...body.matchAll(/id="(evalbook-chart-[^"]+)"/gu)].map((m) => m[1]);
  assert.deepEqual(
    ids.map((id) => id.split('-')[2]),
    ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
  );
});

test('a report without charts carries no plotly.js', async () => {
  const session = await buildSession();
  const tablesOnly: ReportInput = {
    ...session,
    items: session.items.filter((i) => i.result.kind === 'split' || i.result.kind === 'leakage'),
  };
  const page = renderReport(tablesOnly, { format: 'html', title: 'Tables' }).files[0].content;
  assert.equal(count(page, 'plotly.js v'), 0);
  assert.ok(page.includes('<title>Tables</title>'));
});

test('a markdown report: tables and text, chart pages beside it, one plotly.min.js', async () => {
  const session = await buildSession();
  const { files } = renderReport(session, { format: 'md', path: 'out/spam.md' });
  const again = renderReport(await buildSession(), { format: 'md', path: 'out/spam.md' }).files;
  assert.deepEqual(
    files.map((f) => f.content),
    again.map((f) => f.content),
  );
  assert.equal(assetsDirectory('out/spam.md'), 'out/spam_files');
  const [main, ...assets] = files;
  assert.equal(main.path, 'out/spam.md');
  assert.ok(main.content.startsWith('# Does fine\\-tuning help on hard ham?') === false);
  assert.ok(main.content.startsWith('# Does fine-tuning help on hard ham?\n'));
  for (const input of session.inputs) assert.ok(main.content.includes(input.sha256));
  assert.ok(main.content.includes('| f1 | 0.8851 | 0.9708 | +0.0857 |'));
  assert.equal(assets.at(-1)?.path, 'out/spam_files/plotly.min.js');
  assert.equal(count(assets.map((a) => a.path).join('\n'), 'plotly.min.js'), 1);
  const pages = assets.slice(0, -1);
  assert.equal(pages.length, 9);
  for (const p of pages) {
    const link = p.path.replace('out/', '');
    assert.ok(main.content.includes(`](${link})`), `no link to ${link}`);
    assert.ok(p.content.includes('<script type="text/javascript" src="plotly.min.js"></script>'));
    assert.equal(count(p.content, 'plotly.js v'), 0, 'chart pages do not inline plotly.js');
    assert.equal(count(p.content, 'window.Plotly.newPlot(el,'), 1);
  }
  assert.ok(main.content.includes('```\nload "binary_spam_ham/data.csv" as test\n'));
  assert.ok(main.content.includes('<a id="result-1"></a>'));
});

test('displayPath keeps relative paths, shortens absolute ones', () => {
  assert.equal(displayPath('data/test.csv'), 'data/test.csv');
  assert.equal(displayPath('/home/me/project/data/test.csv', '/home/me/project'), 'data/test.csv');
  assert.equal(displayPath('/elsewhere/test.csv', '/home/me/project'), 'test.csv');
  assert.equal(displayPath('/tmp/x.parquet'), 'x.parquet');
  assert.equal(displayPath('C:\\data\\test.csv'), 'test.csv');
});

test('the report summary lists results, warnings and input hashes, escaped', async () => {
  const session = await buildSession();
  const md = reportSummaryMarkdown(session);
  assert.ok(md.startsWith('## Does fine\\-tuning help on hard ham?') === false);
  assert.ok(md.startsWith('## Does fine-tuning help on hard ham?\n'));
  assert.ok(md.includes('2. **compare on test: base vs finetuned** (line 2)'));
  assert.ok(md.includes('  - finetuned vs base: +6.3 points of accuracy'));
  const threshold = session.items[2].result;
  assert.equal(threshold.kind, 'threshold');
  const warnings = threshold.kind === 'threshold' ? threshold.warnings : [];
  const shown = warnings.filter((w) => w.severity === 'warning');
  assert.ok(shown.length > 0);
  for (const w of shown) assert.ok(md.includes(`  - ⚠ ${escapeMarkdown(w.message)}\n`), w.code);
  for (const input of session.inputs) assert.ok(md.includes(`SHA-256 \`${input.sha256}\``));
  const hostile = reportSummaryMarkdown({ ...session, items: [] }, PAYLOADS[0]);
  assert.ok(hostile.startsWith('## \\<script\\>alert(1)\\</script\\>\n'));
  assert.ok(hostile.includes('*No results yet.*'));
  const bundle = reportSummaryBundle(session);
  assert.match(
    String(bundle.data['text/plain']),
    /^Does fine-tuning help on hard ham\?\n\n1\. test: 240 rows × 7 columns \(line 1\)/u,
  );
  assert.equal(bundle.data['text/markdown'], md);
});

test('a hostile title and statement are escaped in the HTML report', async () => {
  const session = await buildSession();
  const page = renderReport(
    {
      ...session,
      items: [{ ...session.items[8], statement: PAYLOADS[2] }],
      source: PAYLOADS[0],
    },
    { format: 'html', title: PAYLOADS[0] },
  ).files[0].content;
  assert.ok(page.includes(`<title>${escapeHtml(PAYLOADS[0])}</title>`));
  assert.ok(!page.includes(PAYLOADS[0]));
  assert.ok(!page.includes(PAYLOADS[2]));
  assert.ok(page.includes(escapeHtml(PAYLOADS[2])));
});
