/**
 * Opening pages in Debian's Chromium (playwright-core) the way the browser tests need: offline
 * (every request that is not file:// — or not to an allowed local server — is aborted and
 * recorded), console errors collected, Plotly charts inspected, and threshold sliders moved.
 *
 * Page code is passed as source text: this project compiles without the DOM library.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/golden.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(repoRoot, 'test', '.tmp', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--headless',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A console error or an uncaught exception, with the URL of what logged it where known. */
export interface ConsoleError {
  readonly text: string;
  /** The resource the message is about (a failed load) or whose script logged it; '' if none. */
  readonly url: string;
}

/** A response of the allowed local server that was an HTTP error. */
export interface FailedResponse {
  readonly url: string;
  readonly status: number;
}

/** A page whose requests are watched: `blocked` lists every request that was refused. */
export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
  /** The same errors as `consoleErrors`, with where they came from. */
  readonly consoleEntries: ConsoleError[];
  /** HTTP errors answered by the allowed server (the notebook server's own 404s, say). */
  readonly failedResponses: FailedResponse[];
  readonly blocked: string[];
}

/** Where a script's message was logged from, or the resource the message names. */
function messageUrl(text: string, locationUrl: string): string {
  const named = /(?:from|script) '([^']+)'/u.exec(text);
  return named?.[1] ?? locationUrl;
}

/**
 * The notebook server's own optional front-end extensions that are not installed: classic
 * Notebook 6 always asks for `nbextensions/widgets/notebook/js/extension.js` (ipywidgets), and
 * without ipywidgets the server answers 404, which the page logs as two errors. An error is
 * excused only when it is about a URL under the server's `/nbextensions/` folder (never under
 * `/kernelspecs/`, where Evalbook's own files live, and never an uncaught exception) and the
 * server itself answered that URL with 404.
 */
export function isMissingServerExtension(
  error: ConsoleError,
  origin: string,
  failed: readonly FailedResponse[],
): boolean {
  const path = error.url.split('?')[0] ?? '';
  if (!path.startsWith(`${origin}/nbextensions/`)) return false;
  const notFound = failed.some((r) => r.status === 404 && (r.url.split('?')[0] ?? '') === path);
  if (!notFound) return false;
  return (
    /^Failed to load resource: the server responded with a status of 404/u.test(error.text) ||
    /^Refused to execute script from '[^']+' because its MIME type \('text\/html'\) is not executable/u.test(
      error.text,
    )
  );
}

/**
 * A new page that may load `file://` URLs and, when given, URLs starting with `allowOrigin`
 * (a local server); every other request is aborted and recorded.
 */
export async function watchedPage(browser: Browser, allowOrigin?: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (allowOrigin === undefined) await context.setOffline(true);
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    const allowed =
      url.startsWith('file://') ||
      url.startsWith('data:') ||
      (allowOrigin !== undefined && url.startsWith(allowOrigin));
    if (allowed) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const consoleEntries: ConsoleError[] = [];
  const failedResponses: FailedResponse[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    consoleErrors.push(message.text());
    consoleEntries.push({
      text: message.text(),
      url: messageUrl(message.text(), message.location().url),
    });
  });
  page.on('pageerror', (error) => {
    consoleErrors.push(error.message);
    consoleEntries.push({ text: error.message, url: '' });
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      failedResponses.push({ url: response.url(), status: response.status() });
    }
  });
  return { context, page, consoleErrors, consoleEntries, failedResponses, blocked };
}

/** One chart on the page, as drawn. */
export interface PlotState {
  readonly id: string;
  /** Whether Plotly drew its SVG. */
  readonly svg: boolean;
  /** Drawn trace elements: lines, markers, bars, heatmap images. */
  readonly drawnTraces: number;
  readonly sliders: number;
}

const PLOTS = `Array.from(document.querySelectorAll('.js-plotly-plot')).map((plot) => ({
  id: plot.id,
  svg: plot.querySelector('svg.main-svg') !== null,
  drawnTraces:
    plot.querySelectorAll('.scatterlayer .trace path.js-line, .scatterlayer .trace path.point').length +
    plot.querySelectorAll('.barlayer .trace path').length +
    plot.querySelectorAll('.heatmaplayer image').length,
  sliders: plot.querySelectorAll('.slider-container').length,
}))`;

/** Waits until every chart placeholder has become a Plotly plot, then reads them. */
export async function drawnPlots(
  page: Page,
  timeoutMs = 30_000,
  atLeast = 1,
): Promise<PlotState[]> {
  // `atLeast`: in a live notebook the last outputs may still be arriving on iopub after the
  // execute_reply has numbered the cell, so wait for as many charts as the cells make.
  await page.waitForFunction(
    `document.querySelectorAll('.evalbook-plot').length >= ${atLeast} &&
     document.querySelectorAll('.evalbook-plot').length ===
       document.querySelectorAll('.evalbook-plot.js-plotly-plot').length`,
    undefined,
    { timeout: timeoutMs },
  );
  return (await page.evaluate(PLOTS)) as PlotState[];
}

/** The count of chart placeholders (each should become a drawn plot). */
export async function placeholderCount(page: Page): Promise<number> {
  return (await page.evaluate(`document.querySelectorAll('.evalbook-plot').length`)) as number;
}

/** What a threshold chart shows: the operating point's x and the confusion matrix's counts. */
export interface OperatingPoint {
  readonly markerX: number | null;
  readonly counts: readonly number[];
  readonly label: string;
}

function operatingPointScript(plotId: string): string {
  return `(() => {
    const plot = document.getElementById(${JSON.stringify(plotId)});
    const marker = plot.data.find((t) => t.type === 'scatter' && t.mode === 'markers');
    const heatmap = plot.data.find((t) => t.type === 'heatmap');
    const x = marker && marker.x ? marker.x[0] : null;
    const counts = heatmap && heatmap.z ? [].concat(...heatmap.z).map(Number) : [];
    const label = plot.querySelector('.slider-group > text.slider-label');
    return { markerX: typeof x === 'number' ? x : null, counts, label: label ? label.textContent : '' };
  })()`;
}

export async function operatingPoint(page: Page, plotId: string): Promise<OperatingPoint> {
  return (await page.evaluate(operatingPointScript(plotId))) as OperatingPoint;
}

/**
 * Clicks the slider rail of the chart at `fraction` of its width (a step there) and returns
 * the operating point before and after.
 */
export async function moveSlider(
  page: Page,
  plotId: string,
  fraction: number,
): Promise<{ before: OperatingPoint; after: OperatingPoint }> {
  const plot = page.locator(`[id="${plotId}"]`);
  await plot.scrollIntoViewIfNeeded();
  const before = await operatingPoint(page, plotId);
  const rail = plot.locator('.slider-rail-rect').first();
  const box = await rail.boundingBox();
  if (box === null) throw new Error(`the slider of ${plotId} is not visible`);
  await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
  await page.waitForFunction(
    `(() => { const p = ${operatingPointScript(plotId)}; return p.markerX !== ${JSON.stringify(before.markerX)}; })()`,
    undefined,
    { timeout: 5_000 },
  );
  return { before, after: await operatingPoint(page, plotId) };
}

/** Full-page and first-screen screenshots under test/.tmp/screenshots; returns their paths. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const full = join(SCREENSHOT_DIR, `${name}.png`);
  const top = join(SCREENSHOT_DIR, `${name}-top.png`);
  await page.screenshot({ path: full, fullPage: true });
  await page.screenshot({ path: top });
  return [full, top];
}
