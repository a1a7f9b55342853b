import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps } from './deps.js';

/** PutFunctionConcurrency: reserve concurrency for a function (0 stops it). */
export const putFunctionConcurrency = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: '/2017-10-31/functions/{name}/concurrency',
  async handler(req, res) {
    const b = await jsonBody<{ ReservedConcurrentExecutions?: unknown }>(req, CONFIG_BODY_LIMIT);
    const { name } = parseFunctionRef(req.params.name!);
    const value = d.reserved.put(name, b.ReservedConcurrentExecutions);
    sendJson(res, 200, { ReservedConcurrentExecutions: value });
  },
});

/** GetFunctionConcurrency: `{}` when the function has no reservation. */
export const getFunctionConcurrency = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: '/2019-09-30/functions/{name}/concurrency',
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    d.registry.get(name);
    const value = d.reserved.reservedFor(name);
    sendJson(res, 200, value === undefined ? {} : { ReservedConcurrentExecutions: value });
  },
});

export const deleteFunctionConcurrency = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: '/2017-10-31/functions/{name}/concurrency',
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    d.reserved.delete(name);
    res.writeHead(204).end();
  },
});
