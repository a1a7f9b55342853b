import { notFound } from '../common/index.js';
import type { FunctionImage } from '../pool/index.js';
import type { StoredFunction } from './function-config.js';
import type { FunctionRegistry } from './function-registry.js';

/**
 * Turns a function reference into the image the invoke path runs. Images are cached per
 * revision so the hot path does not rebuild them; a new revision is a new image.
 */
export class FunctionImages {
  private readonly cache = new Map<string, FunctionImage>();

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly region: string,
  ) {}

  resolve(name: string, qualifier?: string): { image: FunctionImage; fn: StoredFunction } {
    const fn = this.registry.get(name);
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      throw notFound(`Function not found: ${this.registry.arn(name, qualifier)}`);
    }
    const key = `${fn.name}:$LATEST:${fn.revisionId}`;
    let image = this.cache.get(key);
    if (!image) {
      for (const k of this.cache.keys()) if (k.startsWith(`${fn.name}:`)) this.cache.delete(k);
      image = {
        key,
        name: fn.name,
        version: '$LATEST',
        runtime: fn.runtime,
        handler: fn.handler,
        memoryMb: fn.memoryMb,
        timeoutS: fn.timeoutS,
        ephemeralStorageMb: fn.ephemeralStorageMb,
        env: fn.env,
        codeDir: this.registry.codePath(fn.codeSha256),
        region: this.region,
      };
      this.cache.set(key, image);
    }
    return { image, fn };
  }
}
