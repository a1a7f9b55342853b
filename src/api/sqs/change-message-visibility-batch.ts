import { runBatch } from './batch.js';
import { changeOne } from './change-message-visibility.js';
import { type Operation, queueOf } from './protocol.js';

export const changeMessageVisibilityBatch: Operation = (input, ctx) => {
  const queue = queueOf(input, ctx);
  return runBatch(input, (entry, id) => {
    const { handle, seconds } = changeOne(entry);
    ctx.queues.changeVisibility(queue, handle, seconds);
    return { Id: id };
  });
};
