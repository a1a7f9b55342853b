/**
 * Durable jobs for work nobody waits for (asynchronous invocations; later schedules):
 * added in one committed write, leased while they run, rescheduled or removed when they
 * end. A job whose lease ran out (its runner died) is due again: at-least-once.
 */
export interface Job<T> {
  id: string;
  /** Who runs it, e.g. the function name: lets a runner list its own backlog. */
  owner: string;
  data: T;
  /** When it was first accepted (epoch ms): the basis of a maximum event age. */
  createdAt: number;
  /** When it may run next (epoch ms). */
  dueAt: number;
  /** Attempts started so far. */
  attempts: number;
}

export interface JobStore<T> {
  /** Stores a new job; durable once this returns. */
  add(job: Omit<Job<T>, 'attempts'>): void;
  /**
   * Takes up to `limit` jobs due at `now` whose lease is free, and leases them until
   * `leaseUntil` (counting an attempt): no other take returns them meanwhile. Jobs of
   * `skipOwners` stay untouched (their runner knows they cannot run now).
   */
  take(now: number, limit: number, leaseUntil: number, skipOwners?: ReadonlySet<string>): Job<T>[];
  /** Releases a leased job to run again at `dueAt`; `countAttempt: false` undoes the take's count (a throttle). */
  reschedule(id: string, dueAt: number, countAttempt: boolean): void;
  remove(id: string): void;
  /** The earliest time any job (of an owner not skipped) is due or its lease runs out, for the runner's next wake-up. */
  nextDue(skipOwners?: ReadonlySet<string>): number | undefined;
  /** Jobs stored (running or not), optionally of one owner. */
  count(owner?: string): number;
  /**
   * After a restart: every job still leased was running when the process died and is due
   * again now (one node owns the store, so no runner is alive to finish it).
   */
  recover(now: number): number;
}
