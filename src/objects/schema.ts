import type { SqliteDatabase } from '../store/index.js';

/**
 * The object store's metadata lives in the node's one SQLite database, next to the jobs
 * and queue messages, so a write and the event deliveries it causes commit together.
 */
export function createObjectTables(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS s3_buckets (
      name TEXT PRIMARY KEY,
      created INTEGER NOT NULL,
      notification TEXT
    );
    CREATE TABLE IF NOT EXISTS s3_objects (
      bucket TEXT NOT NULL,
      key TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      md5 TEXT NOT NULL,
      size INTEGER NOT NULL,
      etag TEXT NOT NULL,
      content_type TEXT NOT NULL,
      meta TEXT NOT NULL,
      modified INTEGER NOT NULL,
      PRIMARY KEY (bucket, key)
    );
    CREATE INDEX IF NOT EXISTS s3_objects_sha ON s3_objects (sha256);
    CREATE TABLE IF NOT EXISTS s3_uploads (
      id TEXT PRIMARY KEY,
      bucket TEXT NOT NULL,
      key TEXT NOT NULL,
      content_type TEXT NOT NULL,
      meta TEXT NOT NULL,
      created INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS s3_parts (
      upload_id TEXT NOT NULL,
      part INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      md5 TEXT NOT NULL,
      size INTEGER NOT NULL,
      PRIMARY KEY (upload_id, part)
    );
    CREATE INDEX IF NOT EXISTS s3_parts_sha ON s3_parts (sha256);
    CREATE TABLE IF NOT EXISTS s3_sequence (id INTEGER PRIMARY KEY CHECK (id = 0), n INTEGER NOT NULL);
    INSERT OR IGNORE INTO s3_sequence (id, n) VALUES (0, 0);
  `);
}
