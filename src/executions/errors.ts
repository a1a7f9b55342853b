/** Step Functions' error types, as the JSON protocol names them in `__type`. */
export type SfnErrorCode =
  | 'StateMachineDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'StateMachineTypeNotSupported'
  | 'ExecutionDoesNotExist'
  | 'ExecutionAlreadyExists'
  | 'InvalidDefinition'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'InvalidToken'
  | 'ValidationException'
  | 'UnknownOperationException';

export class SfnError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
  ) {
    super(message);
  }
}
