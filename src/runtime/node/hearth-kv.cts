/**
 * Hearth's KV client: plain CommonJS with no dependencies, so a function uses it without
 * bundling (required as `hearth-kv`, found through NODE_PATH at /var/runtime) and a
 * program outside imports it from the repository (dist/rt/runtime/node/hearth-kv.cjs).
 * Inside a function it needs no configuration: Hearth sets HEARTH_ENDPOINT and the
 * function's credential. Requests are signed with AWS Signature V4 (service `hearth`).
 */
import { createHash, createHmac } from 'node:crypto';

export interface KvItem {
  table: string;
  key: string;
  value: unknown;
  /** 1 on creation, +1 per write: pass it as `ifVersion` for optimistic concurrency. */
  version: number;
  /** Epoch ms, when the item has a TTL. */
  expiresAt?: number;
}

export interface KvClientOptions {
  /** Default: HEARTH_ENDPOINT, else http://127.0.0.1:9000. */
  endpoint?: string;
  /** Default: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; requests are unsigned without them. */
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
}

export interface PutOptions {
  /** Seconds until the item expires. */
  ttl?: number;
  /** Write only if the item is at this version. */
  ifVersion?: number;
  /** Write only if there is no such item. */
  ifAbsent?: boolean;
}

/** Any error the API answered with; `name` is its error type. */
export class KvError extends Error {
  constructor(
    readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A put whose `ifVersion` / `ifAbsent` did not hold (409 ConditionalCheckFailedException). */
export class ConditionFailedError extends KvError {}

export class HearthKv {
  readonly endpoint: string;
  private readonly accessKeyId: string | undefined;
  private readonly secretAccessKey: string | undefined;
  private readonly region: string;

  constructor(options: KvClientOptions = {}) {
    this.endpoint = (options.endpoint ?? process.env.HEARTH_ENDPOINT ?? 'http://127.0.0.1:9000').replace(/\/$/, '');
    this.accessKeyId = options.accessKeyId ?? process.env.AWS_ACCESS_KEY_ID;
    this.secretAccessKey = options.secretAccessKey ?? process.env.AWS_SECRET_ACCESS_KEY;
    this.region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  }

  /** The item, or undefined when there is none (or it expired). */
  async get(table: string, key: string): Promise<KvItem | undefined> {
    const res = await this.call('GET', itemPath(table, key), undefined, {}, [404]);
    return res.status === 404 ? undefined : ((await res.json()) as KvItem);
  }

  /** Writes an item; throws ConditionFailedError when `ifVersion` / `ifAbsent` does not hold. */
  async put(table: string, key: string, value: unknown, options: PutOptions = {}): Promise<KvItem> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.ifVersion !== undefined) headers['if-match'] = String(options.ifVersion);
    if (options.ifAbsent) headers['if-none-match'] = '*';
    const query = options.ttl === undefined ? '' : `?ttl=${encodeURIComponent(options.ttl)}`;
    return (await (await this.call('PUT', itemPath(table, key) + query, JSON.stringify(value), headers)).json()) as KvItem;
  }

  /** True if there was an item to delete. */
  async delete(table: string, key: string): Promise<boolean> {
    return ((await (await this.call('DELETE', itemPath(table, key))).json()) as { Deleted: boolean }).Deleted;
  }

  /** Adds `by` to a numeric item atomically (absent counts as 0). */
  async incr(table: string, key: string, by = 1): Promise<KvItem> {
    return (await (await this.call('POST', `${itemPath(table, key)}/incr`, JSON.stringify({ by }), { 'content-type': 'application/json' })).json()) as KvItem;
  }

  /** One page of items in key order; pass `next` back for the following page. */
  async list(table: string, options: { prefix?: string; limit?: number; next?: string } = {}): Promise<{ items: KvItem[]; next?: string }> {
    const q = new URLSearchParams();
    if (options.prefix !== undefined) q.set('prefix', options.prefix);
    if (options.limit !== undefined) q.set('limit', String(options.limit));
    if (options.next !== undefined) q.set('next', options.next);
    const body = (await (await this.call('GET', `/hearth/v1/kv/${encodeURIComponent(table)}?${q}`)).json()) as { Items: KvItem[]; Next?: string };
    return body.Next ? { items: body.Items, next: body.Next } : { items: body.Items };
  }

  private async call(method: string, path: string, body?: string, headers: Record<string, string> = {}, allowed: number[] = []): Promise<Response> {
    const url = new URL(this.endpoint + path);
    const res = await fetch(url, { method, body, headers: { ...headers, ...this.sign(method, url, body ?? '') } });
    if (res.status < 400 || allowed.includes(res.status)) return res;
    const type = res.headers.get('x-amzn-errortype') ?? `HTTP${res.status}`;
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      /* not JSON: keep the text */
    }
    throw type === 'ConditionalCheckFailedException' ? new ConditionFailedError(type, message, res.status) : new KvError(type, message, res.status);
  }

  /** AWS Signature V4 headers (host and x-amz-date signed), or none without a credential. */
  private sign(method: string, url: URL, body: string): Record<string, string> {
    if (!this.accessKeyId || !this.secretAccessKey) return {};
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${this.region}/hearth/aws4_request`;
    const query = [...url.searchParams].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join('&');
    const canonical = [method, url.pathname, query, `host:${url.host}\nx-amz-date:${amzDate}\n`, 'host;x-amz-date', sha256(body)].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    let key: Buffer = hmac(`AWS4${this.secretAccessKey}`, day);
    for (const part of [this.region, 'hearth', 'aws4_request']) key = hmac(key, part);
    const signature = createHmac('sha256', key).update(toSign).digest('hex');
    return {
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    };
  }
}

const itemPath = (table: string, key: string) => `/hearth/v1/kv/${encodeURIComponent(table)}/${encodeURIComponent(key)}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
