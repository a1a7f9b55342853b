import { int, type Operation, str } from './protocol.js';

export const startMessageMoveTask: Operation = (input, ctx) => {
  const task = ctx.tasks.start(str(input, 'SourceArn'), {
    destination: str(input, 'DestinationArn', true),
    maxPerSecond: int(input, 'MaxNumberOfMessagesPerSecond'),
  });
  return { TaskHandle: task.taskHandle };
};
