/**
 * The Evalbook kernel: `runKernel(connectionFile, executor)`.
 *
 * Design: two threads.
 * - The I/O worker (io-worker.ts) owns the ZeroMQ sockets. It verifies every incoming message
 *   (HMAC, replays), answers heartbeat and control (kernel_info, interrupt, shutdown) itself,
 *   and forwards shell messages here. Because it never runs a cell, the kernel answers those
 *   even while a cell holds the main thread in a synchronous loop.
 * - The main thread (this file) runs the shell requests one at a time, in arrival order:
 *   cells through the injected CellExecutor, `%%ts` cells through TypeScriptCells. Outputs are
 *   posted to the worker, which sends them: a cell's prints leave while it is still running.
 *
 * Interrupts: interrupt_request bumps a counter in shared memory (shared.ts) that backs every
 * cell's `ctx.cancel`, so loops that poll it stop at once, and raises SIGINT, which breaks
 * `%%ts` code out of a synchronous loop (vm `breakOnSigint`) and, through the SIGINT watchers
 * (sigint-watcher.ts), ends a cell that is awaiting. A SIGINT from outside (kill -INT, Ctrl-C)
 * is received by the watchers on their own threads even while the main thread is held, and
 * bumps the same counter: it stops the same work interrupt_request stops. The process never
 * dies of SIGINT once the watchers are armed (a few milliseconds after start). There is no
 * process SIGINT listener: libuv's signal handling would take SIGINT from the watchers.
 *
 * Shutdown, with or without restart: the worker flushes its queues, closes its sockets and
 * ends, and then the process exits, as ipykernel does. A front end restarts by starting a new process (jupyter_client waits for
 * this one to exit first), so exiting at once makes a restart take a cold start, not the
 * client's 2.5 s grace period before it kills a kernel that stays up.
 */
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type { DisplayBundle } from '../display/bundle.js';
import { EngineError, type CancelToken } from '../engine/errors.js';
import { codePointsToIndex, indexToCodePoints } from './cursor.js';
import type { CellExecutor, ExecuteOutcome, ExecutionContext } from './executor.js';
import { afterPoll } from './event-loop.js';
import { History } from './history.js';
import { kernelInfoContent } from './kernel-info.js';
import { describeError, kernelLog } from './log.js';
import { cellTooLarge, refusal } from './messages.js';
import {
  BadRequestError,
  REPLY_TYPE,
  isCommType,
  isRequestType,
  readRequestContent,
  type ErrorReplyContent,
  type ExecuteReplyContent,
  type IOPubContentMap,
  type IOPubType,
  type MessageHeader,
  type OutgoingType,
  type ReplyContentMap,
  type RequestContentMap,
  type RequestType,
} from './protocol.js';
import { MainSharedState, createSharedBuffer } from './shared.js';
import type {
  MainToWorker,
  ShellMessage,
  SigintWatcherData,
  WatcherToMain,
  WorkerToMain,
} from './threads.js';
import { INTERRUPTED, TypeScriptCells, isTypeScriptCell } from './ts-cells.js';
import { readConnectionFile, toJson, type ConnectionInfo } from './wire.js';

export interface RunningKernel {
  /** The kernel's session id (the `session` field of every header it sends). */
  readonly session: string;
}

/**
 * The executor, or its loading: a promise already under way, or a function the kernel calls
 * once the front end has its first kernel_info_reply (or when a request needs the executor,
 * or after LOAD_EXECUTOR_AFTER_MS), so that loading the language never delays that reply.
 */
export type ExecutorSource = CellExecutor | Promise<CellExecutor> | (() => Promise<CellExecutor>);

const LOAD_EXECUTOR_AFTER_MS = 1000;

/** The largest language cell the kernel parses (a program this long parses in about 2 s). */
export const CELL_MAX_CHARS = 1024 * 1024;

/** How long a shutdown waits for the I/O worker to end before the process exits anyway. */
const EXIT_FALLBACK_MS = 5000;

/** Two, so that one stays registered while the other re-arms (see sigint-watcher.ts). */
const SIGINT_WATCHERS = 2;

/**
 * Starts the kernel on the sockets a connection file names and serves until a
 * shutdown_request. Resolves once the sockets are bound; rejects if they cannot be.
 *
 * While the executor loads, the kernel answers kernel_info and runs `%%ts` cells; requests
 * that need the executor wait for it. If it fails to load, they are answered with the error.
 */
export async function runKernel(
  connectionFile: string,
  executor: ExecutorSource,
): Promise<RunningKernel> {
  const kernel = new Kernel(readConnectionFile(connectionFile), executor);
  await kernel.start();
  return { session: kernel.session };
}

/** A cell being run: how to end it early when an interrupt arrives while it awaits. */
interface RunningCell {
  readonly cancel: CancelToken;
  interrupt(): void;
}

/** A reply-producing handler for each request type, keyed by the literal type. */
type ShellHandlers = {
  [T in RequestType]: (
    request: ShellMessage,
    content: RequestContentMap[T],
  ) => Promise<ReplyContentMap[T] | ErrorReplyContent>;
};

function errorContent(error: unknown): ErrorReplyContent {
  if (error instanceof Error) {
    return {
      status: 'error',
      ename: error.name,
      evalue: error.message,
      traceback: (error.stack ?? `${error.name}: ${error.message}`).split('\n'),
    };
  }
  return { status: 'error', ename: 'Error', evalue: String(error), traceback: [String(error)] };
}

function outcomeOfThrow(error: unknown): ExecuteOutcome {
  if (error instanceof EngineError && error.code === 'interrupted') return INTERRUPTED;
  const { ename, evalue, traceback } = errorContent(error);
  return { status: 'error', ename, evalue, traceback };
}

class Kernel {
  readonly session = randomUUID();
  readonly #connection: ConnectionInfo;
  readonly #executorSource: ExecutorSource;
  #executorPromise: Promise<CellExecutor> | undefined;
  readonly #sharedBuffer = createSharedBuffer();
  readonly #shared = new MainSharedState(this.#sharedBuffer);
  readonly #history = new History();
  readonly #ts = new TypeScriptCells(() => this.#shared.sigintConsumedByScript());
  #worker: Worker | undefined;
  #executionCount = 0;
  /** Shell messages waiting their turn, and the loop's wake-up when the queue was empty. */
  readonly #queue: ShellMessage[] = [];
  #wake: (() => void) | undefined;
  /** Execute requests numbered up to this are aborted (stop_on_error after a failure). */
  #abortUpTo = 0;
  #running: RunningCell | undefined;
  #exiting = false;
  /** The worker has closed its sockets: its end is the process's end. */
  #workerClosed = false;

  constructor(connection: ConnectionInfo, executor: ExecutorSource) {
    this.#connection = connection;
    this.#executorSource = executor;
    if (typeof executor !== 'function') void this.#executor();
  }

  start(): Promise<void> {
    for (let i = 0; i < SIGINT_WATCHERS; i++) this.#startSigintWatcher();
    process.on('uncaughtException', (error) => kernelLog(`uncaught: ${describeError(error)}`));
    process.on('unhandledRejection', (error) => kernelLog(`unhandled: ${describeError(error)}`));
    const worker = new Worker(new URL('./io-worker.js', import.meta.url), {
      workerData: {
        connection: this.#connection,
        shared: this.#sharedBuffer,
        session: this.session,
      },
    });
    this.#worker = worker;
    worker.on('exit', (code) => {
      // The process ends only after the worker, which owns every ZeroMQ socket, has ended.
      if (this.#workerClosed) process.exit(0);
      if (this.#exiting) return;
      kernelLog(`the I/O worker stopped (exit code ${code}); the kernel exits`);
      process.exit(1);
    });
    worker.on('error', (error) => kernelLog(`I/O worker error: ${describeError(error)}`));
    void this.#serveShell();
    // Load a deferred executor soon even if no front end asks for kernel_info.
    setTimeout(() => void this.#executor(), LOAD_EXECUTOR_AFTER_MS).unref();
    return new Promise((resolve, reject) => {
      worker.on('message', (message: WorkerToMain) => {
        switch (message.kind) {
          case 'ready':
            resolve();
            break;
          case 'fatal':
            kernelLog(message.message);
            this.#exiting = true;
            void worker.terminate();
            reject(new Error(message.message));
            break;
          case 'shell':
            this.#enqueue(message.message);
            break;
          case 'shutdown':
            this.#onShutdown();
            break;
          case 'closed':
            this.#workerClosed = true;
            this.#post({ kind: 'end' });
        }
      });
    });
  }

  /** The executor, loading it on first use. */
  #executor(): Promise<CellExecutor> {
    if (!this.#executorPromise) {
      const source = this.#executorSource;
      const promise = typeof source === 'function' ? source() : Promise.resolve(source);
      this.#executorPromise = promise;
      promise.catch((error: unknown) =>
        kernelLog(`the cell executor failed to load: ${describeError(error)}`),
      );
    }
    return this.#executorPromise;
  }

  // ---------------------------------------------------------------- interrupts, lifecycle

  #startSigintWatcher(): void {
    const data: SigintWatcherData = { shared: this.#sharedBuffer };
    const watcher = new Worker(new URL('./sigint-watcher.js', import.meta.url), {
      workerData: data,
    });
    // The watchers never keep the process alive: they sleep until a SIGINT or the exit.
    watcher.unref();
    watcher.on('message', (message: WatcherToMain) => {
      if (message.kind === 'sigint') this.#onSigint();
    });
    watcher.on('error', (error) => kernelLog(`SIGINT watcher failed: ${describeError(error)}`));
  }

  /** A SIGINT was received (and counted) by a watcher: end a cell that is awaiting. */
  #onSigint(): void {
    const cell = this.#running;
    if (cell?.cancel.cancelled) cell.interrupt();
  }

  #onShutdown(): void {
    // Requests still queued are dropped, as the process is about to end: no cell starts now.
    const dropped = this.#queue.splice(0).length;
    if (dropped > 0) kernelLog(`shutdown: dropped ${dropped} queued shell requests`);
    this.#exit();
  }

  #exit(): void {
    if (this.#exiting) return;
    this.#exiting = true;
    // The worker flushes what is queued, closes the sockets and answers 'closed'.
    this.#post({ kind: 'close' });
    // A last resort if the worker never ends; normally the process exits on its 'exit' event.
    setTimeout(() => {
      kernelLog('the I/O worker did not end after the shutdown; the kernel exits');
      process.exit(0);
    }, EXIT_FALLBACK_MS).unref();
  }

  // ---------------------------------------------------------------- sending

  #post(message: MainToWorker): void {
    this.#worker?.postMessage(message);
  }

  #send(
    channel: 'shell' | 'iopub',
    identities: Uint8Array[],
    msgType: OutgoingType,
    parent: MessageHeader | null,
    content: unknown,
  ): void {
    this.#post({
      kind: 'send',
      channel,
      identities,
      msgType,
      parentHeader: parent ? toJson(parent) : '{}',
      metadata: '{}',
      content: toJson(content),
    });
  }

  #publish<T extends IOPubType>(
    msgType: T,
    parent: MessageHeader | null,
    content: IOPubContentMap[T],
  ): void {
    this.#send('iopub', [], msgType, parent, content);
  }

  #reply<T extends RequestType>(
    request: ShellMessage,
    type: T,
    content: ReplyContentMap[T] | ErrorReplyContent,
  ): void {
    this.#send('shell', request.identities, REPLY_TYPE[type], request.header, content);
  }

  // ---------------------------------------------------------------- the shell queue

  #enqueue(message: ShellMessage): void {
    if (this.#exiting) return;
    // The worker's 'shutdown' may still be behind thousands of messages: act on it now.
    if (this.#shared.shuttingDown) {
      this.#onShutdown();
      return;
    }
    this.#queue.push(message);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #serveShell(): Promise<void> {
    for (;;) {
      if (this.#shared.shuttingDown) {
        this.#onShutdown();
        return;
      }
      const message = this.#queue.shift();
      if (!message) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      this.#shared.shellTaken();
      try {
        await this.#dispatch(message);
      } catch (error) {
        kernelLog(`shell ${message.header.msg_type} failed: ${describeError(error)}`);
      }
      // Let a SIGINT raised for the cell that just ended be handled before the next begins.
      await afterPoll();
    }
  }

  async #dispatch(message: ShellMessage): Promise<void> {
    const type = message.header.msg_type;
    const parent = message.header;
    if (isCommType(type)) {
      this.#publish('status', parent, { execution_state: 'busy' });
      this.#onComm(message);
      this.#publish('status', parent, { execution_state: 'idle' });
      return;
    }
    if (!isRequestType(type)) {
      kernelLog(`ignored a shell message of unknown type ${JSON.stringify(type)}`);
      return;
    }
    this.#publish('status', parent, { execution_state: 'busy' });
    try {
      if (type === 'execute_request' && message.seq <= this.#abortUpTo) {
        this.#reply(message, type, { status: 'aborted', execution_count: this.#executionCount });
        return;
      }
      this.#reply(message, type, await this.#handle(type, message));
      // The front end has its first reply: now is the time to load a deferred executor.
      if (type === 'kernel_info_request') setImmediate(() => void this.#executor());
    } finally {
      this.#publish('status', parent, { execution_state: 'idle' });
    }
  }

  async #handle<T extends RequestType>(
    type: T,
    message: ShellMessage,
  ): Promise<ReplyContentMap[T] | ErrorReplyContent> {
    let content: RequestContentMap[T];
    try {
      content = readRequestContent(type, message.content);
    } catch (error) {
      if (error instanceof BadRequestError) return errorContent(error);
      throw error;
    }
    try {
      return await this.#handlers[type](message, content);
    } catch (error) {
      kernelLog(`${type} failed: ${describeError(error)}`);
      return errorContent(error);
    }
  }

  /** Comms are not used by Evalbook: an opened comm is closed again, the rest is ignored. */
  #onComm(message: ShellMessage): void {
    if (message.header.msg_type !== 'comm_open') return;
    const content = message.content as { comm_id?: unknown };
    if (typeof content?.comm_id === 'string') {
      this.#publish('comm_close', message.header, { comm_id: content.comm_id, data: {} });
    }
  }

  readonly #handlers: ShellHandlers = {
    execute_request: (request, content) => this.#execute(request, content),
    complete_request: async (_request, { code, cursor_pos }) => {
      const at = codePointsToIndex(code, cursor_pos);
      const result = isTypeScriptCell(code)
        ? this.#ts.complete(code, at)
        : (await this.#executor()).complete(code, at);
      return {
        status: 'ok',
        matches: result.matches,
        cursor_start: indexToCodePoints(code, result.cursorStart),
        cursor_end: indexToCodePoints(code, result.cursorEnd),
        metadata: result.metadata ?? {},
      };
    },
    inspect_request: async (_request, { code, cursor_pos, detail_level }) => {
      const at = codePointsToIndex(code, cursor_pos);
      const result = isTypeScriptCell(code)
        ? this.#ts.inspect(code, at)
        : (await this.#executor()).inspect(code, at, detail_level);
      return { status: 'ok', found: result.found, data: result.data, metadata: {} };
    },
    is_complete_request: async (_request, { code }) => {
      const result = isTypeScriptCell(code)
        ? this.#ts.isComplete(code)
        : (await this.#executor()).isComplete(code);
      return result.status === 'incomplete'
        ? { status: 'incomplete', indent: result.indent ?? '' }
        : { status: result.status };
    },
    kernel_info_request: async () => kernelInfoContent(),
    comm_info_request: async () => ({ status: 'ok', comms: {} }),
    history_request: async (_request, content) => ({
      status: 'ok',
      history: this.#history.query(content),
    }),
    shutdown_request: async (request, { restart }) => {
      // Acted on once this reply and its idle status are queued ahead of the exit.
      setImmediate(() => this.#onShutdown());
      return { status: 'ok', restart };
    },
    interrupt_request: async () => {
      // On shell nothing can be running (requests run one at a time): nothing to stop.
      return { status: 'ok' };
    },
  };

  // ---------------------------------------------------------------- execution

  async #execute(
    request: ShellMessage,
    content: RequestContentMap['execute_request'],
  ): Promise<ExecuteReplyContent> {
    const { code, silent, store_history } = content;
    const parent = request.header;
    // Before anything is published: a client may interrupt as soon as it sees execute_input.
    const cancel = this.#shared.cancelToken();
    if (store_history) this.#executionCount++;
    const count = this.#executionCount;
    if (!silent) this.#publish('execute_input', parent, { code, execution_count: count });
    if (store_history) this.#history.record(count, code);

    const outcome = await this.#runCell(code, count, silent, parent, cancel);
    if (outcome.status === 'ok') {
      if (outcome.result && !silent) {
        const { data, metadata } = outcome.result;
        this.#publish('execute_result', parent, { execution_count: count, data, metadata });
        const text = data['text/plain'];
        if (store_history && typeof text === 'string') this.#history.setOutput(count, text);
      }
      return {
        status: 'ok',
        execution_count: count,
        user_expressions: await this.#userExpressions(content.user_expressions),
        payload: [],
      };
    }
    const { ename, evalue, traceback } = outcome;
    if (!silent) this.#publish('error', parent, { ename, evalue, traceback });
    // Everything that arrived while this cell ran is already queued behind it: abort it.
    if (content.stop_on_error) this.#abortUpTo = this.#shared.shellReceived();
    return { status: 'error', execution_count: count, ename, evalue, traceback };
  }

  /** Each expression evaluated by the executor, as ipykernel answers them. */
  async #userExpressions(expressions: Record<string, string>): Promise<Record<string, unknown>> {
    if (Object.keys(expressions).length === 0) return {};
    const executor = await this.#executor().catch(() => undefined);
    if (!executor?.evaluateExpression) return unsupportedExpressions(expressions);
    const results: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      try {
        results[name] = executor.evaluateExpression(expression);
      } catch (error) {
        results[name] = errorContent(error);
      }
    }
    return results;
  }

  async #runCell(
    code: string,
    executionCount: number,
    silent: boolean,
    parent: MessageHeader,
    cancel: CancelToken,
  ): Promise<ExecuteOutcome> {
    let open = true;
    let lateOutputs = 0;
    // What a `%%ts` cell prints after it returned (a timer, a promise) is its own output, sent
    // with its parent as ipykernel does; a language cell's late calls are a bug and dropped.
    const keepsLateOutput = isTypeScriptCell(code);
    /** Output is accepted while the cell runs; silent cells publish none. */
    const emit = <T extends IOPubType>(type: T, content: IOPubContentMap[T]) => {
      if (!open && !keepsLateOutput) {
        if (lateOutputs++ === 0)
          kernelLog(`dropped ${type} sent after cell ${executionCount} ended`);
        return;
      }
      if (!silent) this.#publish(type, parent, content);
    };
    const ctx: ExecutionContext = {
      executionCount,
      cancel,
      display(bundle: DisplayBundle, options?: { displayId?: string }) {
        const transient = options?.displayId !== undefined ? { display_id: options.displayId } : {};
        emit('display_data', { data: bundle.data, metadata: bundle.metadata, transient });
      },
      updateDisplay(bundle: DisplayBundle, displayId: string) {
        emit('update_display_data', {
          data: bundle.data,
          metadata: bundle.metadata,
          transient: { display_id: displayId },
        });
      },
      stream(name: 'stdout' | 'stderr', text: string) {
        if (text !== '') emit('stream', { name, text });
      },
    };

    let interrupt!: () => void;
    const interrupted = new Promise<ExecuteOutcome>((resolve) => {
      interrupt = () => resolve(INTERRUPTED);
    });
    this.#running = { cancel, interrupt };
    try {
      const work = (async () => {
        if (!isTypeScriptCell(code)) {
          // Parsing holds the main thread, out of reach of interrupts: bound what it is given.
          if (code.length > CELL_MAX_CHARS)
            return refusal(cellTooLarge(code, CELL_MAX_CHARS), code);
          return (await this.#executor()).execute(code, ctx);
        }
        // A %%ts cell runs even when the language failed to load, without its values.
        const executor = await this.#executor().catch(() => undefined);
        const values = (await executor?.tsGlobals?.()) ?? {};
        return this.#ts.execute(code, ctx, values);
      })().catch(outcomeOfThrow);
      return await Promise.race([work, interrupted]);
    } finally {
      open = false;
      this.#running = undefined;
    }
  }
}

/** An executor that cannot evaluate expressions: each gets an error. */
function unsupportedExpressions(expressions: Record<string, string>): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const name of Object.keys(expressions)) {
    results[name] = {
      status: 'error',
      ename: 'UnsupportedFeature',
      evalue: 'user_expressions are not evaluated by the Evalbook kernel',
      traceback: [],
    };
  }
  return results;
}
