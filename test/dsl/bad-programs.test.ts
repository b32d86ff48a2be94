/**
 * Mistakes a person makes (test/dsl/bad-programs/*.eval), past the grammar: each program gives
 * exactly the rendered errors in its .txt file, whether the checker finds them before anything
 * runs or on the data once the table they need is loaded. Every error has a code from the
 * catalogue, a span inside the program, and at least one hint.
 *
 * Regenerate with EVALBOOK_UPDATE_GOLDEN=1 (then read every changed file).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderDiagnostics, runCell, Session, type Diagnostic } from '../../dsl/index.js';
import { ENGINE_ERROR_CODES, SEMANTIC_CODES } from '../../dsl/messages.js';
import { repoRoot } from '../helpers/golden.js';

const dir = join(repoRoot, 'test', 'dsl', 'bad-programs');
const update = process.env.EVALBOOK_UPDATE_GOLDEN === '1';
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.eval'))
  .sort()
  .map((f) => f.slice(0, -'.eval'.length));
const knownCodes = new Set<string>(Object.values(SEMANTIC_CODES));
// Data errors word the engine's refusal and need no hint; an interruption has one.
const dataErrorCodes = new Set<string>(
  Object.entries(ENGINE_ERROR_CODES)
    .filter(([kind]) => kind !== 'interrupted')
    .map(([, code]) => code),
);

/** The diagnostics that stopped the program: from the checker, or from the failing statement. */
async function problems(
  source: string,
): Promise<{ stage: string; diagnostics: readonly Diagnostic[] }> {
  const result = await runCell(source, new Session(), { baseDir: dir });
  if (result.stage !== 'run') return { stage: result.stage, diagnostics: result.diagnostics };
  const failed = result.outcomes.find((o) => o.status === 'error');
  if (failed === undefined || failed.status !== 'error') return { stage: 'run', diagnostics: [] };
  return { stage: `run (${failed.error.kind})`, diagnostics: failed.error.diagnostics };
}

test('the corpus holds at least 30 mistakes', () => {
  assert.ok(cases.length >= 30, `${cases.length} cases`);
});

describe('each mistake gives its expected error text', () => {
  for (const name of cases) {
    test(name, async () => {
      const source = readFileSync(join(dir, `${name}.eval`), 'utf8');
      const { stage, diagnostics } = await problems(source);
      assert.ok(diagnostics.length > 0, `${name} must fail, but ran (${stage})`);
      assert.notEqual(stage, 'parse', 'these are mistakes past the grammar');
      const rendered = renderDiagnostics(diagnostics, source);
      const expectedPath = join(dir, `${name}.txt`);
      if (update) writeFileSync(expectedPath, `${rendered}\n`);
      assert.equal(rendered, readFileSync(expectedPath, 'utf8').replace(/\n$/u, ''));
      for (const d of diagnostics) {
        assert.ok(knownCodes.has(d.code), d.code);
        assert.ok(0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= source.length);
        assert.ok(d.hints.length > 0 || dataErrorCodes.has(d.code), `${d.code} has a hint`);
      }
    });
  }
});
