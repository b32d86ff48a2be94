/**
 * State shared between the I/O worker and the main thread through one SharedArrayBuffer, so
 * each side can read what the other did even while the main thread is blocked in a cell.
 *
 * - interrupt requests: how many interrupts were asked for (interrupt_request or SIGINT). A
 *   cell's cancel token compares it with its value when the cell started.
 * - signals sent / seen: how many SIGINTs the worker raised to break `%%ts` code out of a
 *   loop, and how many SIGINTs of those have been received. Whoever receives a SIGINT (the
 *   SIGINT watchers, or a `%%ts` script's vm watchdog) counts them off, so a signal the worker
 *   sent for a cell that has meanwhile ended is not mistaken for a new interrupt from outside.
 * - shutting down: set by the worker when shutdown_request arrives on control, so the main
 *   thread stops starting requests at once, even with thousands of messages still on their
 *   way to it.
 * - shell received: how many shell messages the worker has received. When a cell fails with
 *   stop_on_error, every execute_request received up to that moment is aborted.
 * - shell taken: how many of those the main thread has taken from its queue to run. The
 *   difference is the backlog held in memory; the worker stops reading the shell socket while
 *   it is at its limit, so that ZeroMQ's high-water marks push back on the client.
 */
import type { CancelToken } from '../engine/errors.js';

const INTERRUPT_REQUESTS = 0;
const SIGNALS_SENT = 1;
const SHELL_RECEIVED = 2;
const SIGNALS_SEEN = 3;
const SHUTTING_DOWN = 4;
const SHELL_TAKEN = 5;
const SLOTS = 6;

/**
 * The most shell requests held in the kernel's memory, received and not yet started. Beyond
 * it the worker stops reading the shell socket (40,000 queued requests once held 500 MiB).
 */
export const SHELL_BACKLOG_LIMIT = 1000;

export function createSharedBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/** The worker's side: it counts shell messages and raises interrupts. */
export class WorkerSharedState {
  readonly #slots: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#slots = new Int32Array(buffer);
  }

  /** Numbers a received shell message (1, 2, ...). */
  shellReceived(): number {
    return Atomics.add(this.#slots, SHELL_RECEIVED, 1) + 1;
  }

  /** Shell messages received and not yet taken by the main thread to run. */
  get shellBacklog(): number {
    return Atomics.load(this.#slots, SHELL_RECEIVED) - Atomics.load(this.#slots, SHELL_TAKEN);
  }

  /**
   * Settles once the backlog is below `limit`, or the kernel is shutting down (`wakeShell`
   * wakes a wait for that).
   */
  async shellRoom(limit: number): Promise<void> {
    while (!this.shuttingDown) {
      const taken = Atomics.load(this.#slots, SHELL_TAKEN);
      if (Atomics.load(this.#slots, SHELL_RECEIVED) - taken < limit) return;
      const wait = Atomics.waitAsync(this.#slots, SHELL_TAKEN, taken);
      if (wait.async) await wait.value;
    }
  }

  /** Wakes a `shellRoom` wait, so that it sees a shutdown. */
  wakeShell(): void {
    Atomics.notify(this.#slots, SHELL_TAKEN);
  }

  /** Marks the kernel as shutting down (see `MainSharedState.shuttingDown`). */
  shutDown(): void {
    Atomics.store(this.#slots, SHUTTING_DOWN, 1);
  }

  get shuttingDown(): boolean {
    return Atomics.load(this.#slots, SHUTTING_DOWN) === 1;
  }

  /** Cancels the running cell and signals the process so `%%ts` code stops too. */
  interrupt(): void {
    Atomics.add(this.#slots, INTERRUPT_REQUESTS, 1);
    Atomics.add(this.#slots, SIGNALS_SENT, 1);
    process.kill(process.pid, 'SIGINT');
  }
}

/**
 * Accounts for one received SIGINT, from any thread: one the worker sent is already counted
 * as a request; any other came from outside (`kill -INT`, Ctrl-C) and becomes one.
 */
export function receivedSigint(buffer: SharedArrayBuffer): 'worker' | 'external' {
  const slots = new Int32Array(buffer);
  for (;;) {
    const seen = Atomics.load(slots, SIGNALS_SEEN);
    if (seen >= Atomics.load(slots, SIGNALS_SENT)) break;
    if (Atomics.compareExchange(slots, SIGNALS_SEEN, seen, seen + 1) === seen) return 'worker';
  }
  Atomics.add(slots, INTERRUPT_REQUESTS, 1);
  return 'external';
}

/** The main thread's side: cancel tokens for cells, and the reading of SIGINTs. */
export class MainSharedState {
  readonly #buffer: SharedArrayBuffer;
  readonly #slots: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#buffer = buffer;
    this.#slots = new Int32Array(buffer);
  }

  /** True once shutdown_request has arrived on control: no request starts any more. */
  get shuttingDown(): boolean {
    return Atomics.load(this.#slots, SHUTTING_DOWN) === 1;
  }

  /** Counts a shell message taken from the queue, making room for the worker to read one. */
  shellTaken(): void {
    Atomics.add(this.#slots, SHELL_TAKEN, 1);
    Atomics.notify(this.#slots, SHELL_TAKEN);
  }

  /** How many shell messages the worker has received so far. */
  shellReceived(): number {
    return Atomics.load(this.#slots, SHELL_RECEIVED);
  }

  /** A token that becomes cancelled by any interrupt requested after this call. */
  cancelToken(): CancelToken {
    const slots = this.#slots;
    const baseline = Atomics.load(slots, INTERRUPT_REQUESTS);
    return {
      get cancelled() {
        return Atomics.load(slots, INTERRUPT_REQUESTS) !== baseline;
      },
    };
  }

  /**
   * vm's breakOnSigint swallows the SIGINT that stopped a script (the watchers never see it):
   * account for it as they would have.
   */
  sigintConsumedByScript(): void {
    receivedSigint(this.#buffer);
  }
}
