/**
 * Real-browser checks (Chromium, offline): the HTML report draws every chart with the
 * plotly.js it carries, the threshold slider moves the operating point, chart bundles' HTML
 * fallbacks draw in a page that has only them — in order, and out of order — and in a
 * notebook exported by nbconvert.
 */
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { PLOTLY_MIME } from '../../display/bundle.js';
import { createDisplayContext } from '../../display/context.js';
import { render } from '../../display/render/index.js';
import { repoRoot } from '../helpers/golden.js';
import * as fixtures from './fixtures.js';
import { checkReport, launchBrowser, writeReport } from './render-check.js';

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
});

test('the HTML report draws every chart offline, and the slider moves the operating point', async () => {
  const path = await writeReport('browser-report.html');
  const result = await checkReport(browser, path);
  assert.deepEqual(result.consoleErrors, []);
  assert.deepEqual(result.requests, [], 'an offline report asks the network for nothing');
  assert.equal(result.plotlyScripts, 1);
  assert.equal(result.plots.length, 9);
  for (const plot of result.plots) assert.ok(plot.drawnTraces > 0, `${plot.id} drew nothing`);
  assert.equal(result.plots.filter((p) => p.sliders === 1).length, 2);
  const move = result.sliderMove;
  assert.ok(move !== null);
  // The base model's slider opens at its max-F1 point (golden: threshold 0.448, TP 81 FP 16).
  assert.equal(move.before.markerX, 0.448);
  assert.deepEqual(move.before.cells, ['TP81', 'FN3', 'FP16', 'TN140']);
  assert.ok(move.after.markerX !== null && move.after.markerX < 0.448);
  assert.equal(move.stepLabel, `threshold ≥ ${move.after.markerX}`);
  assert.notDeepEqual(move.after.cells, move.before.cells);
  const counts = move.after.cells.map((c) => Number(c.replace(/^\D+/u, '').replace(/,/gu, '')));
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    240,
    'the moved matrix still holds every row',
  );
  assert.ok(counts[0] >= 81, 'a lower threshold finds at least as many positives');
});

test('chart bundles draw in a bare page, whichever order their outputs arrive in', async () => {
  const context = createDisplayContext();
  const charts = [
    ...render(await fixtures.spamComparison(), { context }),
    ...render(await fixtures.lossResult(), { context }),
  ].filter((b) => PLOTLY_MIME in b.data);
  assert.equal(charts.length, 3);
  const html = charts.map((b) => String(b.data['text/html']));
  assert.ok(html[0].includes('plotly.js v') && !html[1].includes('plotly.js v'));
  const dir = join(repoRoot, 'test', '.tmp');
  mkdirSync(dir, { recursive: true });
  const page = (parts: readonly string[]): string =>
    `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${parts.join('\n')}</body></html>`;
  // In order, as a notebook shows them; then the carrier last, so the others wait for it.
  for (const [name, parts] of [
    ['bundles-in-order.html', html],
    ['bundles-carrier-last.html', [html[1], html[2], html[0]]],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, page(parts));
    const result = await checkReport(browser, path);
    assert.deepEqual(result.consoleErrors, [], name);
    assert.deepEqual(result.requests, [], name);
    assert.equal(result.plots.length, 3, name);
    for (const plot of result.plots) assert.ok(plot.drawnTraces > 0, `${name}: ${plot.id}`);
  }
});

test('a notebook of bundles exported by nbconvert draws its charts offline', async (t) => {
  const context = createDisplayContext();
  const outputs = [
    ...render(await fixtures.spamComparison(), { context }),
    ...render(await fixtures.spamThreshold(), { context }),
  ];
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'evalbook' } },
    cells: outputs.map((bundle, i) => ({
      cell_type: 'code',
      id: `cell-${i + 1}`,
      execution_count: i + 1,
      metadata: {},
      source: [`statement ${i + 1}`],
      outputs: [{ output_type: 'display_data', data: bundle.data, metadata: bundle.metadata }],
    })),
  };
  const dir = join(repoRoot, 'test', '.tmp');
  mkdirSync(dir, { recursive: true });
  const ipynb = join(dir, 'exported.ipynb');
  writeFileSync(ipynb, JSON.stringify(notebook));
  const run = spawnSync('jupyter', ['nbconvert', '--to', 'html', ipynb], { encoding: 'utf8' });
  if (run.error !== undefined) {
    t.skip(`jupyter nbconvert is not available: ${run.error.message}`);
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  const html = join(dir, 'exported.html');
  assert.ok(existsSync(html));
  const result = await checkReport(browser, html);
  // The export's own template may reference local MathJax or require.js; our charts need
  // nothing from the network and log no errors.
  assert.deepEqual(result.requests, []);
  assert.deepEqual(result.consoleErrors, []);
  assert.equal(result.plots.length, 5);
  for (const plot of result.plots) assert.ok(plot.drawnTraces > 0, plot.id);
  assert.ok(result.sliderMove !== null);
  assert.notDeepEqual(result.sliderMove.after.cells, result.sliderMove.before.cells);
});
