/**
 * Step Functions on Hearth: durable standard executions over the workflow core
 * (`DurableHost`: state, history and effect jobs in SQLite), express synchronous
 * executions in memory, and the API's operations (`StepFunctions`).
 */
export { SfnError, type SfnErrorCode } from './errors.js';
export { SfnRecords, type ExecutionRecord, type MachineRecord, type ExecutionStatus } from './records.js';
export { DurableHost, type DurableHostOptions, type TaskJob } from './durable-host.js';
export { StepFunctions, type StepFunctionsOptions } from './step-functions.js';
export { lambdaCall, taskOutcome, LAMBDA_INVOKE } from './lambda-task.js';
export { SYNC_LIMIT_MS, type SyncResult } from './sync.js';
export type { ApiEvent } from './history-shape.js';
