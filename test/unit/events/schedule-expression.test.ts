import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../../src/common/index.js';
import { nextTick, parseExpression, upcoming } from '../../../src/events/index.js';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const next = (expr: string, after: string, zone = 'UTC', n = 3) => upcoming(parseExpression(expr), zone, 0, at(after), n).map(iso);

test('cron: the documented EventBridge examples', () => {
  assert.deepEqual(next('cron(0 10 * * ? *)', '2026-01-01T11:00:00Z', 'UTC', 2), ['2026-01-02T10:00:00.000Z', '2026-01-03T10:00:00.000Z']);
  // 18:00 on weekdays: 2026-01-02 is a Friday, then Monday the 5th.
  assert.deepEqual(next('cron(0 18 ? * MON-FRI *)', '2026-01-02T00:00:00Z', 'UTC', 2), ['2026-01-02T18:00:00.000Z', '2026-01-05T18:00:00.000Z']);
  assert.deepEqual(next('cron(0 8 1 * ? *)', '2026-01-01T09:00:00Z', 'UTC', 2), ['2026-02-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z']);
  assert.deepEqual(next('cron(0/15 * * * ? *)', '2026-01-01T00:07:00Z'), ['2026-01-01T00:15:00.000Z', '2026-01-01T00:30:00.000Z', '2026-01-01T00:45:00.000Z']);
  assert.deepEqual(next('cron(0/5 8-17 ? * MON-FRI *)', '2026-01-02T17:50:00Z', 'UTC', 2), ['2026-01-02T17:55:00.000Z', '2026-01-05T08:00:00.000Z']);
});

test('cron: day-of-week counts from 1 = Sunday, with #, L and W', () => {
  // 2#1: the first Monday of the month.
  assert.deepEqual(next('cron(0 9 ? * 2#1 *)', '2026-01-01T00:00:00Z', 'UTC', 2), ['2026-01-05T09:00:00.000Z', '2026-02-02T09:00:00.000Z']);
  // 1 is Sunday: 2026-01-04 is the first Sunday.
  assert.deepEqual(next('cron(0 0 ? * 1 *)', '2026-01-01T00:00:00Z', 'UTC', 1), ['2026-01-04T00:00:00.000Z']);
  // 6L: the last Friday of the month.
  assert.deepEqual(next('cron(15 10 ? * 6L 2026)', '2026-01-01T00:00:00Z', 'UTC', 2), ['2026-01-30T10:15:00.000Z', '2026-02-27T10:15:00.000Z']);
  // L in day-of-month: the last day.
  assert.deepEqual(next('cron(0 0 L * ? *)', '2026-01-01T00:00:00Z', 'UTC', 2), ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z']);
  // 3W: the weekday nearest the 3rd; 2026-01-03 is a Saturday, so Friday the 2nd.
  assert.deepEqual(next('cron(0 0 3W * ? *)', '2026-01-01T00:00:00Z', 'UTC', 1), ['2026-01-02T00:00:00.000Z']);
  // A year field ends the schedule.
  assert.deepEqual(next('cron(0 0 1 1 ? 2027)', '2026-06-01T00:00:00Z', 'UTC', 3), ['2027-01-01T00:00:00.000Z']);
});

test('cron in a time zone follows the zone across daylight saving', () => {
  // 10:00 in New York: 15:00Z in winter, 14:00Z after 8 March 2026.
  assert.deepEqual(next('cron(0 10 * * ? *)', '2026-03-07T00:00:00Z', 'America/New_York', 2), ['2026-03-07T15:00:00.000Z', '2026-03-08T14:00:00.000Z']);
});

test('DST: a time that does not exist (spring forward) is skipped', () => {
  // 02:30 does not exist in New York on 8 March 2026.
  assert.deepEqual(next('cron(30 2 * * ? *)', '2026-03-07T08:00:00Z', 'America/New_York', 2), ['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
});

test('DST: a time that occurs twice (fall back) runs once', () => {
  // 01:30 happens at 05:30Z (EDT) and 06:30Z (EST) on 1 November 2026: only the first.
  assert.deepEqual(next('cron(30 1 * * ? *)', '2026-11-01T04:00:00Z', 'America/New_York', 2), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  // An every-30-minutes schedule does not replay the repeated hour either.
  assert.deepEqual(next('cron(0/30 * * * ? *)', '2026-11-01T05:00:00Z', 'America/New_York', 3), ['2026-11-01T05:30:00.000Z', '2026-11-01T07:00:00.000Z', '2026-11-01T07:30:00.000Z']);
});

test('rate: fixed periods from the anchor, a day is 24 hours across DST; seconds are the Hearth extension', () => {
  const e = parseExpression('rate(5 minutes)');
  assert.equal(nextTick(e, 'UTC', 1000, 0), 1000);
  assert.equal(nextTick(e, 'UTC', 1000, 1000), 301_000);
  assert.equal(nextTick(e, 'UTC', 1000, 300_999), 301_000);
  const day = parseExpression('rate(1 day)');
  const anchor = at('2026-03-07T12:00:00Z');
  assert.equal(iso(nextTick(day, 'America/New_York', anchor, anchor)!), '2026-03-08T12:00:00.000Z');
  assert.equal(nextTick(parseExpression('rate(2 seconds)'), 'UTC', 0, 0), 2000);
  for (const unit of ['1 minute', '3 hours', '1 hour', '2 days']) parseExpression(`rate(${unit})`);
});

test('at(): one tick, in the schedule time zone', () => {
  const e = parseExpression('at(2026-07-01T09:00:00)');
  assert.equal(iso(nextTick(e, 'Europe/Paris', 0, 0)!), '2026-07-01T07:00:00.000Z');
  assert.equal(nextTick(e, 'Europe/Paris', 0, at('2026-07-01T07:00:00Z')), undefined);
  assert.equal(iso(nextTick(e, 'UTC', 0, 0)!), '2026-07-01T09:00:00.000Z');
  // 02:30 does not exist in New York on 8 March 2026: it runs at 03:30 EDT.
  assert.equal(iso(nextTick(parseExpression('at(2026-03-08T02:30:00)'), 'America/New_York', 0, 0)!), '2026-03-08T07:30:00.000Z');
  // 01:30 happens twice on 1 November 2026: the first one.
  assert.equal(iso(nextTick(parseExpression('at(2026-11-01T01:30:00)'), 'America/New_York', 0, 0)!), '2026-11-01T05:30:00.000Z');
});

test('invalid expressions are ValidationException', () => {
  for (const bad of [
    'cron(0 10 * * *)', // five fields
    'cron(0 10 * * MON *)', // neither day field is ?
    'cron(0 10 ? * ? *)', // both are
    'cron(61 10 * * ? *)',
    'cron(0 10 * * ? 2300)',
    'rate(0 minutes)',
    'rate(5 weeks)',
    'rate(five minutes)',
    'at(2026-02-30T10:00:00)',
    'at(2026-02-01 10:00)',
    'every 5 minutes',
  ]) {
    assert.throws(() => parseExpression(bad), (e: unknown) => e instanceof HearthError && e.code === 'ValidationException' && e.message.includes(bad), bad);
  }
});
