import type { Kv } from '../store/index.js';
import type { StoredFunction } from './function-config.js';

/**
 * How versions and aliases are kept in the `Kv` port. Version numbers are zero-padded so
 * key order is number order; function and alias names hold no `/`, so one function's
 * prefix never matches another's.
 */
export const versionKey = (fn: string, version: number) => `ver/${fn}/${String(version).padStart(10, '0')}`;
export const versionPrefix = (fn: string) => `ver/${fn}/`;
export const aliasKey = (fn: string, alias: string) => `alias/${fn}/${alias}`;
export const aliasPrefix = (fn: string) => `alias/${fn}/`;

/** A published version: an immutable copy of $LATEST's code and configuration. */
export interface StoredVersion extends StoredFunction {
  version: number;
  /** Digest of $LATEST's code and configuration when published (see `fingerprint`). */
  fingerprint: string;
}

export interface StoredAlias {
  functionName: string;
  name: string;
  /** A version number, or `$LATEST`. */
  functionVersion: string;
  description: string;
  /** At most one additional version and the share of invocations it gets, in [0, 1]. */
  weights: Record<string, number>;
  revisionId: string;
}

/** Names of the aliases of `fn` that route any traffic to `version`, sorted. */
export function aliasesReferencing(kv: Kv, fn: string, version: string): string[] {
  return kv
    .list<StoredAlias>({ prefix: aliasPrefix(fn) })
    .map((e) => e.value)
    .filter((a) => a.functionVersion === version || Object.hasOwn(a.weights, version))
    .map((a) => a.name);
}

/** Deletes every key under `prefix`. */
export function deleteAll(kv: Kv, prefix: string): void {
  for (const e of kv.list({ prefix })) kv.delete(e.key);
}
