import { type Operation, queueOf, str } from './protocol.js';

export const deleteMessage: Operation = (input, ctx) => {
  ctx.queues.deleteMessage(queueOf(input, ctx), str(input, 'ReceiptHandle'));
  return {};
};
