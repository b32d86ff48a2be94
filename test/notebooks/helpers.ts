/** Running `evalbook run` on notebooks as a user would (a child process), and reading what it wrote. */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../kernel/install.js';
import { repoRoot, type Json } from '../helpers/golden.js';

export const EVALBOOK_BIN = join(repoRoot, 'dist', 'bin', 'evalbook.js');
export const NOTEBOOK_DIR = join(repoRoot, 'notebooks');
export const FIXTURE_DIR = join(repoRoot, 'test', 'notebooks', 'fixtures');
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/bin/evalbook.js ARGS` in `cwd` (the repository root unless given). */
export function runEvalbook(args: readonly string[], cwd = repoRoot): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [EVALBOOK_BIN, ...args],
      { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TZ: 'UTC' } },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

/** An empty directory under test/.tmp/notebooks. */
export function freshDir(name: string): string {
  const dir = join(repoRoot, 'test', '.tmp', 'notebooks', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The JSON objects of `--json` output, one per line. */
export function jsonLines(stdout: string): Json[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** The code cells of a notebook file's JSON. */
export function codeCells(notebook: Json): Json[] {
  return notebook.cells.filter((cell: Json) => cell.cell_type === 'code');
}

/** Every output of every code cell, with its cell. */
export function allOutputs(notebook: Json): { cell: Json; output: Json }[] {
  return codeCells(notebook).flatMap((cell) =>
    cell.outputs.map((output: Json) => ({ cell, output })),
  );
}

/** nbformat stores multi-line text as a list of lines. */
export function text(value: Json): string {
  return Array.isArray(value) ? value.join('') : String(value);
}

let python: string | null | undefined;

/** A Python that can import nbformat (Debian's), or null. */
export function nbformatPython(): string | null {
  if (python !== undefined) return python;
  python = null;
  for (const candidate of [findOnPath('python3'), '/usr/bin/python3']) {
    if (candidate === undefined) continue;
    const probe = spawnSync(candidate, ['-c', 'import nbformat'], { stdio: 'ignore' });
    if (probe.status === 0) {
      python = candidate;
      break;
    }
  }
  return python;
}

/**
 * Validates a notebook file against nbformat's own JSON schema (nbformat.validate), reading it
 * without conversion; returns the nbformat version it was read as, "4.5".
 */
export function validateWithNbformat(pythonPath: string, notebookPath: string): string {
  const script = [
    'import sys, nbformat',
    'nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)',
    'nbformat.validate(nb)',
    'print(f"{nb.nbformat}.{nb.nbformat_minor}")',
  ].join('\n');
  const run = spawnSync(pythonPath, ['-c', script, notebookPath], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`nbformat rejects ${notebookPath}:\n${run.stderr}`);
  return run.stdout.trim();
}
