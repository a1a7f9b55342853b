import type { LogRecord, LogStore } from '../ports.js';
import type { SqliteDatabase } from './database.js';

/** Function logs in SQLite, trimmed to the newest `retainPerFunction` records. */
export class SqliteLogStore implements LogStore {
  private readonly insert;
  private readonly trim;
  private readonly readStmt;
  private readonly appended = new Map<string, number>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly retainPerFunction = 10_000,
  ) {
    this.insert = db.prepare('INSERT INTO logs (fn, time, text) VALUES (?, ?, ?)');
    this.trim = db.prepare(
      'DELETE FROM logs WHERE fn = ? AND id <= (SELECT id FROM logs WHERE fn = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
    );
    this.readStmt = db.prepare<[string, number, number, number], LogRecord & { id: number }>(
      'SELECT id, time, text FROM logs WHERE fn = ? AND time >= ? AND id > ? ORDER BY id LIMIT ?',
    );
  }

  append(fn: string, records: LogRecord[]): void {
    this.db.transaction(() => {
      for (const r of records) this.insert.run(fn, r.time, r.text);
    })();
    // Trimming costs a scan: do it once per tenth of the retention, not per write.
    const count = (this.appended.get(fn) ?? 0) + records.length;
    if (count >= Math.max(1, this.retainPerFunction / 10)) {
      this.trim.run(fn, fn, this.retainPerFunction);
      this.appended.set(fn, 0);
    } else this.appended.set(fn, count);
  }

  read(fn: string, { since = 0, afterId = 0, limit = 10_000 }: { since?: number; afterId?: number; limit?: number }) {
    return this.readStmt.all(fn, since, afterId, limit);
  }

  deleteFunction(fn: string): void {
    this.db.prepare('DELETE FROM logs WHERE fn = ?').run(fn);
  }
}
