/**
 * Responsiveness and interrupts: heartbeat and control answered while the main thread is held
 * by a synchronous loop; interrupt_request and SIGINT stopping a language cell and a `%%ts`
 * cell, with the session kept. The cells interrupted here never end by themselves (or only
 * long after the wait), so an `Interrupted` reply proves the interrupt; how fast it comes is
 * measured by the bench, not asserted here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KernelClient } from './client.js';
import { assertAnswered, sleep, types } from './expect.js';

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

  /** Starts a cell that blocks, then interrupts it; returns the reply and the cell's iopub. */
  async function interruptCell(code: string, how: 'message' | 'signal') {
    const cell = await client.submit(code);
    // Wait for the cell to be running (its execute_input is out), then a little longer.
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === cell.msg_id && m.header.msg_type === 'execute_input',
    );
    await sleep(150);
    if (how === 'message') {
      const { header, reply } = await client.request('control', 'interrupt_request', {});
      assertAnswered(client, header, reply, 'interrupt_reply', 'control');
      assert.deepEqual(reply.content, { status: 'ok' });
    } else {
      client.child.kill('SIGINT');
    }
    const reply = await client.reply(cell.msg_id, 15000);
    await client.idle(cell.msg_id);
    assertAnswered(client, cell, reply, 'execute_reply');
    return { reply, iopub: client.iopubFor(cell.msg_id) };
  }

  test('heartbeat and control answer while a cell spins synchronously', async () => {
    const cell = await client.submit('spin');
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === cell.msg_id && m.header.msg_type === 'execute_input',
    );
    await sleep(100);
    for (let i = 0; i < 3; i++) await client.ping(10000);
    const info = await client.request('control', 'kernel_info_request', {}, 10000);
    assert.equal(info.reply.content.status, 'ok');
    // The shell is still held by the spinning cell, which never ends by itself: the heartbeat
    // and control replies above came while the main thread was blocked.
    assert.equal(
      client.received.some((m) => m.parentHeader?.msg_id === cell.msg_id && m.channel === 'shell'),
      false,
    );
    await client.request('control', 'interrupt_request', {});
    const reply = await client.reply(cell.msg_id, 15000);
    assert.equal(reply.content.ename, 'Interrupted');
  });

  test('interrupt_request stops a synchronous statement; state is kept', async () => {
    await client.execute('set model finetuned');
    const { reply, iopub } = await interruptCell('spin', 'message');
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

  test('an external SIGINT stops a synchronous statement as interrupt_request does', async () => {
    await client.execute('set model base');
    // Several times: each SIGINT re-arms the watcher that took it, and none kills the kernel.
    for (let round = 0; round < 3; round++) {
      const { reply, iopub } = await interruptCell('spin', 'signal');
      assert.equal(reply.content.status, 'error');
      assert.equal(reply.content.ename, 'Interrupted');
      assert.deepEqual(types(iopub), ['status', 'execute_input', 'error', 'status']);
    }
    const next = await client.execute('get model');
    assert.equal(next.reply.content.status, 'ok');
    const value = next.iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], 'base');
  });

  test('interrupt_request and SIGINT stop a cell that is awaiting', async () => {
    for (const how of ['message', 'signal'] as const) {
      const { reply } = await interruptCell('sleep 20000', how);
      assert.equal(reply.content.ename, 'Interrupted', how);
      const next = await client.execute('result after');
      assert.equal(next.reply.content.status, 'ok', how);
    }
  });

  test('a %%ts while (true) {} stops on interrupt_request and on SIGINT; TS state kept', async () => {
    for (const how of ['message', 'signal'] as const) {
      const { reply, iopub } = await interruptCell('%%ts\nwhile (true) {}', how);
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
