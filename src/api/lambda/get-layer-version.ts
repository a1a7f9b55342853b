import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, LV } from './deps.js';
import { toLayerVersion } from './layer-configuration.js';

export const getLayerVersion = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${LV}/layers/{layer}/versions/{version}`,
  handler(req, res) {
    sendJson(res, 200, toLayerVersion(d.layers.get(req.params.layer!, req.params.version!), d, req));
  },
});
