import type { ServerResponse } from 'node:http';
import { requestId } from '../../common/index.js';
import { SfnError, type StepFunctions } from '../../executions/index.js';
import type { Request } from '../http.js';
import { type JsonProtocolService, readAwsJsonRequest } from '../aws-json.js';
import { OPERATIONS } from './operations.js';
import { sendSfnError, sendSfnJson } from './protocol.js';

export { SFN_ERRORS } from './protocol.js';
export const SFN_OPERATIONS = Object.keys(OPERATIONS);

export interface SfnDeps {
  stepFunctions: StepFunctions;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
/** Inputs and definitions are at most 256 KB and 1 MB; with escapes this is ample. */
const BODY_LIMIT = 4 * 1024 * 1024;

/** Step Functions' operations on the main port's `POST /` (see `addJsonProtocolRoute`). */
export const stepFunctionsService = (deps: SfnDeps): JsonProtocolService => ({
  prefix: TARGET_PREFIX,
  handle: (req, res) => handle(req, res, deps),
});

async function handle(req: Request, res: ServerResponse, deps: SfnDeps): Promise<void> {
  const id = requestId();
  try {
    const { op, input } = await readAwsJsonRequest(req, TARGET_PREFIX, OPERATIONS, BODY_LIMIT, (kind, message) =>
      new SfnError(kind === 'unknown' ? 'UnknownOperationException' : 'ValidationException', message),
    );
    sendSfnJson(res, (await op(input, deps.stepFunctions)) ?? {}, id);
  } catch (err) {
    sendSfnError(res, err, id);
  }
}
