import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { type LambdaApiDeps, V } from './deps.js';
import { toConfiguration } from './function-configuration.js';

export const getFunction = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: `${V}/functions/{name}`,
  handler(req, res) {
    const ref = parseFunctionRef(req.params.name!);
    const qualifier = req.query.get('Qualifier') ?? ref.qualifier;
    const { fn, version } = d.images.target(ref.name, qualifier);
    const host = req.headers.host ?? '127.0.0.1';
    const reserved = d.reserved.reservedFor(ref.name);
    sendJson(res, 200, {
      Configuration: toConfiguration(fn, d.registry, version, qualifier),
      Code: { RepositoryType: 'S3', Location: `http://${host}/hearth/v1/code/${fn.codeSha256}` },
      // Tags belong to the function, whichever version is asked for.
      Tags: d.registry.get(ref.name).tags,
      ...(reserved === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: reserved } }),
    });
  },
});
