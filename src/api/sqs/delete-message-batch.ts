import { runBatch } from './batch.js';
import { type Operation, queueOf, str } from './protocol.js';

export const deleteMessageBatch: Operation = (input, ctx) => {
  const queue = queueOf(input, ctx);
  return runBatch(input, (entry, id) => {
    ctx.queues.deleteMessage(queue, str(entry, 'ReceiptHandle'));
    return { Id: id };
  });
};
