import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { toAliasConfiguration } from './alias-configuration.js';
import { type LambdaApiDeps, V } from './deps.js';

export const getAlias = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${V}/functions/{name}/aliases/{alias}`,
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    sendJson(res, 200, toAliasConfiguration(d.aliases.get(name, req.params.alias!), d));
  },
});
