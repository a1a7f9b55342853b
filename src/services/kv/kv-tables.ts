import { type Clock, HearthError, invalid, type Timer } from '../../common/index.js';
import type { Kv, KvEntry } from '../../store/index.js';

/** What one item is stored as under `kvt/<table>/<key>` in the `Kv` port. */
interface StoredItem {
  /** The item's JSON value. */
  v: unknown;
  /** Epoch ms after which the item is gone (TTL); absent: never. */
  exp?: number;
}

export interface KvItem {
  table: string;
  key: string;
  value: unknown;
  /** The `Kv` revision: 1 on creation, +1 per write; the basis of `ifVersion`. */
  version: number;
  /** Epoch ms, when the item has a TTL. */
  expiresAt?: number;
}

export interface PutOptions {
  /** Seconds the item lives; absent: forever. */
  ttlSeconds?: number;
  /** Write only if the item is at this version. */
  ifVersion?: number;
  /** Write only if there is no (live) item. */
  ifAbsent?: boolean;
}

export interface ListResult {
  items: KvItem[];
  /** Pass back as `next` to read the following page; absent on the last page. */
  next?: string;
}

const TABLE = /^[A-Za-z0-9_.-]{1,255}$/;
const MAX_KEY_BYTES = 1024;
/** DynamoDB's item limit, a familiar bound that keeps one item in one SQLite row comfortably. */
export const MAX_VALUE_BYTES = 400 * 1024;
const MAX_LIST = 1000;
/** How often expired items are removed even if nobody reads them. */
const SWEEP_MS = 60_000;
/** Items removed per sweep step, so one sweep never holds the event loop long. */
const SWEEP_BATCH = 500;

export const conditionFailed = (message: string) => new HearthError('ConditionalCheckFailedException', message);

/**
 * Hearth's KV store: tables of JSON items with versions, TTL, conditional writes, atomic
 * increments and prefix listing, over the `Kv` port (so a cluster adapter can replace
 * SQLite). Expired items read as absent at once (lazy) and are deleted by a periodic
 * sweep on the injected Clock.
 */
export class KvTables {
  private timer: Timer | undefined;

  constructor(
    private readonly kv: Kv,
    private readonly clock: Clock,
  ) {}

  get(table: string, key: string): KvItem | undefined {
    const entry = this.live(storeKey(table, key));
    return entry && toItem(table, key, entry);
  }

  /** Writes an item; throws ConditionalCheckFailedException when a condition does not hold. */
  put(table: string, key: string, value: unknown, options: PutOptions = {}): KvItem {
    const k = storeKey(table, key);
    checkValue(value);
    if (options.ifAbsent && options.ifVersion !== undefined) throw invalid('Use either ifVersion or ifAbsent, not both.');
    if (options.ifVersion !== undefined && !(Number.isSafeInteger(options.ifVersion) && options.ifVersion >= 1)) throw invalid('ifVersion must be a positive integer.');
    const ttl = options.ttlSeconds;
    if (ttl !== undefined && !(Number.isFinite(ttl) && ttl > 0)) throw invalid('ttl must be a positive number of seconds.');
    const stored: StoredItem = ttl === undefined ? { v: value } : { v: value, exp: this.clock.now() + Math.round(ttl * 1000) };
    const raw = this.kv.get<StoredItem>(k);
    const live = raw && !this.expired(raw.value) ? raw : undefined;
    if (options.ifAbsent && live) throw conditionFailed(`${table}/${key} exists (version ${live.revision}).`);
    if (options.ifVersion !== undefined && live?.revision !== options.ifVersion) {
      throw conditionFailed(`${table}/${key} is ${live ? `at version ${live.revision}` : 'absent'}, not at version ${options.ifVersion}.`);
    }
    // Compare-and-set against what was read: a conditional write holds across writers of
    // any adapter; an unconditional one retries on a lost race.
    const conditional = options.ifAbsent || options.ifVersion !== undefined;
    let expect = raw?.revision ?? 0;
    for (;;) {
      const written = this.kv.put(k, stored, expect);
      if (written) return toItem(table, key, written);
      if (conditional) throw conditionFailed(`${table}/${key} changed while it was written.`);
      expect = this.kv.get(k)?.revision ?? 0;
    }
  }

  /** Removes an item; true if a live one was there. */
  delete(table: string, key: string): boolean {
    const k = storeKey(table, key);
    const raw = this.kv.get<StoredItem>(k);
    if (!raw) return false;
    this.kv.delete(k);
    return !this.expired(raw.value);
  }

  /** Adds `by` to a numeric item (absent counts as 0), atomically; keeps its TTL. */
  increment(table: string, key: string, by = 1): KvItem {
    const k = storeKey(table, key);
    if (!Number.isFinite(by)) throw invalid('by must be a number.');
    for (;;) {
      const raw = this.kv.get<StoredItem>(k);
      const live = raw && !this.expired(raw.value) ? raw : undefined;
      const current = live ? live.value.v : 0;
      if (typeof current !== 'number') throw new HearthError('ValidationException', `${table}/${key} holds a ${current === null ? 'null' : typeof current}, not a number.`);
      const next: StoredItem = live?.value.exp === undefined ? { v: current + by } : { v: current + by, exp: live.value.exp };
      const written = this.kv.put(k, next, raw?.revision ?? 0);
      if (written) return toItem(table, key, written);
    }
  }

  /** Live items whose key starts with `prefix`, in key order, `limit` (≤ 1000) per page. */
  list(table: string, options: { prefix?: string; limit?: number; next?: string } = {}): ListResult {
    checkTable(table);
    const limit = options.limit ?? 100;
    if (!(Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_LIST)) throw invalid(`limit must be an integer from 1 to ${MAX_LIST}.`);
    const base = `kvt/${table}/`;
    let after = options.next === undefined ? undefined : base + decodeToken(options.next);
    const items: KvItem[] = [];
    let more = true;
    while (items.length < limit && more) {
      const page = this.kv.list<StoredItem>({ prefix: base + (options.prefix ?? ''), after, limit: limit - items.length + 1 });
      more = page.length > limit - items.length;
      for (const entry of page.slice(0, limit - items.length)) {
        after = entry.key;
        if (!this.expired(entry.value)) items.push(toItem(table, entry.key.slice(base.length), entry));
      }
    }
    return more && after ? { items, next: encodeToken(after.slice(base.length)) } : { items };
  }

  /** Starts the periodic sweep of expired items. */
  start(): void {
    const tick = () => {
      this.sweep();
      this.timer = this.clock.setTimer(SWEEP_MS, tick);
    };
    this.timer = this.clock.setTimer(SWEEP_MS, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Deletes expired items of every table; returns how many. */
  sweep(): number {
    let removed = 0;
    let after: string | undefined;
    for (;;) {
      const page = this.kv.list<StoredItem>({ prefix: 'kvt/', after, limit: SWEEP_BATCH });
      for (const entry of page) {
        // Re-read before deleting: a write since the page was read may have renewed it.
        const now = this.kv.get<StoredItem>(entry.key);
        if (now && now.revision === entry.revision && this.expired(now.value) && this.kv.delete(entry.key)) removed++;
      }
      if (page.length < SWEEP_BATCH) return removed;
      after = page[page.length - 1]!.key;
    }
  }

  private live(k: string): KvEntry<StoredItem> | undefined {
    const raw = this.kv.get<StoredItem>(k);
    return raw && !this.expired(raw.value) ? raw : undefined;
  }

  private expired(item: StoredItem): boolean {
    return item.exp !== undefined && item.exp <= this.clock.now();
  }
}

function toItem(table: string, key: string, entry: KvEntry<StoredItem>): KvItem {
  const item: KvItem = { table, key, value: entry.value.v, version: entry.revision };
  if (entry.value.exp !== undefined) item.expiresAt = entry.value.exp;
  return item;
}

function checkTable(table: string): void {
  if (!TABLE.test(table)) throw invalid(`Table name "${table}" must be 1-255 letters, digits, '_', '-' or '.'.`);
}

function storeKey(table: string, key: string): string {
  checkTable(table);
  const bytes = Buffer.byteLength(key);
  if (bytes < 1 || bytes > MAX_KEY_BYTES) throw invalid(`A key must be 1 to ${MAX_KEY_BYTES} bytes.`);
  return `kvt/${table}/${key}`;
}

function checkValue(value: unknown): void {
  if (value === undefined) throw invalid('An item needs a JSON value.');
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES) throw new HearthError('ValidationException', `An item's value may be at most ${MAX_VALUE_BYTES} bytes of JSON.`);
}

const encodeToken = (key: string) => Buffer.from(key).toString('base64url');
function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) throw invalid('next is not a continuation token from a previous page.');
  return Buffer.from(token, 'base64url').toString();
}
