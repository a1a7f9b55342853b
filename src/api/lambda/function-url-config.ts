import { parseFunctionRef } from '../../common/index.js';
import type { FunctionUrlInput, StoredFunctionUrl } from '../../control/index.js';
import { jsonBody, type Request, type Route, sendJson } from '../http.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, maxItems } from './deps.js';

/** Function URL operations live under Lambda's 2021-10-31 API version. */
const UV = '/2021-10-31';

function ref(req: Request): { name: string; qualifier?: string } {
  const r = parseFunctionRef(req.params.name!);
  return { name: r.name, qualifier: req.query.get('Qualifier') ?? r.qualifier };
}

function view(d: LambdaApiDeps, u: StoredFunctionUrl) {
  const path = u.qualifier ? `${u.name}:${u.qualifier}` : u.name;
  return {
    FunctionUrl: `${d.gatewayUrl()}/lambda-url/${path}/`,
    FunctionArn: d.registry.arn(u.name, u.qualifier),
    AuthType: u.authType,
    ...(u.cors ? { Cors: u.cors } : {}),
    CreationTime: new Date(u.created).toISOString(),
    LastModifiedTime: new Date(u.modified).toISOString(),
    InvokeMode: u.invokeMode,
  };
}

export const createFunctionUrlConfig = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: `${UV}/functions/{name}/url`,
  async handler(req, res) {
    const { name, qualifier } = ref(req);
    const b = await jsonBody<FunctionUrlInput>(req, CONFIG_BODY_LIMIT);
    const { LastModifiedTime: _, ...created } = view(d, d.functionUrls.create(name, qualifier, b));
    sendJson(res, 201, created);
  },
});

export const getFunctionUrlConfig = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${UV}/functions/{name}/url`,
  handler(req, res) {
    const { name, qualifier } = ref(req);
    sendJson(res, 200, view(d, d.functionUrls.get(name, qualifier)));
  },
});

export const updateFunctionUrlConfig = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: `${UV}/functions/{name}/url`,
  async handler(req, res) {
    const { name, qualifier } = ref(req);
    const b = await jsonBody<FunctionUrlInput>(req, CONFIG_BODY_LIMIT);
    sendJson(res, 200, view(d, d.functionUrls.update(name, qualifier, b)));
  },
});

export const deleteFunctionUrlConfig = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: `${UV}/functions/{name}/url`,
  handler(req, res) {
    const { name, qualifier } = ref(req);
    d.functionUrls.delete(name, qualifier);
    res.writeHead(204).end();
  },
});

export const listFunctionUrlConfigs = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${UV}/functions/{name}/urls`,
  handler(req, res) {
    const limit = maxItems(req.query, 50, 50);
    const all = d.functionUrls.list(parseFunctionRef(req.params.name!).name);
    const start = Math.max(0, Number(req.query.get('Marker') ?? 0) || 0);
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    sendJson(res, 200, { FunctionUrlConfigs: page.map((u) => view(d, u)), ...(next ? { NextMarker: next } : {}) });
  },
});
