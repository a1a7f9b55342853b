import type { Kv, KvEntry, KvListOptions } from '../ports.js';
import type { SqliteDatabase } from './database.js';

interface Row {
  key: string;
  value: string;
  revision: number;
}

export class SqliteKv implements Kv {
  private readonly getStmt;
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly deleteStmt;
  private readonly listStmt;

  constructor(private readonly db: SqliteDatabase) {
    this.getStmt = db.prepare<[string], Row>('SELECT key, value, revision FROM kv WHERE key = ?');
    this.insertStmt = db.prepare('INSERT INTO kv (key, value, revision) VALUES (?, ?, 1) ON CONFLICT(key) DO NOTHING');
    this.updateStmt = db.prepare('UPDATE kv SET value = ?, revision = revision + 1 WHERE key = ? AND revision = ?');
    this.deleteStmt = db.prepare('DELETE FROM kv WHERE key = ?');
    this.listStmt = db.prepare<[string, string, string, number], Row>(
      `SELECT key, value, revision FROM kv WHERE key >= ? AND key < ? AND key > ? ORDER BY key LIMIT ?`,
    );
  }

  get<T>(key: string): KvEntry<T> | undefined {
    const row = this.getStmt.get(key);
    return row && { key: row.key, value: JSON.parse(row.value) as T, revision: row.revision };
  }

  put<T>(key: string, value: T, expectRevision?: number): KvEntry<T> | undefined {
    const text = JSON.stringify(value);
    return this.db.transaction((): KvEntry<T> | undefined => {
      const current = this.getStmt.get(key);
      const at = current?.revision ?? 0;
      if (expectRevision !== undefined && expectRevision !== at) return undefined;
      if (current) this.updateStmt.run(text, key, at);
      else this.insertStmt.run(key, text);
      return { key, value, revision: at + 1 };
    })();
  }

  delete(key: string): boolean {
    return this.deleteStmt.run(key).changes > 0;
  }

  list<T>({ prefix, after, limit = 1_000_000 }: KvListOptions): KvEntry<T>[] {
    // SQLite orders text by its UTF-8 bytes; U+10FFFF is the largest code point, so
    // [prefix, prefix + U+10FFFF) holds every key that starts with prefix.
    return this.listStmt
      .all(prefix, prefix + '\u{10FFFF}', after ?? '', limit)
      .map((row) => ({ key: row.key, value: JSON.parse(row.value) as T, revision: row.revision }));
  }
}
