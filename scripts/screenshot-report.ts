/**
 * Writes docs/images/report.png, the README's picture of a report: runs notebooks/quickstart.ipynb
 * with `evalbook run`'s logic into a temporary directory, opens the report it writes in
 * Chromium (offline), and photographs its comparison section. Rerun it after the report's
 * look changes:
 *
 *   npx tsc -p . && node dist/scripts/screenshot-report.js
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runNotebook } from '../bin/run-notebook.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PICTURE = join(root, 'docs', 'images', 'report.png');

/** The part of the report photographed: the threshold sweep, from its heading down. */
const SECTION = '#result-3';
const WIDTH = 1280;
const HEIGHT = 900;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'evalbook-report-picture-'));
  const quiet = { write: () => true };
  try {
    const result = await runNotebook(
      {
        notebook: join(root, 'notebooks', 'quickstart.ipynb'),
        outDir: dir,
        json: false,
        params: {},
        timeoutSeconds: 300,
        allowErrors: false,
        progress: quiet,
      },
      { out: () => undefined, err: (text) => void process.stderr.write(text), env: process.env },
    );
    if (result.failed || result.reports.length === 0) {
      throw new Error('quickstart.ipynb failed or wrote no report');
    }
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--headless', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT } });
      await context.setOffline(true);
      const page = await context.newPage();
      await page.goto(pathToFileURL(result.reports[0]).href, { waitUntil: 'load' });
      await page.waitForFunction(
        `document.querySelectorAll('.evalbook-plot').length ===
           document.querySelectorAll('.evalbook-plot.js-plotly-plot').length`,
      );
      const box = await page.locator(SECTION).boundingBox();
      // Down to the end of its second chart: the first model's threshold slider.
      const slider = await page.locator(`${SECTION} .js-plotly-plot`).nth(1).boundingBox();
      if (box === null || slider === null) throw new Error(`the report has no ${SECTION} charts`);
      const top = Math.max(0, box.y - 24);
      mkdirSync(dirname(PICTURE), { recursive: true });
      await page.screenshot({
        path: PICTURE,
        fullPage: true,
        clip: { x: 0, y: top, width: WIDTH, height: slider.y + slider.height + 24 - top },
      });
    } finally {
      await browser.close();
    }
    console.log(`wrote ${PICTURE} (${Math.round(statSync(PICTURE).size / 1024)} KB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
