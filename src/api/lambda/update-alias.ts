import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { type AliasBody, toAliasConfiguration, weightsOf } from './alias-configuration.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, V } from './deps.js';

export const updateAlias = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: `${V}/functions/{name}/aliases/{alias}`,
  async handler(req, res) {
    const b = await jsonBody<AliasBody>(req, CONFIG_BODY_LIMIT);
    const { name } = parseFunctionRef(req.params.name!);
    const alias = d.aliases.update(name, req.params.alias!, {
      functionVersion: b.FunctionVersion,
      description: b.Description,
      weights: weightsOf(b),
      revisionId: b.RevisionId,
    });
    sendJson(res, 200, toAliasConfiguration(alias, d));
  },
});
