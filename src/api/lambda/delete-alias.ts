import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { type LambdaApiDeps, V } from './deps.js';

export const deleteAlias = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: `${V}/functions/{name}/aliases/{alias}`,
  handler(req, res) {
    const { name } = parseFunctionRef(req.params.name!);
    d.aliases.delete(name, req.params.alias!);
    res.writeHead(204).end();
  },
});
