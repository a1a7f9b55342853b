import { setMaxListeners } from 'node:events';
import { type Clock, HearthError, type Random } from '../common/index.js';
import type { InvokeResult } from '../invoke/index.js';
import type { QueueService, ReceivedMessage } from '../queues/index.js';

/** A mapping as its poller needs it. */
export interface PollerSettings {
  uuid: string;
  queueArn: string;
  functionName: string;
  qualifier?: string;
  batchSize: number;
  batchingWindowS: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency: number;
}

export interface PollerDeps {
  queues: QueueService;
  /** A synchronous invocation through the normal path (throws the 429 of a throttle). */
  invoke(name: string, qualifier: string | undefined, payload: string): Promise<InvokeResult>;
  clock: Clock;
  random: Random;
  region: string;
  report(message: string): void;
}

const LONG_POLL_MS = 20_000;
/** How long a throttled batch waits before it tries again. */
const THROTTLE_RETRY_MS = 250;
/** No new worker for this long after a throttle. */
const SCALE_PAUSE_MS = 1000;
/** At most one new worker per this many ms (AWS adds pollers gradually too). */
const SPAWN_GAP_MS = 50;

/** Lambda's SQS event record for one message. */
export function sqsRecord(m: ReceivedMessage, queueArn: string, region: string) {
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(m.attributes)) {
    messageAttributes[name] = {
      ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { binaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: v.DataType,
    };
  }
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentTimestamp),
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp),
      ...(m.deadLetterSourceArn ? { DeadLetterQueueSourceArn: m.deadLetterSourceArn } : {}),
    },
    messageAttributes,
    md5OfBody: m.md5OfBody,
    ...(m.md5OfAttributes ? { md5OfMessageAttributes: m.md5OfAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * The message ids a ReportBatchItemFailures response names as failed, or undefined when
 * the response is not a valid one — Lambda then treats the whole batch as failed.
 */
export function failedItems(result: InvokeResult, batch: ReceivedMessage[]): Set<string> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(result.payload);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== 'object') return new Set();
  const failures = (body as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set(batch.map((m) => m.messageId));
  const failed = new Set<string>();
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return undefined;
    failed.add(id);
  }
  return failed;
}

/**
 * Polls one queue for one mapping: long-polls, gathers a batch (up to BatchSize, within
 * the batching window), invokes the function synchronously, then deletes what succeeded.
 * Failed messages stay and come back after their visibility timeout, so the queue's
 * maxReceiveCount moves them to its dead-letter queue. Pollers scale with the backlog:
 * a full batch starts another worker, up to MaximumConcurrency; an empty poll stops one.
 */
export class SqsPoller {
  private workers = 0;
  private stopped = false;
  /** When the function last throttled this mapping: no scale-out while it does. */
  private throttledAt = -Infinity;
  private spawnedAt = -Infinity;
  /** Workers parked in a receive: while one is, another would only park beside it. */
  private polling = 0;
  private readonly abort = new AbortController();

  constructor(
    readonly settings: PollerSettings,
    private readonly d: PollerDeps,
  ) {
    // Every worker's long poll listens on this one signal: many listeners are expected.
    setMaxListeners(0, this.abort.signal);
  }

  get activeWorkers(): number {
    return this.workers;
  }

  start(): void {
    this.spawn();
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private spawn(): void {
    if (this.stopped || this.workers >= this.settings.maximumConcurrency) return;
    // Scale out gradually and only while the function keeps up: more pollers than it has
    // room for only collect throttles (and each one parks a long poll).
    if (this.polling > 0) return;
    const now = this.d.clock.monotonic();
    if (now - this.throttledAt < SCALE_PAUSE_MS || now - this.spawnedAt < SPAWN_GAP_MS) return;
    this.spawnedAt = now;
    this.workers++;
    void this.work().finally(() => this.workers--);
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      let batch: ReceivedMessage[];
      try {
        batch = await this.gather();
      } catch (err) {
        // The queue was deleted, or another error: report, wait, try again.
        this.d.report(`event source mapping ${this.settings.uuid}: ${(err as Error).message}`);
        await this.sleep(1000);
        continue;
      }
      if (this.stopped) return;
      if (batch.length === 0) {
        if (this.workers > 1) return;
        continue;
      }
      if (this.stopped) return this.release(batch);
      if (batch.length >= this.settings.batchSize) this.spawn();
      const throttled = await this.process(batch);
      // A throttled extra worker stops: the function has no room for it.
      if (throttled && this.workers > 1) return;
    }
  }

  /** Makes messages a stopping poller took visible again at once, not after their timeout. */
  private release(batch: ReceivedMessage[]): void {
    for (const m of batch) {
      try {
        this.d.queues.changeVisibility(this.settings.queueArn, m.receiptHandle, 0);
      } catch {
        /* deleted meanwhile, or the queue is gone */
      }
    }
  }

  private async gather(): Promise<ReceivedMessage[]> {
    const { queues, clock } = this.d;
    const { queueArn, batchSize, batchingWindowS } = this.settings;
    this.polling++;
    let batch: ReceivedMessage[];
    try {
      batch = await queues.receive(queueArn, { max: Math.min(10, batchSize), waitMs: LONG_POLL_MS, signal: this.abort.signal });
    } finally {
      this.polling--;
    }
    const windowEnds = clock.now() + batchingWindowS * 1000;
    while (batch.length > 0 && batch.length < batchSize && !this.stopped) {
      const left = windowEnds - clock.now();
      if (left <= 0) break;
      const more = await queues.receive(queueArn, { max: Math.min(10, batchSize - batch.length), waitMs: Math.min(left, LONG_POLL_MS), signal: this.abort.signal });
      batch.push(...more);
    }
    return batch;
  }

  /** Invokes the function with one batch and deletes what succeeded; true when it was throttled. */
  private async process(batch: ReceivedMessage[]): Promise<boolean> {
    const { queueArn, functionName, qualifier, reportBatchItemFailures } = this.settings;
    const payload = JSON.stringify({ Records: batch.map((m) => sqsRecord(m, queueArn, this.d.region)) });
    // A throttled batch is held and retried while its messages are still hidden; after
    // that they are visible to other pollers, so this one lets them go.
    const hiddenUntil = this.d.clock.now() + this.d.queues.queue(queueArn).settings.VisibilityTimeout * 1000 - THROTTLE_RETRY_MS * 2;
    let result: InvokeResult;
    let throttled = false;
    for (;;) {
      try {
        result = await this.d.invoke(functionName, qualifier, payload);
        break;
      } catch (err) {
        const throttle = err instanceof HearthError && err.code === 'TooManyRequestsException';
        if (!throttle) this.d.report(`event source mapping ${this.settings.uuid}: ${(err as Error).message}`);
        if (throttle) {
          throttled = true;
          this.throttledAt = this.d.clock.monotonic();
        }
        if (!throttle || this.stopped || this.d.clock.now() >= hiddenUntil) {
          if (this.stopped) this.release(batch);
          return throttled;
        }
        await this.sleep(THROTTLE_RETRY_MS * (1 + this.d.random.next()));
      }
    }
    if (result.functionError) return throttled;
    let failed: Set<string> | undefined = new Set();
    if (reportBatchItemFailures) failed = failedItems(result, batch);
    if (failed === undefined) return throttled;
    for (const m of batch) {
      if (failed.has(m.messageId)) continue;
      try {
        this.d.queues.deleteMessage(queueArn, m.receiptHandle);
      } catch (err) {
        this.d.report(`event source mapping ${this.settings.uuid}: delete failed: ${(err as Error).message}`);
      }
    }
    return throttled;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        timer.cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.d.clock.setTimer(ms, done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
