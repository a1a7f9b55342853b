import { invalid, parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { type LambdaApiDeps, V } from './deps.js';

export const deleteFunction = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: `${V}/functions/{name}`,
  handler(req, res) {
    const ref = parseFunctionRef(req.params.name!);
    const qualifier = req.query.get('Qualifier') ?? ref.qualifier;
    if (qualifier === undefined) {
      // The function with all its versions and aliases.
      d.registry.delete(ref.name);
    } else {
      d.registry.get(ref.name);
      if (qualifier === '$LATEST') throw invalid('$LATEST version cannot be deleted without deleting the function.');
      if (!/^[0-9]+$/.test(qualifier)) throw invalid('Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.');
      d.versions.delete(ref.name, qualifier);
    }
    res.writeHead(204).end();
  },
});
