import { type Operation, queueOf } from './protocol.js';

export const deleteQueue: Operation = (input, ctx) => {
  ctx.queues.deleteQueue(queueOf(input, ctx));
  return {};
};
