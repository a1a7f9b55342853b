import type { Readable } from 'node:stream';
import { type Clock, requestId } from '../common/index.js';
import type { SqliteDatabase } from '../store/index.js';
import type { BlobFiles, ExtraDigest, WrittenBlob } from './blob-files.js';
import { noSuchBucket, noSuchKey, S3Error } from './errors.js';
import { type ListEntry, listV2, type ListV2Input, type ListV2Result } from './list-objects.js';
import { type Destination, type DestinationChecks, destinationsFor, type NotificationConfiguration, type StorageEventName, validateNotification } from './notifications.js';
import { createObjectTables } from './schema.js';
import { sequencer, type StorageChange, storageEventMessage } from './storage-event.js';

export interface ObjectMeta {
  bucket: string;
  key: string;
  sha256: string;
  /** MD5 of the content (hex); the ETag too, unless the object came from a multipart upload. */
  md5: string;
  size: number;
  /** Without S3's surrounding quotes. */
  etag: string;
  contentType: string;
  metadata: Record<string, string>;
  modified: number;
}

export interface WriteOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  /** Content-MD5 (base64): a mismatch refuses the write with BadDigest. */
  contentMd5?: string;
  /** x-amz-checksum-* digests to compute and compare with what the client sent. */
  checksums?: { digest: ExtraDigest; expected: () => string | undefined }[];
  /** x-amz-decoded-content-length of an aws-chunked body. */
  expectedSize?: number;
}

/** Who asked, for the event message. */
export interface Requester {
  requestId: string;
  sourceIp: string;
}

/** Where storage events go; called inside the write's transaction so both commit together. */
export interface StorageEventSink extends DestinationChecks {
  deliver(destination: Destination, message: string): void;
}

export const MAX_PUT_BYTES = 5 * 1024 ** 3;
const MAX_KEY_BYTES = 1024;
const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

interface ObjectRow {
  bucket: string;
  key: string;
  sha256: string;
  md5: string;
  size: number;
  etag: string;
  content_type: string;
  meta: string;
  modified: number;
}

/**
 * Buckets and objects: metadata in SQLite, bytes in content-addressed files. Every change
 * writes its storage-event deliveries in the same transaction as the metadata, so a
 * write that answered success produces its events even across a crash.
 */
export class ObjectStore {
  constructor(
    readonly db: SqliteDatabase,
    readonly blobs: BlobFiles,
    readonly clock: Clock,
    readonly region: string,
    private readonly sink: StorageEventSink,
  ) {
    createObjectTables(db);
  }

  createBucket(name: string): void {
    if (!BUCKET_NAME.test(name) || name.includes('..')) throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
    const r = this.db.prepare('INSERT OR IGNORE INTO s3_buckets (name, created) VALUES (?, ?)').run(name, this.clock.now());
    if (r.changes === 0) throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: name });
  }

  deleteBucket(name: string): void {
    this.requireBucket(name);
    this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1').get(name)) {
        throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
      }
      const parts = this.db.prepare('SELECT p.sha256 FROM s3_parts p JOIN s3_uploads u ON u.id = p.upload_id WHERE u.bucket = ?').all(name) as { sha256: string }[];
      this.db.prepare('DELETE FROM s3_parts WHERE upload_id IN (SELECT id FROM s3_uploads WHERE bucket = ?)').run(name);
      this.db.prepare('DELETE FROM s3_uploads WHERE bucket = ?').run(name);
      this.db.prepare('DELETE FROM s3_buckets WHERE name = ?').run(name);
      return parts;
    })().forEach((p) => this.collect(p.sha256));
  }

  listBuckets(): { name: string; created: number }[] {
    return this.db.prepare('SELECT name, created FROM s3_buckets ORDER BY name').all() as { name: string; created: number }[];
  }

  requireBucket(name: string): void {
    if (!this.db.prepare('SELECT 1 FROM s3_buckets WHERE name = ?').get(name)) throw noSuchBucket(name);
  }

  static checkKey(key: string): void {
    if (key === '') throw new S3Error('InvalidArgument', 'Object key must not be empty.');
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'Your key is too long', { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(MAX_KEY_BYTES) });
  }

  async putObject(bucket: string, key: string, body: Readable, o: WriteOptions, who: Requester): Promise<ObjectMeta> {
    this.requireBucket(bucket);
    ObjectStore.checkKey(key);
    const blob = await this.blobs.write(body, (o.checksums ?? []).map((c) => c.digest), MAX_PUT_BYTES);
    this.verify(blob, o);
    return this.commit({ bucket, key, sha256: blob.sha256, md5: blob.md5, size: blob.size, etag: blob.md5, contentType: o.contentType ?? 'binary/octet-stream', metadata: o.metadata ?? {}, modified: this.clock.now() }, 'ObjectCreated:Put', who);
  }

  /** Refuses (and forgets) a written blob whose size or digests differ from what the client sent. */
  verify(blob: WrittenBlob, o: WriteOptions): void {
    if (o.expectedSize !== undefined && o.expectedSize !== blob.size) {
      this.collect(blob.sha256);
      throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    }
    if (o.contentMd5 !== undefined && Buffer.from(blob.md5, 'hex').toString('base64') !== o.contentMd5) {
      this.collect(blob.sha256);
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    for (const c of o.checksums ?? []) {
      const expected = c.expected();
      if (expected !== undefined && blob.extra[c.digest.name] !== expected) {
        this.collect(blob.sha256);
        throw new S3Error('BadDigest', `The ${c.digest.name.toUpperCase()} you specified did not match the calculated checksum.`);
      }
    }
  }

  /** Writes an object's row and its events in one transaction; collects a replaced blob. */
  commit(meta: ObjectMeta, eventName: StorageEventName, who: Requester, also?: () => void): ObjectMeta {
    const old = this.db.transaction(() => {
      this.requireBucket(meta.bucket);
      also?.();
      const prev = this.db.prepare('SELECT sha256 FROM s3_objects WHERE bucket = ? AND key = ?').get(meta.bucket, meta.key) as { sha256: string } | undefined;
      this.db
        .prepare('INSERT OR REPLACE INTO s3_objects (bucket, key, sha256, md5, size, etag, content_type, meta, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(meta.bucket, meta.key, meta.sha256, meta.md5, meta.size, meta.etag, meta.contentType, JSON.stringify(meta.metadata), meta.modified);
      this.emit({ bucket: meta.bucket, key: meta.key, eventName, time: meta.modified, size: meta.size, etag: meta.etag, sequencer: '', ...who });
      return prev?.sha256;
    })();
    if (old && old !== meta.sha256) this.collect(old);
    return meta;
  }

  head(bucket: string, key: string): ObjectMeta {
    const row = this.db.prepare('SELECT * FROM s3_objects WHERE bucket = ? AND key = ?').get(bucket, key) as ObjectRow | undefined;
    if (!row) {
      this.requireBucket(bucket);
      throw noSuchKey(key);
    }
    return { bucket, key, sha256: row.sha256, md5: row.md5, size: row.size, etag: row.etag, contentType: row.content_type, metadata: JSON.parse(row.meta) as Record<string, string>, modified: row.modified };
  }

  /** Deletes a key; deleting a key that does not exist succeeds and raises no event. */
  deleteObject(bucket: string, key: string, who: Requester): void {
    this.requireBucket(bucket);
    const sha = this.db.transaction(() => {
      const prev = this.db.prepare('SELECT sha256 FROM s3_objects WHERE bucket = ? AND key = ?').get(bucket, key) as { sha256: string } | undefined;
      if (!prev) return undefined;
      this.db.prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ?').run(bucket, key);
      this.emit({ bucket, key, eventName: 'ObjectRemoved:Delete', time: this.clock.now(), sequencer: '', ...who });
      return prev.sha256;
    })();
    if (sha) this.collect(sha);
  }

  copyObject(src: { bucket: string; key: string }, dst: { bucket: string; key: string }, replace: { contentType?: string; metadata: Record<string, string> } | undefined, who: Requester): ObjectMeta {
    const from = this.head(src.bucket, src.key);
    this.requireBucket(dst.bucket);
    ObjectStore.checkKey(dst.key);
    if (!replace && src.bucket === dst.bucket && src.key === dst.key) {
      throw new S3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    // Same bytes, same blob: a copy is a new row. Its ETag is the MD5 of the content, as
    // for any object written in one piece.
    return this.commit(
      { ...dst, sha256: from.sha256, md5: from.md5, size: from.size, etag: from.md5, contentType: replace ? (replace.contentType ?? 'binary/octet-stream') : from.contentType, metadata: replace ? replace.metadata : from.metadata, modified: this.clock.now() },
      'ObjectCreated:Copy',
      who,
    );
  }

  list(bucket: string, input: ListV2Input): ListV2Result {
    this.requireBucket(bucket);
    const inclusive = this.db.prepare('SELECT key, size, etag, modified FROM s3_objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT ?');
    const exclusive = this.db.prepare('SELECT key, size, etag, modified FROM s3_objects WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?');
    return listV2((bound, incl, limit) => (incl ? inclusive : exclusive).all(bucket, bound, limit) as ListEntry[], input);
  }

  putNotification(bucket: string, config: NotificationConfiguration): void {
    this.requireBucket(bucket);
    const valid = validateNotification(config, this.sink, () => requestId());
    this.db.prepare('UPDATE s3_buckets SET notification = ? WHERE name = ?').run(JSON.stringify(valid), bucket);
  }

  getNotification(bucket: string): NotificationConfiguration {
    const row = this.db.prepare('SELECT notification FROM s3_buckets WHERE name = ?').get(bucket) as { notification: string | null } | undefined;
    if (!row) throw noSuchBucket(bucket);
    return row.notification ? (JSON.parse(row.notification) as NotificationConfiguration) : { LambdaFunctionConfigurations: [], QueueConfigurations: [] };
  }

  /** Inside a transaction: the change's sequencer, then one delivery per matching configuration. */
  private emit(change: StorageChange): void {
    const n = (this.db.prepare('UPDATE s3_sequence SET n = n + 1 WHERE id = 0 RETURNING n').get() as { n: number }).n;
    change.sequencer = sequencer(n);
    const config = this.getNotification(change.bucket);
    for (const d of destinationsFor(config, change.eventName, change.key)) {
      this.sink.deliver(d, JSON.stringify(storageEventMessage(change, d.configurationId, this.region)));
    }
  }

  /** Deletes a blob no object or part refers to any more. */
  collect(sha256: string): void {
    const used = this.db.prepare('SELECT 1 FROM s3_objects WHERE sha256 = ? UNION ALL SELECT 1 FROM s3_parts WHERE sha256 = ? LIMIT 1').get(sha256, sha256);
    if (!used) this.blobs.delete(sha256);
  }
}
