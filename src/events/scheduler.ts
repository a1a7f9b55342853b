import type { Clock, Random, Timer } from '../common/index.js';
import { nextTick, type ScheduleExpression } from './schedule-expression.js';

/** When an entry runs: its expression and the bounds around it. */
export interface Plan {
  expression: ScheduleExpression;
  zone: string;
  /** Where a rate counts from (StartDate, else creation). */
  anchor: number;
  /** No tick before this (StartDate) nor after `end` (EndDate). */
  start?: number;
  end?: number;
  /** FlexibleTimeWindow: each tick fires at a random point in [tick, tick + flexMs). */
  flexMs: number;
  /** The last tick fired (persisted by the owner); ticks after it are due. */
  lastTick?: number;
  /** Ticks up to here are not due (an update or a re-enable does not replay the past). */
  notBefore?: number;
}

/**
 * Called when a tick is due. `tick` is the tick's own time (for the event's `time`);
 * the owner persists it as its last tick together with the delivery, so that a restart
 * neither repeats nor loses it.
 */
export type OnDue = (tick: number) => void;

interface Entry {
  plan: Plan;
  onDue: OnDue;
  /** The pending tick and when it fires (tick + flexible offset); none when finished. */
  tick?: number;
  fireAt?: number;
  onDone?: () => void;
}

/** Longest sleep: a wall-clock jump is noticed within this. */
const MAX_SLEEP_MS = 60_000;
/** Missed ticks counted one by one up to this; past it, catch-up starts from now. */
const MAX_CATCH_UP_STEPS = 100_000;

/**
 * One Clock timer to the earliest due entry, for schedules and scheduled rules alike.
 * Each tick fires once while the server runs; after a restart (or any `set`), ticks missed
 * since the entry's last tick fire once, as the latest of them, then ticking resumes.
 */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private timer?: Timer;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly report: (message: string) => void,
  ) {}

  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
  }

  /** Adds or replaces an entry; `onDone` runs when it has no tick left. */
  set(id: string, plan: Plan, onDue: OnDue, onDone?: () => void): void {
    const entry: Entry = { plan, onDue, onDone };
    const now = this.clock.now();
    let after = Math.max(plan.lastTick ?? -Infinity, plan.notBefore ?? -Infinity);
    if (after === -Infinity) after = (plan.start ?? now) - 1;
    const first = this.tickAfter(plan, after);
    if (first !== undefined && first <= now) {
      // Missed while down: one fire, as the latest missed tick.
      let latest = first;
      for (let i = 0; i < MAX_CATCH_UP_STEPS; i++) {
        const n = this.tickAfter(plan, latest);
        if (n === undefined || n > now) break;
        latest = n;
      }
      entry.tick = latest;
      entry.fireAt = now;
    } else {
      this.schedule(entry, first);
    }
    this.entries.set(id, entry);
    if (entry.tick === undefined) {
      this.entries.delete(id);
      onDone?.();
    }
    this.arm();
  }

  remove(id: string): void {
    this.entries.delete(id);
    this.arm();
  }

  /** When the entry fires next (epoch ms), if it is known. */
  nextFire(id: string): number | undefined {
    return this.entries.get(id)?.fireAt;
  }

  private tickAfter(plan: Plan, after: number): number | undefined {
    const from = plan.start !== undefined && after < plan.start ? plan.start - 1 : after;
    const t = nextTick(plan.expression, plan.zone, plan.anchor, from);
    return t === undefined || (plan.end !== undefined && t > plan.end) ? undefined : t;
  }

  private schedule(entry: Entry, tick: number | undefined): void {
    entry.tick = tick;
    entry.fireAt = tick === undefined ? undefined : tick + Math.floor(this.random.next() * entry.plan.flexMs);
  }

  private arm(): void {
    this.timer?.cancel();
    if (!this.running) return;
    let earliest = Infinity;
    for (const e of this.entries.values()) if (e.fireAt !== undefined && e.fireAt < earliest) earliest = e.fireAt;
    if (earliest === Infinity) return;
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, earliest - this.clock.now()));
    this.timer = this.clock.setTimer(wait, () => this.fireDue());
  }

  private fireDue(): void {
    const now = this.clock.now();
    for (const [id, e] of [...this.entries]) {
      if (e.fireAt === undefined || e.fireAt > now || e.tick === undefined) continue;
      const tick = e.tick;
      try {
        e.onDue(tick);
      } catch (err) {
        this.report(`schedule ${id}: ${(err as Error).message}`);
      }
      if (this.entries.get(id) !== e) continue; // replaced or removed by its owner meanwhile
      e.plan = { ...e.plan, lastTick: tick };
      this.schedule(e, this.tickAfter(e.plan, tick));
      if (e.tick === undefined) {
        this.entries.delete(id);
        e.onDone?.();
      }
    }
    this.arm();
  }
}
