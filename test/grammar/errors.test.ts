/**
 * The corpus of mistakes (test/grammar/errors/*.eval): each gives exactly the rendered errors
 * in its .txt file, with spans inside the text and codes from the catalogue.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderDiagnostics } from '../../dsl/diagnostics.js';
import { CODES } from '../../dsl/messages.js';
import { parse } from '../../dsl/parse.js';
import { repoRoot } from '../helpers/golden.js';

const errorsDir = join(repoRoot, 'test', 'grammar', 'errors');
const cases = readdirSync(errorsDir)
  .filter((f) => f.endsWith('.eval'))
  .sort()
  .map((f) => f.slice(0, -'.eval'.length));

const knownCodes = new Set<string>(Object.values(CODES));

test('the corpus holds at least 30 mistakes', () => {
  assert.ok(cases.length >= 30, `${cases.length} cases`);
});

describe('each mistake gives its expected error text', () => {
  for (const name of cases) {
    test(name, () => {
      const source = readFileSync(join(errorsDir, `${name}.eval`), 'utf8');
      const expected = readFileSync(join(errorsDir, `${name}.txt`), 'utf8').replace(/\n$/, '');
      const result = parse(source);
      assert.equal(result.ok, false, 'the cell must not parse');
      if (result.ok) return;
      assert.equal(renderDiagnostics(result.diagnostics, source), expected);
      for (const d of result.diagnostics) {
        assert.ok(knownCodes.has(d.code), d.code);
        assert.equal(d.severity, 'error');
        assert.ok(0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= source.length);
      }
    });
  }
});
