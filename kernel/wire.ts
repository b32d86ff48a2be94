/**
 * The Jupyter wire format: the connection file, message frames, HMAC signatures and replay
 * protection. Pure functions and small classes over Buffers; the sockets live elsewhere.
 *
 * A message on the wire is
 *   [identity..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffer...]
 * where the signature is the hex HMAC of the four JSON frames, or empty when the key is empty.
 */
import { createHmac, getHashes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PROTOCOL_VERSION, type MessageHeader } from './protocol.js';
import { readFailure } from './system-errors.js';

export const DELIMITER = '<IDS|MSG>';
const DELIMITER_BYTES = Buffer.from(DELIMITER, 'utf8');

/** What a connection file says. `key` is a secret: never log it. */
export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  control_port: number;
  iopub_port: number;
  stdin_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export type Channel = 'shell' | 'control' | 'iopub' | 'stdin' | 'hb';

const PORT_KEYS = {
  shell: 'shell_port',
  control: 'control_port',
  iopub: 'iopub_port',
  stdin: 'stdin_port',
  hb: 'hb_port',
} as const satisfies Record<Channel, keyof ConnectionInfo>;

export class ConnectionFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionFileError';
  }
}

export function parseConnectionInfo(json: unknown, source = 'connection file'): ConnectionInfo {
  if (typeof json !== 'object' || json === null) {
    throw new ConnectionFileError(`${source}: not a JSON object`);
  }
  const raw = json as Record<string, unknown>;
  const transport = raw.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') {
    throw new ConnectionFileError(`${source}: unknown transport ${JSON.stringify(transport)}`);
  }
  const ip = raw.ip ?? '127.0.0.1';
  if (typeof ip !== 'string') throw new ConnectionFileError(`${source}: 'ip' must be a string`);
  const key = raw.key ?? '';
  if (typeof key !== 'string') throw new ConnectionFileError(`${source}: 'key' must be a string`);
  const scheme = raw.signature_scheme ?? 'hmac-sha256';
  if (typeof scheme !== 'string' || !signatureAlgorithm(scheme)) {
    throw new ConnectionFileError(
      `${source}: unsupported signature_scheme ${JSON.stringify(scheme)}`,
    );
  }
  const ports = {} as Record<(typeof PORT_KEYS)[Channel], number>;
  for (const name of Object.values(PORT_KEYS)) {
    const port = raw[name];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConnectionFileError(`${source}: '${name}' must be a port number`);
    }
    ports[name] = port;
  }
  return {
    transport,
    ip,
    key,
    signature_scheme: scheme,
    ...ports,
    ...(typeof raw.kernel_name === 'string' ? { kernel_name: raw.kernel_name } : {}),
  };
}

export function readConnectionFile(path: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConnectionFileError(`cannot read connection file ${path}: ${readFailure(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConnectionFileError(`connection file ${path} is not valid JSON`);
  }
  return parseConnectionInfo(json, path);
}

/** The ZeroMQ endpoint of one channel, e.g. `tcp://127.0.0.1:53794` or `ipc://kernel-ipc-2`. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[PORT_KEYS[channel]];
  return info.transport === 'tcp' ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}

/** `hmac-sha256` → `sha256`, when node knows the hash; undefined otherwise. */
function signatureAlgorithm(scheme: string): string | undefined {
  const match = /^hmac-(.+)$/.exec(scheme);
  if (!match) return undefined;
  const algorithm = match[1].toLowerCase();
  return getHashes().includes(algorithm) ? algorithm : undefined;
}

/** Signs and verifies the four JSON frames of a message. An empty key disables signing. */
export class Signer {
  readonly #key: Buffer;
  readonly #algorithm: string;

  constructor(key: string, scheme = 'hmac-sha256') {
    const algorithm = signatureAlgorithm(scheme);
    if (!algorithm) throw new ConnectionFileError(`unsupported signature scheme ${scheme}`);
    this.#key = Buffer.from(key, 'utf8');
    this.#algorithm = algorithm;
  }

  get enabled(): boolean {
    return this.#key.length > 0;
  }

  /** The hex signature of the frames; '' when signing is disabled. */
  sign(frames: readonly Buffer[]): string {
    if (!this.enabled) return '';
    const hmac = createHmac(this.#algorithm, this.#key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  /** Timing-safe check of a received signature against the frames. */
  verify(signature: Buffer, frames: readonly Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(frames), 'ascii');
    // Lengths are public (the digest size), so comparing them first leaks nothing.
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

/** A decoded, verified message. `parentHeader` is null where the wire had `{}`. */
export interface WireMessage {
  identities: Buffer[];
  header: MessageHeader;
  parentHeader: MessageHeader | null;
  metadata: Record<string, unknown>;
  content: unknown;
  buffers: Buffer[];
  /** The received signature, hex (empty when unsigned): the replay guard's key. */
  signature: string;
}

export type DecodeFailure =
  | 'no-delimiter'
  | 'too-few-frames'
  | 'missing-signature'
  | 'bad-signature'
  | 'bad-json'
  | 'bad-header';

export type DecodeResult =
  { ok: true; message: WireMessage } | { ok: false; reason: DecodeFailure };

function parseJsonFrame(frame: Buffer): unknown {
  return JSON.parse(frame.toString('utf8'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readHeader(value: unknown): MessageHeader | undefined {
  if (!isRecord(value)) return undefined;
  const { msg_id, session, username, date, msg_type, version } = value;
  if (typeof msg_id !== 'string' || typeof msg_type !== 'string' || msg_id === '') {
    return undefined;
  }
  return {
    msg_id,
    msg_type,
    session: typeof session === 'string' ? session : '',
    username: typeof username === 'string' ? username : '',
    date: typeof date === 'string' ? date : '',
    version: typeof version === 'string' ? version : '',
  };
}

/**
 * Splits, verifies and parses received frames. The signature is checked before any JSON is
 * parsed, so an unsigned or forged message is never interpreted.
 */
export function decodeMessage(frames: readonly Buffer[], signer: Signer): DecodeResult {
  const at = frames.findIndex((frame) => frame.equals(DELIMITER_BYTES));
  if (at < 0) return { ok: false, reason: 'no-delimiter' };
  if (frames.length < at + 6) return { ok: false, reason: 'too-few-frames' };
  const signature = frames[at + 1];
  const signed = frames.slice(at + 2, at + 6);
  if (signer.enabled && signature.length === 0) return { ok: false, reason: 'missing-signature' };
  if (!signer.verify(signature, signed)) return { ok: false, reason: 'bad-signature' };
  let header: unknown, parent: unknown, metadata: unknown, content: unknown;
  try {
    [header, parent, metadata, content] = signed.map(parseJsonFrame);
  } catch {
    return { ok: false, reason: 'bad-json' };
  }
  const parsedHeader = readHeader(header);
  if (!parsedHeader) return { ok: false, reason: 'bad-header' };
  return {
    ok: true,
    message: {
      identities: frames.slice(0, at).map((frame) => Buffer.from(frame)),
      header: parsedHeader,
      parentHeader: readHeader(parent) ?? null,
      metadata: isRecord(metadata) ? metadata : {},
      content,
      buffers: frames.slice(at + 6).map((frame) => Buffer.from(frame)),
      signature: signature.toString('ascii'),
    },
  };
}

/** JSON that survives values JSON.stringify would throw on (bigint). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
}

/** The parts of an outgoing message whose JSON is already serialised. */
export interface OutgoingFrames {
  identities: readonly Uint8Array[];
  header: string;
  parentHeader: string;
  metadata: string;
  content: string;
}

export function encodeFrames(message: OutgoingFrames, signer: Signer): Buffer[] {
  const signed = [message.header, message.parentHeader, message.metadata, message.content].map(
    (json) => Buffer.from(json, 'utf8'),
  );
  return [
    ...message.identities.map((identity) => Buffer.from(identity)),
    DELIMITER_BYTES,
    Buffer.from(signer.sign(signed), 'ascii'),
    ...signed,
  ];
}

export function makeHeader(msgType: string, session: string, username = 'kernel'): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/**
 * Remembers the messages already accepted so that a captured message replayed verbatim is
 * dropped. Keyed by signature when signing is on (a replay carries the same signature), by
 * msg_id otherwise. Bounded: the oldest half is forgotten when full.
 */
export class ReplayGuard {
  #seen = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = 1 << 16) {
    this.#capacity = capacity;
  }

  /** True the first time a message is seen; false for a replay. */
  accept(message: WireMessage): boolean {
    const key = message.signature !== '' ? `s:${message.signature}` : `m:${message.header.msg_id}`;
    if (this.#seen.has(key)) return false;
    if (this.#seen.size >= this.#capacity) {
      this.#seen = new Set([...this.#seen].slice(this.#capacity >> 1));
    }
    this.#seen.add(key);
    return true;
  }
}
