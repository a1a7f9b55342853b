/**
 * The one error type Hearth raises for anything a caller did or hit. `code` is the AWS
 * error type name; `api/` maps it to a status code, `cli/` to one printed line.
 */
export type HearthErrorCode =
  | 'ResourceNotFoundException'
  | 'ProvisionedConcurrencyConfigNotFoundException'
  | 'InvalidParameterValueException'
  | 'ValidationException'
  | 'ResourceConflictException'
  | 'RequestTooLargeException'
  | 'TooManyRequestsException'
  | 'PreconditionFailedException'
  /** A KV write whose condition (`ifVersion`, `ifAbsent`) did not hold; DynamoDB's name. */
  | 'ConditionalCheckFailedException'
  | 'CodeStorageExceededException'
  | 'UnsupportedMediaTypeException'
  | 'InvalidRequestContentException'
  | 'ServiceException';

export class HearthError extends Error {
  constructor(
    readonly code: HearthErrorCode,
    message: string,
    /** Extra fields AWS puts in the error body, e.g. `Reason` on throttles. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (what: string) => new HearthError('ResourceNotFoundException', what);
export const invalid = (message: string) => new HearthError('InvalidParameterValueException', message);
export const conflict = (message: string) => new HearthError('ResourceConflictException', message);
