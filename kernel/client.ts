/**
 * A Jupyter client over ZeroMQ, the way a front end talks to a kernel: it writes a connection
 * file on 127.0.0.1 with free ports and a random key, starts the kernel process, signs every
 * request and verifies the signature of everything the kernel sends. `executeCell` runs one
 * cell and collects its iopub outputs (by parent msg_id, until the kernel is idle again) as a
 * notebook front end would keep them; `interrupt` and `shutdown` go over the control channel.
 *
 * `evalbook run NOTEBOOK.ipynb` drives the Evalbook kernel with it; the kernel tests use it
 * (through test/kernel/client.ts) for raw protocol work as well, hence `send`, `sendFrames`,
 * `waitFor` and the `received` log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { PROTOCOL_VERSION, type MessageHeader } from './protocol.js';
import {
  Signer,
  decodeMessage,
  encodeFrames,
  endpoint,
  toJson,
  type ConnectionInfo,
} from './wire.js';

export type ClientChannel = 'shell' | 'control' | 'iopub' | 'stdin';

/**
 * A message from the kernel whose signature was verified. `Content` is what the caller takes
 * the JSON content to be: `unknown` unless it says otherwise (the JSON is not checked).
 */
export interface ReceivedMessage<Content = unknown> {
  channel: ClientChannel;
  header: MessageHeader;
  parentHeader: MessageHeader | null;
  metadata: Record<string, unknown>;
  content: Content;
  /** When the client received it (performance.now()). */
  at: number;
}

export interface KernelStartOptions {
  /** The program to run: this node unless given. */
  command?: string;
  /** The program's arguments; an argument `{connection_file}` is replaced by the file's path. */
  args: readonly string[];
  /** The HMAC key; '' for an unsigned kernel. Random unless given. */
  key?: string;
  env?: NodeJS.ProcessEnv;
  /** The kernel's working directory: the connection file's temporary directory unless given. */
  cwd?: string;
  /** The connection file's `kernel_name`. */
  kernelName?: string;
  /** How long to wait for the first kernel_info_reply with its iopub status (20 s). */
  readyTimeoutMs?: number;
}

/** How a kernel process ended. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The kernel process ended while the client was waiting for it. */
export class KernelDiedError extends Error {
  constructor(
    readonly exit: KernelExit,
    stderrTail: string,
  ) {
    const how = exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    super(`the kernel died (${how})${stderrTail === '' ? '' : `; its last words:\n${stderrTail}`}`);
    this.name = 'KernelDiedError';
  }
}

/** How often `start` tries new ports when one was taken before the kernel could bind it. */
const START_ATTEMPTS = 5;

/** Ports nobody listens on right now (the OS picks them). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no port was assigned');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** A tcp connection on 127.0.0.1 with five free ports, signed with HMAC-SHA256 by `key`. */
export async function makeConnectionInfo(
  key: string,
  kernelName = 'evalbook',
): Promise<ConnectionInfo> {
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
    kernel_name: kernelName,
  };
}

/**
 * One output of a cell as a notebook keeps it (nbformat's output types). A `display_data`
 * remembers its display id, which `update_display_data` uses; nbformat does not store it.
 */
export type CellOutput =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | {
      output_type: 'display_data';
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
      displayId?: string;
    }
  | {
      output_type: 'execute_result';
      execution_count: number | null;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

/** How a cell ended: the execute_reply's status, or that it did not finish in time. */
export type CellStatus = 'ok' | 'error' | 'aborted' | 'timeout';

export interface CellExecution {
  status: CellStatus;
  /** The `execution_count` of the reply (of `execute_input` for a cell that timed out). */
  executionCount: number | null;
  /** The outputs in the order a front end shows them, display updates applied. */
  outputs: CellOutput[];
  /** The execute_reply's content; null when the cell timed out and no reply came. */
  reply: Record<string, unknown> | null;
}

export interface ExecuteCellOptions {
  /** Interrupt the cell after this long (no limit unless given). */
  timeoutMs?: number;
  /** After an interrupt for a timeout, how long to wait for the cell to end (10 s). */
  interruptGraceMs?: number;
  /** Each iopub message of the cell as it arrives (for progress). */
  onMessage?: (message: ReceivedMessage) => void;
  /** Overrides of the execute_request's content (`silent`, `store_history`, ...). */
  content?: Record<string, unknown>;
}

interface Waiter {
  predicate: (message: ReceivedMessage) => boolean;
  resolve: (message: ReceivedMessage) => void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The content of an execute_request, with the protocol's defaults for a notebook cell. */
export function executeContent(
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

/**
 * The outputs of one cell, built from its iopub messages as a front end builds them:
 * consecutive stream text of the same stream joins into one output, `update_display_data`
 * replaces the data of the outputs with its display id, `clear_output` empties the list (at
 * once, or with `wait` when the next output arrives).
 */
export class OutputCollector {
  readonly outputs: CellOutput[] = [];
  #clearPending = false;

  /** Takes one iopub message of the cell; messages that are not outputs are ignored. */
  add(message: ReceivedMessage): void {
    const content = recordOf(message.content);
    const type = message.header.msg_type;
    if (type === 'clear_output') {
      if (content.wait === true) this.#clearPending = true;
      else this.outputs.length = 0;
      return;
    }
    if (type === 'update_display_data') {
      const id = stringOf(recordOf(content.transient).display_id);
      for (const output of this.outputs) {
        if (output.output_type === 'display_data' && output.displayId === id && id !== '') {
          output.data = recordOf(content.data);
          output.metadata = recordOf(content.metadata);
        }
      }
      return;
    }
    const output = this.#outputOf(type, content);
    if (output === undefined) return;
    if (this.#clearPending) {
      this.outputs.length = 0;
      this.#clearPending = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (
      output.output_type === 'stream' &&
      last?.output_type === 'stream' &&
      last.name === output.name
    ) {
      last.text += output.text;
      return;
    }
    this.outputs.push(output);
  }

  #outputOf(type: string, content: Record<string, unknown>): CellOutput | undefined {
    switch (type) {
      case 'stream':
        return {
          output_type: 'stream',
          name: content.name === 'stderr' ? 'stderr' : 'stdout',
          text: stringOf(content.text),
        };
      case 'display_data': {
        const id = stringOf(recordOf(content.transient).display_id);
        return {
          output_type: 'display_data',
          data: recordOf(content.data),
          metadata: recordOf(content.metadata),
          ...(id === '' ? {} : { displayId: id }),
        };
      }
      case 'execute_result':
        return {
          output_type: 'execute_result',
          execution_count:
            typeof content.execution_count === 'number' ? content.execution_count : null,
          data: recordOf(content.data),
          metadata: recordOf(content.metadata),
        };
      case 'error':
        return {
          output_type: 'error',
          ename: stringOf(content.ename),
          evalue: stringOf(content.evalue),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        };
      default:
        return undefined;
    }
  }
}

/** A connection to one kernel process that this client started. */
export class KernelClient<Content = unknown> {
  readonly connection: ConnectionInfo;
  /** The kernel process (a new one after `respawn`). */
  child: ChildProcess;
  readonly signer: Signer;
  /** The client's session id, in the header of every request. */
  readonly session = randomUUID();
  /** Every verified message received, in arrival order (see `discardReceived`). */
  readonly received: ReceivedMessage<Content>[] = [];
  /** Frames from the kernel that failed to decode or verify, with the reason. */
  readonly rejected: string[] = [];
  stderr = '';
  stdout = '';
  /** Resolves when the current kernel process ends. */
  exit: Promise<KernelExit>;
  /** When the current kernel process was spawned (performance.now()). */
  spawnedAt = 0;
  /** The content of the kernel_info_reply that found the kernel ready (its language_info...). */
  kernelInfo: Record<string, unknown> = {};
  readonly #dir: string;
  readonly #spawnKernel: () => ChildProcess;
  readonly #sockets: {
    shell: zmq.Dealer;
    control: zmq.Dealer;
    stdin: zmq.Dealer;
    iopub: zmq.Subscriber;
  };
  #waiters: Waiter[] = [];
  #listeners = new Set<(message: ReceivedMessage) => void>();
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

  /**
   * Writes a connection file, starts the kernel process on it and waits until the kernel
   * answers kernel_info on shell and its status arrives on iopub.
   */
  static async start<Content = unknown>(
    options: KernelStartOptions,
  ): Promise<KernelClient<Content>> {
    // The free ports are found by binding and releasing them, so another process may take
    // one before the kernel binds it; the kernel then dies saying so, and new ports are tried.
    for (let attempt = 1; ; attempt++) {
      try {
        return await KernelClient.#startOnce<Content>(options);
      } catch (error) {
        const portTaken =
          error instanceof KernelDiedError && error.message.includes('Address already in use');
        if (!portTaken || attempt === START_ATTEMPTS) throw error;
      }
    }
  }

  static async #startOnce<Content>(options: KernelStartOptions): Promise<KernelClient<Content>> {
    const key = options.key ?? randomBytes(16).toString('hex');
    const connection = await makeConnectionInfo(key, options.kernelName);
    const dir = mkdtempSync(join(tmpdir(), 'evalbook-kernel-'));
    const file = join(dir, 'connection.json');
    writeFileSync(file, JSON.stringify(connection), { mode: 0o600 });
    const args = options.args.map((arg) => (arg === '{connection_file}' ? file : arg));
    const spawnKernel = (): ChildProcess =>
      spawn(options.command ?? process.execPath, args, {
        cwd: options.cwd ?? dir,
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const client = new KernelClient<Content>(connection, dir, spawnKernel);
    try {
      await client.waitForReady(options.readyTimeoutMs ?? 20000);
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  #startProcess(): [ChildProcess, Promise<KernelExit>] {
    this.spawnedAt = performance.now();
    const child = this.#spawnKernel();
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    const exit = new Promise<KernelExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    return [child, exit];
  }

  /** Whether the current kernel process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * What a front end does to restart a kernel: end the process (SIGKILL unless it already
   * exited) and start a new one on the same connection file; the sockets reconnect.
   */
  async respawn(timeoutMs = 20000): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exit;
    [this.child, this.exit] = this.#startProcess();
    await this.waitForReady(timeoutMs);
  }

  async #read(channel: ClientChannel): Promise<void> {
    try {
      for await (const frames of this.#sockets[channel]) {
        const decoded = decodeMessage(frames, this.signer);
        if (!decoded.ok) {
          this.rejected.push(`${channel}: ${decoded.reason}`);
          continue;
        }
        const { header, parentHeader, metadata, content } = decoded.message;
        const message: ReceivedMessage<Content> = {
          channel,
          header,
          parentHeader,
          metadata,
          content: content as Content,
          at: performance.now(),
        };
        this.received.push(message);
        for (const listener of this.#listeners) listener(message);
        const ready = this.#waiters.filter((waiter) => waiter.predicate(message));
        if (ready.length > 0) {
          this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
          for (const waiter of ready) waiter.resolve(message);
        }
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
      username: 'evalbook',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
  }

  /** The frames of a request, signed with `signer` (the connection's key unless given). */
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

  /** The first message, already received or still to come, that satisfies `predicate`. */
  waitFor(
    predicate: (message: ReceivedMessage<Content>) => boolean,
    timeoutMs = 10000,
    what = 'a message',
  ): Promise<ReceivedMessage<Content>> {
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
        predicate: predicate as (message: ReceivedMessage) => boolean,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as ReceivedMessage<Content>);
        },
      };
      this.#waiters.push(entry);
    });
  }

  /** The reply (on shell or control) to the request `msgId`. */
  reply(msgId: string, timeoutMs = 10000): Promise<ReceivedMessage<Content>> {
    return this.waitFor(
      (m) => m.channel !== 'iopub' && m.parentHeader?.msg_id === msgId,
      timeoutMs,
      `the reply to ${msgId}`,
    );
  }

  /** The iopub `idle` status that ends the request `msgId`. */
  idle(msgId: string, timeoutMs = 10000): Promise<ReceivedMessage<Content>> {
    return this.waitFor(
      (m) =>
        m.channel === 'iopub' &&
        m.header.msg_type === 'status' &&
        recordOf(m.content).execution_state === 'idle' &&
        m.parentHeader?.msg_id === msgId,
      timeoutMs,
      `idle for ${msgId}`,
    );
  }

  /** Every iopub message whose parent is `msgId`, in arrival order. */
  iopubFor(msgId: string): ReceivedMessage<Content>[] {
    return this.received.filter((m) => m.channel === 'iopub' && m.parentHeader?.msg_id === msgId);
  }

  /** Forgets the messages received so far (a long run need not keep every output). */
  discardReceived(): void {
    this.received.length = 0;
  }

  /** Sends a request and waits for both its reply and its idle status. */
  async request(
    channel: 'shell' | 'control',
    msgType: string,
    content: unknown,
    timeoutMs = 10000,
  ): Promise<{
    header: MessageHeader;
    reply: ReceivedMessage<Content>;
    iopub: ReceivedMessage<Content>[];
  }> {
    const header = await this.send(channel, msgType, content);
    const [reply] = await Promise.all([
      this.reply(header.msg_id, timeoutMs),
      this.idle(header.msg_id, timeoutMs),
    ]);
    return { header, reply, iopub: this.iopubFor(header.msg_id) };
  }

  /** Runs `code` (an execute_request with a notebook's defaults) and waits for its end. */
  execute(code: string, options: Record<string, unknown> = {}, timeoutMs = 10000) {
    return this.request('shell', 'execute_request', executeContent(code, options), timeoutMs);
  }

  /** Sends an execute_request without waiting. */
  submit(code: string, options: Record<string, unknown> = {}): Promise<MessageHeader> {
    return this.send('shell', 'execute_request', executeContent(code, options));
  }

  /**
   * Runs one cell and collects its outputs until the kernel is idle again. With `timeoutMs`,
   * a cell still running then is interrupted (interrupt_request on control) and, once it has
   * ended, reported as 'timeout'. Rejects with KernelDiedError when the kernel process ends
   * first, and when an interrupted cell does not end within the grace period.
   */
  async executeCell(code: string, options: ExecuteCellOptions = {}): Promise<CellExecution> {
    const header = this.header('execute_request');
    const collector = new OutputCollector();
    let executionCount: number | null = null;
    let reply: Record<string, unknown> | null = null;
    let idle = false;
    let settle: () => void = () => undefined;
    const finished = new Promise<'finished'>((resolve) => {
      settle = () => resolve('finished');
    });
    // Listen before sending: a fast cell's outputs may arrive before `send` resolves.
    const take = (message: ReceivedMessage): void => {
      if (message.parentHeader?.msg_id !== header.msg_id) return;
      if (message.channel === 'shell') {
        reply = recordOf(message.content);
      } else if (message.channel === 'iopub') {
        const content = recordOf(message.content);
        if (message.header.msg_type === 'status') {
          idle ||= content.execution_state === 'idle';
        } else if (message.header.msg_type === 'execute_input') {
          if (typeof content.execution_count === 'number') executionCount = content.execution_count;
        } else {
          collector.add(message);
        }
        options.onMessage?.(message);
      }
      if (reply !== null && idle) settle();
    };
    this.#listeners.add(take);
    const died = this.exit.then((exit): never => {
      throw new KernelDiedError(exit, this.stderr.slice(-2000));
    });
    died.catch(() => undefined);
    const within = <T>(promise: Promise<T>, ms: number | undefined): Promise<T | 'late'> => {
      if (ms === undefined) return Promise.race([promise, died]);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), ms);
      });
      return Promise.race([promise, late, died]).finally(() => clearTimeout(timer));
    };
    try {
      await this.sendFrames('shell', this.frames(header, executeContent(code, options.content)));
      let status: CellStatus;
      if ((await within(finished, options.timeoutMs)) === 'late') {
        const grace = options.interruptGraceMs ?? 10000;
        // A kernel that does not answer the interrupt still gets the grace period to finish.
        await within(
          this.interrupt(grace).catch(() => 'late' as const),
          grace,
        );
        if ((await within(finished, grace)) === 'late') {
          throw new KernelDiedError(
            { code: null, signal: null },
            `the cell did not stop within ${grace} ms of an interrupt`,
          );
        }
        status = 'timeout';
      } else {
        const replied: Record<string, unknown> = reply ?? {};
        status = replied.status === 'error' || replied.status === 'aborted' ? replied.status : 'ok';
      }
      const count = (reply as Record<string, unknown> | null)?.execution_count;
      return {
        status,
        executionCount: typeof count === 'number' ? count : executionCount,
        outputs: collector.outputs,
        reply,
      };
    } finally {
      this.#listeners.delete(take);
    }
  }

  /** interrupt_request on the control channel; resolves with the reply. */
  async interrupt(timeoutMs = 10000): Promise<ReceivedMessage<Content>> {
    const header = await this.send('control', 'interrupt_request', {});
    return this.reply(header.msg_id, timeoutMs);
  }

  /**
   * shutdown_request on the control channel. Without `restart`, waits for the process to end
   * (SIGKILL after `timeoutMs`); with it, for the reply.
   */
  async shutdown(options: { restart?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const header = await this.send('control', 'shutdown_request', {
      restart: options.restart ?? false,
    });
    if (options.restart === true) {
      await this.reply(header.msg_id, timeoutMs);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const ended = await Promise.race([this.exit, late]).finally(() => clearTimeout(timer));
    if (ended === 'late' && this.alive) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
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

  /** Sends kernel_info_request until the reply and its idle status arrive. */
  async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) {
        throw new KernelDiedError(
          { code: this.child.exitCode, signal: this.child.signalCode },
          this.stderr.slice(-2000),
        );
      }
      const header = await this.send('shell', 'kernel_info_request', {});
      try {
        // iopub subscriptions take a moment: ready means the idle status got through too.
        const [reply] = await Promise.all([
          this.reply(header.msg_id, 150),
          this.idle(header.msg_id, 150),
        ]);
        this.kernelInfo = recordOf(reply.content);
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
    if (this.alive) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
