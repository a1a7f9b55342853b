import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import { S3Error } from './errors.js';

export interface WrittenBlob {
  sha256: string;
  md5: string;
  size: number;
  /** Digests the caller asked for (e.g. `sha1`, `crc32`), base64 as S3 sends them. */
  extra: Record<string, string>;
}

/** A running digest the caller wants alongside md5/sha256 (S3's x-amz-checksum-*). */
export interface ExtraDigest {
  name: string;
  update(chunk: Buffer): void;
  digest(): string;
}

/**
 * Object bytes as files named by their sha256. A write streams the body through the
 * hashes into a temp file and renames it, so memory stays flat whatever the size and a
 * crash leaves no half-written blob under a real name.
 */
export class BlobFiles {
  private seq = 0;
  private readonly tmp: string;

  constructor(private readonly dir: string) {
    this.tmp = join(dir, 'tmp');
    // Temp files of a crashed run are garbage: nothing refers to them.
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp, { recursive: true });
  }

  async write(source: Readable | Readable[], extras: ExtraDigest[] = [], limit = Infinity): Promise<WrittenBlob> {
    const tmp = join(this.tmp, `${process.pid}-${++this.seq}`);
    const sha: Hash = createHash('sha256');
    const md5: Hash = createHash('md5');
    let size = 0;
    const out = createWriteStream(tmp);
    try {
      // Parts of a multipart upload are concatenated through the same hashes into one file.
      for (const s of Array.isArray(source) ? source : [source]) {
        for await (const chunk of s as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > limit) throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { MaxSizeAllowed: String(limit) });
          sha.update(chunk);
          md5.update(chunk);
          for (const e of extras) e.update(chunk);
          if (!out.write(chunk)) await once(out, 'drain');
        }
      }
      out.end();
      await finished(out);
    } catch (err) {
      out.destroy();
      rmSync(tmp, { force: true });
      throw err;
    }
    const sha256 = sha.digest('hex');
    const file = this.path(sha256);
    if (existsSync(file)) rmSync(tmp, { force: true });
    else renameSync(tmp, file);
    return { sha256, md5: md5.digest('hex'), size, extra: Object.fromEntries(extras.map((e) => [e.name, e.digest()])) };
  }

  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256);
  }

  /** The bytes `start..end` (inclusive) of a blob, streamed from disk. */
  read(sha256: string, start?: number, end?: number): Readable {
    return createReadStream(this.path(sha256), start === undefined ? {} : { start, end });
  }

  size(sha256: string): number {
    return statSync(this.path(sha256)).size;
  }

  delete(sha256: string): void {
    rmSync(this.path(sha256), { force: true });
  }
}
