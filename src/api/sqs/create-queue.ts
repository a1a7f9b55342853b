import { QueueError } from '../../queues/index.js';
import { type Operation, queueUrl, str, strMap } from './protocol.js';

export const createQueue: Operation = (input, ctx) => {
  const name = str(input, 'QueueName');
  // Tags would need TagQueue/ListQueueTags to mean anything; refuse rather than drop them.
  if (Object.keys(strMap(input, 'tags')).length > 0) throw new QueueError('UnsupportedOperation', 'Hearth does not support queue tags yet.');
  const q = ctx.queues.create(name, strMap(input, 'Attributes'));
  return { QueueUrl: queueUrl(ctx.host, q.name) };
};
