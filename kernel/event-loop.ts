/**
 * Resolves after the event loop has polled for I/O at least once, so that a signal that
 * arrived while the thread was busy has had its handler run. One setImmediate is not enough:
 * from an I/O callback it runs before the next poll.
 */
export const afterPoll = (): Promise<void> =>
  new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
