/**
 * Error names of the Amazon States Language and how Retry/Catch match them. A failure
 * inside an execution is a StatesError (name + cause), never a HearthError: it is data
 * the state machine can catch, not an API error.
 */
import type { Failure } from './types.js';

export const STATES_ALL = 'States.ALL';
export const TASK_FAILED = 'States.TaskFailed';
export const TIMEOUT = 'States.Timeout';
export const HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout';
export const RUNTIME = 'States.Runtime';
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';
export const NO_CHOICE_MATCHED = 'States.NoChoiceMatched';
export const PARAMETER_PATH_FAILURE = 'States.ParameterPathFailure';
export const RESULT_PATH_MATCH_FAILURE = 'States.ResultPathMatchFailure';
export const INTRINSIC_FAILURE = 'States.IntrinsicFailure';
export const BRANCH_FAILED = 'States.BranchFailed';

/** Predefined names a definition may list in ErrorEquals besides its own. */
export const PREDEFINED_ERRORS = new Set([
  STATES_ALL,
  TASK_FAILED,
  TIMEOUT,
  HEARTBEAT_TIMEOUT,
  RUNTIME,
  DATA_LIMIT_EXCEEDED,
  NO_CHOICE_MATCHED,
  PARAMETER_PATH_FAILURE,
  RESULT_PATH_MATCH_FAILURE,
  INTRINSIC_FAILURE,
  BRANCH_FAILED,
  'States.Permissions',
  'States.ExceedToleratedFailureThreshold',
  'States.ItemReaderFailed',
  'States.ResultWriterFailed',
]);

export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
    this.name = error;
  }

  get failure(): Failure {
    return { error: this.error, cause: this.causeText };
  }
}

/**
 * Step Functions: States.Runtime and States.DataLimitExceeded are terminal — no
 * retrier or catcher matches them, not even States.ALL or their own name.
 */
const TERMINAL = new Set([RUNTIME, DATA_LIMIT_EXCEEDED]);

/** Whether an ErrorEquals list matches an error name. */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (TERMINAL.has(error)) return false;
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === STATES_ALL) return true;
    // Step Functions: States.TaskFailed matches any known error except States.Timeout.
    if (name === TASK_FAILED && error !== TIMEOUT) return true;
  }
  return false;
}

/** A state's output larger than this fails with States.DataLimitExceeded (256 KiB). */
export const MAX_PAYLOAD_BYTES = 262_144;
