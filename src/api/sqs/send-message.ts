import type { QueueService } from '../../queues/index.js';
import { readMessageAttributes, refuseUnsupported } from './message-attributes.js';
import { type Input, int, type Operation, queueOf, str } from './protocol.js';

/** One message of SendMessage or a SendMessageBatch entry. */
export function sendOne(queues: QueueService, queue: string, input: Input) {
  refuseUnsupported(input);
  const sent = queues.send(queue, {
    body: str(input, 'MessageBody'),
    attributes: readMessageAttributes(input),
    delaySeconds: int(input, 'DelaySeconds'),
  });
  return { MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody, ...(sent.md5OfAttributes ? { MD5OfMessageAttributes: sent.md5OfAttributes } : {}) };
}

export const sendMessage: Operation = (input, ctx) => sendOne(ctx.queues, queueOf(input, ctx), input);
