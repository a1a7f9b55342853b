import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { toAliasConfiguration } from './alias-configuration.js';
import { type LambdaApiDeps, maxItems, V } from './deps.js';

export const listAliases = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${V}/functions/{name}/aliases`,
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    const page = d.aliases.list(name, {
      functionVersion: req.query.get('FunctionVersion') ?? undefined,
      marker: req.query.get('Marker') ?? undefined,
      maxItems: maxItems(req.query),
    });
    sendJson(res, 200, {
      Aliases: page.aliases.map((a) => toAliasConfiguration(a, d)),
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    });
  },
});
