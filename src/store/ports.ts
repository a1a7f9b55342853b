/**
 * Store ports. They are shaped so a JetStream adapter can implement them later
 * (KV buckets with revisions, object store) without callers changing.
 */

export interface KvEntry<T> {
  key: string;
  value: T;
  /** Increases on every write of the key; the basis of compare-and-set. */
  revision: number;
}

export interface KvListOptions {
  prefix: string;
  /** Exclusive lower bound: list keys strictly after this one (paging cursor). */
  after?: string;
  limit?: number;
}

/** Key-value items with revisions, for metadata (functions, later versions and aliases). */
export interface Kv {
  get<T>(key: string): KvEntry<T> | undefined;
  /**
   * Writes a value. With `expectRevision`, writes only if the key is at that revision
   * (0 = must not exist) and returns undefined otherwise.
   */
  put<T>(key: string, value: T, expectRevision?: number): KvEntry<T> | undefined;
  delete(key: string): boolean;
  list<T>(options: KvListOptions): KvEntry<T>[];
}

/** Content-addressed blobs (code packages). */
export interface Blobs {
  /** Stores the bytes and returns their sha256 (hex). Idempotent. */
  put(bytes: Uint8Array): string;
  has(sha256: string): boolean;
  /** A local file path holding the blob, for readers that stream from disk. */
  path(sha256: string): string;
  delete(sha256: string): void;
}

export interface LogRecord {
  /** Epoch milliseconds. */
  time: number;
  text: string;
}

/** Per-function log lines with a retention limit. */
export interface LogStore {
  append(fn: string, records: LogRecord[]): void;
  /** Records with time ≥ since, after the cursor id, oldest first. */
  read(fn: string, options: { since?: number; afterId?: number; limit?: number }): (LogRecord & { id: number })[];
  deleteFunction(fn: string): void;
}
