import { Cron } from 'croner';
import { HearthError } from '../common/index.js';

/** A parsed `ScheduleExpression`: what it says, not when it runs (see `nextTick`). */
export type ScheduleExpression =
  | { kind: 'rate'; periodMs: number; text: string }
  | { kind: 'cron'; cron: Cron; text: string }
  | { kind: 'at'; wall: number; text: string };

const RATE_UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };
/** Hearth's extension for tests and demos; EventBridge's smallest unit is the minute. */
const SECONDS: Record<string, number> = { second: 1000, seconds: 1000 };

export function expressionError(text: string, why: string): HearthError {
  return new HearthError('ValidationException', `Invalid Schedule Expression ${text}. ${why}`);
}

export function parseExpression(text: string): ScheduleExpression {
  const m = /^(rate|cron|at)\((.*)\)$/.exec(text.trim());
  if (!m) throw expressionError(text, 'Use rate(value unit), cron(fields) or at(yyyy-mm-ddThh:mm:ss).');
  const body = m[2]!.trim();
  if (m[1] === 'rate') {
    const r = /^(\d+)\s+([a-z]+)$/.exec(body);
    const unit = r ? (RATE_UNITS[r[2]!] ?? SECONDS[r[2]!]) : undefined;
    const value = r ? Number(r[1]) : 0;
    if (!r || unit === undefined || value < 1) throw expressionError(text, 'A rate is a positive integer and one of minutes, hours, days (or, in Hearth, seconds).');
    return { kind: 'rate', periodMs: value * unit, text };
  }
  if (m[1] === 'at') {
    const a = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
    const wall = a ? Date.UTC(+a[1]!, +a[2]! - 1, +a[3]!, +a[4]!, +a[5]!, +a[6]!) : NaN;
    if (!a || Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 19) !== body) throw expressionError(text, 'A one-time schedule is at(yyyy-mm-ddThh:mm:ss).');
    return { kind: 'at', wall, text };
  }
  return { kind: 'cron', cron: compileCron(text, body), text };
}

/**
 * EventBridge's six fields (minutes hours day-of-month month day-of-week year) become
 * croner's seven with second 0. Croner evaluates them in UTC on the *wall-clock* axis;
 * `nextTick` maps wall times to instants, because EventBridge's DST rules (skip a time
 * that does not exist, run a repeated time once) differ from croner's Vixie-cron ones.
 */
function compileCron(text: string, body: string): Cron {
  const f = body.split(/\s+/);
  if (f.length !== 6) throw expressionError(text, 'A cron expression has six fields: minutes hours day-of-month month day-of-week year.');
  const [, , dom, , dow, year] = f as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw expressionError(text, 'Exactly one of day-of-month and day-of-week must be ?.');
  if (/[^0-9*,\-/]/.test(f[0]! + f[1]!) || /[^0-9A-Za-z*,\-/]/.test(f[3]!) || /[^0-9*,\-/]/.test(year)) throw expressionError(text, 'A field holds a character it does not allow.');
  for (const y of year.match(/\d+/g) ?? []) if (+y < 1970 || +y > 2199) throw expressionError(text, 'Years are 1970-2199.');
  try {
    return new Cron(['0', ...f].join(' '), { timezone: 'UTC', mode: '7-part', alternativeWeekdays: true, domAndDow: true, sloppyRanges: true, paused: true });
  } catch (err) {
    throw expressionError(text, (err as Error).message.replace(/^CronPattern: /, ''));
  }
}

/** Checks an IANA time zone name; EventBridge Scheduler's default is UTC. */
export function checkTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new HearthError('ValidationException', `Invalid time zone ${zone}.`);
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of instant `t` in `zone`, as if it were UTC (epoch ms). */
export function wallTime(t: number, zone: string): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + (t % 1000 + 1000) % 1000;
}

/** The instants whose wall time in `zone` is `wall`: none in a spring gap, two in a fall overlap. */
export function instantsOf(wall: number, zone: string): number[] {
  const out = new Set<number>();
  for (const probe of [wall - 86_400_000, wall + 86_400_000]) {
    const candidate = wall - (wallTime(probe, zone) - probe);
    if (wallTime(candidate, zone) === wall) out.add(candidate);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The first tick strictly after `after`, or undefined when there is none.
 * - rate: every period from `anchor` (StartDate, else creation), fixed length whatever
 *   the zone says (a day is 24 hours across DST);
 * - cron: wall-clock matches in `zone`; a match inside a spring-forward gap is skipped, a
 *   match in a repeated fall-back hour runs once (its first occurrence);
 * - at: its one wall time in `zone` (a time inside a spring-forward gap runs the gap's
 *   length later).
 */
export function nextTick(e: ScheduleExpression, zone: string, anchor: number, after: number): number | undefined {
  if (e.kind === 'rate') {
    if (after < anchor) return anchor;
    return anchor + (Math.floor((after - anchor) / e.periodMs) + 1) * e.periodMs;
  }
  if (e.kind === 'at') {
    // In a spring-forward gap the wall time is read with the offset before the gap, so it
    // lands as far after the gap's start as it was meant to (02:30 → 03:30).
    const before = e.wall - 86_400_000;
    const t = instantsOf(e.wall, zone)[0] ?? e.wall - (wallTime(before, zone) - before);
    return t > after ? t : undefined;
  }
  let from = wallTime(after, zone);
  for (let i = 0; i < 10_000; i++) {
    const next = e.cron.nextRun(new Date(from));
    if (!next) return undefined;
    const wall = next.getTime();
    const first = instantsOf(wall, zone)[0];
    if (first !== undefined && first > after) return first;
    from = wall;
  }
  return undefined;
}

/** The next `count` ticks after `after` that fall inside [start, end]. */
export function upcoming(e: ScheduleExpression, zone: string, anchor: number, after: number, count: number, start?: number, end?: number): number[] {
  const out: number[] = [];
  let t = start !== undefined && start > after ? start - 1 : after;
  while (out.length < count) {
    const n = nextTick(e, zone, anchor, t);
    if (n === undefined || (end !== undefined && n > end)) break;
    out.push(n);
    t = n;
  }
  return out;
}
