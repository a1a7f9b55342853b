import { invalid } from '../../common/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, V } from './deps.js';
import { toConfiguration } from './function-configuration.js';

export const listFunctions = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${V}/functions`,
  handler(req, res) {
    const maxItems = req.query.has('MaxItems') ? Number(req.query.get('MaxItems')) : 50;
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000) {
      throw invalid('MaxItems must be an integer between 1 and 10000.');
    }
    const page = d.registry.list(req.query.get('Marker') ?? undefined, maxItems);
    sendJson(res, 200, {
      Functions: page.functions.map((fn) => toConfiguration(fn, d.registry)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    });
  },
});
