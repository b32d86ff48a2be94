/**
 * The codes of the engine's errors: one mapping, each family in E0330–E0349, each code in the
 * reference's table, and a data error rendered with the code of its kind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderDiagnostics, runCell, Session } from '../../dsl/index.js';
import { ENGINE_ERROR_CODES, engineErrorCode } from '../../dsl/messages.js';
import { repoRoot } from '../helpers/golden.js';

test('each kind of engine error has its family code', () => {
  assert.deepEqual(
    Object.fromEntries(
      Object.keys(ENGINE_ERROR_CODES).map((k) => [k, engineErrorCode(k as never)]),
    ),
    {
      'file-not-found': 'E0330',
      'file-unreadable': 'E0330',
      'file-empty': 'E0331',
      'bad-encoding': 'E0332',
      'ragged-row': 'E0333',
      'bad-quote': 'E0333',
      'bad-format': 'E0333',
      'missing-value': 'E0334',
      'not-numeric': 'E0335',
      'unknown-column': 'E0336',
      'unknown-label': 'E0337',
      'length-mismatch': 'E0338',
      'score-out-of-range': 'E0339',
      'bad-argument': 'E0340',
      interrupted: 'E0302',
    },
  );
});

test("every engine error code is in the reference's code table", () => {
  const reference = readFileSync(join(repoRoot, 'docs', 'language.md'), 'utf8');
  const documented = new Set(reference.match(/^\| E\d{4} \|/gmu)?.map((row) => row.slice(2, 7)));
  const missing = [...new Set(Object.values(ENGINE_ERROR_CODES))].filter((c) => !documented.has(c));
  assert.deepEqual(missing, []);
  assert.ok(!documented.has('E0301'), 'E0301 is no longer given');
});

test('a data error is rendered with the code of its kind', async () => {
  const source = 'load "data.csv" as t';
  const result = await runCell(source, new Session(), {
    baseDir: join(repoRoot, 'test', 'hostile', 'files', '01-ragged-short-row'),
  });
  assert.equal(result.stage, 'run');
  const failed = result.outcomes.find((o) => o.status === 'error');
  assert.ok(failed !== undefined && failed.status === 'error');
  assert.equal(
    renderDiagnostics(failed.error.diagnostics, source).split('\n')[0],
    'error[E0333]: data.csv, row 2: expected 3 fields as in the header, found 2 (column pred is missing)',
  );
});
