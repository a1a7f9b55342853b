/**
 * Rules with a ScheduleExpression: EventBuses hands them to the Scheduler's ScheduledRules
 * hook, and each tick's Scheduled Event goes to the rule's current targets through the
 * EventRouter — on a fake clock, with the real bus, router, scheduler and hook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/common/index.js';
import { type BusDelivery, EventBuses, EventRouter, EventsError, ScheduledRules, Scheduler } from '../../../src/events/index.js';
import { openDatabase, SqliteKv } from '../../../src/store/index.js';
import { FakeClock } from '../support/fake-clock.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:tick';

function setup() {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:30Z'));
  const db = openDatabase(':memory:');
  const kv = new SqliteKv(db);
  const scheduler = new Scheduler(clock, seededRandom(1), () => undefined);
  scheduler.start();
  const hook = new ScheduledRules(kv, scheduler, clock, 'us-east-1');
  const invoked: { arn: string; payload: Record<string, unknown> }[] = [];
  const delivery: BusDelivery = {
    functionExists: () => true,
    invokeAsync: (arn, payload) => void invoked.push({ arn, payload: JSON.parse(payload) as Record<string, unknown> }),
    sendToQueue: () => undefined,
    atomically: (fn) => db.transaction(fn)(),
    report: () => undefined,
  };
  const buses = new EventBuses(kv, clock, 'us-east-1', { queueExists: () => true });
  const router = new EventRouter(buses, delivery, clock);
  buses.attachScheduler(
    {
      check: (e) => ScheduledRules.check(e),
      register: (arn, e, fire) => hook.register(arn, e, (ev) => fire({ ...ev })),
      unregister: (arn, forget) => hook.unregister(arn, forget),
    },
    (rule, event) => router.fireScheduled(rule, event),
  );
  return { clock, buses, invoked };
}

test('a scheduled rule sends the Scheduled Event to its targets at each tick; disabled or deleted, it stops', () => {
  const { clock, buses, invoked } = setup();
  const rule = buses.putRule({ Name: 'hourly', ScheduleExpression: 'cron(0 * * * ? *)' });
  assert.equal(rule.ScheduleExpression, 'cron(0 * * * ? *)');
  assert.equal(rule.EventPattern, undefined);
  buses.putTargets(undefined, 'hourly', [{ Id: 'fn', Arn: FN }]);

  clock.advance(60 * 60_000);
  assert.equal(invoked.length, 1);
  const event = invoked[0]!.payload;
  assert.deepEqual({ ...event, id: 'x' }, { version: '0', id: 'x', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: '2026-01-01T01:00:00Z', region: 'us-east-1', resources: [rule.Arn], detail: {} });

  buses.setState(undefined, 'hourly', 'DISABLED');
  clock.advance(60 * 60_000);
  assert.equal(invoked.length, 1, 'a disabled rule does not fire');
  buses.setState(undefined, 'hourly', 'ENABLED');
  clock.advance(60 * 60_000);
  assert.equal(invoked.length, 2);

  buses.putRule({ Name: 'hourly', EventPattern: '{"source":["x"]}' });
  clock.advance(60 * 60_000);
  assert.equal(invoked.length, 2, 'a rule that now has a pattern instead no longer ticks');
  buses.putRule({ Name: 'hourly', ScheduleExpression: 'cron(0 * * * ? *)' });
  clock.advance(60 * 60_000);
  assert.equal(invoked.length, 3);

  buses.deleteRule(undefined, 'hourly', true);
  clock.advance(60 * 60_000);
  assert.equal(invoked.length, 3, 'a deleted rule does not fire');
  assert.equal(buses.matching('default', { source: 'aws.events' }).length, 0, 'scheduled rules never match put events');
});

test('scheduled rules: refused on another bus, with a pattern too, or with an at() expression', () => {
  const { buses } = setup();
  buses.createBus('other');
  const refused = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => (e instanceof EventsError || e instanceof Error) && re.test((e as Error).message));
  refused(() => buses.putRule({ Name: 'a', EventBusName: 'other', ScheduleExpression: 'rate(5 minutes)' }), /only on the default event bus/);
  refused(() => buses.putRule({ Name: 'b', ScheduleExpression: 'rate(5 minutes)', EventPattern: '{"source":["x"]}' }), /not both/);
  refused(() => buses.putRule({ Name: 'c', ScheduleExpression: 'at(2026-01-01T00:00:00)' }), /ScheduleExpression is not valid/);
});
