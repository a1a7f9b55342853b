import type { Route } from '../http.js';
import { jsonBody, sendJson } from '../http.js';
import { invalid } from '../../common/index.js';
import { CODE_BODY_LIMIT, type LambdaApiDeps, V } from './deps.js';
import { type ConfigBody, decodeZip, rejectUnsupported, toConfiguration } from './function-configuration.js';

interface CreateFunctionBody extends ConfigBody {
  FunctionName?: string;
  Code?: { ZipFile?: string; S3Bucket?: string; ImageUri?: string };
  Publish?: boolean;
  Tags?: Record<string, string>;
}

export const createFunction = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: `${V}/functions`,
  async handler(req, res) {
    const b = await jsonBody<CreateFunctionBody>(req, CODE_BODY_LIMIT);
    rejectUnsupported(b);
    if (b.Code?.ImageUri) throw invalid('Container images are not supported by Hearth; upload a zip.');
    if (!b.FunctionName) throw invalid('FunctionName is required.');
    if (!b.Runtime) throw invalid('Runtime is required for a Zip package.');
    if (!b.Handler) throw invalid('Handler is required for a Zip package.');
    const fn = await d.registry.create({
      name: b.FunctionName,
      runtime: b.Runtime,
      handler: b.Handler,
      role: b.Role,
      description: b.Description,
      memoryMb: b.MemorySize,
      timeoutS: b.Timeout,
      ephemeralStorageMb: b.EphemeralStorage?.Size,
      env: b.Environment?.Variables,
      tags: b.Tags,
      layers: b.Layers,
      maxConcurrentRequests: b.MaxConcurrentRequests,
      deadLetterTargetArn: b.DeadLetterConfig?.TargetArn,
      zip: decodeZip(b.Code?.ZipFile, b.Code?.S3Bucket),
    });
    if (b.Publish) {
      // Lambda answers with the version just published.
      const { version } = d.versions.publish(fn.name);
      const v = String(version.version);
      sendJson(res, 201, toConfiguration(version, d.registry, v, v));
      return;
    }
    sendJson(res, 201, toConfiguration(fn, d.registry));
  },
});
