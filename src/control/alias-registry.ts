import { randomUUID } from 'node:crypto';
import { conflict, HearthError, invalid, notFound } from '../common/index.js';
import type { Kv } from '../store/index.js';
import { revisionMismatch } from './function-config.js';
import type { FunctionRegistry } from './function-registry.js';
import type { VersionRegistry } from './version-registry.js';
import { aliasKey, aliasPrefix, deleteAll, type StoredAlias } from './version-store.js';

export interface AliasInput {
  name: string;
  functionVersion: string;
  description?: string;
  /** AdditionalVersionWeights; `{}` for none. */
  weights?: Record<string, number>;
}

export interface AliasPatch {
  functionVersion?: string;
  description?: string;
  /** Replaces the routing; `{}` removes it. */
  weights?: Record<string, number>;
  revisionId?: string;
}

const ALIAS_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
const VERSION_PATTERN = '(\\$LATEST|[0-9]+)';

/** Lambda's request validation failure (a ValidationException), one field. */
function validation(value: string, field: string, constraint: string): HearthError {
  return new HearthError('ValidationException', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

/**
 * Aliases: named pointers to a version, optionally splitting traffic with one more
 * version. Kept in memory once read, so the invoke path reads no database.
 */
export class AliasRegistry {
  private readonly cache = new Map<string, StoredAlias>();
  private readonly changeListeners: ((fn: string) => void)[] = [];

  constructor(
    private readonly kv: Kv,
    private readonly registry: FunctionRegistry,
    private readonly versions: VersionRegistry,
  ) {
    registry.onDelete((fn) => {
      deleteAll(kv, aliasPrefix(fn));
      for (const k of this.cache.keys()) if (k.startsWith(`${fn}:`)) this.cache.delete(k);
    });
  }

  arn(fn: string, alias: string): string {
    return this.registry.arn(fn, alias);
  }

  create(fn: string, input: AliasInput): StoredAlias {
    validateName(input.name);
    this.registry.get(fn);
    const alias: StoredAlias = {
      functionName: fn,
      name: input.name,
      functionVersion: input.functionVersion,
      description: input.description ?? '',
      weights: input.weights ?? {},
      revisionId: randomUUID(),
    };
    this.check(alias);
    if (!this.kv.put(aliasKey(fn, alias.name), alias, 0)) throw conflict(`Alias already exists: ${this.arn(fn, alias.name)}`);
    this.cache.set(`${fn}:${alias.name}`, alias);
    this.changed(fn);
    return alias;
  }

  get(fn: string, name: string): StoredAlias {
    const k = `${fn}:${name}`;
    const cached = this.cache.get(k);
    if (cached) return cached;
    this.registry.get(fn);
    const entry = this.kv.get<StoredAlias>(aliasKey(fn, name));
    if (!entry) throw notFound(`Cannot find alias arn: ${this.arn(fn, name)}`);
    this.cache.set(k, entry.value);
    return entry.value;
  }

  update(fn: string, name: string, patch: AliasPatch): StoredAlias {
    this.registry.get(fn);
    const entry = this.kv.get<StoredAlias>(aliasKey(fn, name));
    if (!entry) throw notFound(`Cannot find alias arn: ${this.arn(fn, name)}`);
    if (patch.revisionId !== undefined && patch.revisionId !== entry.value.revisionId) throw revisionMismatch();
    const next: StoredAlias = {
      ...entry.value,
      functionVersion: patch.functionVersion ?? entry.value.functionVersion,
      description: patch.description ?? entry.value.description,
      weights: patch.weights ?? entry.value.weights,
      revisionId: randomUUID(),
    };
    this.check(next);
    if (!this.kv.put(aliasKey(fn, name), next, entry.revision)) {
      throw conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${this.arn(fn, name)}`);
    }
    this.cache.set(`${fn}:${name}`, next);
    this.changed(fn);
    return next;
  }

  delete(fn: string, name: string): void {
    this.registry.get(fn);
    if (!this.kv.delete(aliasKey(fn, name))) throw notFound(`Cannot find alias arn: ${this.arn(fn, name)}`);
    this.cache.delete(`${fn}:${name}`);
    this.changed(fn);
  }

  /** By name; `functionVersion` keeps the aliases that route any traffic to that version. */
  list(fn: string, opts: { functionVersion?: string; marker?: string; maxItems?: number } = {}): { aliases: StoredAlias[]; nextMarker?: string } {
    this.registry.get(fn);
    const limit = Math.min(Math.max(1, opts.maxItems ?? 50), 10_000);
    const v = opts.functionVersion;
    const all = this.kv
      .list<StoredAlias>({ prefix: aliasPrefix(fn), after: opts.marker === undefined ? undefined : aliasKey(fn, opts.marker) })
      .map((e) => e.value)
      .filter((a) => v === undefined || a.functionVersion === v || Object.hasOwn(a.weights, v));
    const aliases = all.slice(0, limit);
    return { aliases, nextMarker: all.length > limit ? aliases[aliases.length - 1]?.name : undefined };
  }

  /** Lambda's rules for what an alias may point at; throws the first broken one. */
  /** Called after an alias of a function was created, re-pointed or deleted. */
  onChange(listener: (fn: string) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(fn: string): void {
    for (const l of this.changeListeners) l(fn);
  }

  private check(a: StoredAlias): void {
    if (!new RegExp(`^${VERSION_PATTERN}$`).test(a.functionVersion) || a.functionVersion.length > 1024) {
      throw validation(a.functionVersion, 'functionVersion', `Member must satisfy regular expression pattern: ${VERSION_PATTERN}`);
    }
    if (a.description.length > 256) throw validation(a.description, 'description', 'Member must have length less than or equal to 256');
    if (a.functionVersion !== '$LATEST') this.versions.get(a.functionName, a.functionVersion);
    const entries = Object.entries(a.weights);
    if (entries.length > 1) throw invalid('Number of items in AdditionalVersionWeights cannot be greater than 1');
    for (const [version, weight] of entries) {
      const pair = `{${version}=${String(weight)}}`;
      if (!/^[0-9]+$/.test(version) || version.length > 1024) {
        throw validation(pair, 'routingConfig.additionalVersionWeights', 'Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]');
      }
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1) {
        throw validation(pair, 'routingConfig.additionalVersionWeights', 'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]');
      }
      if (version === a.functionVersion) {
        throw invalid(`Invalid function version ${version}. Function version ${version} is already included in routing configuration.`);
      }
      if (a.functionVersion === '$LATEST') throw invalid('$LATEST is not supported for an alias pointing to more than 1 version');
      this.versions.get(a.functionName, version);
    }
  }
}

function validateName(name: string): void {
  if (typeof name !== 'string' || !new RegExp(`^${ALIAS_PATTERN}$`).test(name) || name.length > 128) {
    throw validation(String(name), 'name', `Member must satisfy regular expression pattern: ${ALIAS_PATTERN}`);
  }
}
