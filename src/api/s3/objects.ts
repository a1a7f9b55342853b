import type { ServerResponse } from 'node:http';
import { type ObjectMeta, type ObjectStore, S3Error } from '../../objects/index.js';
import { refuseUnsupportedHeaders, uploadBody, userMetadata } from './body.js';
import { readAll } from './read.js';
import { document, isoTime, malformed, type S3Request, sendEmpty, sendXml } from './respond.js';
import { child, children, type Element, type Node, parseXml } from './xml.js';

export async function putObject(store: ObjectStore, req: S3Request, res: ServerResponse): Promise<void> {
  refuseUnsupportedHeaders(req);
  const { body, options, decodedLength } = uploadBody(req);
  const meta = await store.putObject(req.bucket, req.key, body, { ...options, expectedSize: decodedLength }, req.who);
  sendEmpty(res, 200, { etag: `"${meta.etag}"`, 'x-amz-request-id': req.id });
}

function objectHeaders(m: ObjectMeta): Record<string, string | number> {
  const h: Record<string, string | number> = {
    etag: `"${m.etag}"`,
    'content-type': m.contentType,
    'last-modified': new Date(m.modified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [k, v] of Object.entries(m.metadata)) h[`x-amz-meta-${k}`] = v;
  return h;
}

/** If-Match / If-None-Match as S3 applies them; the date conditions are refused. */
function preconditions(req: S3Request, m: ObjectMeta): number | undefined {
  const h = req.raw.headers;
  for (const name of ['if-modified-since', 'if-unmodified-since']) if (h[name] !== undefined) throw new S3Error('NotImplemented', `${name} is not implemented`, { Header: name });
  const tags = (v: string | undefined) => v?.split(',').map((t) => t.trim().replaceAll('"', ''));
  const match = tags(h['if-match']);
  if (match && !match.includes('*') && !match.includes(m.etag)) throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  const none = tags(h['if-none-match']);
  if (none && (none.includes('*') || none.includes(m.etag))) return 304;
  return undefined;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined for no or an unusable Range (whole object). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw invalidRange(size);
    start = Math.max(size - n, 0);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(size);
  return { start, end };
}

const invalidRange = (size: number) => new S3Error('InvalidRange', 'The requested range is not satisfiable', { ActualObjectSize: String(size) });

export function getObject(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  for (const k of req.query.keys()) if (k.startsWith('response-')) throw new S3Error('NotImplemented', `${k} is not implemented`, { Parameter: k });
  const m = store.head(req.bucket, req.key);
  const headers = objectHeaders(m);
  const pre = preconditions(req, m);
  if (pre) return sendEmpty(res, pre, { etag: headers.etag!, 'last-modified': headers['last-modified']! });
  const range = parseRange(req.raw.headers.range, m.size);
  if (req.method === 'HEAD') return sendEmpty(res, 200, { ...headers, 'content-length': m.size });
  const stream = store.blobs.read(m.sha256, range?.start, range?.end);
  if (range) res.writeHead(206, { ...headers, 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${m.size}` });
  else res.writeHead(200, { ...headers, 'content-length': m.size });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

export function deleteObject(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  store.deleteObject(req.bucket, req.key, req.who);
  sendEmpty(res, 204);
}

export async function deleteObjects(store: ObjectStore, req: S3Request, res: ServerResponse): Promise<void> {
  let root: Element;
  try {
    root = parseXml((await readAll(req.raw, 2 * 1024 * 1024)).toString('utf8'));
  } catch {
    throw malformed();
  }
  const objects = children(root, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw malformed();
  const quiet = child(root, 'Quiet')?.text === 'true';
  store.requireBucket(req.bucket);
  const out: Node[] = [];
  for (const o of objects) {
    const key = child(o, 'Key')?.text ?? '';
    if (child(o, 'VersionId')) throw new S3Error('NotImplemented', 'Versioning is not implemented', { Element: 'VersionId' });
    try {
      store.deleteObject(req.bucket, key, req.who);
      if (!quiet) out.push(['Deleted', [['Key', key]]]);
    } catch (err) {
      const e = err instanceof S3Error ? err : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
      out.push(['Error', [['Key', key], ['Code', e.code], ['Message', e.message]]]);
    }
  }
  sendXml(res, 200, document('DeleteResult', out));
}

export function copyObject(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  refuseUnsupportedHeaders(req);
  req.raw.resume();
  const h = req.raw.headers;
  const source = decodeURIComponent(String(h['x-amz-copy-source']).split('?')[0]!).replace(/^\//, '');
  const slash = source.indexOf('/');
  if (slash <= 0) throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source' });
  for (const k of Object.keys(h)) if (k.startsWith('x-amz-copy-source-if')) throw new S3Error('NotImplemented', `${k} is not implemented`, { Header: k });
  const directive = String(h['x-amz-metadata-directive'] ?? 'COPY');
  if (directive !== 'COPY' && directive !== 'REPLACE') throw new S3Error('InvalidArgument', 'Unknown metadata directive.', { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive });
  const replace = directive === 'REPLACE' ? { contentType: h['content-type'], metadata: userMetadata(req) } : undefined;
  const m = store.copyObject({ bucket: source.slice(0, slash), key: source.slice(slash + 1) }, { bucket: req.bucket, key: req.key }, replace, req.who);
  sendXml(res, 200, document('CopyObjectResult', [['LastModified', isoTime(m.modified)], ['ETag', `"${m.etag}"`]]));
}

export function listObjectsV2(store: ObjectStore, req: S3Request, res: ServerResponse): void {
  const q = req.query;
  const maxKeys = q.has('max-keys') ? Number(q.get('max-keys')) : 1000;
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: String(q.get('max-keys')) });
  const encoding = q.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: encoding });
  const enc = (s: string) => (encoding ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const input = { prefix: q.get('prefix') ?? undefined, delimiter: q.get('delimiter') || undefined, maxKeys: Math.min(maxKeys, 1000), continuationToken: q.get('continuation-token') ?? undefined, startAfter: q.get('start-after') ?? undefined };
  const r = store.list(req.bucket, input);
  const owner = q.get('fetch-owner') === 'true';
  sendXml(
    res,
    200,
    document('ListBucketResult', [
      ['Name', req.bucket],
      ['Prefix', enc(input.prefix ?? '')],
      input.delimiter ? ['Delimiter', enc(input.delimiter)] : undefined,
      ['MaxKeys', maxKeys],
      encoding ? ['EncodingType', encoding] : undefined,
      ['KeyCount', r.keyCount],
      ['IsTruncated', r.isTruncated],
      input.continuationToken !== undefined ? ['ContinuationToken', input.continuationToken] : undefined,
      r.nextContinuationToken ? ['NextContinuationToken', r.nextContinuationToken] : undefined,
      input.startAfter !== undefined ? ['StartAfter', enc(input.startAfter)] : undefined,
      ...r.contents.map((c): Node => ['Contents', [['Key', enc(c.key)], ['LastModified', isoTime(c.modified)], ['ETag', `"${c.etag}"`], ['Size', c.size], owner ? ['Owner', [['ID', 'hearth'], ['DisplayName', 'hearth']]] : undefined, ['StorageClass', 'STANDARD']]]),
      ...r.commonPrefixes.map((p): Node => ['CommonPrefixes', [['Prefix', enc(p)]]]),
    ]),
  );
}
