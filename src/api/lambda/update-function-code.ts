import { invalid } from '../../common/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CODE_BODY_LIMIT, type LambdaApiDeps, V } from './deps.js';
import { decodeZip, rejectUnsupported, latestOnly, toConfiguration } from './function-configuration.js';

interface UpdateCodeBody {
  ZipFile?: string;
  S3Bucket?: string;
  ImageUri?: string;
  Publish?: boolean;
  DryRun?: boolean;
  RevisionId?: string;
  Architectures?: string[];
}

export const updateFunctionCode = (d: LambdaApiDeps): Route => ({
  method: 'PUT',
  path: `${V}/functions/{name}/code`,
  async handler(req, res) {
    const b = await jsonBody<UpdateCodeBody>(req, CODE_BODY_LIMIT);
    rejectUnsupported({ Architectures: b.Architectures });
    if (b.ImageUri) throw invalid('Container images are not supported by Hearth; upload a zip.');
    const name = latestOnly(req.params.name!);
    const fn = await d.registry.updateCode(name, decodeZip(b.ZipFile, b.S3Bucket), { expectRevisionId: b.RevisionId, dryRun: b.DryRun });
    if (b.Publish && !b.DryRun) {
      // Lambda answers with the version just published.
      const { version } = d.versions.publish(fn.name, { revisionId: fn.revisionId });
      const v = String(version.version);
      sendJson(res, 200, toConfiguration(version, d.registry, v, v));
      return;
    }
    sendJson(res, 200, toConfiguration(fn, d.registry));
  },
});
