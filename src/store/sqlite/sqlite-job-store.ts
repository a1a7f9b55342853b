import type { Job, JobStore } from '../jobs.js';
import type { SqliteDatabase } from './database.js';

interface Row {
  id: string;
  owner: string;
  data: string;
  created_at: number;
  due_at: number;
  attempts: number;
}

/**
 * Jobs in one SQLite table per kind. A lease is the `due_at` moved to the lease's end:
 * a job whose runner died becomes due again by itself, with no recovery pass.
 */
export class SqliteJobStore<T> implements JobStore<T> {
  private readonly insert;
  private readonly due;
  private readonly lease;
  private readonly move;
  private readonly del;
  private readonly next;
  private readonly countAll;
  private readonly countOwner;
  private readonly unlease;
  private readonly dueSkipping;
  private readonly nextSkipping;

  constructor(
    private readonly db: SqliteDatabase,
    kind: string,
  ) {
    if (!/^[a-z_]+$/.test(kind)) throw new Error(`bad job kind ${kind}`);
    const t = `jobs_${kind}`;
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t} (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        leased INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS ${t}_due ON ${t} (due_at);
      CREATE INDEX IF NOT EXISTS ${t}_owner ON ${t} (owner);
    `);
    this.insert = db.prepare(`INSERT INTO ${t} (id, owner, data, created_at, due_at) VALUES (?, ?, ?, ?, ?)`);
    this.due = db.prepare<[number, number], Row>(`SELECT * FROM ${t} WHERE due_at <= ? ORDER BY due_at LIMIT ?`);
    this.dueSkipping = db.prepare<[number, string, number], Row>(
      `SELECT * FROM ${t} WHERE due_at <= ? AND owner NOT IN (SELECT value FROM json_each(?)) ORDER BY due_at LIMIT ?`,
    );
    this.nextSkipping = db.prepare<[string], { at: number | null }>(`SELECT MIN(due_at) AS at FROM ${t} WHERE owner NOT IN (SELECT value FROM json_each(?))`);
    this.lease = db.prepare(`UPDATE ${t} SET due_at = ?, attempts = attempts + 1, leased = 1 WHERE id = ?`);
    this.move = db.prepare(`UPDATE ${t} SET due_at = ?, attempts = attempts - ?, leased = 0 WHERE id = ?`);
    this.unlease = db.prepare(`UPDATE ${t} SET due_at = MIN(due_at, ?), leased = 0 WHERE leased = 1`);
    this.del = db.prepare(`DELETE FROM ${t} WHERE id = ?`);
    this.next = db.prepare<[], { at: number | null }>(`SELECT MIN(due_at) AS at FROM ${t}`);
    this.countAll = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${t}`);
    this.countOwner = db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ${t} WHERE owner = ?`);
  }

  add(job: Omit<Job<T>, 'attempts'>): void {
    this.insert.run(job.id, job.owner, JSON.stringify(job.data), job.createdAt, job.dueAt);
  }

  take(now: number, limit: number, leaseUntil: number, skipOwners?: ReadonlySet<string>): Job<T>[] {
    return this.db.transaction(() => {
      const rows = skipOwners?.size ? this.dueSkipping.all(now, JSON.stringify([...skipOwners]), limit) : this.due.all(now, limit);
      for (const r of rows) this.lease.run(leaseUntil, r.id);
      return rows.map((r) => ({ id: r.id, owner: r.owner, data: JSON.parse(r.data) as T, createdAt: r.created_at, dueAt: r.due_at, attempts: r.attempts + 1 }));
    })();
  }

  reschedule(id: string, dueAt: number, countAttempt: boolean): void {
    this.move.run(dueAt, countAttempt ? 0 : 1, id);
  }

  remove(id: string): void {
    this.del.run(id);
  }

  nextDue(skipOwners?: ReadonlySet<string>): number | undefined {
    const row = skipOwners?.size ? this.nextSkipping.get(JSON.stringify([...skipOwners])) : this.next.get();
    return row?.at ?? undefined;
  }

  recover(now: number): number {
    return this.unlease.run(now).changes;
  }

  count(owner?: string): number {
    return (owner === undefined ? this.countAll.get() : this.countOwner.get(owner))?.n ?? 0;
  }
}
