import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Blobs } from './ports.js';

/** Blobs as files named by their sha256, written atomically (temp file + rename). */
export class FsBlobs implements Blobs {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  put(bytes: Uint8Array): string {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const file = this.path(sha);
    if (!existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, file);
    }
    return sha;
  }

  has(sha256: string): boolean {
    return existsSync(this.path(sha256));
  }

  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, sha256);
  }

  delete(sha256: string): void {
    rmSync(this.path(sha256), { force: true });
  }
}
