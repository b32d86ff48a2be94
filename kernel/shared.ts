/**
 * State shared between the I/O worker and the main thread through one SharedArrayBuffer, so
 * each side can read what the other did even while the main thread is blocked in a cell.
 *
 * - interrupt requests: how many interrupts were asked for (interrupt_request or SIGINT). A
 *   cell's cancel token compares it with its value when the cell started.
 * - signals sent: how many SIGINTs the worker raised to break `%%ts` code out of a loop. The
 *   main thread's SIGINT handler counts them off, so a signal the worker sent for a cell that
 *   has meanwhile ended is not mistaken for a new interrupt from outside.
 * - shell received: how many shell messages the worker has received. When a cell fails with
 *   stop_on_error, every execute_request received up to that moment is aborted.
 */
import type { CancelToken } from '../engine/errors.js';

const INTERRUPT_REQUESTS = 0;
const SIGNALS_SENT = 1;
const SHELL_RECEIVED = 2;
const SLOTS = 3;

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

  /** Cancels the running cell and signals the process so `%%ts` code stops too. */
  interrupt(): void {
    Atomics.add(this.#slots, INTERRUPT_REQUESTS, 1);
    Atomics.add(this.#slots, SIGNALS_SENT, 1);
    process.kill(process.pid, 'SIGINT');
  }
}

/** The main thread's side: cancel tokens for cells, and the reading of SIGINTs. */
export class MainSharedState {
  readonly #slots: Int32Array;
  #signalsSeen = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#slots = new Int32Array(buffer);
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
   * Called from the process's SIGINT handler. A signal the worker sent is already counted as
   * a request; any other SIGINT came from outside (`kill -INT`, Ctrl-C) and becomes one.
   */
  onSigint(): 'worker' | 'external' {
    const sent = Atomics.load(this.#slots, SIGNALS_SENT);
    if (this.#signalsSeen < sent) {
      this.#signalsSeen = sent;
      return 'worker';
    }
    Atomics.add(this.#slots, INTERRUPT_REQUESTS, 1);
    return 'external';
  }

  /**
   * vm's breakOnSigint swallows the SIGINT that stopped a script (the process handler never
   * sees it): account for it as the handler would have.
   */
  sigintConsumedByScript(): void {
    this.onSigint();
  }
}
