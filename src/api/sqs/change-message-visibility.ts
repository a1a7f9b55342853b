import { QueueError } from '../../queues/index.js';
import { type Input, int, type Operation, queueOf, str } from './protocol.js';

export function changeOne(input: Input): { handle: string; seconds: number } {
  const seconds = int(input, 'VisibilityTimeout');
  if (seconds === undefined) throw new QueueError('MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
  return { handle: str(input, 'ReceiptHandle'), seconds };
}

export const changeMessageVisibility: Operation = (input, ctx) => {
  const { handle, seconds } = changeOne(input);
  ctx.queues.changeVisibility(queueOf(input, ctx), handle, seconds);
  return {};
};
