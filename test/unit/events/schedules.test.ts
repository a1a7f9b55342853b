import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError, seededRandom } from '../../../src/common/index.js';
import { type PendingDelivery, ScheduleDelivery, ScheduledRules, type ScheduledEvent, Scheduler, Schedules } from '../../../src/events/index.js';
import { openDatabase, type SqliteDatabase, SqliteJobStore, SqliteKv } from '../../../src/store/index.js';
import { FakeClock } from '../support/fake-clock.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:tick';
const Q = 'arn:aws:sqs:us-east-1:000000000000:target';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';

interface Sent {
  to: string;
  body: string;
  at: number;
  attributes?: Record<string, { StringValue: string }>;
}

/** One server's worth of schedule machinery over a database that outlives it (a restart). */
function boot(db: SqliteDatabase, clock: FakeClock, sent: Sent[], opts: { seed?: number; queueGone?: () => boolean } = {}) {
  const kv = new SqliteKv(db);
  const random = seededRandom(opts.seed ?? 1);
  const delivery = new ScheduleDelivery(
    {
      invokeFunction: (to, body) => void sent.push({ to, body, at: clock.now() }),
      sendToQueue: (to, body, attributes) => {
        if (to === Q && opts.queueGone?.()) throw new HearthError('ResourceNotFoundException', 'The specified queue does not exist.');
        sent.push({ to, body, at: clock.now(), attributes });
      },
    },
    new SqliteJobStore<PendingDelivery>(db, 'schedule_deliveries'),
    clock,
    random,
    () => undefined,
  );
  const scheduler = new Scheduler(clock, random, () => undefined);
  const schedules = new Schedules({
    kv,
    scheduler,
    delivery,
    checks: { functionExists: () => true, queueExists: () => true },
    clock,
    region: 'us-east-1',
    transaction: (fn) => db.transaction(fn)(),
  });
  delivery.start();
  schedules.start();
  scheduler.start();
  return { schedules, scheduler, delivery, kv, stop: () => (scheduler.stop(), delivery.stop()) };
}

const input = (expr: string, more: Record<string, unknown> = {}) => ({ ScheduleExpression: expr, FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: FN, RoleArn: 'arn:aws:iam::000000000000:role/r', Input: '{"n":1}' }, ...more });

test('a rate schedule fires once per tick; a restart neither repeats a tick nor loses the missed ones (they fire once)', () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const db = openDatabase(':memory:');
  const sent: Sent[] = [];
  const first = boot(db, clock, sent);
  first.schedules.create('every-minute', input('rate(1 minute)'));
  clock.advance(3 * 60_000 + 10);
  // At creation, then after 1, 2 and 3 minutes; the body is the target's Input.
  assert.deepEqual(sent.map((s) => s.at - Date.parse('2026-01-01T00:00:00Z')), [0, 60_000, 120_000, 180_000]);
  assert.ok(sent.every((s) => s.to === FN && s.body === '{"n":1}'));
  first.stop();

  // Restart at once: the last tick was recorded, nothing fires again.
  const second = boot(db, clock, sent);
  clock.advance(1000);
  assert.equal(sent.length, 4);
  second.stop();

  // Down for ten minutes: the next start fires once for all the missed ticks...
  clock.advance(10 * 60_000);
  const third = boot(db, clock, sent);
  clock.advance(1);
  assert.equal(sent.length, 5);
  // ...then ticks resume on the schedule's own minute marks.
  clock.advance(60_000);
  assert.equal(sent.length, 6);
  assert.equal((sent[5]!.at - Date.parse('2026-01-01T00:00:00Z')) % 60_000, 0);
  third.stop();
});

test('FLEXIBLE: each tick fires at a random offset inside the window, never before the tick', () => {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const clock = new FakeClock(start);
  const sent: Sent[] = [];
  const h = boot(openDatabase(':memory:'), clock, sent, { seed: 42 });
  h.schedules.create('flex', input('cron(0 * * * ? *)', { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } }));
  clock.advance(24 * 3_600_000);
  assert.equal(sent.length, 24);
  const offsets = sent.map((s) => (s.at - start) % 3_600_000);
  assert.ok(offsets.every((o) => o >= 0 && o < 15 * 60_000), String(offsets));
  assert.ok(new Set(offsets).size > 20, 'offsets are random, not fixed');
  h.stop();
});

test('at(): fires once, then ActionAfterCompletion DELETE removes the schedule and NONE keeps it', () => {
  const clock = new FakeClock(Date.parse('2026-05-01T09:00:00Z'));
  const sent: Sent[] = [];
  const h = boot(openDatabase(':memory:'), clock, sent);
  h.schedules.create('once-delete', input('at(2026-05-01T12:00:00)', { ScheduleExpressionTimezone: 'Europe/Berlin', ActionAfterCompletion: 'DELETE' }));
  h.schedules.create('once-keep', input('at(2026-05-01T12:00:00)'));
  clock.advance(60 * 60_000 - 1);
  assert.equal(sent.length, 0);
  clock.advance(1); // 12:00 in Berlin is 10:00Z
  assert.equal(sent.length, 1);
  assert.throws(() => h.schedules.get('once-delete'), (e: unknown) => e instanceof HearthError && e.code === 'ResourceNotFoundException');
  clock.advance(2 * 3_600_000);
  assert.equal(sent.length, 2);
  assert.equal(h.schedules.get('once-keep').name, 'once-keep');
  clock.advance(48 * 3_600_000);
  assert.equal(sent.length, 2);
  h.stop();
});

test('DISABLED schedules do not fire; EndDate ends the ticks', () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const sent: Sent[] = [];
  const h = boot(openDatabase(':memory:'), clock, sent);
  h.schedules.create('off', input('rate(1 minute)', { State: 'DISABLED' }));
  h.schedules.create('ending', input('rate(1 minute)', { EndDate: (clock.now() + 150_000) / 1000 }));
  clock.advance(10 * 60_000);
  assert.deepEqual(sent.map((s) => s.at - Date.parse('2026-01-01T00:00:00Z')), [0, 60_000, 120_000]);
  h.stop();
});

test('a failed delivery is retried under the RetryPolicy, then sent to the dead-letter queue with the error', () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const sent: Sent[] = [];
  const h = boot(openDatabase(':memory:'), clock, sent, { queueGone: () => true });
  h.schedules.create('to-queue', input('at(2026-01-01T00:01:00)', { Target: { Arn: Q, RoleArn: 'r', Input: 'payload', RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: DLQ } } }));
  clock.advance(60_000 + 1000);
  assert.equal(sent.length, 0);
  clock.advance(30_000);
  assert.equal(sent.length, 1);
  const dead = sent[0]!;
  assert.equal(dead.to, DLQ);
  assert.equal(dead.body, 'payload');
  assert.equal(dead.attributes?.RETRY_ATTEMPTS?.StringValue, '2');
  assert.equal(dead.attributes?.TARGET_ARN?.StringValue, Q);
  assert.equal(dead.attributes?.SCHEDULE_ARN?.StringValue, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/to-queue');
  assert.match(dead.attributes?.ERROR_MESSAGE?.StringValue ?? '', /does not exist/);
  h.stop();
});

test('ScheduledRules: a rule fires the Scheduled Event, once per tick, across a re-registration', () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:30Z'));
  const db = openDatabase(':memory:');
  const kv = new SqliteKv(db);
  const scheduler = new Scheduler(clock, seededRandom(1), () => undefined);
  scheduler.start();
  const rules = new ScheduledRules(kv, scheduler, clock, 'us-east-1');
  const events: ScheduledEvent[] = [];
  const arn = 'arn:aws:events:us-east-1:000000000000:rule/nightly';
  rules.register(arn, 'cron(0 * * * ? *)', (e) => events.push(e));
  clock.advance(60 * 60_000);
  assert.equal(events.length, 1);
  assert.deepEqual({ ...events[0]!, id: 'x' }, { version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: '2026-01-01T01:00:00Z', region: 'us-east-1', resources: [arn], detail: {} });
  rules.unregister(arn);
  rules.register(arn, 'cron(0 * * * ? *)', (e) => events.push(e));
  clock.advance(1000);
  assert.equal(events.length, 1);
  assert.throws(() => rules.register(arn, 'at(2026-01-01T00:00:00)', () => undefined), (e: unknown) => e instanceof HearthError && e.code === 'ValidationException');
});
