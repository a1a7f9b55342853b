import type { ServerResponse } from 'node:http';
import { requestId } from '../../common/index.js';
import { EventsError } from '../../events/index.js';
import type { Request } from '../http.js';
import { type JsonProtocolService, readAwsJsonRequest } from '../aws-json.js';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './buses.js';
import { type EventBridgeDeps, type Operation, sendEventsError, sendEventsJson } from './protocol.js';
import { putEvents, testEventPattern } from './put-events.js';
import { deleteRule, describeRule, disableRule, enableRule, listRules, putRule } from './rules.js';
import { listTargetsByRule, putTargets, removeTargets } from './targets.js';

export type { EventBridgeDeps } from './protocol.js';
export { EVENTBRIDGE_ERRORS } from './protocol.js';

/** The EventBridge operations Hearth speaks, by their `X-Amz-Target: AWSEvents.<name>`. */
const OPERATIONS: Record<string, Operation> = {
  CreateEventBus: createEventBus,
  DeleteEventBus: deleteEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  EnableRule: enableRule,
  DisableRule: disableRule,
  DeleteRule: deleteRule,
  PutTargets: putTargets,
  ListTargetsByRule: listTargetsByRule,
  RemoveTargets: removeTargets,
  PutEvents: putEvents,
  TestEventPattern: testEventPattern,
};

export const EVENTBRIDGE_OPERATIONS = Object.keys(OPERATIONS);

const TARGET_PREFIX = 'AWSEvents.';
/** Ten 256 KB entries as JSON, with room for escapes. */
const BODY_LIMIT = 4 * 1024 * 1024;

/** EventBridge's operations on the main port's `POST /` (see `addJsonProtocolRoute`). */
export const eventBridgeService = (deps: EventBridgeDeps): JsonProtocolService => ({
  prefix: TARGET_PREFIX,
  handle: (req, res) => handle(req, res, deps),
});

async function handle(req: Request, res: ServerResponse, deps: EventBridgeDeps): Promise<void> {
  const id = requestId();
  try {
    const { op, input } = await readAwsJsonRequest(req, TARGET_PREFIX, OPERATIONS, BODY_LIMIT, (kind, message) =>
      new EventsError(kind === 'unknown' ? 'UnknownOperationException' : 'ValidationException', message),
    );
    const output = await op(input, deps);
    sendEventsJson(res, 200, output ?? {}, { 'x-amzn-requestid': id });
  } catch (err) {
    sendEventsError(res, err, id);
  }
}
