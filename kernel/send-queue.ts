/**
 * A queue of sends: zeromq 6 rejects a send with EBUSY while the previous one on the same
 * socket has not settled, so sends are taken one at a time and each is awaited before the
 * next starts. One queue can serve several sockets (a sink per send) and so keep the order of
 * sends across them. Urgent sends (control's) go before every ordinary send not yet started,
 * in their own order, so a backlog of outputs never delays an answer on control. A send that
 * fails is reported and the queue goes on.
 */

export interface FrameSink {
  send(frames: Buffer[]): Promise<void>;
}

interface Pending {
  frames: Buffer[];
  sink: FrameSink;
  done: () => void;
}

export class SendQueue {
  readonly #sink: FrameSink;
  readonly #onError: (error: unknown) => void;
  readonly #urgent: Pending[] = [];
  readonly #ordinary: Pending[] = [];
  #inFlight = false;
  #drained: (() => void)[] = [];

  constructor(sink: FrameSink, onError: (error: unknown) => void) {
    this.#sink = sink;
    this.#onError = onError;
  }

  /** Messages queued and not yet handed to ZeroMQ. */
  get pending(): number {
    return this.#urgent.length + this.#ordinary.length + (this.#inFlight ? 1 : 0);
  }

  /**
   * Queues the frames, for the queue's sink or for `sink`; the promise settles once they are
   * handed to ZeroMQ, or dropped by `discardOrdinary` (never rejects).
   */
  send(
    frames: Buffer[],
    sink: FrameSink = this.#sink,
    options: { urgent?: boolean } = {},
  ): Promise<void> {
    return new Promise((done) => {
      (options.urgent ? this.#urgent : this.#ordinary).push({ frames, sink, done });
      if (!this.#inFlight) void this.#run();
    });
  }

  async #run(): Promise<void> {
    this.#inFlight = true;
    for (;;) {
      const next = this.#urgent.shift() ?? this.#ordinary.shift();
      if (!next) break;
      try {
        await next.sink.send(next.frames);
      } catch (error) {
        this.#onError(error);
      } finally {
        next.done();
      }
    }
    this.#inFlight = false;
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  /** Drops the ordinary sends not yet started (at shutdown); returns how many. */
  discardOrdinary(): number {
    const dropped = this.#ordinary.splice(0);
    for (const item of dropped) item.done();
    return dropped.length;
  }

  /** Settles when everything queued so far has been sent. */
  drain(): Promise<void> {
    if (!this.#inFlight) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }
}
