#!/usr/bin/env node
/**
 * The main job (`npm start`, after the build): runs every notebook in notebooks/ with the
 * logic of `evalbook run` into out/ — the executed notebooks, their HTML renderings and the
 * reports they write — then out/index.html linking them all, and prints a summary with the
 * paths. Exits 1 when a notebook fails (a cell errs or a check does not hold).
 */
import { readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../display/html.js';
import { writeFileAtomic } from '../kernel/atomic-write.js';
import { packageRoot } from '../kernel/kernel-info.js';
import { runNotebook, runSummary, type NotebookRunResult } from './run-notebook.js';
import { terminalSafe } from './terminal.js';

/** Where the bundled notebooks are, and where the job writes. */
export const NOTEBOOK_DIR = join(packageRoot, 'notebooks');
export const OUT_DIR = join(packageRoot, 'out');

/** A cell that runs longer than this is stopped: the bundled notebooks take seconds. */
const CELL_TIMEOUT_SECONDS = 300;

/** The notebooks the job runs: every .ipynb in notebooks/, quickstart first. */
export function bundledNotebooks(dir = NOTEBOOK_DIR): string[] {
  const names = readdirSync(dir).filter((name) => name.endsWith('.ipynb'));
  const order = (name: string): string => (name === 'quickstart.ipynb' ? '' : name);
  return names.sort((a, b) => order(a).localeCompare(order(b))).map((name) => join(dir, name));
}

/** out/index.html: one line per notebook, with links to its rendering, notebook and reports. */
export function indexHtml(results: readonly NotebookRunResult[], outDir: string): string {
  const link = (path: string): string => {
    const href = relative(outDir, path).split('\\').join('/');
    return `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`;
  };
  const rows = results.map((result) => {
    const name = basename(result.notebookPath);
    const status = result.failed ? '✗ failed' : '✓ ran';
    const reports = result.reports.map(link).join('<br>');
    return (
      `<tr><td>${escapeHtml(name)}</td><td>${status}</td><td>${link(result.htmlPath)}</td>` +
      `<td>${link(result.notebookPath)}</td><td>${reports}</td></tr>`
    );
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Evalbook: the example notebooks</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:32px;color:#1e293b}',
    'table{border-collapse:collapse}td,th{padding:6px 14px;border-bottom:1px solid #e2e8f0;',
    'text-align:left;vertical-align:top}th{background:#f8fafc}</style></head><body>',
    '<h1>Evalbook: the example notebooks</h1>',
    '<p>Executed by <code>npm start</code>. Every page works offline.</p>',
    '<table><thead><tr><th>notebook</th><th>run</th><th>rendering</th><th>executed notebook</th>',
    '<th>reports</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></body></html>',
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const notebooks = bundledNotebooks();
  const results: NotebookRunResult[] = [];
  // As `evalbook run`: what is printed may quote data, so no control character goes out raw.
  const out = (text: string): void => void process.stdout.write(terminalSafe(text));
  const err = (text: string): void => void process.stderr.write(terminalSafe(text));
  const io = { out, err, env: process.env };
  for (const notebook of notebooks) {
    process.stderr.write(`▶ ${relative(process.cwd(), notebook) || notebook}\n`);
    const result = await runNotebook(
      {
        notebook,
        outDir: OUT_DIR,
        json: false,
        params: {},
        timeoutSeconds: CELL_TIMEOUT_SECONDS,
        allowErrors: false,
      },
      io,
    );
    results.push(result);
    out(runSummary(result, basename(notebook)));
    out('\n');
  }
  const index = join(OUT_DIR, 'index.html');
  writeFileAtomic(index, indexHtml(results, OUT_DIR));
  const failed = results.filter((r) => r.failed);
  const shown = relative(process.cwd(), index) || index;
  out(
    failed.length === 0
      ? `✓ ${results.length} notebooks ran; open ${shown} in a browser\n`
      : `✗ ${failed.length} of ${results.length} notebooks failed: ` +
          `${failed.map((r) => basename(r.notebookPath)).join(', ')}; see ${shown}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `npm start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
