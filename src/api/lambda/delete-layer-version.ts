import type { Route } from '../http.js';
import { type LambdaApiDeps, LV } from './deps.js';

export const deleteLayerVersion = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: `${LV}/layers/{layer}/versions/{version}`,
  handler(req, res) {
    // Functions that use the version keep its content and go on running it.
    d.layers.delete(req.params.layer!, req.params.version!);
    res.writeHead(204).end();
  },
});
