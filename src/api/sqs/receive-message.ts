import { QueueError, type ReceivedMessage, selectAttributes, md5OfAttributes } from '../../queues/index.js';
import { ACCOUNT_ID } from '../../common/index.js';
import { writeMessageAttributes } from './message-attributes.js';
import { int, type Operation, queueOf, strList } from './protocol.js';

const SYSTEM = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'DeadLetterQueueSourceArn'];
// FIFO-only or X-Ray attributes: valid names that a standard queue never has values for.
const NEVER_SET = ['SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader'];

function systemAttributes(m: ReceivedMessage, wanted: string[]): Record<string, string> {
  const all: Record<string, string> = {
    SenderId: ACCOUNT_ID,
    SentTimestamp: String(m.sentTimestamp),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp),
  };
  if (m.deadLetterSourceArn) all.DeadLetterQueueSourceArn = m.deadLetterSourceArn;
  return wanted.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k)));
}

export const receiveMessage: Operation = async (input, ctx) => {
  const queue = queueOf(input, ctx);
  const system = [...strList(input, 'AttributeNames'), ...strList(input, 'MessageSystemAttributeNames')];
  const unknown = system.find((a) => a !== 'All' && !SYSTEM.includes(a) && !NEVER_SET.includes(a));
  if (unknown) throw new QueueError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
  const wantedUser = strList(input, 'MessageAttributeNames');
  const wait = int(input, 'WaitTimeSeconds');
  const messages = await ctx.queues.receive(queue, {
    max: int(input, 'MaxNumberOfMessages'),
    visibilityTimeout: int(input, 'VisibilityTimeout'),
    waitMs: wait === undefined ? undefined : wait * 1000,
    signal: ctx.signal,
  });
  if (messages.length === 0) return {};
  return {
    Messages: messages.map((m) => {
      const attrs = systemAttributes(m, system);
      const user = selectAttributes(m.attributes, wantedUser);
      const md5 = md5OfAttributes(user);
      return {
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: m.md5OfBody,
        Body: m.body,
        ...(Object.keys(attrs).length ? { Attributes: attrs } : {}),
        ...(md5 ? { MD5OfMessageAttributes: md5, MessageAttributes: writeMessageAttributes(user) } : {}),
      };
    }),
  };
};
