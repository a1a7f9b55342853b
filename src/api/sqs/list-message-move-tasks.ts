import { int, type Operation, str } from './protocol.js';

export const listMessageMoveTasks: Operation = (input, ctx) => ({
  Results: ctx.tasks.list(str(input, 'SourceArn'), int(input, 'MaxResults')).map((t) => ({
    // As in SQS, only a running task has a handle (to cancel it with).
    ...(t.status === 'RUNNING' ? { TaskHandle: t.taskHandle } : {}),
    Status: t.status,
    SourceArn: t.sourceArn,
    ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
    ...(t.maxNumberOfMessagesPerSecond ? { MaxNumberOfMessagesPerSecond: t.maxNumberOfMessagesPerSecond } : {}),
    ApproximateNumberOfMessagesMoved: t.moved,
    ApproximateNumberOfMessagesToMove: t.toMove,
    ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
    StartedTimestamp: t.startedAt,
  })),
});
