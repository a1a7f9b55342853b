/**
 * SQS's own error types. They are not Lambda's (`HearthError`): the SQS wire speaks a
 * different protocol and its SDK maps these names to typed exceptions, so the queue
 * domain raises them by their SQS names and `api/sqs` writes them.
 */
export type QueueErrorCode =
  | 'QueueDoesNotExist'
  | 'QueueNameExists'
  | 'ReceiptHandleIsInvalid'
  | 'MessageNotInflight'
  | 'InvalidAttributeName'
  | 'InvalidAttributeValue'
  | 'InvalidParameterValue'
  | 'MissingParameter'
  | 'InvalidMessageContents'
  | 'EmptyBatchRequest'
  | 'TooManyEntriesInBatchRequest'
  | 'BatchEntryIdsNotDistinct'
  | 'InvalidBatchEntryId'
  | 'BatchRequestTooLong'
  | 'ResourceNotFoundException'
  | 'UnsupportedOperation'
  | 'InvalidAction';

export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const noQueue = () => new QueueError('QueueDoesNotExist', 'The specified queue does not exist.');
export const badValue = (message: string) => new QueueError('InvalidParameterValue', message);
export const missing = (name: string) => new QueueError('MissingParameter', `The request must contain the parameter ${name}.`);
export const badReceipt = (handle: string) => new QueueError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
