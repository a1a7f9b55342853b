import { type Operation, str } from './protocol.js';

export const cancelMessageMoveTask: Operation = (input, ctx) => ({
  ApproximateNumberOfMessagesMoved: ctx.tasks.cancel(str(input, 'TaskHandle')).moved,
});
