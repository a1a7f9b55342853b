import { compilePattern, EventsError, type PutEventsEntry } from '../../events/index.js';
import { type Input, list, type Operation, str } from './protocol.js';

/** EventBridge's limit on a PutEvents request's entries, counted as it counts them. */
const MAX_REQUEST_BYTES = 256 * 1024;

const entrySize = (e: Input) =>
  ['Source', 'DetailType', 'Detail'].reduce((n, k) => n + (typeof e[k] === 'string' ? Buffer.byteLength(e[k] as string) : 0), 14) +
  (Array.isArray(e.Resources) ? e.Resources.reduce((n: number, r) => n + Buffer.byteLength(String(r)), 0) : 0);

export const putEvents: Operation = (input, { eventRouter }) => {
  const entries = list(input, 'Entries') as Input[];
  if (entries.length < 1 || entries.length > 10) throw new EventsError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10 (got ${entries.length})`);
  if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_REQUEST_BYTES) throw new EventsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  for (const e of entries) {
    if (e.TraceHeader !== undefined) throw new EventsError('ValidationException', 'TraceHeader is not supported by Hearth yet (X-Ray tracing).');
  }
  const results = eventRouter.putEvents(entries.map((e): PutEventsEntry => ({
    Source: str(e, 'Source', true),
    DetailType: str(e, 'DetailType', true),
    Detail: str(e, 'Detail', true),
    Resources: list(e, 'Resources').map(String),
    // JSON 1.1 timestamps are epoch seconds.
    Time: typeof e.Time === 'number' ? e.Time * 1000 : undefined,
    EventBusName: str(e, 'EventBusName', true),
  })));
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};

/** The envelope fields TestEventPattern's Event must carry. */
const REQUIRED = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];

export const testEventPattern: Operation = (input) => {
  const pattern = compilePattern(str(input, 'EventPattern'));
  let event: unknown;
  try {
    event = JSON.parse(str(input, 'Event'));
  } catch {
    throw new EventsError('ValidationException', 'Parameter Event is not valid: it is not JSON text.');
  }
  const fields = typeof event === 'object' && event !== null ? event : {};
  const absent = REQUIRED.filter((f) => !(f in fields));
  if (absent.length > 0) throw new EventsError('ValidationException', `Parameter Event is not valid: it lacks the mandatory field(s) ${absent.join(', ')}.`);
  return { Result: pattern.matches(event) };
};
