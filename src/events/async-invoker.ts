import { type Clock, HearthError, type Random, requestId as newRequestId, type Timer } from '../common/index.js';
import type { InvokeResult, Invoker } from '../invoke/index.js';
import type { FunctionImage } from '../pool/index.js';
import type { JobStore } from '../store/index.js';
import { type Condition, deadLetter, deliver, type DestinationSinks, invocationRecord } from './destinations.js';
import type { EventInvokeConfigs } from './event-invoke-config.js';

/** One accepted asynchronous invocation, as stored. */
export interface AsyncEvent {
  qualifier?: string;
  payload: string;
  traceId?: string;
  /** Tighter bounds from the sender (an EventBridge target's RetryPolicy); the function's config still caps them. */
  limits?: { maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number };
}

export interface AsyncInvokerOptions {
  jobs: JobStore<AsyncEvent>;
  invoker: Pick<Invoker, 'invoke'>;
  configs: EventInvokeConfigs;
  sinks: DestinationSinks;
  /** The image an attempt runs: resolved per attempt, so an alias shift applies to queued events. */
  resolve(name: string, qualifier?: string): FunctionImage;
  arn(name: string, qualifier?: string): string;
  /** The function's DeadLetterConfig target, if any. */
  deadLetterTarget(name: string, qualifier?: string): string | undefined;
  clock: Clock;
  random: Random;
  /** Delays before retry 1 and 2 (Lambda: about 1 and 2 minutes). */
  retryDelaysMs: readonly number[];
  /** Attempts running at once node-wide; each still passes the concurrency limits. */
  parallel: number;
  /** Where failures of delivery are reported (the server's console). */
  report(message: string): void;
}

/** Longest a running attempt keeps its lease: the 900 s timeout limit and a margin. */
const LEASE_MS = 960_000;
/** Throttled events wait this long (×1–2, jittered) before trying again; never dropped. */
const THROTTLE_BACKOFF_MS = 200;
const MAX_SLEEP_MS = 60_000;

/**
 * Asynchronous invocation: events are stored before the caller gets 202, then run
 * through the normal invoke path within the function's limits, retried with backoff on
 * function errors and timeouts, and finally sent to destinations or the dead-letter queue.
 * At-least-once: an attempt cut short by a crash runs again after restart, with the same
 * request id.
 */
export class AsyncInvoker {
  private running = new Set<Promise<void>>();
  /**
   * Functions that throttled recently, until when: their other events are not taken
   * meanwhile — trying them would only throttle again and rewrite their rows.
   */
  private readonly throttled = new Map<string, number>();
  private timer?: Timer;
  private stopped = false;

  constructor(private readonly o: AsyncInvokerOptions) {}

  start(): void {
    const recovered = this.o.jobs.recover(this.o.clock.now());
    if (recovered > 0) this.o.report(`resuming ${recovered} asynchronous invocation(s) interrupted by the last shutdown`);
    this.pump();
  }

  /**
   * Stops taking events. Attempts still running are abandoned, not judged: their leases
   * stay, so the next start runs them again (their environments are being shut down).
   */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Stores the event (durable when this returns) and returns its request id. */
  enqueue(name: string, qualifier: string | undefined, payload: string, traceId?: string, limits?: AsyncEvent['limits']): string {
    const id = newRequestId();
    const now = this.o.clock.now();
    this.o.jobs.add({ id, owner: name, data: { qualifier, payload, traceId, ...(limits ? { limits } : {}) }, createdAt: now, dueAt: now });
    this.pump();
    return id;
  }

  /** Events stored and not finished (queued, waiting for a retry, or running). */
  backlog(name?: string): number {
    return this.o.jobs.count(name);
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.o.clock.now();
    for (const [name, until] of this.throttled) if (until <= now) this.throttled.delete(name);
    const skip = new Set(this.throttled.keys());
    const free = this.o.parallel - this.running.size;
    if (free > 0) {
      for (const job of this.o.jobs.take(now, free, now + LEASE_MS, skip)) {
        const run = this.run(job.id, job.owner, job.data, job.createdAt, job.attempts).catch((err: unknown) => {
          this.o.report(`asynchronous invocation ${job.id} of ${job.owner}: ${(err as Error).message}`);
        });
        this.running.add(run);
        void run.finally(() => {
          this.running.delete(run);
          this.pump();
        });
      }
    }
    this.timer?.cancel();
    const dueNext = this.o.jobs.nextDue(skip);
    const throttleEnds = skip.size ? Math.min(...this.throttled.values()) : undefined;
    const next = dueNext === undefined ? throttleEnds : throttleEnds === undefined ? dueNext : Math.min(dueNext, throttleEnds);
    if (next !== undefined && this.running.size < this.o.parallel) {
      this.timer = this.o.clock.setTimer(Math.min(MAX_SLEEP_MS, Math.max(1, next - now)), () => this.pump());
    }
  }

  private async run(id: string, name: string, event: AsyncEvent, createdAt: number, attempts: number): Promise<void> {
    const { jobs, clock } = this.o;
    const config = withLimits(this.o.configs.effective(name, event.qualifier), event.limits);
    const arn = this.o.arn(name, event.qualifier);
    if (clock.now() - createdAt > config.maximumEventAgeInSeconds * 1000) {
      this.fail(id, name, event, arn, 'EventAgeExceeded', attempts - 1);
      return;
    }
    let result: InvokeResult;
    try {
      const image = this.o.resolve(name, event.qualifier);
      result = await this.o.invoker.invoke({ image, invokedArn: arn, payload: event.payload, traceId: event.traceId, requestId: id });
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof HearthError && err.code === 'TooManyRequestsException') {
        // Throttled: not an attempt. It waits and tries again until its maximum age, and the
        // function's other events wait with it.
        const retryAt = clock.now() + THROTTLE_BACKOFF_MS * (1 + this.o.random.next());
        jobs.reschedule(id, retryAt, false);
        this.throttled.set(name, Math.max(this.throttled.get(name) ?? 0, retryAt));
        return;
      }
      // The function (or its version or alias) is gone: nothing can run it any more.
      jobs.remove(id);
      this.o.report(`dropped asynchronous invocation ${id} of ${name}: ${(err as Error).message}`);
      return;
    }
    if (this.stopped) return;
    if (!result.functionError) {
      jobs.remove(id);
      if (config.onSuccess) this.send(config.onSuccess, { requestId: id, functionArn: arn, condition: 'Success', attempts, payload: event.payload, result });
      return;
    }
    if (attempts > config.maximumRetryAttempts) {
      this.fail(id, name, event, arn, 'RetriesExhausted', attempts, result);
      return;
    }
    const delay = this.o.retryDelaysMs[Math.min(attempts, this.o.retryDelaysMs.length) - 1] ?? 0;
    jobs.reschedule(id, clock.now() + delay * (1 + 0.1 * this.o.random.next()), true);
  }

  private fail(id: string, name: string, event: AsyncEvent, arn: string, condition: Condition, attempts: number, result?: InvokeResult): void {
    this.o.jobs.remove(id);
    const config = this.o.configs.effective(name, event.qualifier);
    const outcome = { requestId: id, functionArn: arn, condition, attempts, payload: event.payload, result };
    if (config.onFailure) this.send(config.onFailure, outcome);
    const dlq = this.o.deadLetterTarget(name, event.qualifier);
    if (dlq) {
      try {
        deadLetter(this.o.sinks, dlq, outcome);
      } catch (err) {
        this.o.report(`dead-letter queue ${dlq} refused event ${id}: ${(err as Error).message}`);
      }
    }
  }

  private send(destination: string, outcome: Parameters<typeof invocationRecord>[0]): void {
    try {
      deliver(this.o.sinks, destination, invocationRecord(outcome, this.o.clock.now()));
    } catch (err) {
      this.o.report(`destination ${destination} refused the record of ${outcome.requestId}: ${(err as Error).message}`);
    }
  }
}

/** The stricter of the function's settings and the sender's limits. */
function withLimits<C extends { maximumRetryAttempts: number; maximumEventAgeInSeconds: number }>(config: C, limits: AsyncEvent['limits']): C {
  if (!limits) return config;
  return {
    ...config,
    maximumRetryAttempts: Math.min(config.maximumRetryAttempts, limits.maximumRetryAttempts ?? Infinity),
    maximumEventAgeInSeconds: Math.min(config.maximumEventAgeInSeconds, limits.maximumEventAgeInSeconds ?? Infinity),
  };
}
