import { HearthError, notFound, type Random } from '../common/index.js';
import type { FunctionImage } from '../pool/index.js';
import type { AliasRegistry } from './alias-registry.js';
import { routeAlias } from './alias-routing.js';
import type { StoredFunction } from './function-config.js';
import type { FunctionRegistry } from './function-registry.js';
import type { VersionRegistry } from './version-registry.js';
import type { StoredAlias } from './version-store.js';

/** What a function reference names: the configuration of one version, perhaps through an alias. */
export interface Target {
  /** The configuration (and code) of that version. */
  fn: StoredFunction;
  /** `$LATEST` or a version number. */
  version: string;
  alias?: StoredAlias;
}

const isVersionNumber = (q: string) => /^[0-9]+$/.test(q);

/**
 * Turns a function reference (name plus `$LATEST`, a version number or an alias) into
 * the image the invoke path runs. Images are cached per version; a new revision of
 * $LATEST is a new image, while a published version's image never changes.
 */
export class FunctionImages {
  private readonly cache = new Map<string, FunctionImage>();

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly versions: VersionRegistry,
    private readonly aliases: AliasRegistry,
    private readonly region: string,
    private readonly random: Random,
  ) {
    registry.onDelete((fn) => {
      for (const slot of this.cache.keys()) if (slot.startsWith(`${fn}:`)) this.cache.delete(slot);
    });
  }

  /** The version a reference names, without routing (an alias gives its own FunctionVersion). */
  target(name: string, qualifier?: string): Target {
    const latest = this.registry.get(name);
    if (qualifier === undefined || qualifier === '$LATEST') return { fn: latest, version: '$LATEST' };
    if (isVersionNumber(qualifier)) return { fn: this.versions.get(name, qualifier), version: qualifier };
    const alias = this.aliasOf(name, qualifier);
    return { ...this.version(name, alias.functionVersion, latest), alias };
  }

  /** The image one invocation runs; through a weighted alias, the version is picked here. */
  resolve(name: string, qualifier?: string): { image: FunctionImage; fn: StoredFunction } {
    const latest = this.registry.get(name);
    let version = qualifier ?? '$LATEST';
    if (version !== '$LATEST' && !isVersionNumber(version)) version = routeAlias(this.aliasOf(name, version), this.random);
    const { fn } = this.version(name, version, latest);
    return { image: this.image(fn, version), fn };
  }

  private version(name: string, version: string, latest: StoredFunction): { fn: StoredFunction; version: string } {
    return { fn: version === '$LATEST' ? latest : this.versions.get(name, version), version };
  }

  private aliasOf(name: string, alias: string): StoredAlias {
    try {
      return this.aliases.get(name, alias);
    } catch (err) {
      // Lambda words an unknown qualifier the same way, whatever kind it is.
      if (err instanceof HearthError && err.code === 'ResourceNotFoundException') {
        throw notFound(`Function not found: ${this.registry.arn(name, alias)}`);
      }
      throw err;
    }
  }

  private image(fn: StoredFunction, version: string): FunctionImage {
    const key = `${fn.name}:${version}:${fn.revisionId}`;
    const slot = `${fn.name}:${version}`;
    const cached = this.cache.get(slot);
    if (cached?.key === key) return cached;
    const image: FunctionImage = {
      key,
      name: fn.name,
      version,
      runtime: fn.runtime,
      handler: fn.handler,
      memoryMb: fn.memoryMb,
      timeoutS: fn.timeoutS,
      ephemeralStorageMb: fn.ephemeralStorageMb,
      env: fn.env,
      codeDir: this.registry.codePath(fn.codeSha256),
      optDir: this.registry.optPath(fn),
      region: this.region,
      maxConcurrentRequests: fn.maxConcurrentRequests ?? 1,
    };
    this.cache.set(slot, image);
    return image;
  }
}
