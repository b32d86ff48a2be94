/**
 * The language reference (docs/language.md): every `evalbook` example in it parses, and
 * together the examples use every keyword of the grammar, so no statement or option goes
 * without an example.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderDiagnostics } from '../../dsl/diagnostics.js';
import { STATEMENT_KEYWORDS } from '../../dsl/messages.js';
import { languageKeywords, parse } from '../../dsl/parse.js';
import { tokenize } from '../../grammar/lexer.js';
import { repoRoot } from '../helpers/golden.js';

const reference = readFileSync(join(repoRoot, 'docs', 'language.md'), 'utf8');
const examples = [...reference.matchAll(/```evalbook\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the reference has examples, and each parses', () => {
  assert.ok(examples.length >= 15, `${examples.length} examples`);
  for (const example of examples) {
    const result = parse(example);
    if (!result.ok) assert.fail(`${example}\n${renderDiagnostics(result.diagnostics, example)}`);
  }
});

test('the examples use every keyword, and every statement has a section', () => {
  const used = new Set(examples.flatMap((e) => tokenize(e).map((t) => t.text)));
  const missing = languageKeywords().filter((k) => !used.has(k));
  assert.deepEqual(missing, []);
  for (const keyword of STATEMENT_KEYWORDS) {
    assert.ok(reference.includes(`### ${keyword}`), `a section for ${keyword}`);
  }
});
