import { invalid } from '../../common/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, maxItems, V } from './deps.js';
import { toConfiguration } from './function-configuration.js';

export const listFunctions = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${V}/functions`,
  handler(req, res) {
    const max = maxItems(req.query);
    const marker = req.query.get('Marker') ?? undefined;
    const which = req.query.get('FunctionVersion');
    if (which !== null && which !== 'ALL') throw invalid(`FunctionVersion must be ALL (got ${which}).`);
    if (which === 'ALL') {
      // $LATEST and every published version of each function, with qualified ARNs.
      const page = d.versions.listAll(marker, max);
      sendJson(res, 200, {
        Functions: page.versions.map((v) => toConfiguration(v.fn, d.registry, v.version, v.version)),
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
      });
      return;
    }
    const page = d.registry.list(marker, max);
    sendJson(res, 200, {
      Functions: page.functions.map((fn) => toConfiguration(fn, d.registry)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    });
  },
});
