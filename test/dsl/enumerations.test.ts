/**
 * The enumerations that several layers list stay in step: the statement keywords (the
 * grammar, the catalogue, completion, inspection, the reference) and the metric names (the
 * engine, the checker, completion, inspection, the reference).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMPARISON_METRICS } from '../../engine/analysis/index.js';
import { complete, inspect, parse, runCell, Session } from '../../dsl/index.js';
import { SEMANTIC_CODES, STATEMENT_KEYWORDS, STATEMENT_USAGE } from '../../dsl/messages.js';
import { languageKeywords } from '../../dsl/parse.js';
import { goldenRoot, repoRoot } from '../helpers/golden.js';

const reference = readFileSync(join(repoRoot, 'docs', 'language.md'), 'utf8');

function sorted(words: Iterable<string>): string[] {
  return [...new Set(words)].sort();
}

test('the statement keywords are the words the grammar starts a statement with', () => {
  // A word that cannot start a statement is refused as such (E0103); a statement keyword alone
  // parses or is cut short (E0102).
  const starters = languageKeywords().filter((word) => {
    const parsed = parse(word);
    return parsed.ok || parsed.diagnostics.every((d) => d.code !== 'E0103');
  });
  assert.deepEqual(sorted(starters), sorted(STATEMENT_KEYWORDS));
  assert.deepEqual(sorted(Object.keys(STATEMENT_USAGE)), sorted(STATEMENT_KEYWORDS));
});

test('completion offers the statement keywords at the start of a statement', () => {
  const offered = complete('', 0, new Session()).matches;
  assert.deepEqual(sorted(offered), sorted(STATEMENT_KEYWORDS));
});

test('inspection explains every statement keyword', () => {
  for (const keyword of STATEMENT_KEYWORDS) {
    assert.ok(inspect(keyword, 0, new Session()).found, keyword);
  }
});

test("the reference's statement sections are the statement keywords", () => {
  const statements = reference.slice(
    reference.indexOf('\n## Statements\n'),
    reference.indexOf('\n## How a cell runs\n'),
  );
  const sections = [...statements.matchAll(/^### (\w+)/gmu)].map((m) => m[1]);
  assert.deepEqual(sorted(sections), sorted(STATEMENT_KEYWORDS));
});

test('the metric names of the engine are those the checker, completion and inspection know', () => {
  const source = 'load "t.csv" as t\ncompare a, b on t against y metrics ';
  const completed = complete(source, source.length, new Session()).matches;
  assert.deepEqual(sorted(completed), sorted(COMPARISON_METRICS));
  for (const metric of COMPARISON_METRICS) {
    const text = `${source}${metric}`;
    const inspected = inspect(text, text.length, new Session());
    assert.ok(inspected.plain.startsWith(`metric ${metric}: `), `${metric}: ${inspected.plain}`);
  }
});

test('the checker knows every metric name of the engine, and no other', async () => {
  const program = (metric: string) =>
    `load "binary_spam_ham/data.csv" as test\ncompare base_pred, ft_pred on test against label positive "spam" metrics ${metric}`;
  const codes = async (metric: string): Promise<string[]> => {
    const result = await runCell(program(metric), new Session(), { baseDir: goldenRoot });
    return result.stage === 'run' ? [] : result.diagnostics.map((d) => d.code);
  };
  for (const metric of COMPARISON_METRICS) {
    assert.ok(!(await codes(metric)).includes(SEMANTIC_CODES.unknownMetric), metric);
  }
  assert.deepEqual(await codes('accuracyy'), [SEMANTIC_CODES.unknownMetric]);
});

test("the reference's result paths list every metric name", () => {
  const row = reference.split('\n').find((line) => line.startsWith('| `R.MODEL.METRIC` |'));
  assert.ok(row !== undefined);
  // The list ends at the row's first sentence; what follows speaks of clauses.
  const list = row.slice(0, row.indexOf('. '));
  const named = [...list.matchAll(/`([a-z0-9_]+)`/gu)].map((m) => m[1]);
  assert.deepEqual(sorted(named), sorted(COMPARISON_METRICS));
});
