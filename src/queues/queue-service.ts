import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID, type Clock, shortId, type Timer } from '../common/index.js';
import type { SqliteDatabase } from '../store/index.js';
import { applyAttributes, DEFAULT_SETTINGS, MAX_DELAY_S, MAX_VISIBILITY_S, MAX_WAIT_S, type QueueSettings, settingsToAttributes } from './attributes.js';
import { badReceipt, badValue, noQueue, QueueError } from './errors.js';
import { checkAttributes, checkBody, decodeAttributes, encodeAttributes, md5Hex, md5OfAttributes, type MessageAttributes } from './messages.js';
import { type MessageRow, type QueueRow, QueueStore } from './queue-store.js';
import { type MessageListener, Waiters } from './waiters.js';

export interface SendInput {
  body: string;
  attributes?: MessageAttributes;
  /** Overrides the queue's DelaySeconds for this message. */
  delaySeconds?: number;
}

export interface SentMessage {
  messageId: string;
  md5OfBody: string;
  md5OfAttributes?: string;
}

export interface ReceiveOptions {
  /** 1–10, default 1. */
  max?: number;
  /** Seconds; default the queue's VisibilityTimeout. */
  visibilityTimeout?: number;
  /** Long polling, 0–20,000 ms; default the queue's ReceiveMessageWaitTimeSeconds. */
  waitMs?: number;
  /** Ends a long poll early (the client went away); returns what was found, usually nothing. */
  signal?: AbortSignal;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  attributes: MessageAttributes;
  md5OfAttributes?: string;
  sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp: number;
  /** Set on messages a redrive policy moved here: the queue they came from. */
  deadLetterSourceArn?: string;
}

export interface QueueCounts {
  visible: number;
  inflight: number;
  delayed: number;
}

const SWEEP_MS = 60_000;
const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Standard queues over SQLite — the port the rest of Hearth uses to send and take
 * messages (the SQS wire in api/sqs is one client of it). A queue is named by its name,
 * ARN or URL. Every state change is one transaction, and receive picks visible messages
 * and hides them behind a new receipt handle in the same transaction, so within one
 * visibility window a message has exactly one receiver.
 */
export class QueueService {
  readonly store: QueueStore;
  private readonly waiters: Waiters;
  private sweeper?: Timer;

  constructor(
    db: SqliteDatabase,
    private readonly clock: Clock,
    readonly region: string,
  ) {
    this.store = new QueueStore(db);
    this.waiters = new Waiters(clock);
  }

  arn(name: string): string {
    return `arn:aws:sqs:${this.region}:${ACCOUNT_ID}:${name}`;
  }

  /** The queue name in a name, an ARN (`arn:aws:sqs:R:A:NAME`) or a URL (`…/ACCOUNT/NAME`). */
  static nameOf(ref: string): string {
    if (ref.startsWith('arn:')) {
      const parts = ref.split(':');
      return parts[2] === 'sqs' && parts.length === 6 ? parts[5]! : '';
    }
    if (ref.includes('/')) return ref.split('?')[0]!.split('/').filter(Boolean).pop() ?? '';
    return ref;
  }

  /** The existing queue `ref` names; QueueDoesNotExist otherwise. */
  queue(ref: string): QueueRow {
    const row = this.store.getQueue(QueueService.nameOf(ref));
    if (!row) throw noQueue();
    return row;
  }

  /** Creates a queue, or returns the existing one when every given attribute matches it. */
  create(name: string, attributes: Record<string, unknown> = {}): QueueRow {
    if (name.endsWith('.fifo')) throw new QueueError('UnsupportedOperation', 'Hearth supports standard queues only; FIFO queues (.fifo) are not supported.');
    if (!NAME.test(name)) throw badValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    const existing = this.store.getQueue(name);
    if (existing) {
      const asked = settingsToAttributes(applyAttributes(existing.settings, attributes));
      const has = settingsToAttributes(existing.settings);
      const differs = Object.keys(attributes).find((k) => asked[k] !== has[k]);
      if (differs) throw new QueueError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${differs}`);
      return existing;
    }
    const settings = applyAttributes(DEFAULT_SETTINGS, attributes);
    this.checkRedrive(name, settings);
    const now = this.clock.now();
    this.store.insertQueue(name, settings, now);
    return { name, settings, createdAt: now, modifiedAt: now };
  }

  deleteQueue(ref: string): void {
    const q = this.queue(ref);
    this.store.transaction(() => this.store.deleteQueue(q.name));
    this.waiters.notify(q.name); // long polls on it end (and then find it gone)
  }

  /** Names with `prefix`, in name order, after `after`. */
  list(prefix = '', after = '', limit = 1000): string[] {
    return this.store.listQueues(prefix, after, limit);
  }

  setAttributes(ref: string, attributes: Record<string, unknown>): void {
    const q = this.queue(ref);
    const settings = applyAttributes(q.settings, attributes);
    this.checkRedrive(q.name, settings);
    this.store.updateQueue(q.name, settings, this.clock.now());
  }

  /** Every attribute SQS reports for a queue, values as strings. */
  attributes(ref: string): Record<string, string> {
    const q = this.queue(ref);
    const c = this.counts(q.name);
    return {
      QueueArn: this.arn(q.name),
      ApproximateNumberOfMessages: String(c.visible),
      ApproximateNumberOfMessagesNotVisible: String(c.inflight),
      ApproximateNumberOfMessagesDelayed: String(c.delayed),
      CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(q.modifiedAt / 1000)),
      SqsManagedSseEnabled: 'false',
      ...settingsToAttributes(q.settings),
    };
  }

  counts(ref: string): QueueCounts {
    const q = this.queue(ref);
    const now = this.clock.now();
    this.expire(q, now);
    return this.store.counts(q.name, now);
  }

  send(ref: string, input: SendInput): SentMessage {
    const q = this.queue(ref);
    const body = checkBody(input.body);
    const attributes = input.attributes ?? {};
    const size = Buffer.byteLength(body) + checkAttributes(attributes);
    if (size > q.settings.MaximumMessageSize) {
      throw badValue(`One or more parameters are invalid. Reason: Message must be shorter than ${q.settings.MaximumMessageSize} bytes.`);
    }
    const delay = input.delaySeconds ?? q.settings.DelaySeconds;
    if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_S) {
      throw badValue(`Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and ${MAX_DELAY_S}, if provided.`);
    }
    const now = this.clock.now();
    const sent: SentMessage = { messageId: randomUUID(), md5OfBody: md5Hex(body), md5OfAttributes: md5OfAttributes(attributes) };
    this.store.insertMessage({
      queue: q.name,
      id: sent.messageId,
      body,
      attrs: encodeAttributes(attributes),
      md5_body: sent.md5OfBody,
      md5_attrs: sent.md5OfAttributes ?? null,
      sent_at: now,
      visible_at: now + delay * 1000,
      source_arn: null,
    });
    // One message, one receiver. A delayed one wakes one too, which re-arms its wait for
    // the earlier deadline and takes the message when it becomes visible.
    this.waiters.notify(q.name, 1);
    return sent;
  }

  /** Takes up to `max` visible messages, waiting up to `waitMs` for the first to arrive. */
  async receive(ref: string, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const q = this.queue(ref);
    const max = options.max ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw badValue(`Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    }
    const visibility = options.visibilityTimeout ?? q.settings.VisibilityTimeout;
    checkVisibility(visibility);
    const waitMs = options.waitMs ?? q.settings.ReceiveMessageWaitTimeSeconds * 1000;
    if (!Number.isFinite(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_S * 1000) {
      throw badValue(`Value ${waitMs / 1000} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= ${MAX_WAIT_S}, if provided.`);
    }
    const deadline = this.clock.now() + waitMs;
    for (;;) {
      // A receive whose caller went away must not hide messages nobody will process.
      if (options.signal?.aborted) return [];
      const got = this.take(q.name, max, visibility);
      const now = this.clock.now();
      if (got.length > 0 || now >= deadline || options.signal?.aborted) return got;
      const next = this.store.nextVisibleAt(q.name, now);
      await this.waiters.wait(q.name, Math.min(deadline, next ?? deadline) - now, options.signal);
    }
  }

  /** Deletes the message a current receipt handle names; a stale or spent handle is a no-op, as in SQS. */
  deleteMessage(ref: string, receiptHandle: string): void {
    const q = this.queue(ref);
    const seq = parseReceipt(q.name, receiptHandle);
    this.store.transaction(() => {
      const row = this.store.bySeq(seq);
      if (row && row.queue === q.name && row.receipt === receiptHandle) this.store.deleteSeq(seq);
    });
  }

  /** Sets an in-flight message's visibility timeout, counted from now. */
  changeVisibility(ref: string, receiptHandle: string, seconds: number): void {
    const q = this.queue(ref);
    const seq = parseReceipt(q.name, receiptHandle);
    checkVisibility(seconds);
    const now = this.clock.now();
    this.store.transaction(() => {
      const row = this.store.bySeq(seq);
      if (!row || row.queue !== q.name || row.receipt !== receiptHandle) throw badReceipt(receiptHandle);
      if (row.visible_at <= now) throw new QueueError('MessageNotInflight', 'The message referred to is not in flight.');
      this.store.setVisibleAt(seq, now + seconds * 1000);
    });
    if (seconds === 0) this.waiters.notify(q.name);
  }

  purge(ref: string): number {
    const q = this.queue(ref);
    return this.store.transaction(() => this.store.purge(q.name));
  }

  /** Calls `listener` whenever a message arrives on the queue (pollers then receive). */
  onMessage(ref: string, listener: MessageListener): () => void {
    return this.waiters.listen(this.queue(ref).name, listener);
  }

  /** Queues whose RedrivePolicy sends to `dlqRef`. */
  deadLetterSources(dlqRef: string): string[] {
    const dlq = this.queue(dlqRef).name;
    return this.store
      .allQueues()
      .filter((q) => q.settings.RedrivePolicy && QueueService.nameOf(q.settings.RedrivePolicy.deadLetterTargetArn) === dlq)
      .map((q) => q.name);
  }

  /**
   * Moves up to `limit` visible messages of `source` with seq in (afterSeq, maxSeq] to
   * `destination`, or each back to the queue it was dead-lettered from. They arrive as
   * new: receive count 0, retention counted from now.
   */
  redrive(source: string, destination: string | undefined, afterSeq: number, maxSeq: number, limit: number): { moved: number; lastSeq: number; more: boolean } {
    const now = this.clock.now();
    const touched = new Set<string>();
    const result = this.store.transaction(() => {
      const rows = this.store.movable(source, afterSeq, maxSeq, now, limit);
      let moved = 0;
      for (const row of rows) {
        const to = destination ?? (row.source_arn ? QueueService.nameOf(row.source_arn) : undefined);
        if (!to || !this.store.getQueue(to)) continue;
        this.store.redrive(row.seq, to, now);
        touched.add(to);
        moved++;
      }
      return { moved, lastSeq: rows.at(-1)?.seq ?? afterSeq, more: rows.length === limit };
    });
    for (const name of touched) this.waiters.notify(name);
    return result;
  }

  /** Arms the retention sweep (messages past MessageRetentionPeriod are also dropped on access). */
  start(): void {
    const tick = () => {
      this.sweep();
      this.sweeper = this.clock.setTimer(SWEEP_MS, tick);
    };
    this.sweeper = this.clock.setTimer(SWEEP_MS, tick);
  }

  stop(): void {
    this.sweeper?.cancel();
  }

  sweep(): void {
    const now = this.clock.now();
    for (const q of this.store.allQueues()) this.expire(q, now);
  }

  private expire(q: QueueRow, now: number): void {
    this.store.expire(q.name, now - q.settings.MessageRetentionPeriod * 1000);
  }

  /** One transaction: pick visible messages, dead-letter those past maxReceiveCount, hide the rest. */
  private take(name: string, max: number, visibility: number): ReceivedMessage[] {
    const now = this.clock.now();
    const dlqs = new Set<string>();
    const out = this.store.transaction(() => {
      const q = this.store.getQueue(name);
      if (!q) throw noQueue();
      this.expire(q, now);
      const policy = q.settings.RedrivePolicy;
      const dlq = policy && this.store.getQueue(QueueService.nameOf(policy.deadLetterTargetArn));
      const taken: ReceivedMessage[] = [];
      while (taken.length < max) {
        const rows = this.store.pickVisible(name, now, max - taken.length);
        if (rows.length === 0) break;
        for (const row of rows) {
          if (policy && dlq && row.receive_count >= policy.maxReceiveCount) {
            this.store.moveToDlq(row.seq, dlq.name, this.arn(name), now);
            dlqs.add(dlq.name);
            continue;
          }
          const receipt = Buffer.from(`${name}\n${row.seq}\n${shortId()}`).toString('base64url');
          this.store.markReceived(row.seq, receipt, now + visibility * 1000, now);
          taken.push(received(row, receipt, now));
        }
      }
      return taken;
    });
    for (const d of dlqs) this.waiters.notify(d);
    return out;
  }

  private checkRedrive(name: string, s: QueueSettings): void {
    if (!s.RedrivePolicy) return;
    const target = this.store.getQueue(QueueService.nameOf(s.RedrivePolicy.deadLetterTargetArn));
    const reason = (why: string) => new QueueError('InvalidAttributeValue', `Value ${JSON.stringify(s.RedrivePolicy)} for parameter RedrivePolicy is invalid. Reason: ${why}`);
    if (!target) throw reason('Dead letter target does not exist.');
    if (target.name === name) throw reason('A queue cannot be its own dead-letter queue.');
    const allow = target.settings.RedriveAllowPolicy;
    if (allow?.redrivePermission === 'denyAll' || (allow?.redrivePermission === 'byQueue' && !allow.sourceQueueArns?.includes(this.arn(name)))) {
      throw reason("The dead-letter queue's RedriveAllowPolicy does not allow this queue as a source.");
    }
  }
}

function checkVisibility(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_S) {
    throw badValue(`Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= ${MAX_VISIBILITY_S}, if provided.`);
  }
}

function parseReceipt(queue: string, handle: string): number {
  const parts = typeof handle === 'string' ? Buffer.from(handle, 'base64url').toString('utf8').split('\n') : [];
  const seq = Number(parts[1]);
  if (parts.length !== 3 || parts[0] !== queue || !Number.isSafeInteger(seq) || seq <= 0) throw badReceipt(String(handle));
  return seq;
}

function received(row: MessageRow, receipt: string, now: number): ReceivedMessage {
  return {
    messageId: row.id,
    receiptHandle: receipt,
    body: row.body,
    md5OfBody: row.md5_body,
    attributes: decodeAttributes(row.attrs),
    md5OfAttributes: row.md5_attrs ?? undefined,
    sentTimestamp: row.sent_at,
    receiveCount: row.receive_count + 1,
    firstReceiveTimestamp: row.first_received_at ?? now,
    deadLetterSourceArn: row.source_arn ?? undefined,
  };
}
