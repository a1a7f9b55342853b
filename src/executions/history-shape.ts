/**
 * The executor's history events in Step Functions' GetExecutionHistory shape: `type`,
 * `id`, `previousEventId` and the `…EventDetails` member that type carries. Stored in
 * this shape (timestamp in epoch ms) so reading history is a plain page of rows.
 */
import type { HistoryEvent, Json } from '../workflow/index.js';

export type ApiEvent = { id: number; previousEventId: number; timestamp: number; type: string } & Record<string, unknown>;

const text = (v: Json | undefined) => (v === undefined ? undefined : JSON.stringify(v));
const io = (key: 'input' | 'output', v: Json | undefined) => (v === undefined ? {} : { [key]: text(v), [`${key}Details`]: { truncated: false } });
const failure = (e: HistoryEvent) => ({ ...(e.error !== undefined ? { error: e.error } : {}), ...(e.cause !== undefined ? { cause: e.cause } : {}) });

/** Every task Hearth runs is a Lambda invoke, reported as Step Functions does: `lambda`, `invoke`. */
const LAMBDA = { resourceType: 'lambda', resource: 'invoke' };

function details(e: HistoryEvent, region: string): Record<string, unknown> {
  const t = e.type;
  if (t === 'ExecutionStarted') return { executionStartedEventDetails: { ...io('input', e.input) } };
  if (t === 'ExecutionSucceeded') return { executionSucceededEventDetails: { ...io('output', e.output) } };
  if (t === 'ExecutionFailed') return { executionFailedEventDetails: failure(e) };
  if (t === 'ExecutionAborted') return { executionAbortedEventDetails: failure(e) };
  if (t === 'ExecutionTimedOut') return { executionTimedOutEventDetails: failure(e) };
  if (t.endsWith('StateEntered')) return { stateEnteredEventDetails: { name: e.stateName, ...io('input', e.input) } };
  if (t.endsWith('StateExited')) return { stateExitedEventDetails: { name: e.stateName, ...io('output', e.output) } };
  if (t === 'TaskScheduled') {
    return { taskScheduledEventDetails: { ...LAMBDA, region, parameters: text(e.input) ?? '{}' } };
  }
  const r = LAMBDA;
  if (t === 'TaskSucceeded') return { taskSucceededEventDetails: { ...r, ...io('output', e.output) } };
  if (t === 'TaskFailed') return { taskFailedEventDetails: { ...r, ...failure(e) } };
  if (t === 'TaskTimedOut') return { taskTimedOutEventDetails: { ...r, ...failure(e) } };
  if (t === 'MapStateStarted') return { mapStateStartedEventDetails: { length: e.index ?? 0 } };
  if (t.startsWith('MapIteration')) {
    return { [`mapIteration${t.slice('MapIteration'.length)}EventDetails`]: { name: e.stateName, index: e.index } };
  }
  return {};
}

/**
 * Numbers the events from `firstId` on. `previousEventId` is the event before in the
 * log (Step Functions links to the causing event; a linear log keeps that for one thread).
 */
export function apiEvents(events: readonly HistoryEvent[], firstId: number, region: string): ApiEvent[] {
  return events.map((e, i) => {
    const d = details(e, region);
    for (const k of Object.keys(d)) if (d[k] === undefined) delete d[k];
    return { id: firstId + i, previousEventId: firstId + i - 1, timestamp: e.at, type: e.type, ...d };
  });
}
