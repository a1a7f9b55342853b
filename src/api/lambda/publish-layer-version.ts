import { invalid } from '../../common/index.js';
import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { CODE_BODY_LIMIT, type LambdaApiDeps, LV } from './deps.js';
import { decodeZip } from './function-configuration.js';
import { toLayerVersion } from './layer-configuration.js';

interface PublishLayerVersionBody {
  Content?: { ZipFile?: string; S3Bucket?: string };
  Description?: string;
  CompatibleRuntimes?: string[];
  CompatibleArchitectures?: string[];
  LicenseInfo?: string;
}

export const publishLayerVersion = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: `${LV}/layers/{layer}/versions`,
  async handler(req, res) {
    const b = await jsonBody<PublishLayerVersionBody>(req, CODE_BODY_LIMIT);
    if (!b.Content) throw invalid('Content is required.');
    const version = await d.layers.publish({
      layerName: req.params.layer!,
      zip: decodeZip(b.Content.ZipFile, b.Content.S3Bucket, 'Content.ZipFile'),
      description: b.Description,
      compatibleRuntimes: b.CompatibleRuntimes,
      compatibleArchitectures: b.CompatibleArchitectures,
      licenseInfo: b.LicenseInfo,
    });
    sendJson(res, 201, toLayerVersion(version, d, req));
  },
});
