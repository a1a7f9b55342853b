import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { type AliasBody, toAliasConfiguration, weightsOf } from './alias-configuration.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, V } from './deps.js';

export const createAlias = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: `${V}/functions/{name}/aliases`,
  async handler(req, res) {
    const b = await jsonBody<AliasBody>(req, CONFIG_BODY_LIMIT);
    const { name } = parseFunctionRef(req.params.name!);
    const alias = d.aliases.create(name, {
      name: b.Name ?? '',
      functionVersion: b.FunctionVersion ?? '',
      description: b.Description,
      weights: weightsOf(b),
    });
    sendJson(res, 201, toAliasConfiguration(alias, d));
  },
});
