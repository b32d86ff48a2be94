/**
 * One queue per socket: zeromq 6 rejects a send with EBUSY while the previous one on the same
 * socket has not settled, so sends are chained and each is awaited before the next starts.
 * Nothing is dropped on the way; a send that fails is reported and the queue goes on.
 */

export interface FrameSink {
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  readonly #sink: FrameSink;
  readonly #onError: (error: unknown) => void;
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(sink: FrameSink, onError: (error: unknown) => void) {
    this.#sink = sink;
    this.#onError = onError;
  }

  /** Messages queued and not yet handed to ZeroMQ. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Queues the frames, for the queue's sink or for `sink` (one queue can keep the order of
   * sends across several sockets); the promise settles once they are handed to ZeroMQ (never
   * rejects).
   */
  send(frames: Buffer[], sink: FrameSink = this.#sink): Promise<void> {
    this.#pending++;
    this.#tail = this.#tail.then(async () => {
      try {
        await sink.send(frames);
      } catch (error) {
        this.#onError(error);
      } finally {
        this.#pending--;
      }
    });
    return this.#tail;
  }

  /** Settles when everything queued so far has been sent. */
  drain(): Promise<void> {
    return this.#tail;
  }
}
