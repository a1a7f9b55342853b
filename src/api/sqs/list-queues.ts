import { QueueError } from '../../queues/index.js';
import { int, type Operation, queueUrl, str } from './protocol.js';

/** A page token is the last name returned, opaque to the caller. */
const encode = (name: string) => Buffer.from(name, 'utf8').toString('base64url');

export const listQueues: Operation = (input, ctx) => {
  const prefix = str(input, 'QueueNamePrefix', true) ?? '';
  const max = int(input, 'MaxResults');
  if (max !== undefined && (max < 1 || max > 1000)) throw new QueueError('InvalidParameterValue', `Value ${max} for parameter MaxResults is invalid. Reason: must be between 1 and 1000.`);
  const token = str(input, 'NextToken', true);
  const after = token === undefined ? '' : Buffer.from(token, 'base64url').toString('utf8');
  const limit = max ?? 1000;
  // One extra row tells whether there is a next page.
  const names = ctx.queues.list(prefix, after, limit + 1);
  const page = names.slice(0, limit);
  const out: { QueueUrls: string[]; NextToken?: string } = { QueueUrls: page.map((n) => queueUrl(ctx.host, n)) };
  // As in SQS, paging is offered only to callers that asked for MaxResults.
  if (max !== undefined && names.length > limit) out.NextToken = encode(page.at(-1)!);
  return out;
};
