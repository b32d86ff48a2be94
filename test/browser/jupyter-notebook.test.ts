/**
 * The Evalbook kernel in Debian's classic Jupyter Notebook, driven in Chromium: the kernelspec
 * from `evalbook install --prefix` in a private Jupyter environment, the notebook server on
 * 127.0.0.1 with a random token, quickstart.ipynb opened and run whole (Run All), and then the
 * tables and the charts must be in the page. Nothing outside the local server is fetched.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { freePorts } from '../../kernel/client.js';
import { findOnPath } from '../../kernel/install.js';
import { freshDir, NOTEBOOK_DIR, runEvalbook } from '../notebooks/helpers.js';
import {
  drawnPlots,
  isMissingServerExtension,
  launchChromium,
  screenshots,
  watchedPage,
} from './page.js';

/** Debian's `jupyter` with the notebook server, and the server's major version. */
function findJupyterNotebook(): { jupyter: string; major: number } | null {
  for (const jupyter of ['/usr/bin/jupyter', findOnPath('jupyter')]) {
    if (jupyter === undefined || !existsSync(jupyter)) continue;
    const probe = spawnSync(jupyter, ['notebook', '--version'], { encoding: 'utf8' });
    const version = /^(\d+)\.\d+/mu.exec(probe.stdout ?? '');
    if (probe.status === 0 && version !== null) return { jupyter, major: Number(version[1]) };
  }
  return null;
}

const found = findJupyterNotebook();
let server: ChildProcess | undefined;
let serverLog = '';
let browser: Browser | undefined;
let origin = '';
let token = '';

async function waitForServer(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`the notebook server exited:\n${serverLog}`);
    try {
      const response = await fetch(`${origin}/api/status?token=${token}`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the notebook server did not answer within ${timeoutMs} ms:\n${serverLog}`);
}

before(async () => {
  if (found === null) return;
  const dir = freshDir('jupyter');
  const notebooks = join(dir, 'notebooks');
  const home = join(dir, 'jupyter-home');
  const prefix = join(dir, 'prefix');
  mkdirSync(notebooks, { recursive: true });
  cpSync(join(NOTEBOOK_DIR, 'quickstart.ipynb'), join(notebooks, 'quickstart.ipynb'));
  cpSync(join(NOTEBOOK_DIR, 'data'), join(notebooks, 'data'), { recursive: true });
  const install = await runEvalbook(['install', '--prefix', prefix]);
  assert.equal(install.status, 0, install.stderr);

  const [port] = await freePorts(1);
  token = randomBytes(16).toString('hex');
  origin = `http://127.0.0.1:${port}`;
  // Notebook 7 runs on jupyter_server (ServerApp, IdentityProvider); 6 is the classic NotebookApp.
  const app = found.major >= 7 ? 'ServerApp' : 'NotebookApp';
  const tokenOption =
    found.major >= 7 ? `--IdentityProvider.token=${token}` : `--NotebookApp.token=${token}`;
  const args = [
    'notebook',
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${port}`,
    `--${app}.port_retries=0`,
    tokenOption,
    `--notebook-dir=${notebooks}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  server = spawn(found.jupyter, args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      JUPYTER_PATH: join(prefix, 'share', 'jupyter'),
      JUPYTER_DATA_DIR: join(home, 'data'),
      JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
      JUPYTER_CONFIG_DIR: join(home, 'config'),
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
      PYTHONWARNINGS: 'ignore',
    },
  });
  server.stdout?.setEncoding('utf8').on('data', (chunk: string) => (serverLog += chunk));
  server.stderr?.setEncoding('utf8').on('data', (chunk: string) => (serverLog += chunk));
  await waitForServer(60_000);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (server !== undefined && server.exitCode === null) {
    // SIGTERM: the server shuts its kernels down, then exits.
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    const late = setTimeout(() => server?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(late);
  }
});

test(
  'classic Jupyter Notebook runs quickstart.ipynb on the Evalbook kernel: tables and charts appear',
  { skip: found === null ? 'Jupyter Notebook (jupyter-notebook) is not installed' : false },
  async () => {
    assert.ok(browser !== undefined);
    const { page, context, consoleEntries, failedResponses, blocked } = await watchedPage(
      browser,
      origin,
    );
    try {
      await page.goto(`${origin}/notebooks/quickstart.ipynb?token=${token}`, { timeout: 120_000 });
      // The notebook's kernelspec names the kernel; it starts and connects.
      await page.waitForFunction(
        `window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
         Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.name === 'evalbook'`,
        undefined,
        { timeout: 60_000 },
      );
      await page.evaluate(`Jupyter.notebook.execute_all_cells()`);
      await page.waitForFunction(
        `Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code')
           .every((c) => typeof c.input_prompt_number === 'number')`,
        undefined,
        { timeout: 120_000 },
      );
      const plots = await drawnPlots(page, 60_000, 5);
      await page.locator('.js-plotly-plot').first().scrollIntoViewIfNeeded();
      await screenshots(page, 'jupyter-notebook-quickstart');

      const prompts = (await page.evaluate(
        `Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').map((c) => c.input_prompt_number)`,
      )) as number[];
      assert.deepEqual(prompts, [1, 2, 3, 4, 5]);
      assert.equal(await page.locator('.output_error').count(), 0, 'no cell failed');
      // Tables: the load, compare, threshold and check results as HTML tables.
      const tables = await page.locator('.output_html table.evalbook-table').count();
      assert.ok(tables >= 8, `${tables} tables`);
      const shown = (await page.locator('#notebook-container').innerText()).replace(/\s+/gu, ' ');
      assert.match(shown, /accuracy 0\.9059 0\.9737 \+0\.0678/u);
      assert.match(shown, /test: 914 rows × 9 columns/u);
      assert.match(shown, /check R\.finetuned\.f1 > R\.base\.f1 \+ 0\.02: passed/u);
      // Charts: two from the comparison, three from the threshold sweep, each drawn.
      assert.equal(plots.length, 5);
      for (const plot of plots) {
        assert.ok(plot.svg && plot.drawnTraces > 0, `${plot.id} drew`);
      }
      assert.equal(plots.filter((p) => p.sliders > 0).length, 2, 'a threshold slider per model');
      assert.deepEqual(blocked, [], 'nothing outside the local server');
      // The server's own optional extensions that are not installed (ipywidgets) are its
      // business; every other error — Evalbook's outputs, its kernelspec files — fails the test.
      const errors = consoleEntries
        .filter((e) => !isMissingServerExtension(e, origin, failedResponses))
        .filter((e) => !/favicon/u.test(e.text));
      assert.deepEqual(
        errors.map((e) => e.text),
        [],
        'the page logs no errors',
      );
    } finally {
      await context.close();
    }
  },
);
