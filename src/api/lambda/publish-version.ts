import { parseFunctionRef } from '../../common/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CONFIG_BODY_LIMIT, type LambdaApiDeps, V } from './deps.js';
import { toConfiguration } from './function-configuration.js';

interface PublishVersionBody {
  CodeSha256?: string;
  Description?: string;
  RevisionId?: string;
}

export const publishVersion = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: `${V}/functions/{name}/versions`,
  async handler(req, res) {
    const b = await jsonBody<PublishVersionBody>(req, CONFIG_BODY_LIMIT);
    const { name } = parseFunctionRef(req.params.name!);
    const { version } = d.versions.publish(name, { codeSha256: b.CodeSha256, description: b.Description, revisionId: b.RevisionId });
    const v = String(version.version);
    sendJson(res, 201, toConfiguration(version, d.registry, v, v));
  },
});
