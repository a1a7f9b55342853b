import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, V } from './deps.js';
import { type ConfigBody, latestOnly, rejectUnsupported, toConfiguration, toPatch } from './function-configuration.js';

export const updateFunctionConfiguration = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: `${V}/functions/{name}/configuration`,
  async handler(req, res) {
    const b = await jsonBody<ConfigBody & { RevisionId?: string }>(req, CONFIG_BODY_LIMIT);
    rejectUnsupported(b);
    const name = latestOnly(req.params.name!);
    const fn = await d.registry.updateConfig(name, toPatch(b), b.RevisionId);
    sendJson(res, 200, toConfiguration(fn, d.registry));
  },
});
