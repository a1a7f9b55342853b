import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, maxItems, V } from './deps.js';
import { toConfiguration } from './function-configuration.js';

export const listVersionsByFunction = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${V}/functions/{name}/versions`,
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    const page = d.versions.list(name, req.query.get('Marker') ?? undefined, maxItems(req.query));
    sendJson(res, 200, {
      // Every entry's ARN is qualified, $LATEST's too, as Lambda lists them.
      Versions: page.versions.map((v) => toConfiguration(v.fn, d.registry, v.version, v.version)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    });
  },
});
