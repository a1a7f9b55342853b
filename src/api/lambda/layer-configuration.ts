import { HearthError } from '../../common/index.js';
import type { LayerFilter, StoredLayerVersion } from '../../control/index.js';
import type { Request } from '../http.js';
import type { LambdaApiDeps } from './deps.js';

/** The members every layer version answer has (`LayerVersionsListItem`). */
export function toLayerVersionsListItem(v: StoredLayerVersion, d: LambdaApiDeps) {
  return {
    LayerVersionArn: d.layers.arn(v.name, v.version),
    Version: v.version,
    Description: v.description,
    CreatedDate: v.createdDate,
    ...(v.compatibleRuntimes.length > 0 ? { CompatibleRuntimes: v.compatibleRuntimes } : {}),
    ...(v.compatibleArchitectures.length > 0 ? { CompatibleArchitectures: v.compatibleArchitectures } : {}),
    ...(v.licenseInfo !== undefined ? { LicenseInfo: v.licenseInfo } : {}),
  };
}

/** A layer version as PublishLayerVersion and GetLayerVersion answer it. */
export function toLayerVersion(v: StoredLayerVersion, d: LambdaApiDeps, req: Request) {
  const host = req.headers.host ?? '127.0.0.1';
  return {
    Content: {
      // Served by Hearth's code route, like a function's code.
      Location: `http://${host}/hearth/v1/code/${v.codeSha256}`,
      CodeSha256: Buffer.from(v.codeSha256, 'hex').toString('base64'),
      CodeSize: v.codeSize,
    },
    LayerArn: d.layers.arn(v.name),
    ...toLayerVersionsListItem(v, d),
  };
}

/** `CompatibleRuntime` and `CompatibleArchitecture` of ListLayers / ListLayerVersions. */
export function layerFilter(query: URLSearchParams): LayerFilter {
  const architecture = query.get('CompatibleArchitecture') ?? undefined;
  if (architecture !== undefined && architecture !== 'x86_64' && architecture !== 'arm64') {
    throw new HearthError('ValidationException', `1 validation error detected: Value '${architecture}' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]`);
  }
  return { runtime: query.get('CompatibleRuntime') ?? undefined, architecture };
}

/** ListLayers and ListLayerVersions take 1–50 items per page. */
export const LAYER_PAGE_MAX = 50;
