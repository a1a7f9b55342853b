import { ACCOUNT_ID, type Clock, HearthError, notFound } from '../common/index.js';
import type { Kv } from '../store/index.js';
import type { ScheduleDelivery } from './schedule-delivery.js';
import { parseExpression, upcoming } from './schedule-expression.js';
import { checkName, type Schedule, scheduleFromInput, type ScheduleInput, type TargetChecks, validation } from './schedule-input.js';
import type { Plan, Scheduler } from './scheduler.js';

export interface ScheduleGroup {
  name: string;
  createdAt: number;
  modifiedAt: number;
}

export interface SchedulesDeps {
  kv: Kv;
  scheduler: Scheduler;
  delivery: ScheduleDelivery;
  checks: TargetChecks;
  clock: Clock;
  region: string;
  /** Runs `fn` in one store transaction: a fired tick is recorded with its delivery, or neither is. */
  transaction<T>(fn: () => T): T;
}

export const DEFAULT_GROUP = 'default';
const sKey = (group: string, name: string) => `sched/${group}/${name}`;
const gKey = (group: string) => `schedgroup/${group}`;
const conflict = (message: string) => new HearthError('ResourceConflictException', message);

/**
 * EventBridge Scheduler's schedules and schedule groups, stored in the KV, each enabled
 * schedule an entry of the Scheduler. The fired tick is written in the same transaction
 * as the delivery (an asynchronous event or a queue message in the same database).
 */
export class Schedules {
  constructor(private readonly d: SchedulesDeps) {}

  start(): void {
    for (const e of this.d.kv.list<Schedule>({ prefix: 'sched/' })) this.arm(e.value);
  }

  scheduleArn(s: Pick<Schedule, 'group' | 'name'>): string {
    return `arn:aws:scheduler:${this.d.region}:${ACCOUNT_ID}:schedule/${s.group}/${s.name}`;
  }

  groupArn(group: string): string {
    return `arn:aws:scheduler:${this.d.region}:${ACCOUNT_ID}:schedule-group/${group}`;
  }

  create(name: string, input: ScheduleInput): Schedule {
    checkName(name, 'name');
    const group = this.groupOf(input.GroupName);
    const now = this.d.clock.now();
    const s = scheduleFromInput(name, group, input, this.d.checks, now);
    if (this.d.kv.put(sKey(group, name), s, 0) === undefined) throw conflict(`Schedule ${name} already exists.`);
    this.arm(s);
    return s;
  }

  get(name: string, groupName?: unknown): Schedule {
    const group = this.groupOf(groupName);
    const s = this.d.kv.get<Schedule>(sKey(group, name))?.value;
    if (!s) throw notFound(`Schedule ${name} does not exist.`);
    return s;
  }

  /** UpdateSchedule replaces the schedule: members left out return to their defaults. */
  update(name: string, input: ScheduleInput): Schedule {
    const old = this.get(name, input.GroupName);
    const now = this.d.clock.now();
    const s: Schedule = { ...scheduleFromInput(name, old.group, input, this.d.checks, now, old.createdAt), lastTick: old.lastTick, notBefore: now };
    this.d.kv.put(sKey(old.group, name), s);
    this.arm(s);
    return s;
  }

  delete(name: string, groupName?: unknown): void {
    const s = this.get(name, groupName);
    this.d.kv.delete(sKey(s.group, name));
    this.d.scheduler.remove(this.scheduleArn(s));
  }

  list(filter: { group?: string; prefix?: string; state?: string } = {}): Schedule[] {
    const prefix = filter.group ? `sched/${filter.group}/` : 'sched/';
    return this.d.kv
      .list<Schedule>({ prefix })
      .map((e) => e.value)
      .filter((s) => (!filter.prefix || s.name.startsWith(filter.prefix)) && (!filter.state || s.state === filter.state));
  }

  /** `hearth schedule run`: one delivery now, outside the ticks (which stay as they are). */
  runNow(name: string, groupName?: unknown): Schedule {
    const s = this.get(name, groupName);
    this.d.delivery.deliver(this.scheduleArn(s), s.target, this.d.clock.now());
    return s;
  }

  /** The next `count` fire times of the schedule's expression from now (flexible offsets aside). */
  preview(name: string, count: number, groupName?: unknown): number[] {
    const s = this.get(name, groupName);
    const now = this.d.clock.now();
    return upcoming(parseExpression(s.expression), s.timezone, s.startDate ?? s.createdAt, Math.max(now, s.lastTick ?? -Infinity), count, s.startDate, s.endDate);
  }

  nextFire(s: Schedule): number | undefined {
    return this.d.scheduler.nextFire(this.scheduleArn(s));
  }

  createGroup(name: string, tags: unknown): ScheduleGroup {
    checkName(name, 'name');
    if (Array.isArray(tags) && tags.length > 0) throw new HearthError('ValidationException', 'Tags are not supported by Hearth yet.');
    const now = this.d.clock.now();
    const g: ScheduleGroup = { name, createdAt: now, modifiedAt: now };
    if (name === DEFAULT_GROUP || this.d.kv.put(gKey(name), g, 0) === undefined) throw conflict(`Schedule group ${name} already exists.`);
    return g;
  }

  getGroup(name: string): ScheduleGroup {
    if (name === DEFAULT_GROUP) return { name, createdAt: 0, modifiedAt: 0 };
    const g = this.d.kv.get<ScheduleGroup>(gKey(name))?.value;
    if (!g) throw notFound(`Schedule group ${name} does not exist.`);
    return g;
  }

  /** Deletes the group and every schedule in it. The default group cannot be deleted. */
  deleteGroup(name: string): void {
    if (name === DEFAULT_GROUP) throw new HearthError('ValidationException', 'The default schedule group cannot be deleted.');
    this.getGroup(name);
    for (const s of this.list({ group: name })) this.delete(s.name, name);
    this.d.kv.delete(gKey(name));
  }

  listGroups(prefix?: string): ScheduleGroup[] {
    const groups = [this.getGroup(DEFAULT_GROUP), ...this.d.kv.list<ScheduleGroup>({ prefix: 'schedgroup/' }).map((e) => e.value)];
    return groups.filter((g) => !prefix || g.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  }

  private groupOf(value: unknown): string {
    if (value === undefined || value === null || value === '') return DEFAULT_GROUP;
    const group = checkName(value, 'groupName');
    this.getGroup(group);
    return group;
  }

  private arm(s: Schedule): void {
    const id = this.scheduleArn(s);
    if (s.state !== 'ENABLED') {
      this.d.scheduler.remove(id);
      return;
    }
    const plan: Plan = {
      expression: parseExpression(s.expression),
      zone: s.timezone,
      anchor: s.startDate ?? s.createdAt,
      start: s.startDate,
      end: s.endDate,
      flexMs: (s.flexibleMinutes ?? 0) * 60_000,
      lastTick: s.lastTick,
      notBefore: s.notBefore,
    };
    this.d.scheduler.set(id, plan, (tick) => this.fire(s.group, s.name, tick), () => this.finished(s.group, s.name));
  }

  private fire(group: string, name: string, tick: number): void {
    this.d.transaction(() => {
      const entry = this.d.kv.get<Schedule>(sKey(group, name));
      if (!entry) return;
      this.d.kv.put(sKey(group, name), { ...entry.value, lastTick: tick });
      this.d.delivery.deliver(this.scheduleArn(entry.value), entry.value.target, tick);
    });
  }

  /** No tick left (a one-time schedule that ran, or past its EndDate): ActionAfterCompletion. */
  private finished(group: string, name: string): void {
    const s = this.d.kv.get<Schedule>(sKey(group, name))?.value;
    if (s?.actionAfterCompletion === 'DELETE') this.d.kv.delete(sKey(group, name));
  }
}

export { validation };
