import { Transform, type TransformCallback } from 'node:stream';

/**
 * Decodes `Content-Encoding: aws-chunked` bodies (what the AWS SDKs send for streamed
 * uploads): `hex-size[;chunk-signature=…]\r\n data \r\n … 0\r\n trailers \r\n`. The
 * trailers (e.g. `x-amz-checksum-crc32`) are kept for the caller to check after the end.
 * Only the framing is held in memory, never more than one chunk header.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of data left in the current chunk; -1 while reading a chunk header. */
  private left = -1;
  private state: 'header' | 'data' | 'crlf' | 'trailers' | 'done' = 'header';

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.drain();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === 'done' ? null : new Error('aws-chunked body ended early'));
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'data') {
        if (this.buf.length === 0) return;
        const n = Math.min(this.left, this.buf.length);
        this.push(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        this.left -= n;
        if (this.left === 0) this.state = 'crlf';
        continue;
      }
      if (this.state === 'done') return;
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) {
        if (this.buf.length > 64 * 1024) throw new Error('aws-chunked header too long');
        return;
      }
      const line = this.buf.subarray(0, eol).toString('latin1');
      this.buf = this.buf.subarray(eol + 2);
      if (this.state === 'crlf') {
        if (line !== '') throw new Error('aws-chunked: missing CRLF after chunk');
        this.state = 'header';
      } else if (this.state === 'header') {
        const size = parseInt(line.split(';')[0]!, 16);
        if (!Number.isFinite(size) || size < 0) throw new Error('aws-chunked: bad chunk size');
        this.left = size;
        this.state = size === 0 ? 'trailers' : 'data';
      } else if (line === '') {
        this.state = 'done';
      } else {
        const colon = line.indexOf(':');
        if (colon > 0) this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
  }
}
