/**
 * The project's own Jupyter client for tests and benchmarks: it writes a connection file on
 * 127.0.0.1 with free ports, starts a kernel process, and talks to it over real ZeroMQ
 * sockets, verifying the signature of everything the kernel sends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { PROTOCOL_VERSION, type MessageHeader } from '../../kernel/protocol.js';
import {
  Signer,
  decodeMessage,
  encodeFrames,
  endpoint,
  toJson,
  type ConnectionInfo,
} from '../../kernel/wire.js';
import { repoRoot, type Json } from '../helpers/golden.js';

export const TEST_KERNEL = join(repoRoot, 'dist', 'test', 'kernel', 'fixtures', 'test-kernel.js');
export const EVALBOOK_BIN = join(repoRoot, 'dist', 'bin', 'evalbook.js');

export type ClientChannel = 'shell' | 'control' | 'iopub' | 'stdin';

export interface ReceivedMessage {
  channel: ClientChannel;
  header: MessageHeader;
  parentHeader: MessageHeader | null;
  content: Json;
  /** When the client received it (performance.now()). */
  at: number;
}

export interface StartOptions {
  /** The program to run: this node by default (a kernel in another language for comparison). */
  command?: string;
  /** The kernel's arguments; `{connection_file}` is replaced. The test kernel by default. */
  args?: string[];
  /** The HMAC key; '' for an unsigned kernel. Random by default. */
  key?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long to wait for the first kernel_info_reply with its iopub status. */
  readyTimeoutMs?: number;
}

/** Ports nobody listens on right now (the OS picks them). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function makeConnectionInfo(key: string): Promise<ConnectionInfo> {
  const [shell, control, iopub, stdin, hb] = await freePorts(5);
  return {
    transport: 'tcp',
    ip: '127.0.0.1',
    shell_port: shell,
    control_port: control,
    iopub_port: iopub,
    stdin_port: stdin,
    hb_port: hb,
    key,
    signature_scheme: 'hmac-sha256',
    kernel_name: 'evalbook-test',
  };
}

interface Waiter {
  predicate: (message: ReceivedMessage) => boolean;
  resolve: (message: ReceivedMessage) => void;
}

export class KernelClient {
  readonly connection: ConnectionInfo;
  child: ChildProcess;
  readonly signer: Signer;
  readonly session = randomUUID();
  readonly received: ReceivedMessage[] = [];
  /** Frames from the kernel that failed to decode or verify (should stay empty). */
  readonly rejected: string[] = [];
  stderr = '';
  stdout = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** When the current kernel process was spawned (performance.now()). */
  spawnedAt = 0;
  readonly #dir: string;
  readonly #spawnKernel: () => ChildProcess;
  readonly #sockets: {
    shell: zmq.Dealer;
    control: zmq.Dealer;
    stdin: zmq.Dealer;
    iopub: zmq.Subscriber;
  };
  #waiters: Waiter[] = [];
  #closed = false;

  private constructor(connection: ConnectionInfo, dir: string, spawnKernel: () => ChildProcess) {
    this.connection = connection;
    this.#dir = dir;
    this.#spawnKernel = spawnKernel;
    this.signer = new Signer(connection.key, connection.signature_scheme);
    [this.child, this.exit] = this.#startProcess();
    const routingId = `client-${randomBytes(4).toString('hex')}`;
    this.#sockets = {
      // Retry connecting every 10 ms (ZeroMQ's default is 100) while the kernel starts up.
      shell: new zmq.Dealer({ routingId, linger: 0, reconnectInterval: 10 }),
      control: new zmq.Dealer({ routingId, linger: 0, reconnectInterval: 10 }),
      stdin: new zmq.Dealer({ routingId, linger: 0, reconnectInterval: 10 }),
      iopub: new zmq.Subscriber({ linger: 0, reconnectInterval: 10 }),
    };
    for (const channel of ['shell', 'control', 'stdin', 'iopub'] as const) {
      this.#sockets[channel].connect(endpoint(connection, channel));
      void this.#read(channel);
    }
    this.#sockets.iopub.subscribe();
  }

  #startProcess(): [ChildProcess, Promise<{ code: number | null; signal: NodeJS.Signals | null }>] {
    this.spawnedAt = performance.now();
    const child = this.#spawnKernel();
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    return [child, exit];
  }

  /**
   * What a front end does to restart a kernel: end the process (SIGKILL unless it already
   * exited) and start a new one on the same connection file; the sockets reconnect.
   */
  async respawn(timeoutMs = 20000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.exit;
    [this.child, this.exit] = this.#startProcess();
    await this.waitForReady(timeoutMs);
  }

  /** Starts a kernel process (the test kernel unless `args` says otherwise) and waits for it. */
  static async start(options: StartOptions = {}): Promise<KernelClient> {
    const key = options.key ?? randomBytes(16).toString('hex');
    const connection = await makeConnectionInfo(key);
    const dir = mkdtempSync(join(tmpdir(), 'evalbook-kernel-'));
    const file = join(dir, 'connection.json');
    writeFileSync(file, JSON.stringify(connection));
    const args = (options.args ?? [TEST_KERNEL, '--connection-file', '{connection_file}']).map(
      (arg) => (arg === '{connection_file}' ? file : arg),
    );
    const spawnKernel = () =>
      spawn(options.command ?? process.execPath, args, {
        cwd: options.cwd ?? dir,
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const client = new KernelClient(connection, dir, spawnKernel);
    try {
      await client.waitForReady(options.readyTimeoutMs ?? 20000);
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  async #read(channel: ClientChannel): Promise<void> {
    try {
      for await (const frames of this.#sockets[channel]) {
        const decoded = decodeMessage(frames, this.signer);
        if (!decoded.ok) {
          this.rejected.push(`${channel}: ${decoded.reason}`);
          continue;
        }
        const { header, parentHeader, content } = decoded.message;
        const message: ReceivedMessage = {
          channel,
          header,
          parentHeader,
          content: content as Json,
          at: performance.now(),
        };
        this.received.push(message);
        const ready = this.#waiters.filter((waiter) => waiter.predicate(message));
        this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
        for (const waiter of ready) waiter.resolve(message);
      }
    } catch (error) {
      if (!this.#closed) throw error;
    }
  }

  /** The header a request will carry. */
  header(msgType: string): MessageHeader {
    return {
      msg_id: randomUUID(),
      session: this.session,
      username: 'test',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
  }

  /** The frames of a request, signed with `signer` (the connection's key by default). */
  frames(header: MessageHeader, content: unknown, signer: Signer = this.signer): Buffer[] {
    return encodeFrames(
      {
        identities: [],
        header: toJson(header),
        parentHeader: '{}',
        metadata: '{}',
        content: toJson(content),
      },
      signer,
    );
  }

  async sendFrames(channel: 'shell' | 'control' | 'stdin', frames: Buffer[]): Promise<void> {
    await this.#sockets[channel].send(frames);
  }

  /** Sends a request; returns its header (its msg_id identifies the reply and outputs). */
  async send(
    channel: 'shell' | 'control' | 'stdin',
    msgType: string,
    content: unknown,
  ): Promise<MessageHeader> {
    const header = this.header(msgType);
    await this.sendFrames(channel, this.frames(header, content));
    return header;
  }

  /** The first message, received or still to come, that satisfies `predicate`. */
  waitFor(
    predicate: (message: ReceivedMessage) => boolean,
    timeoutMs = 10000,
    what = 'a message',
  ): Promise<ReceivedMessage> {
    const already = this.received.find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry);
        const recent = this.received
          .slice(-8)
          .map(
            (m) => `${m.channel} ${m.header.msg_type} ${JSON.stringify(m.content).slice(0, 80)}`,
          );
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; last received:\n` +
              `${recent.join('\n')}\nkernel stderr:\n${this.stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      const entry: Waiter = {
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      this.#waiters.push(entry);
    });
  }

  reply(msgId: string, timeoutMs = 10000): Promise<ReceivedMessage> {
    return this.waitFor(
      (m) => m.channel !== 'iopub' && m.parentHeader?.msg_id === msgId,
      timeoutMs,
      `the reply to ${msgId}`,
    );
  }

  idle(msgId: string, timeoutMs = 10000): Promise<ReceivedMessage> {
    return this.waitFor(
      (m) =>
        m.channel === 'iopub' &&
        m.header.msg_type === 'status' &&
        m.content.execution_state === 'idle' &&
        m.parentHeader?.msg_id === msgId,
      timeoutMs,
      `idle for ${msgId}`,
    );
  }

  /** Every iopub message whose parent is `msgId`, in arrival order. */
  iopubFor(msgId: string): ReceivedMessage[] {
    return this.received.filter((m) => m.channel === 'iopub' && m.parentHeader?.msg_id === msgId);
  }

  /** Sends a request and waits for both its reply and its idle status. */
  async request(
    channel: 'shell' | 'control',
    msgType: string,
    content: unknown,
    timeoutMs = 10000,
  ): Promise<{ header: MessageHeader; reply: ReceivedMessage; iopub: ReceivedMessage[] }> {
    const header = await this.send(channel, msgType, content);
    const [reply] = await Promise.all([
      this.reply(header.msg_id, timeoutMs),
      this.idle(header.msg_id, timeoutMs),
    ]);
    return { header, reply, iopub: this.iopubFor(header.msg_id) };
  }

  static executeContent(
    code: string,
    options: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
      ...options,
    };
  }

  execute(code: string, options: Record<string, unknown> = {}, timeoutMs = 10000) {
    return this.request(
      'shell',
      'execute_request',
      KernelClient.executeContent(code, options),
      timeoutMs,
    );
  }

  /** Sends a request without waiting. */
  submit(code: string, options: Record<string, unknown> = {}): Promise<MessageHeader> {
    return this.send('shell', 'execute_request', KernelClient.executeContent(code, options));
  }

  /** Round trip of one heartbeat ping, in ms; rejects when the kernel does not echo in time. */
  async ping(timeoutMs = 1000): Promise<number> {
    const socket = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs });
    socket.connect(endpoint(this.connection, 'hb'));
    try {
      const payload = randomBytes(8);
      const started = performance.now();
      await socket.send(payload);
      const [echo] = await socket.receive();
      if (!echo.equals(payload)) throw new Error('heartbeat echoed something else');
      return performance.now() - started;
    } finally {
      socket.close();
    }
  }

  async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`kernel exited with ${this.child.exitCode}: ${this.stderr}`);
      }
      const header = await this.send('shell', 'kernel_info_request', {});
      try {
        // iopub subscriptions take a moment: ready means the idle status got through too.
        await Promise.all([this.reply(header.msg_id, 150), this.idle(header.msg_id, 150)]);
        return;
      } catch {
        // not yet
      }
    }
    throw new Error(`kernel not ready after ${timeoutMs} ms; stderr: ${this.stderr}`);
  }

  /** Closes the sockets, kills the kernel if it still runs, removes the connection file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const socket of Object.values(this.#sockets)) socket.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
