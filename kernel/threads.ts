/**
 * The messages the main thread and the I/O worker exchange (postMessage, structured clone).
 * Each is a discriminated union on `kind`.
 */
import type { MessageHeader, OutgoingType } from './protocol.js';
import type { ConnectionInfo } from './wire.js';

/** What the worker is started with. */
export interface IoWorkerData {
  connection: ConnectionInfo;
  shared: SharedArrayBuffer;
  /** Unique per kernel process: the `session` of every header the kernel sends. */
  session: string;
}

/** A verified shell message, as the main thread receives it. */
export interface ShellMessage {
  /** The worker's count of shell messages when this one arrived (1, 2, ...). */
  seq: number;
  identities: Uint8Array[];
  header: MessageHeader;
  metadata: Record<string, unknown>;
  content: unknown;
}

export type WorkerToMain =
  | { kind: 'ready' }
  | { kind: 'fatal'; message: string }
  | { kind: 'shell'; message: ShellMessage }
  /** A shutdown_request arrived on control and was answered; the main thread exits. */
  | { kind: 'shutdown' }
  | { kind: 'closed' };

/** An outgoing message; its JSON parts are serialised by the main thread. */
export interface SendRequest {
  kind: 'send';
  channel: 'shell' | 'iopub';
  identities: Uint8Array[];
  msgType: OutgoingType;
  parentHeader: string;
  metadata: string;
  content: string;
}

export type MainToWorker =
  | SendRequest
  /** Flush every queued send, close the sockets, answer 'closed'. */
  | { kind: 'close' }
  /** After 'closed': the worker ends, and the main thread exits on its 'exit' event. */
  | { kind: 'end' };

/** What a SIGINT watcher (sigint-watcher.ts) is started with. */
export interface SigintWatcherData {
  shared: SharedArrayBuffer;
}

export type WatcherToMain =
  | { kind: 'armed' }
  /** A SIGINT arrived; an external one has already been counted as an interrupt request. */
  | { kind: 'sigint'; source: 'worker' | 'external' };
