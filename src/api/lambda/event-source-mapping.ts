import { ACCOUNT_ID, parseFunctionRef } from '../../common/index.js';
import type { EventSourceMapping, MappingInput } from '../../events/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, pageByMarker, V } from './deps.js';

const PATH = `${V}/event-source-mappings`;

function toWire(m: EventSourceMapping, d: LambdaApiDeps, state?: string) {
  return {
    UUID: m.uuid,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.batchingWindowS,
    EventSourceArn: m.eventSourceArn,
    FunctionArn: d.registry.arn(m.functionName, m.qualifier),
    // Lambda's REST-JSON timestamps are epoch seconds.
    LastModified: m.lastModified / 1000,
    State: state ?? (m.enabled ? 'Enabled' : 'Disabled'),
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: m.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(m.maximumConcurrency ? { ScalingConfig: { MaximumConcurrency: m.maximumConcurrency } } : {}),
    EventSourceMappingArn: `arn:aws:lambda:${d.region}:${ACCOUNT_ID}:event-source-mapping:${m.uuid}`,
  };
}

/** CreateEventSourceMapping: 202, polling starts at once when enabled. */
export const createEventSourceMapping = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: PATH,
  async handler(req, res) {
    const body = await jsonBody<MappingInput>(req, CONFIG_BODY_LIMIT);
    const m = d.mappings.create(body);
    sendJson(res, 202, toWire(m, d, m.enabled ? 'Creating' : 'Disabled'));
  },
});

export const getEventSourceMapping = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${PATH}/{uuid}`,
  handler(req, res) {
    sendJson(res, 200, toWire(d.mappings.get(req.params.uuid!), d));
  },
});

export const updateEventSourceMapping = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: `${PATH}/{uuid}`,
  async handler(req, res) {
    const body = await jsonBody<MappingInput>(req, CONFIG_BODY_LIMIT);
    const m = d.mappings.update(req.params.uuid!, body);
    sendJson(res, 202, toWire(m, d, 'Updating'));
  },
});

export const deleteEventSourceMapping = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: `${PATH}/{uuid}`,
  handler(req, res) {
    sendJson(res, 202, toWire(d.mappings.delete(req.params.uuid!), d, 'Deleting'));
  },
});

export const listEventSourceMappings = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: PATH,
  handler(req, res) {
    const fn = req.query.get('FunctionName');
    const all = d.mappings
      .list({ eventSourceArn: req.query.get('EventSourceArn') ?? undefined, functionName: fn ? parseFunctionRef(fn).name : undefined })
      .sort((a, b) => a.uuid.localeCompare(b.uuid));
    const { page, nextMarker } = pageByMarker(all, (m) => m.uuid, req.query, 100, 10_000);
    sendJson(res, 200, { EventSourceMappings: page.map((m) => toWire(m, d)), ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  },
});
