/**
 * The I/O worker thread: owns every ZeroMQ socket. It verifies incoming messages, answers the
 * heartbeat and the control channel itself (so both work while the main thread is blocked in a
 * cell), forwards shell messages to the main thread, and sends what the main thread hands it,
 * through one queue per socket.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { kernelInfoContent } from './kernel-info.js';
import { describeError, kernelLog } from './log.js';
import {
  REPLY_TYPE,
  isRequestType,
  readRequestContent,
  type ErrorReplyContent,
  type IOPubContentMap,
  type IOPubType,
  type MessageHeader,
  type OutgoingType,
  type ReplyContentMap,
  type RequestType,
} from './protocol.js';
import { SendQueue } from './send-queue.js';
import { SHELL_BACKLOG_LIMIT, WorkerSharedState } from './shared.js';
import type { IoWorkerData, MainToWorker, WorkerToMain } from './threads.js';
import {
  ReplayGuard,
  Signer,
  decodeMessage,
  encodeFrames,
  endpoint,
  makeHeader,
  toJson,
  type Channel,
  type WireMessage,
} from './wire.js';

/** How long a shutdown may take before the worker ends the process itself. */
const SHUTDOWN_GRACE_MS = 3000;

/** Set once shutdown_request arrived on control; cleared when the main thread ends the worker. */
let shutdownGrace: NodeJS.Timeout | undefined;

if (!parentPort) throw new Error('io-worker.js must run as a worker thread');
const port = parentPort;
const data = workerData as IoWorkerData;
const signer = new Signer(data.connection.key, data.connection.signature_scheme);
const replays = new ReplayGuard();
const shared = new WorkerSharedState(data.shared);

function post(message: WorkerToMain): void {
  port.postMessage(message);
}

/**
 * The worker's own context, not zeromq's global one: the global context is shared with the
 * main thread and torn down at its exit, while this thread's sockets could still be in use
 * (the process then aborted with a native error). This one lives and ends with this thread.
 */
const context = new zmq.Context({ blocky: false });

const sockets = {
  // ZeroMQ's default receive high-water mark: while the worker does not read (the backlog is
  // at SHELL_BACKLOG_LIMIT), incoming requests wait in the client's queues, not here.
  shell: new zmq.Router({ context, sendHighWaterMark: 0, linger: 1000 }),
  control: new zmq.Router({
    context,
    sendHighWaterMark: 0,
    receiveHighWaterMark: 0,
    linger: 1000,
  }),
  stdin: new zmq.Router({ context, linger: 0 }),
  // No high-water mark: a burst of output must never make ZeroMQ drop a status message.
  iopub: new zmq.Publisher({ context, sendHighWaterMark: 0, linger: 1000 }),
  hb: new zmq.Reply({ context, linger: 0 }),
};

function sendFailed(channel: Channel) {
  return (error: unknown) => kernelLog(`send on ${channel} failed: ${describeError(error)}`);
}

/**
 * Shell, control and iopub share one queue: a message is handed to ZeroMQ only after every
 * message queued before it, so a request's `busy` leaves before its reply (with a queue per
 * socket, a reply on an idle shell socket overtook a busy queued behind outputs on iopub).
 * Control's messages are urgent: they pass a backlog of outputs, in their own order.
 */
const ordered = new SendQueue(sockets.iopub, sendFailed('iopub'));
const heartbeats = new SendQueue(sockets.hb, sendFailed('hb'));

/** Hands frames to one socket's ZeroMQ send, reporting failures under its channel's name. */
function sinkOf(channel: 'shell' | 'control' | 'iopub') {
  const socket = sockets[channel];
  const failed = sendFailed(channel);
  return {
    async send(frames: Buffer[]): Promise<void> {
      try {
        await socket.send(frames);
      } catch (error) {
        failed(error);
      }
    },
  };
}

const sinks = { shell: sinkOf('shell'), control: sinkOf('control'), iopub: sinkOf('iopub') };

function sendMessage(
  channel: 'shell' | 'control' | 'iopub',
  identities: readonly Uint8Array[],
  msgType: OutgoingType,
  parent: MessageHeader | null,
  content: unknown,
): Promise<void> {
  const frames = encodeFrames(
    {
      identities,
      header: toJson(makeHeader(msgType, data.session)),
      parentHeader: parent ? toJson(parent) : '{}',
      metadata: '{}',
      content: toJson(content),
    },
    signer,
  );
  // Only the worker's own messages come here (control's busy, reply and idle): urgent.
  return ordered.send(frames, sinks[channel], { urgent: true });
}

/** iopub messages are prefixed with a topic; clients subscribe to everything. */
function iopubTopic(msgType: IOPubType): Buffer {
  return Buffer.from(`kernel.${data.session}.${msgType}`, 'utf8');
}

function publish<T extends IOPubType>(
  msgType: T,
  parent: MessageHeader | null,
  content: IOPubContentMap[T],
): Promise<void> {
  return sendMessage('iopub', [iopubTopic(msgType)], msgType, parent, content);
}

function reply<T extends RequestType>(
  request: WireMessage,
  type: T,
  content: ReplyContentMap[T] | ErrorReplyContent,
): Promise<void> {
  return sendMessage('control', request.identities, REPLY_TYPE[type], request.header, content);
}

async function handleControl(request: WireMessage): Promise<void> {
  const type = request.header.msg_type;
  if (!isRequestType(type)) {
    kernelLog(`ignored a control message of unknown type ${JSON.stringify(type)}`);
    return;
  }
  void publish('status', request.header, { execution_state: 'busy' });
  try {
    switch (type) {
      case 'interrupt_request':
        shared.interrupt();
        await reply(request, type, { status: 'ok' });
        break;
      case 'kernel_info_request':
        await reply(request, type, kernelInfoContent());
        break;
      case 'shutdown_request': {
        const { restart } = readRequestContent(type, request.content);
        await reply(request, type, { status: 'ok', restart });
        // Stop the running cell and exit; for a restart the front end starts a new process.
        shared.shutDown();
        shared.interrupt();
        post({ kind: 'shutdown' });
        // If the main thread is stuck where no interrupt reaches it, end the process here.
        shutdownGrace = setTimeout(() => {
          kernelLog('the main thread did not stop after shutdown_request; killing the kernel');
          process.kill(process.pid, 'SIGKILL');
        }, SHUTDOWN_GRACE_MS);
        break;
      }
      default:
        await reply(request, type, {
          status: 'error',
          ename: 'UnsupportedRequest',
          evalue: `${type} is answered on the shell channel, not on control`,
          traceback: [],
        });
    }
  } catch (error) {
    kernelLog(`control ${type} failed: ${describeError(error)}`);
    await reply(request, type, {
      status: 'error',
      ename: error instanceof Error ? error.name : 'Error',
      evalue: error instanceof Error ? error.message : String(error),
      traceback: [],
    });
  } finally {
    await publish('status', request.header, { execution_state: 'idle' });
  }
}

function forwardShell(request: WireMessage): void {
  // Nothing more will run: requests that arrive during a shutdown are dropped here.
  if (shared.shuttingDown) return;
  post({
    kind: 'shell',
    message: {
      seq: shared.shellReceived(),
      identities: request.identities,
      header: request.header,
      metadata: request.metadata,
      content: request.content,
    },
  });
}

/** Receives on a router socket: verified, first-seen messages go to `handle`. */
async function serve(
  channel: 'shell' | 'control' | 'stdin',
  handle: (message: WireMessage) => void | Promise<void>,
): Promise<void> {
  const socket = sockets[channel];
  for (;;) {
    // Control and stdin are always read; shell only while the backlog has room.
    if (channel === 'shell') await shared.shellRoom(SHELL_BACKLOG_LIMIT);
    if (closing) return;
    const frames = await socket.receive();
    const decoded = decodeMessage(frames, signer);
    if (!decoded.ok) {
      // Never more than the reason: not the frames, not any signature, not the key.
      kernelLog(`dropped a ${channel} message: ${decoded.reason}`);
      continue;
    }
    if (!replays.accept(decoded.message)) {
      kernelLog(`dropped a replayed ${channel} message`);
      continue;
    }
    try {
      await handle(decoded.message);
    } catch (error) {
      kernelLog(`${channel} handler failed: ${describeError(error)}`);
    }
  }
}

async function heartbeat(): Promise<void> {
  for await (const frames of sockets.hb) await heartbeats.send(frames);
}

/** How long a shutdown waits for queued outputs before it drops the rest. */
const CLOSE_FLUSH_MS = 1000;
let closing = false;

async function close(): Promise<void> {
  closing = true;
  // A shell loop waiting for room must see the shutdown (as after one on control) and end.
  shared.shutDown();
  shared.wakeShell();
  // A backlog (thousands of queued cells' outputs) must not hold the exit: flush for a
  // while, then drop what has not left.
  let timer: NodeJS.Timeout | undefined;
  const flushed = await Promise.race([
    ordered.drain().then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_FLUSH_MS))),
  ]);
  clearTimeout(timer);
  if (!flushed) kernelLog(`shutdown: dropped ${ordered.discardOrdinary()} unsent messages`);
  await Promise.all([ordered.drain(), heartbeats.drain()]);
  for (const socket of Object.values(sockets)) socket.close();
  // Every receive loop ends once it has seen its socket closed: then nothing of zeromq is in
  // use on this thread, and the thread may end.
  await Promise.allSettled(loops);
  post({ kind: 'closed' });
}

/** Ends this thread once the main thread has seen 'closed': the main thread exits after it. */
function end(): void {
  clearTimeout(shutdownGrace);
  port.close();
}

port.on('message', (message: MainToWorker) => {
  switch (message.kind) {
    case 'send': {
      if (closing) break;
      const { channel, identities, msgType, parentHeader, metadata, content } = message;
      const frames = encodeFrames(
        {
          identities:
            channel === 'iopub' ? [iopubTopic(msgType as IOPubType), ...identities] : identities,
          header: toJson(makeHeader(msgType, data.session)),
          parentHeader,
          metadata,
          content,
        },
        signer,
      );
      void ordered.send(frames, sinks[channel]);
      break;
    }
    case 'close':
      void close();
      break;
    case 'end':
      end();
      break;
  }
});

/** The receive loops, each ending when its socket is closed. */
let loops: Promise<void>[] = [];

async function start(): Promise<void> {
  try {
    await Promise.all(
      (Object.keys(sockets) as (keyof typeof sockets)[]).map((channel) =>
        sockets[channel].bind(endpoint(data.connection, channel)),
      ),
    );
  } catch (error) {
    post({ kind: 'fatal', message: `cannot bind the kernel's sockets: ${describeError(error)}` });
    return;
  }
  loops = [
    serve('shell', forwardShell),
    serve('control', handleControl),
    // The kernel never sends input_request, so nothing is expected here.
    serve('stdin', (message) => kernelLog(`ignored stdin ${message.header.msg_type}`)),
    heartbeat(),
  ];
  post({ kind: 'ready' });
  void publish('status', null, { execution_state: 'starting' });
  for (const loop of loops) {
    loop.catch((error: unknown) => {
      // A closed socket ends its loop (at shutdown); anything else is worth a line in the log.
      if (!closing && !(error instanceof Error && /closed/i.test(error.message))) {
        kernelLog(`socket loop failed: ${describeError(error)}`);
      }
    });
  }
}

void start();
