import { HearthError, invalid, notFound } from '../../common/index.js';
import { type KvItem, type KvTables, MAX_VALUE_BYTES } from '../../services/index.js';
import { jsonBody, type Request, type Router, sendJson } from '../http.js';

export interface KvDeps {
  kvTables: KvTables;
}

/**
 * The KV store's native API (`/hearth/v1/kv`). Conditions travel as HTTP preconditions
 * (`If-Match: VERSION`, `If-None-Match: *`) but fail with 409
 * ConditionalCheckFailedException, so a client tells a lost condition from other errors
 * by its type, as with DynamoDB.
 */
export function addKvRoutes(router: Router, d: KvDeps): void {
  router.add({
    method: 'GET',
    path: '/hearth/v1/kv/{table}/{key}',
    handler(req, res) {
      const item = d.kvTables.get(req.params.table!, req.params.key!);
      if (!item) throw notFound(`No item ${req.params.table}/${req.params.key}.`);
      sendItem(res, 200, item);
    },
  });
  router.add({
    method: 'PUT',
    path: '/hearth/v1/kv/{table}/{key}',
    async handler(req, res) {
      const value = parseJson(await req.body(MAX_VALUE_BYTES + 1024));
      const item = d.kvTables.put(req.params.table!, req.params.key!, value, { ...conditions(req), ttlSeconds: optionalNumber(req, 'ttl') });
      sendItem(res, item.version === 1 ? 201 : 200, item);
    },
  });
  router.add({
    method: 'DELETE',
    path: '/hearth/v1/kv/{table}/{key}',
    handler(req, res) {
      sendJson(res, 200, { Deleted: d.kvTables.delete(req.params.table!, req.params.key!) });
    },
  });
  router.add({
    method: 'POST',
    path: '/hearth/v1/kv/{table}/{key}/incr',
    async handler(req, res) {
      const body = await jsonBody<{ by?: unknown }>(req, 4096);
      if (body.by !== undefined && typeof body.by !== 'number') throw invalid('by must be a number.');
      sendItem(res, 200, d.kvTables.increment(req.params.table!, req.params.key!, body.by ?? 1));
    },
  });
  router.add({
    method: 'GET',
    path: '/hearth/v1/kv/{table}',
    handler(req, res) {
      const page = d.kvTables.list(req.params.table!, {
        prefix: req.query.get('prefix') ?? undefined,
        limit: optionalNumber(req, 'limit'),
        next: req.query.get('next') ?? undefined,
      });
      sendJson(res, 200, { Items: page.items, ...(page.next ? { Next: page.next } : {}) });
    },
  });
}

function sendItem(res: Parameters<typeof sendJson>[0], status: number, item: KvItem): void {
  sendJson(res, status, item, { etag: `"${item.version}"` });
}

function conditions(req: Request): { ifVersion?: number; ifAbsent?: boolean } {
  const match = req.headers['if-match'];
  const noneMatch = req.headers['if-none-match'];
  if (match !== undefined && noneMatch !== undefined) throw invalid('Send either If-Match or If-None-Match, not both.');
  if (noneMatch !== undefined) {
    if (noneMatch.trim() !== '*') throw invalid('If-None-Match accepts only * (write only if the item is absent).');
    return { ifAbsent: true };
  }
  if (match === undefined) return {};
  const text = match.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[1-9]\d*$/.test(text)) throw invalid(`If-Match must be an item version (a positive integer), not "${match}".`);
  return { ifVersion: Number(text) };
}

function optionalNumber(req: Request, name: string): number | undefined {
  const text = req.query.get(name);
  if (text === null) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw invalid(`${name} must be a number, not "${text}".`);
  return n;
}

function parseJson(buf: Buffer): unknown {
  if (buf.length === 0) throw invalid('The body must be the item\'s JSON value.');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new HearthError('InvalidRequestContentException', 'The body is not valid JSON.');
  }
}
