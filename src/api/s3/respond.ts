import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error } from '../../objects/index.js';
import { document, escapeXml } from './xml.js';

export interface S3Request {
  raw: IncomingMessage;
  method: string;
  bucket: string;
  /** Decoded object key; '' for bucket-level requests. */
  key: string;
  query: URLSearchParams;
  id: string;
  who: { requestId: string; sourceIp: string };
}

export function sendXml(res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), ...headers });
  res.end(xml);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { 'content-length': 0, ...headers });
  res.end();
}

/** S3's `<Error>` document (no body on HEAD, as S3 does). */
export function sendS3Error(res: ServerResponse, err: unknown, req: { method: string; id: string; bucket?: string; key?: string }): void {
  const e = err instanceof S3Error ? err : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
  if (!(err instanceof S3Error)) console.error('hearth: s3:', err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const resource = req.bucket ? `/${req.bucket}${req.key ? `/${req.key}` : ''}` : '/';
  const extra = Object.entries(e.extra).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message>${extra}<Resource>${escapeXml(resource)}</Resource><RequestId>${req.id}</RequestId><HostId>${req.id}</HostId></Error>`;
  if (req.method === 'HEAD') sendEmpty(res, e.status, { 'x-amz-request-id': req.id });
  else sendXml(res, e.status, body, { 'x-amz-request-id': req.id, 'x-amz-id-2': req.id });
}

export { document };

/** S3's timestamps in XML: ISO 8601 with milliseconds. */
export const isoTime = (ms: number) => new Date(ms).toISOString();

export const malformed = () => new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
