import type { ServerResponse } from 'node:http';
import { type MultipartUploads, S3Error } from '../../objects/index.js';
import { refuseUnsupportedHeaders, uploadBody, userMetadata } from './body.js';
import { readAll } from './read.js';
import { document, malformed, type S3Request, sendEmpty, sendXml } from './respond.js';
import { child, children, type Element, parseXml } from './xml.js';

export function createUpload(uploads: MultipartUploads, req: S3Request, res: ServerResponse): void {
  refuseUnsupportedHeaders(req);
  // A full-object checksum over parts would need the parts' checksums kept: refused.
  if (req.raw.headers['x-amz-checksum-algorithm'] !== undefined) throw new S3Error('NotImplemented', 'x-amz-checksum-algorithm on multipart uploads is not implemented', { Header: 'x-amz-checksum-algorithm' });
  req.raw.resume();
  const id = uploads.create(req.bucket, req.key, req.raw.headers['content-type'], userMetadata(req));
  sendXml(res, 200, document('InitiateMultipartUploadResult', [['Bucket', req.bucket], ['Key', req.key], ['UploadId', id]]));
}

export async function uploadPart(uploads: MultipartUploads, req: S3Request, res: ServerResponse): Promise<void> {
  if (req.raw.headers['x-amz-copy-source'] !== undefined) throw new S3Error('NotImplemented', 'UploadPartCopy is not implemented', { Header: 'x-amz-copy-source' });
  const { body, options } = uploadBody(req);
  const etag = await uploads.uploadPart(req.bucket, req.key, req.query.get('uploadId')!, Number(req.query.get('partNumber')), body, options);
  sendEmpty(res, 200, { etag: `"${etag}"` });
}

export async function completeUpload(uploads: MultipartUploads, req: S3Request, res: ServerResponse): Promise<void> {
  let root: Element;
  try {
    root = parseXml((await readAll(req.raw, 1024 * 1024)).toString('utf8'));
  } catch {
    throw malformed();
  }
  const parts = children(root, 'Part').map((p) => ({ PartNumber: Number(child(p, 'PartNumber')?.text), ETag: child(p, 'ETag')?.text ?? '' }));
  const meta = await uploads.complete(req.bucket, req.key, req.query.get('uploadId')!, parts, req.who);
  sendXml(res, 200, document('CompleteMultipartUploadResult', [['Location', `/${req.bucket}/${req.key}`], ['Bucket', req.bucket], ['Key', req.key], ['ETag', `"${meta.etag}"`]]));
}

export function abortUpload(uploads: MultipartUploads, req: S3Request, res: ServerResponse): void {
  uploads.abort(req.bucket, req.key, req.query.get('uploadId')!);
  sendEmpty(res, 204);
}
