import { parseFunctionRef } from '../../common/index.js';
import type { EventInvokeConfig, EventInvokeConfigInput } from '../../events/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, pageByMarker } from './deps.js';

const PATH = '/2019-09-25/functions/{name}/event-invoke-config';

function toWire(c: EventInvokeConfig, d: LambdaApiDeps) {
  const destination = (arn?: string) => (arn ? { Destination: arn } : {});
  return {
    // Lambda's REST-JSON timestamps are epoch seconds.
    LastModified: c.lastModified / 1000,
    FunctionArn: d.registry.arn(c.name, c.qualifier),
    MaximumRetryAttempts: c.maximumRetryAttempts,
    MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds,
    DestinationConfig: { OnSuccess: destination(c.onSuccess), OnFailure: destination(c.onFailure) },
  };
}

const ref = (name: string, query: URLSearchParams) => {
  const r = parseFunctionRef(name);
  return { name: r.name, qualifier: query.get('Qualifier') ?? r.qualifier ?? null };
};

/** PutFunctionEventInvokeConfig: replaces the settings (members left out take the defaults). */
export const putFunctionEventInvokeConfig = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: PATH,
  async handler(req, res) {
    const body = await jsonBody<EventInvokeConfigInput>(req, CONFIG_BODY_LIMIT);
    const { name, qualifier } = ref(req.params.name!, req.query);
    sendJson(res, 200, toWire(d.eventConfigs.put(name, qualifier, body, false), d));
  },
});

/** UpdateFunctionEventInvokeConfig: changes only the members given. */
export const updateFunctionEventInvokeConfig = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: PATH,
  async handler(req, res) {
    const body = await jsonBody<EventInvokeConfigInput>(req, CONFIG_BODY_LIMIT);
    const { name, qualifier } = ref(req.params.name!, req.query);
    sendJson(res, 200, toWire(d.eventConfigs.put(name, qualifier, body, true), d));
  },
});

export const getFunctionEventInvokeConfig = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: PATH,
  handler(req, res) {
    const { name, qualifier } = ref(req.params.name!, req.query);
    sendJson(res, 200, toWire(d.eventConfigs.get(name, qualifier), d));
  },
});

export const deleteFunctionEventInvokeConfig = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: PATH,
  handler(req, res) {
    const { name, qualifier } = ref(req.params.name!, req.query);
    d.eventConfigs.delete(name, qualifier);
    res.writeHead(204).end();
  },
});

export const listFunctionEventInvokeConfigs = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${PATH}/list`,
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    const { page, nextMarker } = pageByMarker(d.eventConfigs.list(name), (c) => c.qualifier, req.query, 50, 50);
    sendJson(res, 200, { FunctionEventInvokeConfigs: page.map((c) => toWire(c, d)), ...(nextMarker ? { NextMarker: nextMarker } : {}) });
  },
});
