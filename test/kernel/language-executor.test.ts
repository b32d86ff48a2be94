/**
 * The language's CellExecutor (kernel/evalbook-executor.ts), driven directly with a fake
 * ExecutionContext that records what a kernel would publish: display bundles, the progress
 * line and its updates, errors with a caret traceback, interruption, and the session seen by
 * `%%ts` cells.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PLOTLY_MIME, type DisplayBundle } from '../../display/bundle.js';
import type { CancelToken } from '../../engine/errors.js';
import { EvalbookExecutor, createCellExecutor } from '../../kernel/evalbook-executor.js';
import type { ExecutionContext } from '../../kernel/executor.js';
import { loadLanguageExecutor } from '../../kernel/language.js';
import { goldenRoot } from '../helpers/golden.js';

interface Published {
  readonly displays: { bundle: DisplayBundle; displayId?: string }[];
  readonly updates: { bundle: DisplayBundle; displayId: string }[];
}

function context(cancel: CancelToken = { cancelled: false }): ExecutionContext & Published {
  const displays: Published['displays'] = [];
  const updates: Published['updates'] = [];
  return {
    executionCount: 1,
    cancel,
    displays,
    updates,
    display(bundle, options) {
      displays.push({ bundle, displayId: options?.displayId });
    },
    updateDisplay(bundle, displayId) {
      updates.push({ bundle, displayId });
    },
    stream() {},
  };
}

const SPAM_COMPARE =
  'load "binary_spam_ham/data.csv" as test\n' +
  'compare base = base_pred score base_score, finetuned = ft_pred score ft_score\n' +
  '    on test against label positive "spam" as R';

describe('executing cells', () => {
  test('a compare cell displays tables, HTML and Plotly figures, with a progress line that ends done', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    const ctx = context();
    const outcome = await executor.execute(SPAM_COMPARE, ctx);
    assert.deepEqual(outcome, { status: 'ok' }, 'the last result has charts: no execute_result');
    const [progress, ...shown] = ctx.displays;
    assert.match(progress.displayId ?? '', /^evalbook-progress-\d+$/u);
    assert.equal(progress.bundle.data['text/plain'], 'running 2 statements…');
    const final = ctx.updates[ctx.updates.length - 1];
    assert.equal(final.displayId, progress.displayId);
    assert.equal(final.bundle.data['text/plain'], '✓ 2 statements');
    const compareBundles = shown.slice(1).map((d) => d.bundle);
    const main = compareBundles[0];
    assert.match(String(main.data['text/plain']), /^compare on test: base vs finetuned/u);
    assert.match(String(main.data['text/html']), /<table/u);
    const figures = compareBundles.filter((b) => b.data[PLOTLY_MIME] !== undefined);
    assert.ok(figures.length >= 2, `${figures.length} figures`);
    for (const figure of figures) {
      assert.ok(Array.isArray((figure.data[PLOTLY_MIME] as { data?: unknown }).data));
      assert.equal(typeof figure.data['text/html'], 'string');
    }
  });

  test('a cell whose last result is one bundle returns it as the execute_result', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    await executor.execute(SPAM_COMPARE, context());
    const ctx = context();
    const outcome = await executor.execute('check R.finetuned.f1 > R.base.f1 + 0.02', ctx);
    assert.equal(outcome.status, 'ok');
    assert.equal(ctx.displays.length, 0, 'no progress line for a quick statement');
    const result = outcome.status === 'ok' ? outcome.result : undefined;
    assert.equal(
      result?.data['text/plain'],
      'check R.finetuned.f1 > R.base.f1 + 0.02: passed\n\n✓ R.finetuned.f1 (0.9708) > R.base.f1 (0.8851) + 0.02 → true',
    );
  });

  test('errors: the rendered diagnostic is the traceback, with the caret under the fault', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    const parseError = await executor.execute(
      'compare base_pred, ft_pred on test agains label',
      context(),
    );
    assert.equal(parseError.status, 'error');
    if (parseError.status !== 'error') return;
    assert.equal(parseError.ename, 'ParseError');
    assert.deepEqual(parseError.traceback, [
      'error[E0101]: expected `against` after `test`, found `agains`',
      '  --> line 1, col 36',
      '   |',
      ' 1 | compare base_pred, ft_pred on test agains label',
      '   |                                    ^^^^^^',
      '   = hint: did you mean `against`?',
    ]);
    const checkError = await executor.execute('show tset', context());
    assert.equal(checkError.status === 'error' && checkError.ename, 'CheckError');
    assert.equal(
      checkError.status === 'error' && checkError.evalue,
      'unknown table or result `tset`',
    );
    await executor.execute(SPAM_COMPARE, context());
    const failed = await executor.execute('check R.finetuned.f1 > 0.99', context());
    assert.equal(failed.status === 'error' && failed.ename, 'CheckFailed');
    assert.equal(
      failed.status === 'error' && failed.traceback[0],
      'error[E0401]: check failed: R.finetuned.f1 (0.9708) > 0.99 → false',
    );
    const dataError = await executor.execute(
      'compare base_pred, ft_pred on test against base_score',
      context(),
    );
    assert.equal(dataError.status === 'error' && dataError.ename, 'DataError');
  });

  test('a failed check leakage shows the leak, then fails', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    const ctx = context();
    const outcome = await executor.execute(
      'load "leakage_duplicates/train.csv" as train\nload "leakage_duplicates/test.csv" as test\ncheck leakage train, test on text',
      ctx,
    );
    assert.equal(outcome.status === 'error' && outcome.ename, 'CheckFailed');
    assert.ok(
      ctx.displays.some((d) =>
        String(d.bundle.data['text/plain']).startsWith('check leakage train, test on text'),
      ),
    );
    assert.equal(
      ctx.updates[ctx.updates.length - 1].bundle.data['text/plain'],
      '✗ stopped at line 3 (check)',
    );
  });
});

describe('interrupting', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evalbook-interrupt-'));
    const rows = ['label,base_pred,ft_pred'];
    let x = 1;
    for (let i = 0; i < 50_000; i++) {
      x = (x * 48271) % 2147483647;
      const label = x % 2;
      rows.push(`${label},${x % 3 === 0 ? 1 - label : label},${x % 5 === 0 ? 1 - label : label}`);
    }
    writeFileSync(join(dir, 'big.csv'), `${rows.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a long bootstrap stops on the interrupt, and the session is as it was', async () => {
    const executor = new EvalbookExecutor({ baseDir: dir });
    assert.equal((await executor.execute('load "big.csv" as big', context())).status, 'ok');
    const bindings = executor.session.bindings();
    const history = executor.session.history().length;
    // A million resamples of 50,000 rows take minutes; the interrupt arrives while they run.
    const started = Date.now();
    const cancel = {
      get cancelled(): boolean {
        return Date.now() - started > 300;
      },
    };
    const ctx = context(cancel);
    const outcome = await executor.execute(
      'compare base_pred, ft_pred on big against label significance bootstrap 1000000 seed 1 as R',
      ctx,
    );
    assert.equal(outcome.status === 'error' && outcome.ename, 'Interrupted');
    assert.deepEqual(executor.session.bindings(), bindings);
    assert.equal(executor.session.history().length, history);
    assert.equal(executor.session.binding('R'), undefined);
    assert.match(
      String(ctx.updates[ctx.updates.length - 1].bundle.data['text/plain']),
      /^✗ interrupted at line 1/u,
    );
    // The session goes on: the same statement without the long part runs.
    const next = await executor.execute(
      'compare base_pred, ft_pred on big against label as R',
      context(),
    );
    assert.equal(next.status, 'ok');
  });
});

describe('the rest of the executor', () => {
  test('isComplete, complete and inspect come from the language', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    assert.deepEqual(executor.isComplete('compare a,'), { status: 'incomplete', indent: '  ' });
    assert.deepEqual(executor.isComplete('show x'), { status: 'complete' });
    assert.deepEqual(executor.isComplete('compare ) ('), { status: 'invalid' });
    await executor.execute(SPAM_COMPARE, context());
    assert.deepEqual(executor.complete('check R.fin', 11), {
      matches: ['finetuned'],
      cursorStart: 8,
      cursorEnd: 11,
    });
    const inspected = executor.inspect('show test', 7, 0);
    assert.equal(inspected.found, true);
    assert.match(String(inspected.data['text/plain']), /^table test: 240 rows × 7 columns/u);
    assert.match(String(inspected.data['text/markdown']), /\*\*table test/u);
  });

  test('a report file is written to the report directory; the cell shows a link and the summary', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'evalbook-reports-'));
    try {
      const executor = new EvalbookExecutor({ baseDir: goldenRoot, reportDir: reports });
      await executor.execute(SPAM_COMPARE, context());
      const outcome = await executor.execute('report "r.html" title "Spam"', context());
      assert.equal(outcome.status, 'ok');
      const shown = outcome.status === 'ok' ? outcome.result : undefined;
      const markdown = String(shown?.data['text/markdown']);
      assert.ok(
        markdown.startsWith('Report written: [r.html](r.html) (2 results)\n\n## Spam\n'),
        markdown,
      );
      assert.match(
        String(shown?.data['text/plain']),
        /^report written: r\.html \(2 results\)\n\nSpam\n/u,
      );
      assert.match(readFileSync(join(reports, 'r.html'), 'utf8'), /<title>Spam<\/title>/u);
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });

  test('reset forgets the session', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    await executor.execute(SPAM_COMPARE, context());
    executor.reset();
    const outcome = await executor.execute('show test', context());
    assert.equal(outcome.status === 'error' && outcome.ename, 'CheckError');
  });

  test('tsGlobals: tables as DataFrames, results as copies, parameters as values', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    await executor.execute(`param gain = 2%\n${SPAM_COMPARE}`, context());
    const globals = await executor.tsGlobals();
    assert.deepEqual(Object.keys(globals).sort(), ['R', 'gain', 'test']);
    assert.equal(globals.gain, 0.02);
    const frame = globals.test as { shape: number[]; columns: string[] };
    assert.deepEqual(frame.shape, [240, 7]);
    assert.deepEqual(frame.columns, [
      'id',
      'text',
      'label',
      'base_pred',
      'ft_pred',
      'base_score',
      'ft_score',
    ]);
    const result = globals.R as { kind: string; n: number };
    assert.equal(result.kind, 'comparison');
    result.n = 0;
    const bound = executor.session.binding('R');
    assert.equal(
      bound?.kind === 'result' && bound.result.kind === 'comparison' && bound.result.n,
      240,
    );
  });

  test('the kernel finds this executor', async () => {
    const found = await loadLanguageExecutor();
    assert.ok(found instanceof EvalbookExecutor);
    assert.ok(createCellExecutor() instanceof EvalbookExecutor);
  });
});
