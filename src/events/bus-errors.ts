/**
 * EventBridge's own error types. Like the queue service's, they are not Lambda's
 * (`HearthError`): `@aws-sdk/client-eventbridge` maps these names to typed exceptions,
 * so the bus domain raises them by their EventBridge names and `api/events` writes them.
 */
export type EventsErrorCode =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'ValidationException'
  | 'InvalidEventPatternException'
  | 'LimitExceededException'
  | 'UnknownOperationException';

export class EventsError extends Error {
  constructor(
    readonly code: EventsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidInput = (message: string) => new EventsError('ValidationException', message);
export const badPattern = (reason: string) => new EventsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
