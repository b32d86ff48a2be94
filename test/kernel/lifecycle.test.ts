/** The kernel's life: a hundred bad cells, shutdown on control and shell, restart by a new process. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHELL_BACKLOG_LIMIT } from '../../kernel/shared.js';
import { KernelClient, TEST_KERNEL } from './client.js';
import { assertAnswered, types } from './expect.js';

test('crash test: a hundred failing cells in a row, and the kernel still answers', async () => {
  const client = await KernelClient.start();
  try {
    const kinds = [
      'fail bad cell',
      'throw bad cell',
      'nonsense words',
      '%%ts\nconst x: number = "x";',
    ];
    const headers = [];
    for (let i = 0; i < 100; i++) {
      headers.push(await client.submit(kinds[i % kinds.length], { stop_on_error: false }));
    }
    for (const [i, header] of headers.entries()) {
      const reply = await client.reply(header.msg_id, 60000);
      await client.idle(header.msg_id);
      const outputs = assertAnswered(client, header, reply, 'execute_reply');
      assert.equal(reply.content.status, 'error', `cell ${i}`);
      assert.deepEqual(types(outputs), ['execute_input', 'error'], `cell ${i}`);
      assert.equal(typeof reply.content.ename, 'string');
    }
    const counts = await Promise.all(
      headers.map(async (h) => (await client.reply(h.msg_id)).content.execution_count),
    );
    assert.deepEqual(
      counts,
      Array.from({ length: 100 }, (_, i) => i + 1),
      'every failed cell counted',
    );
    await client.ping(10000);
    const info = await client.request('shell', 'kernel_info_request', {});
    assert.equal(info.reply.content.status, 'ok');
    const good = await client.execute('result still here');
    assert.equal(good.reply.content.status, 'ok');
    assert.equal(good.reply.content.execution_count, 101);
    assert.deepEqual(client.rejected, []);
  } finally {
    await client.close();
  }
});

test('shutdown_request on control: a reply, then the process exits cleanly', async () => {
  const client = await KernelClient.start();
  try {
    const { header, reply } = await client.request('control', 'shutdown_request', {
      restart: false,
    });
    assertAnswered(client, header, reply, 'shutdown_reply', 'control');
    assert.deepEqual(reply.content, { status: 'ok', restart: false });
    const exit = await client.exit;
    assert.deepEqual(exit, { code: 0, signal: null });
  } finally {
    await client.close();
  }
});

test('shutdown_request on shell works too, after the cells queued before it', async () => {
  const client = await KernelClient.start();
  try {
    const cell = await client.submit('sleep 100\nresult done');
    const { header, reply } = await client.request('shell', 'shutdown_request', {
      restart: false,
    });
    assertAnswered(client, header, reply, 'shutdown_reply');
    assert.equal((await client.reply(cell.msg_id)).content.status, 'ok');
    assert.deepEqual(await client.exit, { code: 0, signal: null });
  } finally {
    await client.close();
  }
});

test('shutdown while a cell spins: the cell is stopped and the process exits', async () => {
  const client = await KernelClient.start();
  try {
    const cell = await client.submit('spin');
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === cell.msg_id && m.header.msg_type === 'execute_input',
    );
    const { reply } = await client.request('control', 'shutdown_request', { restart: false });
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(await client.exit, { code: 0, signal: null });
  } finally {
    await client.close();
  }
});

test('40,000 queued requests, then shutdown_request on control: answered, and a clean exit', async () => {
  // With a first cell that holds the shell, and (a few times over: the process once aborted as
  // it exited, now and then) with one that ends at once, so that the kernel is working through
  // the queue, sending replies and outputs, when the shutdown arrives.
  for (const firstCell of ['spin', 'result first', 'result first', 'result first']) {
    const client = await KernelClient.start();
    try {
      const first = await client.submit(firstCell);
      const content = KernelClient.executeContent('print queued\nresult queued');
      const queued = new Set<string>();
      // In the background: behind a spinning cell the kernel stops reading the shell socket
      // at its backlog limit, and the sends wait (until the socket closes, at the end).
      const sending = (async () => {
        for (let i = 0; i < 40_000; i++) {
          const header = client.header('execute_request');
          queued.add(header.msg_id);
          await client.sendFrames('shell', client.frames(header, content));
        }
      })().catch(() => undefined);
      if (firstCell !== 'spin') await sending;
      await client.waitFor(
        (m) => m.parentHeader?.msg_id === first.msg_id && m.header.msg_type === 'execute_input',
      );
      const { reply } = await client.request('control', 'shutdown_request', { restart: false });
      assert.deepEqual(reply.content, { status: 'ok', restart: false }, firstCell);
      assert.deepEqual(await client.exit, { code: 0, signal: null }, firstCell);
      if (firstCell === 'spin') {
        // Nothing queued behind the spinning cell ran: the shutdown stopped it and dropped them.
        const ran = client.received.filter(
          (m) => m.channel === 'shell' && queued.has(m.parentHeader?.msg_id ?? ''),
        );
        assert.equal(ran.length, 0);
      }
    } finally {
      await client.close();
    }
  }
});

test('a backlog over the limit behind a spinning cell: every request is answered, in order', async () => {
  const client = await KernelClient.start();
  try {
    // Interrupted, it fails: without stop_on_error, the requests behind it still run.
    const first = await client.submit('spin', { stop_on_error: false });
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === first.msg_id && m.header.msg_type === 'execute_input',
    );
    // Three times the kernel's backlog limit: the rest waits in ZeroMQ's queues, not in memory.
    const count = 3 * SHELL_BACKLOG_LIMIT;
    const content = KernelClient.executeContent('result queued');
    const ids: string[] = [];
    let overLimit!: () => void;
    const backlogged = new Promise<void>((resolve) => (overLimit = resolve));
    const sending = (async () => {
      for (let i = 0; i < count; i++) {
        const header = client.header('execute_request');
        ids.push(header.msg_id);
        await client.sendFrames('shell', client.frames(header, content));
        if (i === 2 * SHELL_BACKLOG_LIMIT) overLimit();
      }
    })();
    // The client has handed over twice the limit while the cell still spins.
    await backlogged;
    const { reply } = await client.request('control', 'interrupt_request', {});
    assert.equal(reply.content.status, 'ok');
    await sending;
    assert.equal(ids.length, count);
    const last = await client.reply(ids[count - 1], 120000);
    assert.equal(last.content.status, 'ok');
    const replies = client.received.filter(
      (m) => m.channel === 'shell' && m.header.msg_type === 'execute_reply',
    );
    const order = replies
      .map((m) => m.parentHeader?.msg_id ?? '')
      .filter((id) => id !== first.msg_id);
    assert.deepEqual(order, ids, 'each queued request answered once, in the order sent');
    assert.ok(replies.slice(1).every((m) => m.content.status === 'ok'));
    assert.deepEqual(client.rejected, []);
  } finally {
    await client.close();
  }
});

test('restart: the kernel answers, stops the running cell and exits, as ipykernel does', async () => {
  const client = await KernelClient.start();
  try {
    await client.execute('set model base');
    const running = await client.submit('spin');
    await client.waitFor(
      (m) => m.parentHeader?.msg_id === running.msg_id && m.header.msg_type === 'execute_input',
    );
    const exited = new Promise<number | null>((resolve) => client.child.once('exit', resolve));
    const { header, reply } = await client.request('control', 'shutdown_request', {
      restart: true,
    });
    assert.deepEqual(assertAnswered(client, header, reply, 'shutdown_reply', 'control'), []);
    assert.deepEqual(reply.content, { status: 'ok', restart: true });
    assert.equal(await exited, 0, 'the process ends by itself, so the front end need not kill it');
    assert.deepEqual(client.rejected, []);
  } finally {
    await client.close();
  }
});

test('restart by a new process on the same connection file, as jupyter_client does', async () => {
  const client = await KernelClient.start();
  try {
    await client.execute('set model base');
    const { reply } = await client.request('control', 'shutdown_request', { restart: true });
    assert.deepEqual(reply.content, { status: 'ok', restart: true });
    const firstPid = client.child.pid;
    await client.respawn();
    assert.notEqual(client.child.pid, firstPid);
    const after = await client.execute('get model');
    assert.equal(after.reply.content.execution_count, 1);
    const value = after.iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], '');
    assert.deepEqual(client.rejected, []);
  } finally {
    await client.close();
  }
});

test('an executor still loading: kernel_info at once, cells wait for it', async () => {
  const client = await KernelClient.start({
    args: [TEST_KERNEL, '--connection-file', '{connection_file}', '--executor-delay=6000'],
  });
  try {
    // An ordering, not a speed: kernel_info came before the executor could have loaded.
    const readyAfter = performance.now() - client.spawnedAt;
    assert.ok(readyAfter < 6000, `kernel_info answered after ${readyAfter} ms`);
    const { reply } = await client.execute('result loaded', {}, 30000);
    assert.equal(reply.content.status, 'ok');
    assert.ok(performance.now() - client.spawnedAt >= 6000, 'the cell waited for the executor');
  } finally {
    await client.close();
  }
});

test('an executor that fails to load: language cells say why, %%ts cells still run', async () => {
  const client = await KernelClient.start({
    args: [TEST_KERNEL, '--connection-file', '{connection_file}', '--executor-fails'],
  });
  try {
    const language = await client.execute('result 1');
    assert.equal(language.reply.content.status, 'error');
    assert.equal(language.reply.content.evalue, 'the language module is broken');
    const completion = await client.request('shell', 'complete_request', {
      code: 're',
      cursor_pos: 2,
    });
    assert.equal(completion.reply.content.status, 'error');
    const ts = await client.execute('%%ts\n40 + 2', {}, 60000);
    assert.equal(ts.reply.content.status, 'ok');
    assert.match(
      client.stderr,
      /the cell executor failed to load: Error: the language module is broken/,
    );
  } finally {
    await client.close();
  }
});

test('a %%ts cell that would exhaust memory: V8 ends the kernel, and a restart brings it back', async () => {
  // A small heap, so that the cell exhausts it in moments.
  const client = await KernelClient.start({
    args: ['--max-old-space-size=256', TEST_KERNEL, '--connection-file', '{connection_file}'],
  });
  try {
    const warm = await client.execute('%%ts\nconst ready: number = 1; ready', {}, 60000);
    assert.equal(warm.reply.content.status, 'ok');
    const cell = await client.submit(
      '%%ts\nconst hoard: number[][] = [];\nfor (;;) hoard.push(new Array(1_000_000).fill(hoard.length));',
    );
    const ended = await Promise.race([
      client.exit.then((exit) => ({ kind: 'exit' as const, exit })),
      client.reply(cell.msg_id, 120000).then((reply) => ({ kind: 'reply' as const, reply })),
    ]);
    if (ended.kind === 'reply') {
      // The kernel survived the cell: it must answer the next one.
      assert.equal(ended.reply.content.status, 'error');
    } else {
      // V8 cannot recover from an exhausted heap: the process ends abnormally, never with 0.
      assert.notDeepEqual(ended.exit, { code: 0, signal: null });
      // What Jupyter's restarter does: a new process on the same connection file.
      await client.respawn();
    }
    const next = await client.execute('result still here', {}, 20000);
    assert.equal(next.reply.content.status, 'ok');
    const value = next.iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], 'still here');
    assert.deepEqual(client.rejected, []);
  } finally {
    await client.close();
  }
});
