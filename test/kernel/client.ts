/**
 * The kernel tests' view of the project's Jupyter client (kernel/client.ts): it starts the
 * test kernel unless told otherwise, and types message contents as free-form JSON so that
 * tests can read any field of what the kernel sent.
 */
import { join } from 'node:path';
import {
  KernelClient as Client,
  executeContent,
  type KernelStartOptions,
  type ReceivedMessage as Received,
} from '../../kernel/client.js';
import { repoRoot, type Json } from '../helpers/golden.js';

export { freePorts, makeConnectionInfo, type ClientChannel } from '../../kernel/client.js';

export const TEST_KERNEL = join(repoRoot, 'dist', 'test', 'kernel', 'fixtures', 'test-kernel.js');
export const EVALBOOK_BIN = join(repoRoot, 'dist', 'bin', 'evalbook.js');

export type ReceivedMessage = Received<Json>;
export type KernelClient = Client<Json>;

/** Start options: `args` defaults to the test kernel with `{connection_file}`. */
export type StartOptions = Partial<KernelStartOptions>;

export const KernelClient = {
  /** Starts a kernel process (the test kernel unless `args` says otherwise) and waits for it. */
  start(options: StartOptions = {}): Promise<KernelClient> {
    return Client.start<Json>({
      ...options,
      args: options.args ?? [TEST_KERNEL, '--connection-file', '{connection_file}'],
      kernelName: options.kernelName ?? 'evalbook-test',
    });
  },
  executeContent,
};
