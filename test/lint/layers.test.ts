/**
 * The layering rules of eslint.config.js, proven on small offending snippets: each layer's
 * upward import is an error of `no-restricted-imports`, and the imports the layers do make
 * stay allowed (so a rule that matched too much would fail here too).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/golden.js';

const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfigFile: join(repoRoot, 'eslint.config.js'),
});

/** The `no-restricted-imports` messages for `source` linted as if it were the file `path`. */
async function restrictedImports(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(repoRoot, path) });
  assert.ok(result !== undefined);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

function importOf(specifier: string): string {
  return `import * as imported from '${specifier}';\nexport { imported };\n`;
}

const FORBIDDEN: readonly (readonly [file: string, specifier: string, layer: string])[] = [
  ['engine/probe.ts', '../grammar/lexer.js', 'grammar'],
  ['engine/analysis/probe.ts', '../../dsl/run.js', 'dsl'],
  ['engine/load/probe.ts', '../../display/format.js', 'display'],
  ['engine/probe.ts', '../app/cell.js', 'app'],
  ['engine/probe.ts', '../kernel/main.js', 'kernel'],
  ['engine/stats/probe.ts', '../../bin/evalbook.js', 'bin'],
  ['grammar/probe.ts', '../engine/table.js', 'engine'],
  ['grammar/probe.ts', '../dsl/parse.js', 'dsl'],
  ['grammar/probe.ts', '../display/format.js', 'display'],
  ['grammar/probe.ts', '../app/cell.js', 'app'],
  ['grammar/probe.ts', '../kernel/main.js', 'kernel'],
  ['grammar/probe.ts', '../bin/evalbook.js', 'bin'],
  ['dsl/probe.ts', '../display/format.js', 'display'],
  ['dsl/verbs/probe.ts', '../../app/cell.js', 'app'],
  ['dsl/probe.ts', '../kernel/main.js', 'kernel'],
  ['dsl/probe.ts', '../bin/evalbook.js', 'bin'],
  ['display/probe.ts', '../grammar/lexer.js', 'grammar'],
  ['display/render/probe.ts', '../../dsl/run.js', 'dsl'],
  ['display/probe.ts', '../app/cell.js', 'app'],
  ['display/charts/probe.ts', '../../kernel/main.js', 'kernel'],
  ['display/probe.ts', '../bin/evalbook.js', 'bin'],
  ['app/probe.ts', '../kernel/main.js', 'kernel'],
  ['app/probe.ts', '../bin/evalbook.js', 'bin'],
  ['kernel/probe.ts', '../bin/evalbook.js', 'bin'],
];

for (const [file, specifier, layer] of FORBIDDEN) {
  const folder = file.split('/')[0];
  test(`${folder}/ may not import ${layer}/ (${file} importing ${specifier})`, async () => {
    assert.deepEqual(await restrictedImports(file, importOf(specifier)), [
      `'${specifier}' import is restricted from being used by a pattern. ${folder}/ is below ${layer}/ and must not import it.`,
    ]);
  });
}

for (const folder of ['engine', 'grammar', 'dsl', 'display', 'app']) {
  test(`${folder}/ may not import zeromq`, async () => {
    assert.deepEqual(await restrictedImports(`${folder}/probe.ts`, importOf('zeromq')), [
      "'zeromq' import is restricted from being used. zeromq is used only in kernel/ and bin/.",
    ]);
  });
}

const ALLOWED: readonly (readonly [file: string, specifier: string])[] = [
  ['kernel/probe.ts', 'zeromq'],
  ['bin/probe.ts', 'zeromq'],
  ['engine/analysis/probe.ts', '../errors.js'],
  ['engine/analysis/probe.ts', '../load/index.js'],
  ['dsl/probe.ts', '../engine/table.js'],
  ['dsl/probe.ts', '../grammar/lexer.js'],
  ['dsl/verbs/probe.ts', '../../engine/analysis/index.js'],
  ['display/render/probe.ts', '../../engine/analysis/types.js'],
  ['display/render/probe.ts', '../format.js'],
  ['app/probe.ts', '../dsl/index.js'],
  ['app/probe.ts', '../display/index.js'],
  ['kernel/probe.ts', '../app/cell.js'],
  ['kernel/probe.ts', '../dsl/index.js'],
  ['bin/probe.ts', '../kernel/main.js'],
  ['bin/probe.ts', '../app/cell.js'],
  ['test/dsl/probe.ts', '../../bin/evalbook.js'],
];

test('the imports the layers make are allowed', async () => {
  for (const [file, specifier] of ALLOWED) {
    assert.deepEqual(
      await restrictedImports(file, importOf(specifier)),
      [],
      `${file} → ${specifier}`,
    );
  }
});
