import { parseFunctionRef } from '../../common/index.js';
import type { ProvisionedView } from '../../control/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, pageByMarker } from './deps.js';

const PATH = '/2019-09-30/functions/{name}/provisioned-concurrency';

function toConfig(v: ProvisionedView) {
  return {
    RequestedProvisionedConcurrentExecutions: v.requested,
    AvailableProvisionedConcurrentExecutions: v.available,
    AllocatedProvisionedConcurrentExecutions: v.allocated,
    Status: v.status,
    ...(v.reason ? { StatusReason: v.reason } : {}),
    LastModified: v.lastModified,
  };
}

/** PutProvisionedConcurrencyConfig: 202, environments start in the background (IN_PROGRESS → READY). */
export const putProvisionedConcurrencyConfig = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: PATH,
  async handler(req, res) {
    const b = await jsonBody<{ ProvisionedConcurrentExecutions?: unknown }>(req, CONFIG_BODY_LIMIT);
    const { name } = parseFunctionRef(req.params.name!);
    const view = d.provisioned.put(name, req.query.get('Qualifier'), b.ProvisionedConcurrentExecutions);
    sendJson(res, 202, toConfig(view));
  },
});

/** GetProvisionedConcurrencyConfig, and ListProvisionedConcurrencyConfigs on the same path with `List=ALL`. */
export const getProvisionedConcurrencyConfig = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: PATH,
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    if (req.query.get('List') !== 'ALL') {
      sendJson(res, 200, toConfig(d.provisioned.get(name, req.query.get('Qualifier'))));
      return;
    }
    const { page, nextMarker } = pageByMarker(d.provisioned.list(name), (v) => v.qualifier, req.query, 50, 50);
    sendJson(res, 200, {
      ProvisionedConcurrencyConfigs: page.map((v) => ({ FunctionArn: d.registry.arn(name, v.qualifier), ...toConfig(v) })),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    });
  },
});

export const deleteProvisionedConcurrencyConfig = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: PATH,
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    d.provisioned.delete(name, req.query.get('Qualifier'));
    res.writeHead(204).end();
  },
});
