/**
 * A SIGINT watcher thread. A SIGINT sent from outside (`kill -INT`, Ctrl-C, a front end in
 * signal mode) must cancel a language statement that holds the main thread in a synchronous
 * loop, but a process SIGINT handler runs only when the main thread polls its event loop.
 *
 * vm's `breakOnSigint` registers a watchdog with node's process-wide SIGINT helper, which runs
 * on its own thread and stops the newest watchdog's script at once. This thread sits in such a
 * script, asleep; a SIGINT ends the sleep, and the thread counts the interrupt in shared
 * memory (the cancel tokens the language polls) and tells the main thread, which then ends a
 * cell that is awaiting. A `%%ts` script run with breakOnSigint is newer, so it gets the
 * signal first, as before.
 *
 * The kernel runs two watchers: while one re-arms after a signal the other stays registered,
 * since with no watchdog left node puts back the default SIGINT action, which kills.
 */
import { parentPort, workerData } from 'node:worker_threads';
import vm from 'node:vm';
import { receivedSigint } from './shared.js';
import type { SigintWatcherData, WatcherToMain } from './threads.js';

if (!parentPort) throw new Error('sigint-watcher.js must run as a worker thread');
const port = parentPort;
const data = workerData as SigintWatcherData;

const SLEEP_GLOBAL = '__evalbook_sigint_sleep__';
/** Never notified: the script only ends when a SIGINT stops it. */
(globalThis as Record<string, unknown>)[SLEEP_GLOBAL] = new Int32Array(new SharedArrayBuffer(4));
const sleepForever = new vm.Script(`for (;;) Atomics.wait(${SLEEP_GLOBAL}, 0, 0);`);

function post(message: WatcherToMain): void {
  port.postMessage(message);
}

post({ kind: 'armed' });
for (;;) {
  try {
    sleepForever.runInThisContext({ breakOnSigint: true });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw error;
    post({ kind: 'sigint', source: receivedSigint(data.shared) });
  }
}
