import { type Operation, queueOf } from './protocol.js';

export const purgeQueue: Operation = (input, ctx) => {
  ctx.queues.purge(queueOf(input, ctx));
  return {};
};
