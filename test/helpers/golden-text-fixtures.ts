/** Reading the text-generation golden cases (test/fixtures/golden-text) in tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Json, repoRoot } from './golden.js';

export const goldenTextRoot = join(repoRoot, 'test', 'fixtures', 'golden-text');

export function goldenTextPath(caseName: string, file: string): string {
  return join(goldenTextRoot, caseName, file);
}

export function readTextExpected(caseName: string): Json {
  return JSON.parse(readFileSync(goldenTextPath(caseName, 'expected.json'), 'utf8'));
}

/** The rows of a case's data.jsonl, in file order. */
export function readJsonl(caseName: string): Json[] {
  return readFileSync(goldenTextPath(caseName, 'data.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

/** The rows of a case's data.csv as string records (these files have no quoted fields). */
export function readCsv(caseName: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(goldenTextPath(caseName, 'data.csv'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  });
}

/** The golden-text case names whose expected.json `where` accepts, sorted. */
export function goldenTextCases(where: (expected: Json) => boolean = () => true): string[] {
  return readdirSync(goldenTextRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && where(readTextExpected(d.name)))
    .map((d) => d.name)
    .sort();
}

/**
 * JSON's view of a number: the references write NaN and ±infinity as null, so a computed
 * non-finite value is compared as null.
 */
export function asJsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
