import { QueueError } from '../../queues/index.js';
import { int, type Operation, queueOf, queueUrl, str } from './protocol.js';

export const listDeadLetterSourceQueues: Operation = (input, ctx) => {
  const dlq = queueOf(input, ctx);
  const max = int(input, 'MaxResults');
  if (max !== undefined && (max < 1 || max > 1000)) throw new QueueError('InvalidParameterValue', `Value ${max} for parameter MaxResults is invalid. Reason: must be between 1 and 1000.`);
  const token = str(input, 'NextToken', true);
  const after = token === undefined ? '' : Buffer.from(token, 'base64url').toString('utf8');
  const sources = ctx.queues.deadLetterSources(dlq).filter((n) => n > after);
  const limit = max ?? 1000;
  const page = sources.slice(0, limit);
  const out: { queueUrls: string[]; NextToken?: string } = { queueUrls: page.map((n) => queueUrl(ctx.host, n)) };
  if (max !== undefined && sources.length > limit) out.NextToken = Buffer.from(page.at(-1)!, 'utf8').toString('base64url');
  return out;
};
