/**
 * The Amazon States Language core: validation, the deterministic executor and an
 * in-memory runner. Durable execution, the Step Functions API and the CLI build on this.
 */
export * from './types.js';
export { validate, DefinitionError } from './validate.js';
export { start, advance, replay } from './executor.js';
export { runExecution, lambdaFailure, type TaskInvoker, type TaskOutcome, type RunResult } from './runner.js';
export { StatesError, errorMatches, PREDEFINED_ERRORS } from './errors.js';
export { retryDelayMs } from './retry.js';
