/**
 * The durable host of standard executions. Each transition (start, a task result, a
 * timer) runs in one SQLite transaction: the executor's new state, its history events
 * and the jobs for its effects are written together. Effects become durable jobs:
 * invokes run through the Invoker (a throttle waits, it is not a failure), timers are
 * jobs due at their time, so a Wait survives a restart and still ends on time. After a
 * restart, a task that was running when the process died fails with
 * Lambda.ServiceException, so the state's Retry policy decides whether it runs again;
 * a completed task never runs again (its result and its job's removal were one commit).
 */
import { type Clock, HearthError, type Random, type Timer } from '../common/index.js';
import type { Invoker } from '../invoke/index.js';
import type { FunctionImage } from '../pool/index.js';
import type { Job, JobStore } from '../store/index.js';
import { advance, type Effect, type ExecutionEvent, type ExecutionState, type HistoryEvent, type Json, type StateMachine, type Step, start, validate } from '../workflow/index.js';
import { apiEvents } from './history-shape.js';
import { lambdaCall, taskOutcome } from './lambda-task.js';
import type { ExecutionRecord, SfnRecords } from './records.js';

export type TaskJob = { execution: string } & ({ kind: 'invoke'; effect: Extract<Effect, { kind: 'invoke' }> } | { kind: 'timer'; id: string } | { kind: 'timeout'; id: string; seconds: number } | { kind: 'deadline' });

export interface DurableHostOptions {
  records: SfnRecords;
  jobs: JobStore<TaskJob>;
  invoker: Pick<Invoker, 'invoke'>;
  resolve(name: string, qualifier?: string): FunctionImage;
  arn(name: string, qualifier?: string): string;
  clock: Clock;
  random: Random;
  region: string;
  /** Task invocations running at once; each still passes the concurrency limits. */
  parallel: number;
  report(message: string): void;
}

/** Longest a running task keeps its lease: Lambda's 900 s timeout and a margin. */
const LEASE_MS = 960_000;
const THROTTLE_BACKOFF_MS = 200;
const MAX_SLEEP_MS = 60_000;

interface Live {
  machine: StateMachine;
  state: ExecutionState;
  record: ExecutionRecord;
}

export class DurableHost {
  private readonly live = new Map<string, Live>();
  private running = 0;
  private timer?: Timer;
  private stopped = false;

  constructor(private readonly o: DurableHostOptions) {}

  start(): void {
    const recovered = this.o.jobs.recover(this.o.clock.now());
    if (recovered > 0) this.o.report(`resuming ${recovered} workflow task(s) or timer(s) interrupted by the last shutdown`);
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Creates and starts an execution; durable (with its first effects scheduled) when this returns. */
  begin(record: Omit<ExecutionRecord, 'state' | 'events' | 'status'>, machine: StateMachine, input: Json): void {
    const now = this.o.clock.now();
    const step = start(machine, input, {
      executionId: record.arn,
      name: record.name,
      stateMachineId: record.machineArn,
      stateMachineName: record.machineArn.split(':')[6] ?? '',
      startTime: now,
      seed: Math.floor(this.o.random.next() * 2 ** 32),
    });
    const full: ExecutionRecord = { ...record, status: 'RUNNING', state: '', events: 0 };
    this.o.records.transaction(() => {
      this.o.records.insertExecution({ ...full, state: JSON.stringify(step.state) });
      const live = { machine, state: step.state, record: full };
      if (machine.timeoutSeconds !== undefined) this.addJob(record.arn, `${record.arn}|deadline`, { execution: record.arn, kind: 'deadline' }, now + machine.timeoutSeconds * 1000);
      this.commit(live, step);
    });
    this.pump();
  }

  /** StopExecution: ABORTED with ExecutionAborted; pending jobs are dropped when they come due. */
  abort(arn: string, error?: string, cause?: string): number {
    const now = this.o.clock.now();
    this.o.records.transaction(() => {
      const live = this.load(arn);
      if (!live || live.record.status !== 'RUNNING') return;
      this.finish(live, 'ABORTED', { type: 'ExecutionAborted', at: now, thread: 'root', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) }, error, cause);
    });
    return now;
  }

  private finish(live: Live, status: 'ABORTED' | 'TIMED_OUT', event: HistoryEvent, error?: string, cause?: string): void {
    const r = live.record;
    r.status = status;
    r.stoppedAt = event.at;
    if (error !== undefined) r.error = error;
    if (cause !== undefined) r.cause = cause;
    const events = apiEvents([event], r.events + 1, this.o.region);
    r.events += events.length;
    this.o.records.append(r.arn, events);
    this.o.records.saveExecution(r);
    this.live.delete(r.arn);
  }

  private load(arn: string): Live | undefined {
    const cached = this.live.get(arn);
    if (cached) return cached;
    const record = this.o.records.execution(arn);
    if (!record || record.status !== 'RUNNING') return undefined;
    // Validated when the execution started; the same text validates the same way again.
    const machine = validate(JSON.parse(record.definition) as Json);
    const live = { machine, state: JSON.parse(record.state) as ExecutionState, record };
    this.live.set(arn, live);
    return live;
  }

  /** Writes one transition: state, history, status, and jobs for its effects. Inside a transaction. */
  private commit(live: Live, step: Step): void {
    const r = live.record;
    live.state = step.state;
    const events = apiEvents(step.history, r.events + 1, this.o.region);
    r.events += events.length;
    this.o.records.append(r.arn, events);
    for (const e of step.effects) this.schedule(r.arn, e);
    if (step.state.status !== 'RUNNING') {
      r.status = step.state.status;
      r.stoppedAt = step.history.at(-1)?.at ?? this.o.clock.now();
      if (step.state.output !== undefined) r.output = JSON.stringify(step.state.output);
      if (step.state.failure) [r.error, r.cause] = [step.state.failure.error, step.state.failure.cause];
      this.live.delete(r.arn);
    } else this.live.set(r.arn, live);
    r.state = JSON.stringify(step.state);
    this.o.records.saveExecution(r);
  }

  private schedule(arn: string, e: Effect): void {
    const now = this.o.clock.now();
    if (e.kind === 'invoke') {
      this.addJob(arn, `${arn}|${e.id}`, { execution: arn, kind: 'invoke', effect: e }, now);
      if (e.timeoutSeconds !== undefined) this.addJob(arn, `${arn}|${e.id}|timeout`, { execution: arn, kind: 'timeout', id: e.id, seconds: e.timeoutSeconds }, now + e.timeoutSeconds * 1000);
    } else if (e.kind === 'timer') this.addJob(arn, `${arn}|${e.id}`, { execution: arn, kind: 'timer', id: e.id }, e.at);
    else if (e.kind === 'cancel') {
      this.o.jobs.remove(`${arn}|${e.id}`);
      this.o.jobs.remove(`${arn}|${e.id}|timeout`);
    }
  }

  private addJob(arn: string, id: string, data: TaskJob, dueAt: number): void {
    this.o.jobs.add({ id, owner: arn, data, createdAt: this.o.clock.now(), dueAt });
  }

  /** Feeds one event and removes the jobs it settles, in one transaction. */
  private feed(arn: string, event: ExecutionEvent | undefined, remove: string[]): void {
    this.o.records.transaction(() => {
      for (const id of remove) this.o.jobs.remove(id);
      const live = this.load(arn);
      if (!live || !event) return;
      this.commit(live, advance(live.machine, live.state, event));
    });
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.o.clock.now();
    const free = this.o.parallel - this.running;
    if (free > 0) {
      for (const job of this.o.jobs.take(now, free, now + LEASE_MS)) {
        this.running++;
        this.run(job)
          .catch((err: unknown) => this.o.report(`workflow job ${job.id}: ${(err as Error).message}`))
          .finally(() => {
            this.running--;
            this.pump();
          });
      }
    }
    this.timer?.cancel();
    const next = this.o.jobs.nextDue();
    if (next !== undefined && this.running < this.o.parallel) this.timer = this.o.clock.setTimer(Math.min(MAX_SLEEP_MS, Math.max(1, next - now)), () => this.pump());
  }

  private async run(job: Job<TaskJob>): Promise<void> {
    const d = job.data;
    const at = () => this.o.clock.now();
    if (d.kind === 'timer') return this.feed(d.execution, { kind: 'timerFired', id: d.id, at: at() }, [job.id]);
    if (d.kind === 'timeout') {
      return this.feed(d.execution, { kind: 'taskFailed', id: d.id, error: 'States.Timeout', cause: `Task timed out after ${d.seconds} seconds`, at: at() }, [job.id, `${d.execution}|${d.id}`]);
    }
    if (d.kind === 'deadline') {
      this.o.records.transaction(() => {
        this.o.jobs.remove(job.id);
        const live = this.load(d.execution);
        if (live) this.finish(live, 'TIMED_OUT', { type: 'ExecutionTimedOut', at: at(), thread: 'root', error: 'States.Timeout', cause: 'The execution ran longer than the state machine\'s TimeoutSeconds' }, 'States.Timeout');
      });
      return;
    }
    const settles = [job.id, `${job.id}|timeout`];
    if (!this.load(d.execution)) return this.feed(d.execution, undefined, settles);
    if (job.attempts > 1) {
      // Taken before and never settled: the process died (or the lease ran out) mid-call.
      return this.feed(d.execution, { kind: 'taskFailed', id: d.effect.id, error: 'Lambda.ServiceException', cause: 'The task was running when Hearth stopped; its result is unknown.', at: at() }, settles);
    }
    const call = lambdaCall(d.effect.resource, d.effect.payload);
    if (!('name' in call)) return this.feed(d.execution, { kind: 'taskFailed', id: d.effect.id, ...call, at: at() }, settles);
    let outcome;
    try {
      const image = this.o.resolve(call.name, call.qualifier);
      const result = await this.o.invoker.invoke({ image, invokedArn: this.o.arn(call.name, call.qualifier), payload: call.payload });
      outcome = taskOutcome(call, result);
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof HearthError && err.code === 'TooManyRequestsException') {
        // A throttle is not an attempt: the task waits and runs later.
        this.o.jobs.reschedule(job.id, at() + THROTTLE_BACKOFF_MS * (1 + this.o.random.next()), false);
        return;
      }
      const name = err instanceof HearthError ? `Lambda.${err.code}` : 'Lambda.ServiceException';
      outcome = { failure: { error: name, cause: (err as Error).message } };
    }
    if (this.stopped) return;
    const id = d.effect.id;
    this.feed(d.execution, 'output' in outcome ? { kind: 'taskSucceeded', id, output: outcome.output, at: at() } : { kind: 'taskFailed', id, ...outcome.failure, at: at() }, settles);
  }
}
