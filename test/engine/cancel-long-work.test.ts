/**
 * Long work honours an interrupt while it runs: the paired bootstrap, calibration and the load
 * of a very wide table report progress, and a cancellation requested during them (from the
 * progress callback, as the kernel's interrupt sets the token while the work runs) stops the
 * statement with the interrupted error (E0302) and leaves the session as it was.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  check,
  parse,
  run,
  runCell,
  Session,
  type StatementOutcome,
  type StatementProgress,
} from '../../dsl/index.js';
import { SEMANTIC_CODES } from '../../dsl/messages.js';
import { EngineError } from '../../engine/errors.js';
import { loadTable } from '../../engine/load/index.js';
import { bootstrapMetricDifference } from '../../engine/stats/bootstrap.js';
import { goldenRoot, repoRoot } from '../helpers/golden.js';

const tmp = join(repoRoot, 'test', '.tmp', `cancel-${process.pid}`);
before(() => mkdirSync(tmp, { recursive: true }));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Everything a session holds, as comparable values (objects by identity). */
function snapshot(session: Session): unknown {
  return {
    bindings: session
      .bindings()
      .map((b) => [b.name, b.kind, b.kind === 'table' ? b.table : b.result]),
    params: session.params().map((p) => [p.name, p.value]),
    positive: session.positiveDefault()?.value ?? null,
    seed: session.seedDefault(),
    history: session.history().length,
    inputs: session.inputs().length,
    seeds: session.seeds().length,
    cells: session.cells().length,
  };
}

/**
 * Runs `text` as a checked cell in `session` with a token that becomes cancelled at the first
 * progress report `cancelAt` accepts; returns the outcomes and every progress report.
 */
async function runCancelled(
  session: Session,
  text: string,
  cancelAt: (progress: StatementProgress) => boolean,
  baseDir = goldenRoot,
): Promise<{ outcomes: StatementOutcome[]; progress: StatementProgress[] }> {
  const parsed = parse(text);
  assert.ok(parsed.ok);
  const checked = check(parsed.program, session, { source: text, baseDir });
  assert.ok(checked.ok, JSON.stringify(checked));
  const token = { cancelled: false };
  const progress: StatementProgress[] = [];
  const outcomes = await run(checked.plan, session, {
    cancel: token,
    baseDir,
    onProgress: (p) => {
      progress.push(p);
      if (!token.cancelled && cancelAt(p)) token.cancelled = true;
    },
  });
  return { outcomes, progress };
}

function assertInterrupted(outcomes: readonly StatementOutcome[], keyword: string): void {
  assert.equal(outcomes.length, 1);
  const [outcome] = outcomes;
  assert.equal(outcome.keyword, keyword);
  assert.equal(outcome.status, 'error');
  if (outcome.status !== 'error') return;
  assert.equal(outcome.error.kind, 'interrupted');
  assert.deepEqual(
    outcome.error.diagnostics.map((d) => [d.code, d.message]),
    [[SEMANTIC_CODES.interrupted, 'interrupted']],
  );
  assert.equal(SEMANTIC_CODES.interrupted, 'E0302');
}

const SPAM = 'load "binary_spam_ham/data.csv" as test\n';

describe('a cancellation during long work stops it and changes nothing', () => {
  test('the paired bootstrap, between resamples', async () => {
    const session = new Session();
    await runCell(SPAM, session, { baseDir: goldenRoot });
    const before = snapshot(session);
    const { outcomes, progress } = await runCancelled(
      session,
      'compare base_pred, ft_pred on test against label positive "spam" significance bootstrap 5000 seed 1 as R',
      (p) => p.phase.startsWith('bootstrap') && p.done > 0,
    );
    assertInterrupted(outcomes, 'compare');
    const boot = progress.filter((p) => p.phase.startsWith('bootstrap'));
    // It was under way, and stopped at the next poll: one more report at most, far from done.
    assert.ok(boot.length >= 1 && boot.length <= 2, JSON.stringify(boot));
    assert.equal(boot[0].total, 5000);
    assert.ok(boot.every((p) => p.done < p.total));
    assert.deepEqual(snapshot(session), before);
    assert.equal(session.binding('R'), undefined);
  });

  test('the bootstrap in the engine raises interrupted at its next poll', () => {
    const truth = Int32Array.from([0, 1, 0, 1, 0, 0, 1, 1]);
    const base = Int32Array.from([0, 0, 1, 1, 0, 1, 1, 0]);
    const ft = Int32Array.from([0, 1, 0, 0, 1, 1, 1, 1]);
    const token = { cancelled: false };
    const seen: number[] = [];
    assert.throws(
      () =>
        bootstrapMetricDifference(
          truth,
          base,
          ft,
          2,
          { name: 'accuracy' },
          {
            resamples: 1000,
            cancel: token,
            onProgress: (done) => {
              seen.push(done);
              token.cancelled = true;
            },
          },
        ),
      (error: unknown) => error instanceof EngineError && error.code === 'interrupted',
    );
    assert.deepEqual(seen, [10]);
  });

  test('calibration, between models', async () => {
    const session = new Session();
    await runCell('load "calibration_10_bins/data.csv" as cal\n', session, {
      baseDir: goldenRoot,
    });
    const before = snapshot(session);
    const { outcomes, progress } = await runCancelled(
      session,
      'calibration base = base_score, finetuned = ft_score on cal against label positive 1 bins 10 as C',
      (p) => p.phase === 'calibration',
    );
    assertInterrupted(outcomes, 'calibration');
    assert.deepEqual(
      progress.map((p) => [p.phase, p.done, p.total]),
      [['calibration', 0, 2]],
    );
    assert.deepEqual(snapshot(session), before);
    assert.equal(session.binding('C'), undefined);
  });

  test('the load of a very wide table, inside its one long row', async () => {
    const columns = 200_000;
    const header = Array.from({ length: columns }, (_, j) => `c${j}`).join(',');
    const row = Array.from({ length: columns }, (_, j) => String(j % 10)).join(',');
    writeFileSync(join(tmp, 'wide.csv'), `${header}\n${row}\n`);
    const session = new Session();
    const before = snapshot(session);
    const { outcomes, progress } = await runCancelled(
      session,
      'load "wide.csv" as wide',
      (p) => p.phase === 'parse' && p.done < p.total,
      tmp,
    );
    assertInterrupted(outcomes, 'load');
    const parsing = progress.filter((p) => p.phase === 'parse');
    // Reported from within the row (one data row: no chunk boundary), then stopped there.
    assert.equal(parsing.length, 1);
    assert.ok(parsing[0].done > header.length && parsing[0].done < parsing[0].total);
    assert.deepEqual(snapshot(session), before);

    // Uninterrupted, the same file loads whole.
    const table = await loadTable(join(tmp, 'wide.csv'));
    assert.equal(table.columns.length, columns);
    assert.equal(table.nRows, 1);
  });
});
