import { ALL_ATTRIBUTE_NAMES, QueueError } from '../../queues/index.js';
import { type Operation, queueOf, strList } from './protocol.js';

export const getQueueAttributes: Operation = (input, ctx) => {
  const name = queueOf(input, ctx);
  const wanted = strList(input, 'AttributeNames');
  const unknown = wanted.find((a) => a !== 'All' && !ALL_ATTRIBUTE_NAMES.has(a));
  if (unknown) throw new QueueError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
  if (wanted.length === 0) return {};
  const all = ctx.queues.attributes(name);
  const Attributes = wanted.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k)));
  return { Attributes };
};
