/** `%%ts` cells through the kernel: results, streams, type errors, session values, completion. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KernelClient } from './client.js';
import { assertAnswered, types } from './expect.js';

describe('%%ts cells', () => {
  let client: KernelClient;

  before(async () => {
    client = await KernelClient.start();
  });

  after(async () => {
    assert.deepEqual(client.rejected, []);
    await client.close();
  });

  test('the last expression is the execute_result: 40 + 2 is 42', async () => {
    const { header, reply } = await client.execute('%%ts\nconst x: number = 40 + 2; x', {}, 60000);
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(types(outputs), ['execute_input', 'execute_result']);
    assert.deepEqual(outputs[1].content.data, { 'text/plain': '42' });
  });

  test('console.log and console.error arrive as streams, in order, before the result', async () => {
    const { header, reply } = await client.execute(
      '%%ts\nconsole.log("rows", 3);\nconsole.error("careful");\nconsole.log({ a: 1 });\n"done"',
    );
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), [
      'execute_input',
      'stream',
      'stream',
      'stream',
      'execute_result',
    ]);
    assert.deepEqual(
      outputs.slice(1, 4).map((m) => m.content),
      [
        { name: 'stdout', text: 'rows 3\n' },
        { name: 'stderr', text: 'careful\n' },
        { name: 'stdout', text: '{ a: 1 }\n' },
      ],
    );
    assert.equal(outputs[4].content.data['text/plain'], "'done'");
  });

  test('a type error is an error reply quoting the line with a caret, and nothing runs', async () => {
    const { header, reply } = await client.execute(
      '%%ts\nconsole.log("must not print");\nconst label: string = 3;',
    );
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'error']);
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'TypeScriptError');
    assert.equal(
      reply.content.evalue,
      "line 3, col 7: Type 'number' is not assignable to type 'string'.",
    );
    assert.deepEqual(reply.content.traceback, [
      "line 3, col 7: Type 'number' is not assignable to type 'string'.",
      '  const label: string = 3;',
      '        ^',
    ]);
  });

  test('a runtime error is an error with the exception name and message', async () => {
    const { reply } = await client.execute(
      '%%ts\nconst data: number[] = [];\nthrow new RangeError("no rows");',
    );
    assert.equal(reply.content.status, 'error');
    assert.equal(reply.content.ename, 'RangeError');
    assert.equal(reply.content.evalue, 'no rows');
    assert.equal(reply.content.traceback[0], 'RangeError: no rows');
    assert.match(reply.content.traceback[1], /^\s+at .*ts-cell-\d+\.js:\d+:\d+/);
    assert.equal(
      reply.content.traceback.some((line: string) => /main\.js|ts-cells\.js/.test(line)),
      false,
    );
  });

  test('variables and types persist between %%ts cells', async () => {
    await client.execute('%%ts\ninterface Point { x: number }\nlet total: Point = { x: 1 };');
    await client.execute('%%ts\ntotal = { x: total.x + 41 };');
    const { reply, iopub } = await client.execute('%%ts\ntotal.x');
    assert.equal(reply.content.status, 'ok');
    assert.equal(
      iopub.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain'],
      '42',
    );
    const wrong = await client.execute('%%ts\nconst p: Point = { y: 1 };');
    assert.equal(wrong.reply.content.ename, 'TypeScriptError');
  });

  test("the session's values are typed globals; a user variable may shadow one", async () => {
    await client.execute('set finetuned 0.91');
    const { reply, iopub } = await client.execute(
      '%%ts\nconst f1: string = state.finetuned;\nnumbers.map((n) => n * 2).join(",") + " " + f1',
    );
    assert.equal(reply.content.status, 'ok');
    const result = iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(result?.content.data['text/plain'], "'2,4,6 0.91'");
    // `numbers` is number[]: using it as a string is a type error.
    const typed = await client.execute('%%ts\nconst s: string = numbers;');
    assert.equal(typed.reply.content.ename, 'TypeScriptError');
    // A name the user declares wins over the session's.
    await client.execute('%%ts\nconst numbers = "mine";');
    const shadowed = await client.execute('%%ts\nnumbers.toUpperCase()');
    assert.equal(
      shadowed.iopub.find((m) => m.header.msg_type === 'execute_result')?.content.data[
        'text/plain'
      ],
      "'MINE'",
    );
  });

  test('top-level await', async () => {
    const { reply, iopub } = await client.execute(
      '%%ts\nconst later = await new Promise<number>((r) => setTimeout(() => r(6), 20));\nlater * 7',
    );
    assert.equal(reply.content.status, 'ok');
    assert.equal(
      iopub.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain'],
      '42',
    );
  });

  test('completion, inspection and is_complete inside a %%ts cell', async () => {
    await client.execute('%%ts\nconst thresholds = [0.1, 0.5];');
    const code = '%%ts\nthresholds.fil';
    const complete = await client.request('shell', 'complete_request', {
      code,
      cursor_pos: code.length,
    });
    assert.ok(complete.reply.content.matches.includes('filter'));
    assert.equal(complete.reply.content.cursor_start, code.length - 3);
    assert.equal(complete.reply.content.cursor_end, code.length);

    const inspect = await client.request('shell', 'inspect_request', {
      code: '%%ts\nthresholds',
      cursor_pos: 8,
      detail_level: 0,
    });
    assert.equal(inspect.reply.content.found, true);
    assert.match(inspect.reply.content.data['text/plain'], /thresholds: number\[\]/);

    const open = await client.request('shell', 'is_complete_request', { code: '%%ts\nif (x) {' });
    assert.equal(open.reply.content.status, 'incomplete');
    const closed = await client.request('shell', 'is_complete_request', {
      code: '%%ts\nif (x) {}',
    });
    assert.deepEqual(closed.reply.content, { status: 'complete' });
  });
});

describe('%%ts output after the cell returned', () => {
  let client: KernelClient;

  before(async () => {
    client = await KernelClient.start();
  });

  after(async () => {
    assert.deepEqual(client.rejected, []);
    await client.close();
  });

  test('a timer prints with the cell that started it as parent, not with the next cell', async () => {
    const first = await client.execute(
      '%%ts\nsetTimeout(() => console.log("from the timer"), 300);\n"returned"',
      {},
      60000,
    );
    assert.equal(first.reply.content.status, 'ok');
    // The next cell runs while the timer fires.
    const next = await client.execute('sleep 1000\nresult next');
    assert.equal(next.reply.content.status, 'ok');
    const late = await client.waitFor(
      (m) => m.header.msg_type === 'stream' && m.content.text === 'from the timer\n',
      5000,
    );
    assert.equal(late.parentHeader?.msg_id, first.header.msg_id);
    assert.deepEqual(late.content, { name: 'stdout', text: 'from the timer\n' });
    assert.deepEqual(types(next.iopub), ['status', 'execute_input', 'execute_result', 'status']);
  });
});

describe('%%ts cells the kernel refuses before tslab sees them', () => {
  let client: KernelClient;

  before(async () => {
    client = await KernelClient.start();
    const warm = await client.execute('%%ts\nconst before: number = 5; before', {}, 60000);
    assert.equal(warm.reply.content.status, 'ok');
  });

  after(async () => {
    assert.deepEqual(client.rejected, []);
    await client.close();
  });

  /** The next cell and a completion still work: nothing reached tslab's converter. */
  async function stillWorks() {
    const next = await client.execute('%%ts\nbefore * 2', {}, 20000);
    assert.equal(next.reply.content.status, 'ok');
    const value = next.iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], '10');
    const code = '%%ts\nconst text = "abc";\ntext.toUpp';
    const { reply } = await client.request('shell', 'complete_request', {
      code,
      cursor_pos: code.length,
    });
    assert.ok(reply.content.matches.includes('toUpperCase'), 'completion still works');
  }

  test('1,000 nested parentheses: a clear error, and later cells and completion work', async () => {
    const code = `%%ts\nconst deep = ${'('.repeat(1000)}1${')'.repeat(1000)};`;
    const { header, reply } = await client.execute(code, {}, 20000);
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'error']);
    assert.equal(reply.content.ename, 'CellRefused');
    assert.equal(reply.content.evalue, 'brackets nested more than 256 deep in a %%ts cell');
    assert.equal(
      reply.content.traceback[0],
      'error[E0326]: brackets nested more than 256 deep in a %%ts cell',
    );
    assert.equal(reply.content.traceback[1], '  --> line 2, col 270');
    await stillWorks();
  });

  test('brackets inside strings and comments do not count', async () => {
    const code = `%%ts\n// ${'('.repeat(300)}\nconst s = "${'['.repeat(300)}"; s.length`;
    const { reply, iopub } = await client.execute(code, {}, 20000);
    assert.equal(reply.content.status, 'ok');
    const value = iopub.find((m) => m.header.msg_type === 'execute_result');
    assert.equal(value?.content.data['text/plain'], '300');
  });

  test('a %%ts cell over 256 KiB: a clear error at once, and later cells work', async () => {
    const code = `%%ts\nconst big = [${'1,'.repeat(5_000_000)}];`;
    const { header, reply } = await client.execute(code, {}, 20000);
    const outputs = assertAnswered(client, header, reply, 'execute_reply');
    assert.deepEqual(types(outputs), ['execute_input', 'error']);
    assert.equal(reply.content.ename, 'CellRefused');
    assert.equal(
      reply.content.traceback[0],
      `error[E0325]: this %%ts cell has ${code.length} characters (9766 KiB); at most 262144 (256 KiB) are type-checked`,
    );
    assert.equal(reply.content.traceback[3], ' 1 | %%ts');
    await stillWorks();
  });
});
