import { createHash, randomUUID } from 'node:crypto';
import { type Clock, conflict, HearthError, invalid, notFound } from '../common/index.js';
import type { Kv } from '../store/index.js';
import { lambdaTimestamp, revisionMismatch, type StoredFunction } from './function-config.js';
import type { FunctionRegistry } from './function-registry.js';
import { aliasesReferencing, deleteAll, type StoredVersion, versionKey, versionPrefix } from './version-store.js';

export interface VersionRegistryOptions {
  kv: Kv;
  registry: FunctionRegistry;
  clock: Clock;
  /** Called after a version was deleted (its environments can go). */
  onDelete: (name: string, version: string) => void;
}

export interface PublishInput {
  /** The SHA-256 the caller expects $LATEST's code to have, base64 (as GetFunction reports it). */
  codeSha256?: string;
  description?: string;
  revisionId?: string;
}

/** One entry of a function's version list: $LATEST or a published version. */
export interface VersionEntry {
  fn: StoredFunction;
  version: string;
}

const isVersionNumber = (q: string) => /^[0-9]+$/.test(q);

/**
 * Published versions: numbered 1, 2, … per function, immutable once written. They are
 * kept in memory once read (they never change), so the invoke path reads no database.
 */
export class VersionRegistry {
  private readonly cache = new Map<string, StoredVersion>();

  constructor(private readonly o: VersionRegistryOptions) {
    o.registry.onDelete((name) => {
      deleteAll(o.kv, versionPrefix(name));
      for (const k of this.cache.keys()) if (k.startsWith(`${name}:`)) this.cache.delete(k);
    });
  }

  /**
   * Publishes $LATEST as a new version, or returns the last version when $LATEST has not
   * changed since it was published (as Lambda does).
   */
  publish(name: string, input: PublishInput = {}): { version: StoredVersion; created: boolean } {
    const fn = this.o.registry.get(name);
    const current = Buffer.from(fn.codeSha256, 'hex').toString('base64');
    if (input.codeSha256 !== undefined && input.codeSha256 !== current) {
      throw invalid(`CodeSHA256 (${input.codeSha256}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`);
    }
    if (input.revisionId !== undefined && input.revisionId !== fn.revisionId) throw revisionMismatch();
    if (input.description !== undefined && input.description.length > 256) {
      throw invalid('Description must be at most 256 characters.');
    }
    const print = fingerprint(fn);
    const last = fn.lastVersion === undefined ? undefined : this.find(name, fn.lastVersion);
    if (last && last.fingerprint === print) return { version: last, created: false };

    const n = this.o.registry.takeVersionNumber(name, fn.revisionId);
    const { lastVersion: _counter, ...config } = fn;
    const version: StoredVersion = {
      ...config,
      version: n,
      fingerprint: print,
      description: input.description ?? fn.description,
      revisionId: randomUUID(),
      lastModified: lambdaTimestamp(this.o.clock.now()),
    };
    if (!this.o.kv.put(versionKey(name, n), version, 0)) {
      throw conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${this.o.registry.arn(name)}`);
    }
    this.cache.set(`${name}:${n}`, version);
    return { version, created: true };
  }

  /** A published version by its number ("3"); ResourceNotFoundException otherwise. */
  get(name: string, version: string): StoredVersion {
    const found = isVersionNumber(version) ? this.find(name, Number(version)) : undefined;
    if (!found) throw notFound(`Function not found: ${this.o.registry.arn(name, version)}`);
    return found;
  }

  /** $LATEST first, then the published versions in ascending order; `marker` is the last version of the previous page. */
  list(name: string, marker?: string, maxItems = 50): { versions: VersionEntry[]; nextMarker?: string } {
    const fn = this.o.registry.get(name);
    const limit = Math.min(Math.max(1, maxItems), 10_000);
    const out: VersionEntry[] = [];
    if (marker === undefined) out.push({ fn, version: '$LATEST' });
    const after = marker === undefined || marker === '$LATEST' ? undefined : isVersionNumber(marker) ? versionKey(name, Number(marker)) : undefined;
    if (marker !== undefined && marker !== '$LATEST' && after === undefined) throw invalid(`Invalid Marker: ${marker}`);
    const page = this.o.kv.list<StoredVersion>({ prefix: versionPrefix(name), after, limit: limit + 1 - out.length });
    for (const e of page) out.push({ fn: e.value, version: String(e.value.version) });
    const versions = out.slice(0, limit);
    return { versions, nextMarker: out.length > limit ? versions[versions.length - 1]?.version : undefined };
  }

  /** Every function's $LATEST followed by its versions, by name (ListFunctions with FunctionVersion=ALL). */
  listAll(marker?: string, maxItems = 50): { versions: VersionEntry[]; nextMarker?: string } {
    const limit = Math.min(Math.max(1, maxItems), 10_000);
    const out: VersionEntry[] = [];
    let afterName: string | undefined;
    if (marker !== undefined) {
      const at = marker.lastIndexOf(':');
      if (at <= 0) throw invalid(`Invalid Marker: ${marker}`);
      afterName = marker.slice(0, at);
      try {
        out.push(...this.list(afterName, marker.slice(at + 1), limit + 1).versions);
      } catch (err) {
        // The marker's function was deleted meanwhile: go on with the next name.
        if (!(err instanceof HearthError && err.code === 'ResourceNotFoundException')) throw err;
      }
    }
    while (out.length <= limit) {
      const { functions, nextMarker } = this.o.registry.list(afterName, 100);
      for (const fn of functions) {
        out.push(...this.list(fn.name, undefined, limit + 1 - out.length).versions);
        if (out.length > limit) break;
      }
      if (!nextMarker) break;
      afterName = nextMarker;
    }
    const versions = out.slice(0, limit);
    const last = versions[versions.length - 1];
    return { versions, nextMarker: out.length > limit && last ? `${last.fn.name}:${last.version}` : undefined };
  }

  /** Deletes a published version; refused while an alias routes to it. */
  delete(name: string, version: string): void {
    this.get(name, version);
    const users = aliasesReferencing(this.o.kv, name, version);
    if (users.length > 0) throw conflict(`Unable to delete version because the following aliases reference it: [${users.join(', ')}]`);
    this.o.kv.delete(versionKey(name, Number(version)));
    this.cache.delete(`${name}:${version}`);
    this.o.onDelete(name, version);
  }

  private find(name: string, n: number): StoredVersion | undefined {
    const k = `${name}:${n}`;
    const cached = this.cache.get(k);
    if (cached) return cached;
    const entry = this.o.kv.get<StoredVersion>(versionKey(name, n));
    if (entry) this.cache.set(k, entry.value);
    return entry?.value;
  }
}

/** What makes two publishes the same: the code and every setting that reaches the environment or the API. */
function fingerprint(fn: StoredFunction): string {
  const env = Object.fromEntries(Object.entries(fn.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const parts: unknown[] = [fn.codeSha256, fn.runtime, fn.handler, fn.role, fn.description, fn.memoryMb, fn.timeoutS, fn.ephemeralStorageMb, env];
  // Only when present, so digests of functions without layers stay as they were.
  if (fn.layers?.length) parts.push(fn.layers.map((l) => l.arn));
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
