import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { requestId } from '../common/index.js';
import { noSuchUpload, S3Error } from './errors.js';
import { MAX_PUT_BYTES, type ObjectMeta, ObjectStore, type Requester, type WriteOptions } from './object-store.js';

export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

interface UploadRow {
  id: string;
  bucket: string;
  key: string;
  content_type: string;
  meta: string;
}

interface PartRow {
  part: number;
  sha256: string;
  md5: string;
  size: number;
}

/**
 * Multipart uploads: parts are blobs of their own; completing concatenates the chosen
 * parts into the object's blob (streamed, not buffered) and commits the object, its
 * event and the upload's removal in one transaction.
 */
export class MultipartUploads {
  constructor(private readonly store: ObjectStore) {}

  create(bucket: string, key: string, contentType: string | undefined, metadata: Record<string, string>): string {
    this.store.requireBucket(bucket);
    ObjectStore.checkKey(key);
    const id = requestId().replaceAll('-', '');
    this.store.db
      .prepare('INSERT INTO s3_uploads (id, bucket, key, content_type, meta, created) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, bucket, key, contentType ?? 'binary/octet-stream', JSON.stringify(metadata), this.store.clock.now());
    return id;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, o: WriteOptions = {}): Promise<string> {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
      throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`, { ArgumentName: 'partNumber', ArgumentValue: String(partNumber) });
    }
    this.upload(bucket, key, uploadId);
    const blob = await this.store.blobs.write(body, (o.checksums ?? []).map((c) => c.digest), MAX_PUT_BYTES);
    this.store.verify(blob, o);
    let old: string | undefined;
    try {
      old = this.store.db.transaction(() => {
        this.upload(bucket, key, uploadId); // aborted while the part streamed in?
      const prev = this.store.db.prepare('SELECT sha256 FROM s3_parts WHERE upload_id = ? AND part = ?').get(uploadId, partNumber) as { sha256: string } | undefined;
      this.store.db.prepare('INSERT OR REPLACE INTO s3_parts (upload_id, part, sha256, md5, size) VALUES (?, ?, ?, ?, ?)').run(uploadId, partNumber, blob.sha256, blob.md5, blob.size);
      return prev?.sha256;
      })();
    } catch (err) {
      this.store.collect(blob.sha256);
      throw err;
    }
    if (old && old !== blob.sha256) this.store.collect(old);
    return blob.md5;
  }

  async complete(bucket: string, key: string, uploadId: string, chosen: { PartNumber: number; ETag: string }[], who: Requester): Promise<ObjectMeta> {
    const up = this.upload(bucket, key, uploadId);
    if (chosen.length === 0) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    const stored = new Map((this.store.db.prepare('SELECT part, sha256, md5, size FROM s3_parts WHERE upload_id = ?').all(uploadId) as PartRow[]).map((p) => [p.part, p]));
    const parts: PartRow[] = [];
    chosen.forEach((c, i) => {
      if (i > 0 && c.PartNumber <= chosen[i - 1]!.PartNumber) throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', { UploadId: uploadId });
    });
    chosen.forEach((c, i) => {
      const p = stored.get(c.PartNumber);
      if (!p || c.ETag.replaceAll('"', '') !== p.md5) {
        throw new S3Error('InvalidPart', 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part\'s entity tag.', { UploadId: uploadId, PartNumber: String(c.PartNumber), ETag: c.ETag });
      }
      if (i < chosen.length - 1 && p.size < MIN_PART_BYTES) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', { ProposedSize: String(p.size), MinSizeAllowed: String(MIN_PART_BYTES), PartNumber: String(c.PartNumber), ETag: c.ETag });
      }
      parts.push(p);
    });
    const blob = await this.store.blobs.write(parts.map((p) => this.store.blobs.read(p.sha256)));
    // S3's multipart ETag: MD5 of the concatenated binary MD5s of the parts, "-" and their count.
    const etag = `${createHash('md5').update(Buffer.concat(parts.map((p) => Buffer.from(p.md5, 'hex')))).digest('hex')}-${parts.length}`;
    const meta: ObjectMeta = { bucket, key, sha256: blob.sha256, md5: blob.md5, size: blob.size, etag, contentType: up.content_type, metadata: JSON.parse(up.meta) as Record<string, string>, modified: this.store.clock.now() };
    this.store.commit(meta, 'ObjectCreated:CompleteMultipartUpload', who, () => {
      this.upload(bucket, key, uploadId); // aborted or completed while the parts were joined?
      this.store.db.prepare('DELETE FROM s3_parts WHERE upload_id = ?').run(uploadId);
      this.store.db.prepare('DELETE FROM s3_uploads WHERE id = ?').run(uploadId);
    });
    for (const p of stored.values()) this.store.collect(p.sha256);
    return meta;
  }

  abort(bucket: string, key: string, uploadId: string): void {
    this.upload(bucket, key, uploadId);
    const parts = this.store.db.transaction(() => {
      const rows = this.store.db.prepare('SELECT sha256 FROM s3_parts WHERE upload_id = ?').all(uploadId) as { sha256: string }[];
      this.store.db.prepare('DELETE FROM s3_parts WHERE upload_id = ?').run(uploadId);
      this.store.db.prepare('DELETE FROM s3_uploads WHERE id = ?').run(uploadId);
      return rows;
    })();
    for (const p of parts) this.store.collect(p.sha256);
  }

  private upload(bucket: string, key: string, uploadId: string): UploadRow {
    this.store.requireBucket(bucket);
    const row = this.store.db.prepare('SELECT * FROM s3_uploads WHERE id = ?').get(uploadId) as UploadRow | undefined;
    if (!row || row.bucket !== bucket || row.key !== key) throw noSuchUpload(uploadId);
    return row;
  }
}
