import type { SqliteDatabase } from '../store/index.js';
import type { QueueSettings } from './attributes.js';

export interface QueueRow {
  name: string;
  settings: QueueSettings;
  createdAt: number;
  modifiedAt: number;
}

export interface MessageRow {
  seq: number;
  queue: string;
  id: string;
  body: string;
  attrs: string | null;
  md5_body: string;
  md5_attrs: string | null;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  receipt: string | null;
  source_arn: string | null;
}

export type NewMessage = Pick<MessageRow, 'queue' | 'id' | 'body' | 'attrs' | 'md5_body' | 'md5_attrs' | 'sent_at' | 'visible_at' | 'source_arn'>;

/**
 * The queues' tables in the node's SQLite database. Every method is one statement;
 * QueueService wraps the ones that must go together in a transaction.
 */
export class QueueStore {
  private readonly s;

  constructor(readonly db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS sqs_queues (
        name TEXT PRIMARY KEY,
        settings TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS sqs_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        queue TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        attrs TEXT,
        md5_body TEXT NOT NULL,
        md5_attrs TEXT,
        sent_at INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_received_at INTEGER,
        receipt TEXT,
        source_arn TEXT
      );
      CREATE INDEX IF NOT EXISTS sqs_messages_visible ON sqs_messages (queue, visible_at, seq);
      CREATE INDEX IF NOT EXISTS sqs_messages_sent ON sqs_messages (queue, sent_at);
    `);
    this.s = {
      getQueue: db.prepare<[string], { name: string; settings: string; created_at: number; modified_at: number }>('SELECT * FROM sqs_queues WHERE name = ?'),
      insertQueue: db.prepare('INSERT INTO sqs_queues (name, settings, created_at, modified_at) VALUES (?, ?, ?, ?)'),
      updateQueue: db.prepare('UPDATE sqs_queues SET settings = ?, modified_at = ? WHERE name = ?'),
      deleteQueue: db.prepare('DELETE FROM sqs_queues WHERE name = ?'),
      listQueues: db.prepare<[string, number, string, number], { name: string }>('SELECT name FROM sqs_queues WHERE name > ? AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?'),
      allQueues: db.prepare<[], { name: string; settings: string; created_at: number; modified_at: number }>('SELECT * FROM sqs_queues ORDER BY name'),
      insertMessage: db.prepare(
        'INSERT INTO sqs_messages (queue, id, body, attrs, md5_body, md5_attrs, sent_at, visible_at, source_arn) VALUES (@queue, @id, @body, @attrs, @md5_body, @md5_attrs, @sent_at, @visible_at, @source_arn)',
      ),
      pickVisible: db.prepare<[string, number, number], MessageRow>('SELECT * FROM sqs_messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?'),
      markReceived: db.prepare('UPDATE sqs_messages SET receipt = ?, visible_at = ?, receive_count = receive_count + 1, first_received_at = coalesce(first_received_at, ?) WHERE seq = ?'),
      moveToDlq: db.prepare('UPDATE sqs_messages SET queue = ?, source_arn = ?, receipt = NULL, visible_at = ? WHERE seq = ?'),
      redrive: db.prepare('UPDATE sqs_messages SET queue = ?, source_arn = NULL, receipt = NULL, receive_count = 0, first_received_at = NULL, sent_at = ?, visible_at = ? WHERE seq = ?'),
      bySeq: db.prepare<[number], MessageRow>('SELECT * FROM sqs_messages WHERE seq = ?'),
      deleteSeq: db.prepare('DELETE FROM sqs_messages WHERE seq = ?'),
      setVisibleAt: db.prepare('UPDATE sqs_messages SET visible_at = ? WHERE seq = ?'),
      counts: db.prepare<[number, number, number, string], { visible: number; inflight: number; delayed: number }>(
        `SELECT coalesce(sum(visible_at <= ?), 0) AS visible,
                coalesce(sum(visible_at > ? AND receipt IS NOT NULL), 0) AS inflight,
                coalesce(sum(visible_at > ? AND receipt IS NULL), 0) AS delayed
         FROM sqs_messages WHERE queue = ?`,
      ),
      purge: db.prepare('DELETE FROM sqs_messages WHERE queue = ?'),
      expire: db.prepare('DELETE FROM sqs_messages WHERE queue = ? AND sent_at <= ?'),
      nextVisible: db.prepare<[string, number], { at: number | null }>('SELECT min(visible_at) AS at FROM sqs_messages WHERE queue = ? AND visible_at > ?'),
      movable: db.prepare<[string, number, number, number, number], MessageRow>('SELECT * FROM sqs_messages WHERE queue = ? AND seq > ? AND seq <= ? AND visible_at <= ? ORDER BY seq LIMIT ?'),
      maxSeq: db.prepare<[string], { seq: number | null }>('SELECT max(seq) AS seq FROM sqs_messages WHERE queue = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    // IMMEDIATE: take the write lock up front, so a read-then-update (receive) cannot
    // interleave with another connection's.
    return this.db.transaction(fn).immediate();
  }

  getQueue(name: string): QueueRow | undefined {
    const r = this.s.getQueue.get(name);
    return r && { name: r.name, settings: JSON.parse(r.settings) as QueueSettings, createdAt: r.created_at, modifiedAt: r.modified_at };
  }

  allQueues(): QueueRow[] {
    return this.s.allQueues.all().map((r) => ({ name: r.name, settings: JSON.parse(r.settings) as QueueSettings, createdAt: r.created_at, modifiedAt: r.modified_at }));
  }

  insertQueue(name: string, settings: QueueSettings, now: number): void {
    this.s.insertQueue.run(name, JSON.stringify(settings), now, now);
  }

  updateQueue(name: string, settings: QueueSettings, now: number): void {
    this.s.updateQueue.run(JSON.stringify(settings), now, name);
  }

  deleteQueue(name: string): void {
    this.s.purge.run(name);
    this.s.deleteQueue.run(name);
  }

  listQueues(prefix: string, after: string, limit: number): string[] {
    return this.s.listQueues.all(after, prefix.length, prefix, limit).map((r) => r.name);
  }

  insertMessage(m: NewMessage): number {
    return Number(this.s.insertMessage.run(m).lastInsertRowid);
  }

  pickVisible(queue: string, now: number, limit: number): MessageRow[] {
    return this.s.pickVisible.all(queue, now, limit);
  }

  markReceived(seq: number, receipt: string, visibleAt: number, now: number): void {
    this.s.markReceived.run(receipt, visibleAt, now, seq);
  }

  moveToDlq(seq: number, dlq: string, sourceArn: string, now: number): void {
    this.s.moveToDlq.run(dlq, sourceArn, now, seq);
  }

  redrive(seq: number, destination: string, now: number): void {
    this.s.redrive.run(destination, now, now, seq);
  }

  bySeq(seq: number): MessageRow | undefined {
    return this.s.bySeq.get(seq);
  }

  deleteSeq(seq: number): void {
    this.s.deleteSeq.run(seq);
  }

  setVisibleAt(seq: number, at: number): void {
    this.s.setVisibleAt.run(at, seq);
  }

  counts(queue: string, now: number): { visible: number; inflight: number; delayed: number } {
    return this.s.counts.get(now, now, now, queue)!;
  }

  purge(queue: string): number {
    return this.s.purge.run(queue).changes;
  }

  expire(queue: string, sentBefore: number): number {
    return this.s.expire.run(queue, sentBefore).changes;
  }

  nextVisibleAt(queue: string, now: number): number | undefined {
    return this.s.nextVisible.get(queue, now)?.at ?? undefined;
  }

  /** Visible messages of `queue` in (`afterSeq`, `maxSeq`], oldest first: what a move task takes. */
  movable(queue: string, afterSeq: number, maxSeq: number, now: number, limit: number): MessageRow[] {
    return this.s.movable.all(queue, afterSeq, maxSeq, now, limit);
  }

  maxSeq(queue: string): number {
    return this.s.maxSeq.get(queue)?.seq ?? 0;
  }
}
