import { ACCOUNT_ID } from '../../common/index.js';
import { noQueueError } from './errors.js';
import { type Operation, queueUrl, str } from './protocol.js';

export const getQueueUrl: Operation = (input, ctx) => {
  const name = str(input, 'QueueName');
  const owner = str(input, 'QueueOwnerAWSAccountId', true);
  if (owner !== undefined && owner !== ACCOUNT_ID) throw noQueueError();
  return { QueueUrl: queueUrl(ctx.host, ctx.queues.queue(name).name) };
};
