import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId } from '../../common/index.js';
import { type MultipartUploads, type ObjectStore, S3Error } from '../../objects/index.js';
import { createBucket, deleteBucket, getLocation, getNotification, headBucket, listBuckets, putNotification } from './buckets.js';
import { abortUpload, completeUpload, createUpload, uploadPart } from './multipart.js';
import { copyObject, deleteObject, deleteObjects, getObject, listObjectsV2, putObject } from './objects.js';
import { type S3Request, sendS3Error } from './respond.js';

export { S3_ERRORS } from '../../objects/index.js';

export interface S3Deps {
  objects: ObjectStore;
  uploads: MultipartUploads;
}

/** Query parameters an operation reads; any other (an unimplemented subresource) is refused. */
const KNOWN_QUERY = new Set(['x-id', 'list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'fetch-owner', 'uploads', 'uploadId', 'partNumber', 'delete', 'notification', 'location']);

/** The S3 REST API, path-style: `/`, `/BUCKET`, `/BUCKET/KEY…`. */
export function handleS3(deps: S3Deps, raw: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
  const id = requestId().replaceAll('-', '').slice(0, 16).toUpperCase();
  const method = raw.method ?? 'GET';
  const slash = path.indexOf('/', 1);
  let bucket = '';
  let key = '';
  try {
    bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
    key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
  } catch {
    raw.resume();
    sendS3Error(res, new S3Error('InvalidArgument', 'The request path is not valid percent-encoding.'), { method, id });
    return;
  }
  const req: S3Request = { raw, method, bucket, key, query, id, who: { requestId: id, sourceIp: raw.socket.remoteAddress ?? '127.0.0.1' } };
  res.setHeader('x-amz-request-id', id);
  const fail = (err: unknown) => {
    raw.resume();
    sendS3Error(res, err, req);
  };
  try {
    const done = route(deps, req, res);
    if (done) done.catch(fail);
  } catch (err) {
    fail(err);
  }
}

function route(d: S3Deps, req: S3Request, res: ServerResponse): Promise<void> | void {
  const q = req.query;
  for (const k of q.keys()) {
    if (!KNOWN_QUERY.has(k) && !k.startsWith('X-Amz-') && !k.startsWith('response-')) throw new S3Error('NotImplemented', `The ${k} subresource is not implemented`, { Parameter: k });
  }
  const m = req.method;
  if (!req.bucket) {
    if (m === 'GET') return listBuckets(d.objects, res);
    throw notAllowed(m);
  }
  if (!req.key) {
    if (q.has('notification')) {
      if (m === 'GET') return getNotification(d.objects, req, res);
      if (m === 'PUT') return putNotification(d.objects, req, res);
    } else if (q.has('location') && m === 'GET') return getLocation(d.objects, req, res);
    else if (q.has('delete') && m === 'POST') return deleteObjects(d.objects, req, res);
    else if (m === 'GET') {
      if (q.get('list-type') !== '2') throw new S3Error('NotImplemented', 'ListObjects (version 1) is not implemented; use ListObjectsV2 (list-type=2)', { Parameter: 'list-type' });
      return listObjectsV2(d.objects, req, res);
    } else if (m === 'PUT') return createBucket(d.objects, req, res);
    else if (m === 'DELETE') return deleteBucket(d.objects, req, res);
    else if (m === 'HEAD') return headBucket(d.objects, req, res);
    throw notAllowed(m);
  }
  const upload = q.get('uploadId');
  if (m === 'PUT' && upload !== null && q.has('partNumber')) return uploadPart(d.uploads, req, res);
  if (m === 'POST' && q.has('uploads')) return createUpload(d.uploads, req, res);
  if (m === 'POST' && upload !== null) return completeUpload(d.uploads, req, res);
  if (m === 'DELETE' && upload !== null) return abortUpload(d.uploads, req, res);
  if (upload !== null) throw new S3Error('NotImplemented', 'ListParts is not implemented', { Parameter: 'uploadId' });
  if (m === 'PUT') return req.raw.headers['x-amz-copy-source'] !== undefined ? copyObject(d.objects, req, res) : putObject(d.objects, req, res);
  if (m === 'GET' || m === 'HEAD') return getObject(d.objects, req, res);
  if (m === 'DELETE') return deleteObject(d.objects, req, res);
  throw notAllowed(m);
}

const notAllowed = (m: string) => new S3Error('MethodNotAllowed', `The specified method is not allowed against this resource: ${m}`, { Method: m });

/** The service a SigV4 request was signed for: `Credential=KEY/DATE/REGION/SERVICE/aws4_request`. */
export function signedService(authorization: string | undefined): string | undefined {
  return /Credential=[^/,]+\/\d{8}\/[^/,]+\/([^/,]+)\/aws4_request/.exec(authorization ?? '')?.[1];
}
