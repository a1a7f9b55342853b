import { randomUUID } from 'node:crypto';
import type { Clock, Random, Timer } from '../common/index.js';
import type { JobStore } from '../store/index.js';
import type { ScheduleTarget } from './schedule-input.js';

/** Where schedules deliver: Hearth's functions (asynchronously) and queues. Both throw when the target is gone. */
export interface ScheduleSinks {
  invokeFunction(functionArn: string, payload: string): void;
  sendToQueue(queueArn: string, body: string, attributes?: Record<string, { DataType: string; StringValue: string }>): void;
}

/** A delivery that failed and waits for its next attempt (durable). */
export interface PendingDelivery {
  scheduleArn: string;
  target: ScheduleTarget;
  /** The Input, context attributes not yet filled in (the attempt number changes). */
  body: string;
  scheduledTime: number;
  executionId: string;
  lastError: string;
}

/** Scheduler's context attributes, filled into the Input of each attempt. */
export function withContext(input: string, d: { scheduleArn: string; scheduledTime: number; executionId: string }, attempt: number): string {
  return input
    .replaceAll('<aws.scheduler.schedule-arn>', d.scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(Math.floor(d.scheduledTime / 1000) * 1000).toISOString().replace('.000Z', 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', d.executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(attempt));
}

/** Delay before retry n: 1 s, 2 s, 4 s … capped at 5 minutes, jittered up to +10%. */
const backoffMs = (attempt: number) => Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));
const MAX_SLEEP_MS = 60_000;

/**
 * Scheduler's delivery: the target's Input (or `{}`) goes to the function or the queue. A
 * delivery that fails (the target is gone) is retried under the target's RetryPolicy and
 * then sent to its DeadLetterConfig queue with the error in message attributes.
 */
export class ScheduleDelivery {
  private timer?: Timer;
  private running = false;

  constructor(
    private readonly sinks: ScheduleSinks,
    private readonly jobs: JobStore<PendingDelivery>,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly report: (message: string) => void,
  ) {}

  start(): void {
    this.running = true;
    this.jobs.recover(this.clock.now());
    this.pump();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
  }

  /** Delivers now; on failure stores a retry (in the caller's transaction, if any). */
  deliver(scheduleArn: string, target: ScheduleTarget, scheduledTime: number): void {
    const d = { scheduleArn, target, body: target.input ?? '{}', scheduledTime, executionId: randomUUID(), lastError: '' };
    try {
      this.send(target, withContext(d.body, d, 1));
    } catch (err) {
      this.failed({ ...d, lastError: (err as Error).message }, this.clock.now(), 0);
    }
  }

  private send(target: ScheduleTarget, body: string): void {
    if (target.arn.startsWith('arn:aws:lambda:')) this.sinks.invokeFunction(target.arn, body);
    else this.sinks.sendToQueue(target.arn, body);
  }

  /** After `attempts` failed retries: another retry if the policy allows, else the dead-letter queue. */
  private failed(d: PendingDelivery, createdAt: number, retries: number, id?: string): void {
    const now = this.clock.now();
    const due = now + backoffMs(retries + 1) * (1 + 0.1 * this.random.next());
    const tooOld = due - createdAt > d.target.maximumEventAgeS * 1000;
    if (retries < d.target.maximumRetryAttempts && !tooOld) {
      if (id) this.jobs.reschedule(id, due, true);
      else this.jobs.add({ id: d.executionId, owner: d.scheduleArn, data: d, createdAt, dueAt: due });
      this.arm();
      return;
    }
    if (id) this.jobs.remove(id);
    this.deadLetter(d, retries, tooOld ? 'MaximumEventAgeExceeded' : 'MaximumRetryAttemptsExceeded');
  }

  private deadLetter(d: PendingDelivery, retries: number, condition: string): void {
    const dlq = d.target.deadLetterArn;
    if (!dlq) {
      this.report(`schedule ${d.scheduleArn}: dropped a delivery to ${d.target.arn} after ${retries} retries: ${d.lastError}`);
      return;
    }
    const s = (v: string) => ({ DataType: 'String', StringValue: v });
    try {
      this.sinks.sendToQueue(dlq, withContext(d.body, d, retries + 1), {
        ERROR_CODE: s('ResourceNotFoundException'),
        ERROR_MESSAGE: s(d.lastError),
        EXECUTION_ID: s(d.executionId),
        EXHAUSTED_RETRY_CONDITION: s(condition),
        RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(retries) },
        SCHEDULE_ARN: s(d.scheduleArn),
        TARGET_ARN: s(d.target.arn),
      });
    } catch (err) {
      this.report(`schedule ${d.scheduleArn}: dead-letter queue ${dlq} refused a delivery: ${(err as Error).message}`);
    }
  }

  private pump(): void {
    if (!this.running) return;
    const now = this.clock.now();
    for (const job of this.jobs.take(now, 100, now + 60_000)) {
      try {
        this.send(job.data.target, withContext(job.data.body, job.data, job.attempts + 1));
        this.jobs.remove(job.id);
      } catch (err) {
        this.failed({ ...job.data, lastError: (err as Error).message }, job.createdAt, job.attempts, job.id);
      }
    }
    this.arm();
  }

  private arm(): void {
    this.timer?.cancel();
    if (!this.running) return;
    const next = this.jobs.nextDue();
    if (next !== undefined) this.timer = this.clock.setTimer(Math.min(MAX_SLEEP_MS, Math.max(1, next - this.clock.now())), () => this.pump());
  }
}
