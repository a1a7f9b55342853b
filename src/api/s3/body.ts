import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { type ExtraDigest, S3Error, type WriteOptions } from '../../objects/index.js';
import { AwsChunkedDecoder } from './aws-chunked.js';
import type { S3Request } from './respond.js';

/** Headers S3 would act on that Hearth does not keep: refused rather than dropped. */
const REFUSED_HEADERS = ['cache-control', 'content-disposition', 'content-language', 'expires', 'x-amz-tagging', 'x-amz-website-redirect-location', 'x-amz-server-side-encryption', 'x-amz-object-lock-mode', 'x-amz-grant-read', 'x-amz-grant-full-control'];
const CHECKSUMS: Record<string, () => ExtraDigest> = {
  sha256: () => hashDigest('sha256', 'sha256'),
  sha1: () => hashDigest('sha1', 'sha1'),
  crc32: () => {
    let v = 0;
    return { name: 'crc32', update: (c) => (v = crc32(c, v)), digest: () => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]).toString('base64') };
  },
};

function hashDigest(name: string, algo: string): ExtraDigest {
  const h: Hash = createHash(algo);
  return { name, update: (c) => h.update(c), digest: () => h.digest('base64') };
}

export function refuseUnsupportedHeaders(req: S3Request): void {
  const h = req.raw.headers;
  for (const name of REFUSED_HEADERS) if (h[name] !== undefined) throw new S3Error('NotImplemented', `A header you provided implies functionality that is not implemented: ${name}`, { Header: name });
  const sc = h['x-amz-storage-class'];
  if (sc !== undefined && sc !== 'STANDARD') throw new S3Error('NotImplemented', 'Only the STANDARD storage class is implemented', { Header: 'x-amz-storage-class' });
  const acl = h['x-amz-acl'];
  if (acl !== undefined && acl !== 'private') throw new S3Error('NotImplemented', 'Only the private canned ACL is implemented', { Header: 'x-amz-acl' });
}

/** The upload's bytes (aws-chunked decoded) and the digests to check once they are read. */
export function uploadBody(req: S3Request): { body: Readable; options: WriteOptions; decodedLength?: number } {
  const h = req.raw.headers;
  const encoding = String(h['content-encoding'] ?? '');
  const sha = String(h['x-amz-content-sha256'] ?? '');
  const chunked = encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
  if (encoding && encoding.split(',').some((e) => e.trim() !== 'aws-chunked')) throw new S3Error('NotImplemented', 'Content-Encoding other than aws-chunked is not implemented', { Header: 'content-encoding' });
  let body: Readable = req.raw;
  let trailers: Record<string, string> = {};
  if (chunked) {
    const decoder = new AwsChunkedDecoder();
    req.raw.on('error', (e) => decoder.destroy(e));
    body = req.raw.pipe(decoder);
    trailers = decoder.trailers;
  }
  const checksums: NonNullable<WriteOptions['checksums']> = [];
  const declared = String(h['x-amz-trailer'] ?? '').toLowerCase();
  for (const algo of ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256']) {
    const header = `x-amz-checksum-${algo}`;
    if (h[header] === undefined && declared !== header) continue;
    const make = CHECKSUMS[algo];
    if (!make) throw new S3Error('NotImplemented', `The ${algo.toUpperCase()} checksum algorithm is not implemented; use CRC32, SHA1 or SHA256`, { Header: header });
    checksums.push({ digest: make(), expected: () => (h[header] as string | undefined) ?? trailers[header] });
  }
  if (/^[0-9a-f]{64}$/.test(sha)) {
    // A signed payload's hash: checked against the sha256 the store computes anyway.
    const h256 = createHash('sha256');
    checksums.push({ digest: { name: 'x-amz-content-sha256', update: (c) => h256.update(c), digest: () => h256.digest('hex') }, expected: () => sha });
  }
  const options: WriteOptions = {
    contentType: h['content-type'],
    metadata: userMetadata(req),
    contentMd5: h['content-md5'] as string | undefined,
    checksums,
  };
  const decoded = h['x-amz-decoded-content-length'];
  return { body, options, decodedLength: decoded === undefined ? undefined : Number(decoded) };
}

export function userMetadata(req: S3Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.raw.headers)) if (k.startsWith('x-amz-meta-') && typeof v === 'string') out[k.slice(11)] = v;
  return out;
}
