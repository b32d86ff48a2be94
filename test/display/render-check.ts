/**
 * The real-browser check of a report: opens an HTML file from file:// in Chromium with the
 * network off, and reports what a reader would see — whether every chart drew, console
 * errors, and whether a threshold slider moves the operating point and the confusion
 * numbers. The browser test calls `checkReport`; run this file directly to write the report
 * and full-page screenshots to test/.tmp for a person to look at:
 *
 *   node dist/test/display/render-check.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderReport } from '../../display/report.js';
import { repoRoot } from '../helpers/golden.js';
import { buildSession } from './session.js';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--headless', '--disable-background-networking'],
  });
}

export interface PlotState {
  readonly id: string;
  /** Drawn SVG paths of traces (lines, bars, markers) and heatmap images. */
  readonly drawnTraces: number;
  readonly sliders: number;
}

export interface SliderMove {
  readonly plotId: string;
  readonly before: { readonly markerX: number | null; readonly cells: readonly string[] };
  readonly after: { readonly markerX: number | null; readonly cells: readonly string[] };
  readonly stepLabel: string;
}

export interface ReportCheck {
  readonly plots: readonly PlotState[];
  readonly consoleErrors: readonly string[];
  readonly requests: readonly string[];
  readonly sliderMove: SliderMove | null;
  readonly plotlyScripts: number;
}

// The functions below run in the page. They are passed as source text because this project
// compiles without the DOM library: nothing here is type-checked against the browser's types.

const PLOT_STATES = `Array.from(document.querySelectorAll('.js-plotly-plot')).map((plot) => ({
  id: plot.id,
  drawnTraces:
    plot.querySelectorAll('.scatterlayer .trace path.js-line, .scatterlayer .trace path.point').length +
    plot.querySelectorAll('.barlayer .trace path').length +
    plot.querySelectorAll('.heatmaplayer image').length,
  sliders: plot.querySelectorAll('.slider-container').length,
}))`;

const FIRST_SLIDER_PLOT = `(() => {
  const slider = document.querySelector('.js-plotly-plot .slider-container');
  const plot = slider === null ? null : slider.closest('.js-plotly-plot');
  return plot === null ? null : plot.id;
})()`;

function thresholdStateScript(plotId: string): string {
  return `(() => {
    const plot = document.getElementById(${JSON.stringify(plotId)});
    const marker = plot.data.find((t) => t.type === 'scatter' && t.mode === 'markers' && t.showlegend === false);
    const x = marker && marker.x ? marker.x[0] : null;
    const cells = Array.from(plot.querySelectorAll('.heatmaplayer text'))
      .map((t) => t.textContent || '')
      .filter((t) => t.length > 0);
    const current = plot.querySelector('.slider-group > text.slider-label');
    return { markerX: typeof x === 'number' ? x : null, cells, label: current ? current.textContent : '' };
  })()`;
}

async function plotStates(page: Page): Promise<PlotState[]> {
  return (await page.evaluate(PLOT_STATES)) as PlotState[];
}

interface ThresholdState {
  markerX: number | null;
  cells: string[];
  label: string;
}

async function moveFirstSlider(page: Page): Promise<SliderMove | null> {
  const plotId = (await page.evaluate(FIRST_SLIDER_PLOT)) as string | null;
  if (plotId === null) return null;
  await page.locator(`#${plotId}`).scrollIntoViewIfNeeded();
  const before = (await page.evaluate(thresholdStateScript(plotId))) as ThresholdState;
  // Click a step near the left end of the rail: a low threshold, far from the chosen point.
  const rail = page.locator(`#${plotId} .slider-rail-rect`).first();
  const box = await rail.boundingBox();
  if (box === null) return null;
  await page.mouse.click(box.x + box.width * 0.08, box.y + box.height / 2);
  await page.waitForTimeout(300);
  const after = (await page.evaluate(thresholdStateScript(plotId))) as ThresholdState;
  return {
    plotId,
    before: { markerX: before.markerX, cells: before.cells },
    after: { markerX: after.markerX, cells: after.cells },
    stepLabel: after.label,
  };
}

/**
 * Opens `htmlPath` offline and checks it. Every request that is not file:// is recorded (and
 * aborted): an offline report makes none.
 */
export async function checkReport(
  browser: Browser,
  htmlPath: string,
  screenshotPath?: string,
): Promise<ReportCheck> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.setOffline(true);
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForFunction(
    `document.querySelectorAll('.js-plotly-plot').length ===
       document.querySelectorAll('.evalbook-plot').length`,
    undefined,
    { timeout: 30_000 },
  );
  const plots = await plotStates(page);
  const plotlyScripts = (await page.evaluate(
    `Array.from(document.scripts).filter((s) => (s.textContent || '').includes('plotly.js v')).length`,
  )) as number;
  if (screenshotPath !== undefined) {
    await page.screenshot({ path: screenshotPath, fullPage: true });
    // The top of the page and one picture per section as well: the full page is too tall to
    // look at in one piece.
    await page.screenshot({ path: screenshotPath.replace(/\.png$/u, '-top.png') });
    const sections = await page.locator('section').count();
    for (let i = 0; i < sections; i++) {
      await page
        .locator('section')
        .nth(i)
        .screenshot({ path: screenshotPath.replace(/\.png$/u, `-section-${i + 1}.png`) });
    }
  }
  const sliderMove = await moveFirstSlider(page);
  if (screenshotPath !== undefined && sliderMove !== null) {
    await page.locator(`#${sliderMove.plotId}`).screenshot({
      path: screenshotPath.replace(/\.png$/u, '-slider.png'),
    });
  }
  await context.close();
  return { plots, consoleErrors, requests, sliderMove, plotlyScripts };
}

/** Writes the session's HTML report to test/.tmp and returns its path. */
export async function writeReport(name = 'report.html'): Promise<string> {
  const { files } = renderReport(await buildSession(), { format: 'html', path: name });
  const path = join(repoRoot, 'test', '.tmp', files[0].path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, files[0].content);
  return path;
}

async function main(): Promise<void> {
  const path = await writeReport();
  const browser = await launchBrowser();
  try {
    const result = await checkReport(browser, path, path.replace(/\.html$/u, '.png'));
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
