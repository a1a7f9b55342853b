import { MAX_MESSAGE_BYTES, QueueError } from '../../queues/index.js';
import { runBatch } from './batch.js';
import type { Input, Operation } from './protocol.js';
import { queueOf } from './protocol.js';
import { sendOne } from './send-message.js';

/** What SQS counts toward a batch's size: bodies and message attributes. */
function entrySize(e: Input): number {
  let size = typeof e.MessageBody === 'string' ? Buffer.byteLength(e.MessageBody) : 0;
  for (const [name, a] of Object.entries((e.MessageAttributes ?? {}) as Record<string, Input>)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(String(a?.DataType ?? ''));
    if (typeof a?.StringValue === 'string') size += Buffer.byteLength(a.StringValue);
    if (typeof a?.BinaryValue === 'string') size += Buffer.from(a.BinaryValue, 'base64').length;
  }
  return size;
}

export const sendMessageBatch: Operation = async (input, ctx) => {
  const queue = queueOf(input, ctx);
  const entries = Array.isArray(input.Entries) ? (input.Entries as Input[]) : [];
  const total = entries.reduce((n, e) => n + entrySize(e ?? {}), 0);
  if (total > MAX_MESSAGE_BYTES) {
    throw new QueueError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${total} bytes.`);
  }
  return runBatch(input, (entry, id) => ({ Id: id, ...sendOne(ctx.queues, queue, entry) }));
};
