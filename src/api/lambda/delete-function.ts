import { invalid, parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { type LambdaApiDeps, V } from './deps.js';

export const deleteFunction = (d: LambdaApiDeps): Route => ({
  method: 'DELETE',
  path: `${V}/functions/{name}`,
  handler(req, res) {
    const ref = parseFunctionRef(req.params.name!);
    const qualifier = req.query.get('Qualifier') ?? ref.qualifier;
    if (qualifier && qualifier !== '$LATEST') throw invalid('Deleting a version is not supported by Hearth yet.');
    d.registry.delete(ref.name);
    res.writeHead(204).end();
  },
});
