/** Assertions shared by the kernel tests over ZeroMQ. */
import assert from 'node:assert/strict';
import type { KernelClient, ReceivedMessage } from './client.js';
import type { MessageHeader } from '../../kernel/protocol.js';

/**
 * A request was answered properly: the reply has the expected type, the request as parent, a
 * `status`; on iopub the request's messages start with `busy` and end with `idle`, with exactly
 * one of each. Returns the iopub messages between them.
 */
export function assertAnswered(
  client: KernelClient,
  header: MessageHeader,
  reply: ReceivedMessage,
  replyType: string,
  channel: 'shell' | 'control' = 'shell',
): ReceivedMessage[] {
  assert.equal(reply.header.msg_type, replyType);
  assert.equal(reply.channel, channel);
  assert.equal(reply.parentHeader?.msg_id, header.msg_id);
  assert.equal(reply.parentHeader?.msg_type, header.msg_type);
  assert.equal(typeof reply.content.status, 'string', 'every reply carries a status');
  assert.equal(reply.header.version, '5.3');
  const iopub = client.iopubFor(header.msg_id);
  const states = iopub.filter((m) => m.header.msg_type === 'status');
  assert.deepEqual(
    states.map((m) => m.content.execution_state),
    ['busy', 'idle'],
    `${header.msg_type}: one busy and one idle`,
  );
  assert.equal(iopub[0].content.execution_state, 'busy', 'busy comes first');
  assert.equal(iopub[iopub.length - 1].content.execution_state, 'idle', 'idle comes last');
  return iopub.slice(1, -1);
}

/** The iopub message types of a request between busy and idle. */
export function types(messages: readonly ReceivedMessage[]): string[] {
  return messages.map((m) => m.header.msg_type);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
