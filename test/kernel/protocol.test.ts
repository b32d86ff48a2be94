/** Every shell and control message type, over real ZeroMQ, against the test kernel. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KernelClient } from './client.js';
import { assertAnswered, sleep, types } from './expect.js';
import { Signer } from '../../kernel/wire.js';
import { packageVersion } from '../../kernel/kernel-info.js';

describe('the kernel over ZeroMQ', () => {
  let client: KernelClient;

  before(async () => {
    client = await KernelClient.start();
  });

  after(async () => {
    assert.deepEqual(client.rejected, [], 'everything the kernel sent was signed correctly');
    await client.close();
  });

  test('kernel_info_reply on shell and on control', async () => {
    for (const channel of ['shell', 'control'] as const) {
      const { header, reply } = await client.request(channel, 'kernel_info_request', {});
      assert.deepEqual(assertAnswered(client, header, reply, 'kernel_info_reply', channel), []);
      const info = reply.content;
      assert.equal(info.status, 'ok');
      assert.equal(info.protocol_version, '5.3');
      assert.equal(info.implementation, 'evalbook');
      assert.equal(info.implementation_version, packageVersion());
      assert.equal(info.language_info.name, 'evalbook');
      assert.equal(info.language_info.mimetype, 'text/x-evalbook');
      assert.equal(info.language_info.file_extension, '.eval');
      assert.equal(typeof info.language_info.codemirror_mode, 'string');
      assert.equal(typeof info.language_info.pygments_lexer, 'string');
      assert.ok(info.help_links.length >= 1);
      assert.match(info.banner, /Evalbook/);
    }
  });

  test('execute: execute_input, stream, execute_result, counts that increase', async () => {
    const first = await client.execute('print hello\neprint oops\nresult 42');
    const outputs = assertAnswered(client, first.header, first.reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'stream', 'stream', 'execute_result']);
    const count = first.reply.content.execution_count;
    assert.equal(first.reply.content.status, 'ok');
    assert.deepEqual(first.reply.content.user_expressions, {});
    assert.deepEqual(first.reply.content.payload, []);
    assert.deepEqual(outputs[0].content, {
      code: 'print hello\neprint oops\nresult 42',
      execution_count: count,
    });
    assert.deepEqual(outputs[1].content, { name: 'stdout', text: 'hello\n' });
    assert.deepEqual(outputs[2].content, { name: 'stderr', text: 'oops\n' });
    assert.deepEqual(outputs[3].content, {
      execution_count: count,
      data: { 'text/plain': '42' },
      metadata: {},
    });
    const second = await client.execute('result 43');
    assert.equal(second.reply.content.execution_count, count + 1);
  });

  test('silent: no broadcast, no count; store_history false: no count', async () => {
    const before = (await client.execute('result x')).reply.content.execution_count;
    const silent = await client.execute('print shh\ndisplay shh\nresult 1', { silent: true });
    assert.deepEqual(assertAnswered(client, silent.header, silent.reply, 'execute_reply'), []);
    assert.equal(silent.reply.content.status, 'ok');
    assert.equal(silent.reply.content.execution_count, before);
    const noHistory = await client.execute('result 2', { store_history: false });
    const outputs = assertAnswered(client, noHistory.header, noHistory.reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'execute_result']);
    assert.equal(noHistory.reply.content.execution_count, before);
    const after = await client.execute('result 3');
    assert.equal(after.reply.content.execution_count, before + 1);
  });

  test('display_data and update_display_data for progress', async () => {
    const { header, reply } = await client.execute('display shown\nprogress 3');
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), [
      'execute_input',
      'display_data',
      'display_data',
      'update_display_data',
      'update_display_data',
      'update_display_data',
    ]);
    assert.deepEqual(outputs[1].content, {
      data: { 'text/plain': 'shown', 'text/html': '<b>shown</b>' },
      metadata: {},
      transient: {},
    });
    assert.deepEqual(outputs[2].content.transient, { display_id: 'progress' });
    assert.deepEqual(
      outputs.slice(3).map((m) => [m.content.data['text/plain'], m.content.transient.display_id]),
      [
        ['1/3', 'progress'],
        ['2/3', 'progress'],
        ['3/3', 'progress'],
      ],
    );
  });

  test('a burst of output: every message arrives, in order, and idle comes last', async () => {
    const count = 5000;
    const { header, reply } = await client.execute(`flood ${count}`, {}, 30000);
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    const streams = outputs.filter((m) => m.header.msg_type === 'stream');
    assert.equal(streams.length, count);
    assert.deepEqual(
      streams.map((m) => m.content.text),
      Array.from({ length: count }, (_, i) => `${i}\n`),
    );
  });

  test('a failing cell: error on iopub and an error reply with ename, evalue, traceback', async () => {
    const { header, reply } = await client.execute('print before\nfail the model is worse');
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'stream', 'error']);
    const expected = {
      ename: 'TestError',
      evalue: 'the model is worse',
      traceback: ['line 2: the model is worse', '  fail the model is worse', '  ^'],
    };
    assert.deepEqual(outputs[2].content, expected);
    assert.deepEqual(reply.content, {
      status: 'error',
      execution_count: reply.content.execution_count,
      ...expected,
    });
  });

  test('an executor that throws gives an error reply, and the kernel goes on', async () => {
    const { header, reply } = await client.execute('throw kaboom');
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'error']);
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'Error');
    assert.equal(reply.content.evalue, 'kaboom');
    assert.ok(reply.content.traceback.length > 1);
    const next = await client.execute('result fine');
    assert.equal(next.reply.content.status, 'ok');
  });

  test('stop_on_error: queued execute requests are aborted; with false they run', async () => {
    // The failing cell sleeps first, so the three behind it are surely queued when it fails.
    const failing = await client.submit('sleep 200\nfail stop here');
    const queued = [
      await client.submit('incr aborted'),
      await client.submit('incr aborted'),
      await client.send('shell', 'kernel_info_request', {}),
      await client.submit('incr aborted'),
    ];
    const failReply = await client.reply(failing.msg_id);
    assert.equal(failReply.content.status, 'error');
    for (const header of queued) {
      const reply = await client.reply(header.msg_id);
      await client.idle(header.msg_id);
      if (header.msg_type === 'kernel_info_request') {
        assert.equal(reply.content.status, 'ok', 'only execute requests are aborted');
        continue;
      }
      assertAnswered(client, header, reply, 'execute_reply');
      assert.equal(reply.content.status, 'aborted');
      assert.deepEqual(types(client.iopubFor(header.msg_id)), ['status', 'status']);
    }
    const check = await client.execute('get aborted');
    const value = check.iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], '', 'no aborted cell ran');

    const failingNoStop = await client.submit('sleep 200\nfail go on', { stop_on_error: false });
    const behind = await client.submit('incr ran');
    assert.equal((await client.reply(failingNoStop.msg_id)).content.status, 'error');
    const behindReply = await client.reply(behind.msg_id);
    assert.equal(behindReply.content.status, 'ok');
    await client.idle(behind.msg_id);
    const result = client
      .iopubFor(behind.msg_id)
      .find((m) => m.header.msg_type === 'execute_result');
    assert.equal(result?.content.data['text/plain'], '1');
  });

  test('complete_request with cursor positions in code points', async () => {
    await client.execute('set thresholdName 1');
    const code = '🙂 print x\ntheshold thr';
    const { header, reply } = await client.request('shell', 'complete_request', {
      code,
      cursor_pos: [...code].length,
    });
    assert.deepEqual(assertAnswered(client, header, reply, 'complete_reply'), []);
    assert.deepEqual(reply.content, {
      status: 'ok',
      matches: ['thresholdName', 'throw'],
      cursor_start: [...code].length - 3,
      cursor_end: [...code].length,
      metadata: {},
    });
    const middle = await client.request('shell', 'complete_request', {
      code: '🙂🙂 pr',
      cursor_pos: 5,
    });
    assert.deepEqual(middle.reply.content.matches, ['print', 'progress']);
    assert.equal(middle.reply.content.cursor_start, 3);
    assert.equal(middle.reply.content.cursor_end, 5);
  });

  test('inspect_request: found with a bundle, or not found', async () => {
    const found = await client.request('shell', 'inspect_request', {
      code: '€ sleep 5',
      cursor_pos: 4,
      detail_level: 1,
    });
    assert.deepEqual(assertAnswered(client, found.header, found.reply, 'inspect_reply'), []);
    assert.deepEqual(found.reply.content, {
      status: 'ok',
      found: true,
      data: { 'text/plain': 'sleep MS: waits MS milliseconds (detail)' },
      metadata: {},
    });
    const missing = await client.request('shell', 'inspect_request', {
      code: 'zzz',
      cursor_pos: 1,
    });
    assert.deepEqual(missing.reply.content, { status: 'ok', found: false, data: {}, metadata: {} });
  });

  test('is_complete_request: an indented continuation is incomplete', async () => {
    const ask = async (code: string) => {
      const { header, reply } = await client.request('shell', 'is_complete_request', { code });
      assertAnswered(client, header, reply, 'is_complete_reply');
      return reply.content;
    };
    assert.deepEqual(await ask('compare a, b on t against y'), { status: 'complete' });
    assert.deepEqual(await ask('compare a, b on t\n    against y'), {
      status: 'incomplete',
      indent: '    ',
    });
    assert.deepEqual(await ask('???'), { status: 'invalid' });
  });

  test('comm_info_reply, and comm messages handled without a reply', async () => {
    const info = await client.request('shell', 'comm_info_request', {});
    assertAnswered(client, info.header, info.reply, 'comm_info_reply');
    assert.deepEqual(info.reply.content, { status: 'ok', comms: {} });

    const open = await client.send('shell', 'comm_open', {
      comm_id: 'c1',
      target_name: 'jupyter.widget',
      data: {},
    });
    await client.idle(open.msg_id);
    assert.deepEqual(
      client.iopubFor(open.msg_id).map((m) => [m.header.msg_type, m.content]),
      [
        ['status', { execution_state: 'busy' }],
        ['comm_close', { comm_id: 'c1', data: {} }],
        ['status', { execution_state: 'idle' }],
      ],
    );
    for (const type of ['comm_msg', 'comm_close']) {
      const header = await client.send('shell', type, { comm_id: 'c1', data: {} });
      await client.idle(header.msg_id);
      assert.deepEqual(types(client.iopubFor(header.msg_id)), ['status', 'status']);
    }
    assert.equal(client.received.filter((m) => m.header.msg_type === 'comm_msg').length, 0);
    const still = await client.execute('result alive');
    assert.equal(still.reply.content.status, 'ok');
  });

  test('history_request: tail, range and search over what ran', async () => {
    const marker = `result history-${Date.now()}`;
    const ran = await client.execute(marker);
    const line = ran.reply.content.execution_count;
    const tail = await client.request('shell', 'history_request', {
      hist_access_type: 'tail',
      n: 1,
      output: false,
      raw: true,
    });
    assertAnswered(client, tail.header, tail.reply, 'history_reply');
    assert.deepEqual(tail.reply.content, { status: 'ok', history: [[1, line, marker]] });

    const range = await client.request('shell', 'history_request', {
      hist_access_type: 'range',
      session: 0,
      start: line,
      stop: line + 1,
      output: true,
      raw: true,
    });
    const text = marker.slice('result '.length);
    assert.deepEqual(range.reply.content.history, [[1, line, [marker, text]]]);

    const search = await client.request('shell', 'history_request', {
      hist_access_type: 'search',
      pattern: 'result history-*',
      n: 10,
      unique: true,
      output: false,
      raw: true,
    });
    assert.deepEqual(search.reply.content.history, [[1, line, marker]]);
  });

  test('user_expressions each get an error: the language has no expressions', async () => {
    const { reply } = await client.execute('result 1', { user_expressions: { a: '1+1' } });
    assert.equal(reply.content.status, 'ok');
    assert.equal(reply.content.user_expressions.a.status, 'error');
    assert.equal(reply.content.user_expressions.a.ename, 'UnsupportedFeature');
  });

  test('a language cell over 1 MiB is refused before it is parsed; the next cell runs', async () => {
    const code = `result big\n${'#'.repeat(1024 * 1024)}`;
    const { header, reply } = await client.execute(code, {}, 20000);
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'error']);
    assert.equal(reply.content.ename, 'CellRefused');
    assert.deepEqual(reply.content.traceback, [
      `error[E0327]: this cell has ${code.length} characters (1024 KiB); the kernel parses at most 1048576 (1024 KiB) in one cell`,
      '  --> line 1, col 1',
      '   |',
      ' 1 | result big',
      '   | ^',
      '   = hint: split the program over several cells',
    ]);
    const next = await client.execute('result small');
    assert.equal(next.reply.content.status, 'ok');
  });

  test('a request with wrong content types gets an error reply of its own type', async () => {
    const { header, reply } = await client.request('shell', 'execute_request', { silent: true });
    assertAnswered(client, header, reply, 'execute_reply');
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'BadRequest');
    assert.match(reply.content.evalue, /'code' must be a string/);
  });

  test('unknown message types are ignored and the kernel still answers', async () => {
    const header = await client.send('shell', 'frobnicate_request', {});
    const info = await client.request('shell', 'kernel_info_request', {});
    assert.equal(info.reply.content.status, 'ok');
    assert.equal(
      client.received.some((m) => m.parentHeader?.msg_id === header.msg_id),
      false,
    );
  });

  test('output sent after a cell ended never reaches iopub', async () => {
    const { header, reply } = await client.execute('late');
    assert.equal(reply.content.status, 'ok');
    await client.execute('sleep 120');
    assert.equal(
      client.received.some((m) => m.content?.data?.['text/plain'] === 'too late'),
      false,
    );
    assert.deepEqual(types(client.iopubFor(header.msg_id)), ['status', 'execute_input', 'status']);
    assert.match(client.stderr, /dropped display_data sent after cell \d+ ended/);
  });

  test('forged, unsigned, other-key and replayed messages are dropped, never run', async () => {
    const counter = `forged${Date.now()}`;
    const content = KernelClient.executeContent(`incr ${counter}`);
    const attempts: { label: string; frames: Buffer[]; header: { msg_id: string } }[] = [];
    const otherKey = new Signer('some-other-key');
    for (const label of ['wrong', 'missing', 'other-key']) {
      const header = client.header('execute_request');
      const frames = client.frames(
        header,
        content,
        label === 'other-key' ? otherKey : client.signer,
      );
      if (label === 'wrong') frames[1] = Buffer.from('0'.repeat(64));
      if (label === 'missing') frames[1] = Buffer.alloc(0);
      attempts.push({ label, frames, header });
    }
    const stderrBefore = client.stderr.length;
    for (const attempt of attempts) await client.sendFrames('shell', attempt.frames);
    // The same on control: an interrupt or shutdown must not be forgeable either.
    const forgedShutdown = client.frames(client.header('shutdown_request'), { restart: false });
    forgedShutdown[1] = Buffer.from('f'.repeat(64));
    await client.sendFrames('control', forgedShutdown);

    // A valid message runs once; the same frames sent again are a replay.
    const genuineHeader = client.header('execute_request');
    const genuine = client.frames(genuineHeader, content);
    await client.sendFrames('shell', genuine);
    await client.reply(genuineHeader.msg_id);
    await client.sendFrames('shell', genuine);

    const check = await client.execute(`get ${counter}`);
    const value = check.iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], '1', 'only the genuine message ran');
    await sleep(100);
    for (const attempt of attempts) {
      assert.equal(
        client.received.some((m) => m.parentHeader?.msg_id === attempt.header.msg_id),
        false,
        `${attempt.label}: no reply, no status`,
      );
    }
    const log = client.stderr.slice(stderrBefore);
    assert.equal((log.match(/dropped a shell message: bad-signature/g) ?? []).length, 2);
    assert.equal((log.match(/dropped a shell message: missing-signature/g) ?? []).length, 1);
    assert.equal((log.match(/dropped a control message: bad-signature/g) ?? []).length, 1);
    assert.equal((log.match(/dropped a replayed shell message/g) ?? []).length, 1);
    // Nothing secret in the log: not the key, not any signature the kernel computed.
    assert.equal(log.includes(client.connection.key), false);
    assert.equal(/[0-9a-f]{64}/.test(log), false);
    assert.equal(client.child.exitCode, null, 'the forged shutdown did not stop the kernel');
    // Nor anything about it on iopub.
    assert.equal(
      client.received.some((m) => JSON.stringify(m.content).includes('signature')),
      false,
    );
  });
  test("a request's busy is on iopub by the time its reply is on shell, for 300 requests", async () => {
    // The kernel hands busy to ZeroMQ, and waits for that send, before it sends the reply;
    // the two sockets are read by separate loops here, so a reply may be read first. The
    // busy must then already be on its way: found on iopub without another request.
    for (let i = 0; i < 300; i++) {
      const header = await client.send('shell', 'kernel_info_request', {});
      const reply = await client.reply(header.msg_id);
      assert.equal(reply.header.msg_type, 'kernel_info_reply');
      const busy = await client.waitFor(
        (m) =>
          m.channel === 'iopub' &&
          m.header.msg_type === 'status' &&
          m.parentHeader?.msg_id === header.msg_id,
        2000,
        `the first status of request ${i}`,
      );
      assert.deepEqual(busy.content, { execution_state: 'busy' }, `request ${i}`);
      await client.idle(header.msg_id);
    }
  });
});
