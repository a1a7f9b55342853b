import type { IncomingMessage } from 'node:http';
import { S3Error } from '../../objects/index.js';

/** A small request body (XML documents), bounded: S3 refuses oversized XML. */
export async function readAll(raw: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of raw as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new S3Error('MalformedXML', `The XML you provided was larger than ${limit} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
