/** Helpers shared by tests: where things are, and comparison against golden values. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/..., two or more levels below it). */
export const repoRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!dir.endsWith('/dist')) dir = dirname(dir);
  return dirname(dir);
})();

export const goldenRoot = join(repoRoot, 'test', 'fixtures', 'golden');

export function goldenPath(caseName: string, file = 'data.csv'): string {
  return join(goldenRoot, caseName, file);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- expected.json is free-form
export type Json = any;

export function readExpected(caseName: string): Json {
  return JSON.parse(readFileSync(goldenPath(caseName, 'expected.json'), 'utf8'));
}

/** The names of the golden cases (their folders), sorted; with `where`, those it accepts. */
export function goldenCases(where: (expected: Json) => boolean = () => true): string[] {
  return readdirSync(goldenRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && where(readExpected(d.name)))
    .map((d) => d.name)
    .sort();
}

/**
 * Deep comparison for golden values: numbers to 1e-9 (absolute or relative), integers
 * exactly, null only against null/NaN, arrays by length and element, objects by the
 * expected keys. Reports the path of the first mismatch.
 */
export function assertGolden(actual: unknown, expected: unknown, path = '$', tol = 1e-9): void {
  if (expected === null) {
    assert.ok(
      actual === null ||
        actual === undefined ||
        (typeof actual === 'number' && Number.isNaN(actual)),
      `${path}: expected null, got ${JSON.stringify(actual)}`,
    );
    return;
  }
  if (typeof expected === 'number') {
    assert.equal(
      typeof actual,
      'number',
      `${path}: expected number ${expected}, got ${JSON.stringify(actual)}`,
    );
    const a = actual as number;
    if (Number.isInteger(expected) && Number.isInteger(a) && Math.abs(expected) > 1) {
      assert.equal(a, expected, `${path}: expected ${expected}, got ${a}`);
      return;
    }
    const diff = Math.abs(a - expected);
    assert.ok(
      diff <= tol || diff <= tol * Math.abs(expected),
      `${path}: expected ${expected}, got ${a} (diff ${diff})`,
    );
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(
      Array.isArray(actual) || ArrayBuffer.isView(actual),
      `${path}: expected an array, got ${JSON.stringify(actual)}`,
    );
    const arr = Array.from(actual as ArrayLike<unknown>);
    assert.equal(
      arr.length,
      expected.length,
      `${path}: length ${arr.length}, expected ${expected.length}`,
    );
    expected.forEach((e, i) => assertGolden(arr[i], e, `${path}[${i}]`, tol));
    return;
  }
  if (typeof expected === 'object') {
    assert.ok(
      actual !== null && typeof actual === 'object',
      `${path}: expected an object, got ${JSON.stringify(actual)}`,
    );
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      assertGolden((actual as Record<string, unknown>)[k], v, `${path}.${k}`, tol);
    }
    return;
  }
  assert.equal(actual, expected, `${path}`);
}
