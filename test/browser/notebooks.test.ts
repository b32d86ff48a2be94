/**
 * What a reader of `evalbook run`'s output sees, in a real browser with the network off: the
 * HTML renderings of the three example notebooks and the reports they write, opened from
 * file://. Every chart must draw (a Plotly SVG with traces), nothing may be fetched from the
 * network, the console stays clean, and the threshold sliders move the operating point.
 * Screenshots go to test/.tmp/screenshots.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Json } from '../helpers/golden.js';
import { PLOTLY_MIME, allOutputs, freshDir, readJson, runEvalbook } from '../notebooks/helpers.js';
import {
  drawnPlots,
  launchChromium,
  moveSlider,
  placeholderCount,
  screenshots,
  SCREENSHOT_DIR,
  watchedPage,
  type PlotState,
} from './page.js';

const NOTEBOOKS = ['quickstart', 'precision-recall-tradeoffs', 'finetune-writeup'] as const;
const REPORTS = ['quickstart-report.html', 'finetune-writeup-report.html'] as const;

let browser: Browser;
let outDir: string;

before(async () => {
  outDir = freshDir('browser');
  for (const name of NOTEBOOKS) {
    const run = await runEvalbook(['run', join('notebooks', `${name}.ipynb`), '--out', outDir]);
    assert.equal(run.status, 0, `${name}: ${run.stdout}\n${run.stderr}`);
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

interface Opened {
  plots: PlotState[];
  placeholders: number;
  consoleErrors: string[];
  blocked: string[];
  sliderMoves: { before: Json; after: Json }[];
}

/** Opens a page offline, checks its charts, moves every slider, and takes screenshots. */
async function open(file: string, screenshotName: string): Promise<Opened> {
  const watched = await watchedPage(browser);
  try {
    await watched.page.goto(pathToFileURL(join(outDir, file)).href, {
      waitUntil: 'load',
      timeout: 120_000,
    });
    const plots = await drawnPlots(watched.page);
    const placeholders = await placeholderCount(watched.page);
    await screenshots(watched.page, screenshotName);
    const sliderMoves = [];
    for (const plot of plots.filter((p) => p.sliders > 0)) {
      // A step near the left end of the rail: a low threshold, far from the chosen point.
      sliderMoves.push(await moveSlider(watched.page, plot.id, 0.06));
    }
    if (sliderMoves.length > 0) {
      await watched.page
        .locator(`[id="${plots.filter((p) => p.sliders > 0)[0].id}"]`)
        .screenshot({ path: join(SCREENSHOT_DIR, `${screenshotName}-slider.png`) });
    }
    return {
      plots,
      placeholders,
      consoleErrors: watched.consoleErrors,
      blocked: watched.blocked,
      sliderMoves,
    };
  } finally {
    await watched.context.close();
  }
}

function assertAllDrawn(opened: Opened, what: string): void {
  assert.deepEqual(opened.blocked, [], `${what} asks the network for nothing`);
  assert.deepEqual(opened.consoleErrors, [], `${what} logs no errors`);
  assert.equal(opened.plots.length, opened.placeholders, `${what}: every placeholder drew`);
  for (const plot of opened.plots) {
    assert.ok(plot.svg, `${what}: ${plot.id} has its SVG`);
    assert.ok(plot.drawnTraces > 0, `${what}: ${plot.id} drew its traces`);
  }
}

function assertSlidersMove(opened: Opened, rows: number, what: string): void {
  assert.ok(opened.sliderMoves.length > 0, `${what} has a threshold slider`);
  for (const { before: from, after: to } of opened.sliderMoves) {
    assert.notEqual(to.markerX, from.markerX, `${what}: the operating point moved`);
    assert.notDeepEqual(to.counts, from.counts, `${what}: the confusion matrix changed`);
    const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    assert.equal(total(from.counts), rows);
    assert.equal(total(to.counts), rows, `${what}: the moved matrix still holds every row`);
    assert.ok(to.label.includes(String(to.markerX)), `${what}: the slider says ${to.markerX}`);
  }
}

describe('the notebooks rendered by evalbook run, offline', () => {
  for (const name of NOTEBOOKS) {
    test(`${name}.html draws one chart per Plotly output, with no network and no errors`, async () => {
      const opened = await open(`${name}.html`, `notebook-${name}`);
      assertAllDrawn(opened, `${name}.html`);
      const charts = allOutputs(readJson(join(outDir, `${name}.ipynb`))).filter(
        ({ output }) => PLOTLY_MIME in (output.data ?? {}),
      );
      assert.equal(opened.plots.length, charts.length);
      if (name !== 'finetune-writeup') {
        // Their threshold sweeps run on the 914-row test set.
        assertSlidersMove(opened, 914, `${name}.html`);
      }
    });
  }
});

describe('the reports the notebooks write, offline', () => {
  for (const report of REPORTS) {
    test(`${report} draws every chart with the plotly.js it carries`, async () => {
      const opened = await open(report, report.replace('.html', ''));
      assertAllDrawn(opened, report);
      assert.ok(opened.plots.length >= 4, `${report} has its charts`);
      if (report.startsWith('quickstart')) assertSlidersMove(opened, 914, report);
    });
  }
});
