/**
 * Responsiveness and interrupts: heartbeat and control answered while the main thread is held
 * by a synchronous loop; interrupt_request and SIGINT stopping a language cell and a `%%ts`
 * cell within a second, with the session kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KernelClient } from './client.js';
import { assertAnswered, sleep, types } from './expect.js';

const WITHIN_MS = 1000;

describe('interrupts', () => {
  let client: KernelClient;

  before(async () => {
    client = await KernelClient.start();
    // Load tslab up front so that the %%ts timings below measure the interrupt only.
    const warm = await client.execute('%%ts\nconst kept: number = 7; kept', {}, 60000);
    assert.equal(warm.reply.content.status, 'ok');
  });

  after(async () => {
    assert.equal(client.child.exitCode, null, 'SIGINT never killed the kernel');
    assert.deepEqual(client.rejected, []);
    await client.close();
  });

  /** Starts a cell that blocks, then interrupts it; returns the reply and how long it took. */
  async function interruptCell(code: string, how: 'message' | 'signal') {
    const cell = await client.submit(code);
    // Wait for the cell to be running (its execute_input is out), then a little longer.
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === cell.msg_id && m.header.msg_type === 'execute_input',
    );
    await sleep(150);
    const started = performance.now();
    if (how === 'message') {
      const { header, reply } = await client.request('control', 'interrupt_request', {});
      assertAnswered(client, header, reply, 'interrupt_reply', 'control');
      assert.deepEqual(reply.content, { status: 'ok' });
    } else {
      client.child.kill('SIGINT');
    }
    const reply = await client.reply(cell.msg_id, 5000);
    const elapsed = performance.now() - started;
    await client.idle(cell.msg_id);
    assertAnswered(client, cell, reply, 'execute_reply');
    return { reply, elapsed, iopub: client.iopubFor(cell.msg_id) };
  }

  test('heartbeat and control answer while a cell spins synchronously', async () => {
    const cell = await client.submit('spin 1500');
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === cell.msg_id && m.header.msg_type === 'execute_input',
    );
    await sleep(100);
    const pings = [await client.ping(500), await client.ping(500), await client.ping(500)];
    for (const ms of pings) assert.ok(ms < 200, `heartbeat took ${ms} ms`);
    const started = performance.now();
    const info = await client.request('control', 'kernel_info_request', {}, 1000);
    assert.equal(info.reply.content.status, 'ok');
    assert.ok(performance.now() - started < 200, 'control answered at once');
    // The shell is still busy with the spinning cell.
    assert.equal(
      client.received.some((m) => m.parentHeader?.msg_id === cell.msg_id && m.channel === 'shell'),
      false,
    );
    const reply = await client.reply(cell.msg_id, 5000);
    assert.equal(reply.content.status, 'ok');
  });

  test('interrupt_request stops a synchronous statement within a second; state is kept', async () => {
    await client.execute('set model finetuned');
    const { reply, elapsed, iopub } = await interruptCell('spin', 'message');
    assert.ok(elapsed < WITHIN_MS, `took ${elapsed} ms`);
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'Interrupted');
    assert.deepEqual(types(iopub), ['status', 'execute_input', 'error', 'status']);
    const next = await client.execute('get model');
    assert.equal(
      next.reply.content.status,
      'ok',
      'the next cell runs: not aborted, not interrupted',
    );
    const value = next.iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], 'finetuned');
  });

  test('interrupt_request and SIGINT stop a cell that is awaiting', async () => {
    for (const how of ['message', 'signal'] as const) {
      const { reply, elapsed } = await interruptCell('sleep 20000', how);
      assert.ok(elapsed < WITHIN_MS, `${how}: took ${elapsed} ms`);
      assert.equal(reply.content.ename, 'Interrupted', how);
      const next = await client.execute('result after');
      assert.equal(next.reply.content.status, 'ok', how);
    }
  });

  test('a %%ts while (true) {} stops on interrupt_request and on SIGINT; TS state kept', async () => {
    for (const how of ['message', 'signal'] as const) {
      const { reply, elapsed, iopub } = await interruptCell('%%ts\nwhile (true) {}', how);
      assert.ok(elapsed < WITHIN_MS, `${how}: took ${elapsed} ms`);
      assert.equal(reply.content.status, 'error', how);
      assert.equal(reply.content.ename, 'Interrupted', how);
      assert.deepEqual(types(iopub), ['status', 'execute_input', 'error', 'status']);
      const next = await client.execute('%%ts\nkept * 6', {}, 10000);
      assert.equal(next.reply.content.status, 'ok', how);
      const value = next.iopub.find((m) => m.header.msg_type === 'execute_result');
      assert.equal(value?.content.data['text/plain'], '42', how);
    }
  });

  test('an interrupt while idle, or a stray SIGINT, does not touch the next cell', async () => {
    const idle = await client.request('control', 'interrupt_request', {});
    assert.equal(idle.reply.content.status, 'ok');
    await sleep(50);
    const afterMessage = await client.execute('sleep 100\nresult ran');
    assert.equal(afterMessage.reply.content.status, 'ok');

    client.child.kill('SIGINT');
    await sleep(100);
    const afterSignal = await client.execute('sleep 100\nresult ran');
    assert.equal(afterSignal.reply.content.status, 'ok');

    // Interrupt a spinning cell with the next one already queued: only the first stops.
    const spinning = await client.submit('spin');
    const queued = await client.submit('sleep 150\nresult queued ran');
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === spinning.msg_id && m.header.msg_type === 'execute_input',
    );
    await client.request('control', 'interrupt_request', {});
    assert.equal((await client.reply(spinning.msg_id)).content.ename, 'Interrupted');
    const queuedReply = await client.reply(queued.msg_id);
    // An interrupted cell is an error, so with stop_on_error the queued cell is aborted...
    assert.equal(queuedReply.content.status, 'aborted');
    // ...and with stop_on_error false it runs to the end, undisturbed by the old signal.
    const spinning2 = await client.submit('spin', { stop_on_error: false });
    const queued2 = await client.submit('sleep 150\nresult queued ran');
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === spinning2.msg_id && m.header.msg_type === 'execute_input',
    );
    await client.request('control', 'interrupt_request', {});
    assert.equal((await client.reply(spinning2.msg_id)).content.ename, 'Interrupted');
    assert.equal((await client.reply(queued2.msg_id)).content.status, 'ok');
  });
});
