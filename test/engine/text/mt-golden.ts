/** The sacrebleu golden cases (kinds mt and mt_paired) of test/fixtures/golden-text. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BootstrapDraws, RandomizationDraws } from '../../../engine/text/sacrebleu-paired.js';
import { repoRoot, type Json } from '../../helpers/golden.js';

export const goldenTextRoot = join(repoRoot, 'test', 'fixtures', 'golden-text');

export interface MtRow {
  readonly id: number | string;
  readonly references: string[];
  readonly base: string;
  readonly ft: string;
}

export interface MtCase {
  readonly name: string;
  readonly expected: Json;
  readonly rows: MtRow[];
}

export function readMtCase(name: string): MtCase {
  const dir = join(goldenTextRoot, name);
  const expected: Json = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
  const rows = readFileSync(join(dir, 'data.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line): MtRow => {
      const r = JSON.parse(line) as Json;
      return {
        id: r.id,
        references: r.references ?? [r.reference],
        base: r.base_output,
        ft: r.ft_output,
      };
    });
  return { name, expected, rows };
}

/** The names of the cases of kind mt or mt_paired, sorted. */
export function mtCaseNames(): string[] {
  return readdirSync(goldenTextRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((name) => {
      const kind = JSON.parse(
        readFileSync(join(goldenTextRoot, name, 'expected.json'), 'utf8'),
      ).kind;
      return kind === 'mt' || kind === 'mt_paired';
    })
    .sort();
}

export const MODELS = ['base', 'ft'] as const;

export function outputs(c: MtCase, model: (typeof MODELS)[number]): string[] {
  return c.rows.map((r) => (model === 'base' ? r.base : r.ft));
}

export function references(c: MtCase): string[][] {
  return c.rows.map((r) => r.references);
}

/**
 * Golden comparison with the README's rule: numbers within an absolute tolerance (1e-9 unless
 * given), integers exactly, arrays element by element, objects by the expected keys.
 */
export function assertClose(actual: unknown, expected: unknown, path = '$', tol = 1e-9): void {
  if (typeof expected === 'number') {
    assert.equal(
      typeof actual,
      'number',
      `${path}: expected ${expected}, got ${JSON.stringify(actual)}`,
    );
    const a = actual as number;
    assert.ok(
      Math.abs(a - expected) <= tol,
      `${path}: expected ${expected}, got ${a} (diff ${Math.abs(a - expected)})`,
    );
    return;
  }
  if (Array.isArray(expected)) {
    const arr = Array.from(actual as ArrayLike<unknown>);
    assert.equal(
      arr.length,
      expected.length,
      `${path}: length ${arr.length}, expected ${expected.length}`,
    );
    expected.forEach((e, i) => assertClose(arr[i], e, `${path}[${i}]`, tol));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object`);
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      assertClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`, tol);
    }
    return;
  }
  assert.equal(actual, expected, path);
}

/** The stored bootstrap draws: one line per resample, space-separated indices. */
export function readBootstrapDraws(name: string): BootstrapDraws {
  const lines = readFileSync(join(goldenTextRoot, name, 'paired_bs_indices.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const n = lines[0].split(' ').length;
  const indices = new Int32Array(lines.length * n);
  lines.forEach((line, r) => {
    const parts = line.split(' ');
    assert.equal(parts.length, n, `resample ${r} has ${parts.length} indices`);
    parts.forEach((p, i) => (indices[r * n + i] = Number(p)));
  });
  return { samples: lines.length, n, indices };
}

/** The stored randomization draws: one line per trial, one 0/1 character per sentence. */
export function readRandomizationDraws(name: string): RandomizationDraws {
  const lines = readFileSync(join(goldenTextRoot, name, 'paired_ar_swaps.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const n = lines[0].length;
  const swaps = new Uint8Array(lines.length * n);
  lines.forEach((line, t) => {
    assert.equal(line.length, n, `trial ${t} has ${line.length} flags`);
    for (let i = 0; i < n; i++) swaps[t * n + i] = line.charCodeAt(i) === 49 ? 1 : 0;
  });
  return { trials: lines.length, n, swaps };
}
