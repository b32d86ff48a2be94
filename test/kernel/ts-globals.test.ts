/**
 * The session values a `%%ts` cell sees, driven directly (TypeScriptCells and the language's
 * executor): a table's DataFrame is built only when a cell reads it, and kept while the
 * table stays bound.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExecutionContext } from '../../kernel/executor.js';
import { EvalbookExecutor } from '../../kernel/evalbook-executor.js';
import { TypeScriptCells } from '../../kernel/ts-cells.js';
import { goldenRoot } from '../helpers/golden.js';

function context(executionCount: number): ExecutionContext {
  return {
    executionCount,
    cancel: { cancelled: false },
    display() {},
    updateDisplay() {},
    stream() {},
  };
}

describe('lazy session values in %%ts cells', () => {
  test('a getter is called only by a cell that reads the name, and assigning replaces it', async () => {
    const cells = new TypeScriptCells(() => undefined);
    let builds = 0;
    const values: Record<string, unknown> = { rows: 3 };
    Object.defineProperty(values, 'frame', {
      enumerable: true,
      configurable: true,
      get: () => {
        builds++;
        return { built: builds };
      },
    });
    try {
      const trivial = await cells.execute('%%ts\n1 + 1', context(1), values);
      assert.deepEqual(trivial, {
        status: 'ok',
        result: { data: { 'text/plain': '2' }, metadata: {} },
      });
      assert.equal(builds, 0, 'declaring the names and running the cell built nothing');
      const reads = await cells.execute('%%ts\nframe.built + rows', context(2), values);
      assert.deepEqual(reads, {
        status: 'ok',
        result: { data: { 'text/plain': '4' }, metadata: {} },
      });
      assert.equal(builds, 1);
      await cells.execute('%%ts\nrows * 2', context(3), values);
      assert.equal(builds, 1, 'a later cell that does not read it builds nothing either');
    } finally {
      // tslab's converter watches files: closed, it lets the test process end.
      cells.close();
    }
  });

  test('the language executor builds a table’s DataFrame on first read and keeps it while bound', async () => {
    const executor = new EvalbookExecutor({ baseDir: goldenRoot });
    const load = 'load "binary_spam_ham/data.csv" as test';
    assert.equal((await executor.execute(load, context(1))).status, 'ok');
    const globals = await executor.tsGlobals();
    const descriptor = Object.getOwnPropertyDescriptor(globals, 'test');
    assert.equal(typeof descriptor?.get, 'function', 'a getter, not a built frame');
    const frame = globals.test as { shape: number[] };
    assert.deepEqual(frame.shape, [240, 7]);
    assert.equal(
      (await executor.tsGlobals()).test,
      frame,
      'the same frame while the table is bound',
    );
    assert.equal((await executor.execute(load, context(2))).status, 'ok');
    const rebound = (await executor.tsGlobals()).test as { shape: number[] };
    assert.notEqual(rebound, frame, 'a rebound table gets a frame of its own');
    assert.deepEqual(rebound.shape, [240, 7]);
  });
});
