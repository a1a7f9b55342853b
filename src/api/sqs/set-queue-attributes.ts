import { QueueError } from '../../queues/index.js';
import { type Operation, queueOf, strMap } from './protocol.js';

export const setQueueAttributes: Operation = (input, ctx) => {
  const name = queueOf(input, ctx);
  if (input.Attributes === undefined) throw new QueueError('MissingParameter', 'The request must contain the parameter Attributes.');
  ctx.queues.setAttributes(name, strMap(input, 'Attributes'));
  return {};
};
