/**
 * The Evalbook kernel (`evalbook kernel`, the language's executor) under faults, over real
 * ZeroMQ: long statements stopped by an external SIGINT and by interrupt_request,
 * user_expressions answered from the session. The long work is a bootstrap that would run
 * for minutes on the generated table, so an `Interrupted` reply proves the interrupt; how
 * fast it comes is for the bench.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EVALBOOK_BIN, KernelClient } from './client.js';
import { sleep } from './expect.js';

/** A binary task of `n` rows: label, two models' predictions (right most of the time). */
export function writeBigTable(path: string, n: number): void {
  const rows = ['label,base_pred,ft_pred'];
  let x = 1;
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    const label = x % 2;
    rows.push(`${label},${x % 3 === 0 ? 1 - label : label},${x % 5 === 0 ? 1 - label : label}`);
  }
  writeFileSync(path, `${rows.join('\n')}\n`);
}

const LONG_BOOTSTRAP =
  'compare base = base_pred, finetuned = ft_pred on big against label ' +
  'significance bootstrap 1000000 seed 3 as Long';

describe('the Evalbook kernel under faults', () => {
  let dir: string;
  let client: KernelClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evalbook-faults-'));
    writeBigTable(join(dir, 'big.csv'), 50_000);
    client = await KernelClient.start({
      args: [EVALBOOK_BIN, 'kernel', '--connection-file', '{connection_file}'],
      cwd: dir,
      kernelName: 'evalbook',
    });
    const load = await client.execute(
      'load "big.csv" as big\ncompare base = base_pred, finetuned = ft_pred on big against label as R',
      {},
      60000,
    );
    assert.equal(load.reply.content.status, 'ok', JSON.stringify(load.reply.content));
  });

  after(async () => {
    assert.equal(client.child.exitCode, null, 'no fault killed the kernel');
    assert.deepEqual(client.rejected, []);
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function interruptBootstrap(how: 'signal' | 'message') {
    const cell = await client.submit(LONG_BOOTSTRAP);
    // The progress line shows once the statement's work has begun.
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === cell.msg_id && m.header.msg_type === 'display_data',
      30000,
    );
    await sleep(300);
    if (how === 'signal') client.child.kill('SIGINT');
    else await client.request('control', 'interrupt_request', {});
    const reply = await client.reply(cell.msg_id, 30000);
    await client.idle(cell.msg_id);
    return reply;
  }

  test('an external SIGINT stops a long bootstrap, as interrupt_request does; the session is kept', async () => {
    for (const how of ['signal', 'message'] as const) {
      const reply = await interruptBootstrap(how);
      assert.equal(reply.content.status, 'error', how);
      assert.equal(reply.content.ename, 'Interrupted', how);
      const next = await client.execute('show R', {}, 30000);
      assert.equal(next.reply.content.status, 'ok', how);
      const unbound = await client.execute('show Long', {}, 30000);
      assert.equal(unbound.reply.content.status, 'error', `${how}: Long was never bound`);
    }
  });

  test('user_expressions: result paths answered as ipykernel answers them', async () => {
    const { reply } = await client.execute('show R', {
      user_expressions: {
        f1: 'R.finetuned.f1',
        rows: 'big.rows',
        group: 'R.finetuned',
        missing: 'Nope.f1',
        key: 'R.finetuned.f7',
      },
    });
    assert.equal(reply.content.status, 'ok');
    const answers = reply.content.user_expressions;
    assert.equal(answers.f1.status, 'ok');
    assert.deepEqual(Object.keys(answers.f1).sort(), ['data', 'metadata', 'status']);
    const f1 = Number(answers.f1.data['text/plain']);
    assert.ok(f1 > 0.5 && f1 < 1, `f1 is a number: ${answers.f1.data['text/plain']}`);
    assert.deepEqual(answers.f1.metadata, {});
    assert.deepEqual(answers.rows, {
      status: 'ok',
      data: { 'text/plain': '50000' },
      metadata: {},
    });
    assert.equal(answers.group.status, 'error');
    assert.equal(answers.group.ename, 'TypeError');
    assert.match(
      answers.group.evalue,
      /^`R\.finetuned` is a group of values, not one; it has .*`f1`/u,
    );
    assert.equal(answers.missing.ename, 'NameError');
    assert.match(
      answers.missing.evalue,
      /^no result, table or parameter is named `Nope`; bound: `big`, `R`/u,
    );
    assert.equal(answers.key.ename, 'KeyError');
    assert.match(answers.key.evalue, /^`R\.finetuned` has no `f7`; it has /u);
    assert.deepEqual(answers.key.traceback, [`KeyError: ${answers.key.evalue}`]);
  });
});
