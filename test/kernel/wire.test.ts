import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COMM_TYPES,
  REPLY_TYPE,
  REQUEST_TYPES,
  isCommType,
  isRequestType,
  readRequestContent,
  BadRequestError,
} from '../../kernel/protocol.js';
import {
  DELIMITER,
  ReplayGuard,
  Signer,
  decodeMessage,
  encodeFrames,
  endpoint,
  parseConnectionInfo,
  ConnectionFileError,
} from '../../kernel/wire.js';

const HEADER = '{"msg_id":"m1","msg_type":"kernel_info_request"}';

function frames(signature: string, header = HEADER, identities: string[] = ['client-1']): Buffer[] {
  return [...identities, DELIMITER, signature, header, '{}', '{}', '{}'].map((f) =>
    Buffer.from(f, 'utf8'),
  );
}

test('the signature is HMAC-SHA256 over header, parent, metadata and content', () => {
  // Computed independently with Python's hmac module.
  const expected = 'd44bed8108c357c6d71e4562eda22889e9132035c8efbc7ab4727a448258541b';
  const signer = new Signer('secret');
  assert.equal(signer.sign([HEADER, '{}', '{}', '{}'].map((f) => Buffer.from(f))), expected);
  const decoded = decodeMessage(frames(expected), signer);
  assert.ok(decoded.ok);
  assert.equal(decoded.message.header.msg_id, 'm1');
  assert.equal(decoded.message.header.msg_type, 'kernel_info_request');
  assert.deepEqual(
    decoded.message.identities.map((b) => b.toString()),
    ['client-1'],
  );
  assert.equal(decoded.message.parentHeader, null);
});

test('a wrong, missing, truncated or other-key signature is rejected before parsing', () => {
  const signer = new Signer('secret');
  const good = signer.sign([HEADER, '{}', '{}', '{}'].map((f) => Buffer.from(f)));
  const otherKey = new Signer('not-the-secret').sign(
    [HEADER, '{}', '{}', '{}'].map((f) => Buffer.from(f)),
  );
  const flipped = (good[0] === 'a' ? 'b' : 'a') + good.slice(1);
  const cases: [string, string][] = [
    [flipped, 'bad-signature'],
    [otherKey, 'bad-signature'],
    [good.slice(0, 32), 'bad-signature'],
    [good.toUpperCase(), 'bad-signature'],
    ['', 'missing-signature'],
  ];
  for (const [signature, reason] of cases) {
    const decoded = decodeMessage(frames(signature), signer);
    assert.deepEqual(decoded, { ok: false, reason }, signature);
  }
  // The same signature over altered content fails too.
  const tampered = frames(good, '{"msg_id":"m1","msg_type":"execute_request"}');
  assert.deepEqual(decodeMessage(tampered, signer), { ok: false, reason: 'bad-signature' });
  // Garbage that is signed correctly is verified first, then refused as JSON.
  const notJson = ['x', '{}', '{}', '{}'];
  const signedGarbage = [DELIMITER, signer.sign(notJson.map((f) => Buffer.from(f))), ...notJson];
  assert.deepEqual(
    decodeMessage(
      signedGarbage.map((f) => Buffer.from(f)),
      signer,
    ),
    { ok: false, reason: 'bad-json' },
  );
});

test('framing: no delimiter, too few frames, headers without msg_id', () => {
  const signer = new Signer('');
  assert.deepEqual(decodeMessage([Buffer.from('x')], signer), {
    ok: false,
    reason: 'no-delimiter',
  });
  assert.deepEqual(decodeMessage([Buffer.from(DELIMITER), Buffer.from('')], signer), {
    ok: false,
    reason: 'too-few-frames',
  });
  assert.deepEqual(decodeMessage(frames('', '{"msg_type":"x"}'), signer), {
    ok: false,
    reason: 'bad-header',
  });
});

test('an empty key means no signing: an empty signature is accepted', () => {
  const signer = new Signer('');
  assert.equal(signer.enabled, false);
  assert.equal(signer.sign([Buffer.from('x')]), '');
  const decoded = decodeMessage(frames(''), signer);
  assert.ok(decoded.ok);
});

test('encode then decode round-trips identities, JSON parts and Unicode', () => {
  const signer = new Signer('k3y');
  const content = { code: 'naïve → 🙂', n: 3 };
  const encoded = encodeFrames(
    {
      identities: [Buffer.from('id-a'), Buffer.from('id-b')],
      header: JSON.stringify({ msg_id: 'x1', msg_type: 'execute_request' }),
      parentHeader: JSON.stringify({ msg_id: 'p1', msg_type: 'kernel_info_request' }),
      metadata: '{"a":1}',
      content: JSON.stringify(content),
    },
    signer,
  );
  assert.equal(encoded.length, 2 + 1 + 1 + 4);
  assert.equal(encoded[2].toString(), DELIMITER);
  assert.match(encoded[3].toString(), /^[0-9a-f]{64}$/);
  const decoded = decodeMessage(encoded, signer);
  assert.ok(decoded.ok);
  assert.deepEqual(
    decoded.message.identities.map((b) => b.toString()),
    ['id-a', 'id-b'],
  );
  assert.deepEqual(decoded.message.content, content);
  assert.equal(decoded.message.parentHeader?.msg_id, 'p1');
  assert.deepEqual(decoded.message.metadata, { a: 1 });
});

test('the replay guard drops a message seen before, by signature or by msg_id', () => {
  const signer = new Signer('secret');
  const signature = signer.sign([HEADER, '{}', '{}', '{}'].map((f) => Buffer.from(f)));
  const guard = new ReplayGuard();
  const first = decodeMessage(frames(signature), signer);
  const again = decodeMessage(frames(signature), signer);
  assert.ok(first.ok && again.ok);
  assert.equal(guard.accept(first.message), true);
  assert.equal(guard.accept(again.message), false);

  const unsigned = new Signer('');
  const a = decodeMessage(frames(''), unsigned);
  const b = decodeMessage(frames(''), unsigned);
  assert.ok(a.ok && b.ok);
  assert.equal(guard.accept(a.message), true);
  assert.equal(guard.accept(b.message), false);

  const small = new ReplayGuard(4);
  const ids = Array.from({ length: 6 }, (_, i) => {
    const decoded = decodeMessage(frames('', `{"msg_id":"id${i}","msg_type":"x"}`), unsigned);
    assert.ok(decoded.ok);
    return decoded.message;
  });
  for (const message of ids) assert.equal(small.accept(message), true);
  // Capacity 4: the two newest are still remembered after the oldest half went.
  assert.equal(small.accept(ids[5]), false);
  assert.equal(small.accept(ids[4]), false);
});

test('connection files: defaults, validation, endpoints', () => {
  const info = parseConnectionInfo({
    shell_port: 1,
    control_port: 2,
    iopub_port: 3,
    stdin_port: 4,
    hb_port: 5,
    key: 'k',
  });
  assert.equal(info.transport, 'tcp');
  assert.equal(info.ip, '127.0.0.1');
  assert.equal(info.signature_scheme, 'hmac-sha256');
  assert.equal(endpoint(info, 'iopub'), 'tcp://127.0.0.1:3');
  assert.equal(endpoint({ ...info, transport: 'ipc', ip: '/tmp/k' }, 'hb'), 'ipc:///tmp/k-5');
  assert.throws(() => parseConnectionInfo({ ...info, hb_port: 'x' }), ConnectionFileError);
  assert.throws(
    () => parseConnectionInfo({ ...info, signature_scheme: 'hmac-nothing' }),
    /unsupported signature_scheme/,
  );
  assert.throws(() => parseConnectionInfo({ ...info, transport: 'udp' }), /unknown transport/);
});

test('every request type has exactly one reply type, and comm messages are not requests', () => {
  assert.deepEqual(Object.keys(REPLY_TYPE).sort(), [...REQUEST_TYPES].sort());
  for (const type of REQUEST_TYPES) {
    assert.equal(REPLY_TYPE[type], type.replace(/_request$/, '_reply'));
    assert.equal(isRequestType(type), true);
  }
  assert.equal(REPLY_TYPE.comm_info_request, 'comm_info_reply');
  for (const type of COMM_TYPES) {
    assert.equal(isRequestType(type), false);
    assert.equal(isCommType(type), true);
  }
  assert.equal(isRequestType('execute_reply'), false);
  assert.equal(isRequestType('toString'), false);
});

test('request contents get protocol defaults and are type-checked', () => {
  assert.deepEqual(readRequestContent('execute_request', { code: 'x' }), {
    code: 'x',
    silent: false,
    store_history: true,
    user_expressions: {},
    allow_stdin: true,
    stop_on_error: true,
  });
  // silent forces store_history off.
  assert.equal(
    readRequestContent('execute_request', { code: 'x', silent: true, store_history: true })
      .store_history,
    false,
  );
  assert.throws(() => readRequestContent('execute_request', {}), BadRequestError);
  assert.throws(
    () => readRequestContent('execute_request', { code: 'x', silent: 'yes' }),
    BadRequestError,
  );
  // cursor_pos defaults to the end, in code points, and is clamped.
  assert.equal(readRequestContent('complete_request', { code: 'a🙂' }).cursor_pos, 2);
  assert.equal(
    readRequestContent('complete_request', { code: 'ab', cursor_pos: 99 }).cursor_pos,
    2,
  );
  assert.deepEqual(readRequestContent('history_request', { hist_access_type: 'tail', n: 3 }), {
    hist_access_type: 'tail',
    output: false,
    raw: true,
    n: 3,
  });
  assert.throws(
    () => readRequestContent('history_request', { hist_access_type: 'nope' }),
    BadRequestError,
  );
  assert.deepEqual(readRequestContent('shutdown_request', {}), { restart: false });
});
