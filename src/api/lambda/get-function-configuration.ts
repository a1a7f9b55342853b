import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, V } from './deps.js';
import { toConfiguration } from './function-configuration.js';

export const getFunctionConfiguration = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${V}/functions/{name}/configuration`,
  handler(req, res) {
    const ref = parseFunctionRef(req.params.name!);
    const qualifier = req.query.get('Qualifier') ?? ref.qualifier;
    const { fn, version } = d.images.target(ref.name, qualifier);
    sendJson(res, 200, toConfiguration(fn, d.registry, version, qualifier));
  },
});
