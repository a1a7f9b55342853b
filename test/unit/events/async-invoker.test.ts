import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError, seededRandom } from '../../../src/common/index.js';
import { AsyncInvoker, type AsyncEvent, type DestinationSinks, EventInvokeConfigs } from '../../../src/events/index.js';
import type { InvokeRequest, InvokeResult } from '../../../src/invoke/index.js';
import type { FunctionImage } from '../../../src/pool/index.js';
import { openDatabase, SqliteJobStore, SqliteKv } from '../../../src/store/index.js';
import { FakeClock } from '../support/fake-clock.js';

const settle = () => new Promise<void>((r) => setImmediate(r));

type Behaviour = (req: InvokeRequest, call: number) => Partial<InvokeResult> | 'throttle' | Promise<Partial<InvokeResult>>;

function setup(behaviour: Behaviour, opts: { dlq?: string } = {}) {
  const clock = new FakeClock();
  const db = openDatabase(':memory:');
  const kv = new SqliteKv(db);
  const calls: InvokeRequest[] = [];
  const queued: { arn: string; body: string; attributes?: unknown }[] = [];
  const chained: { arn: string; payload: string }[] = [];
  const jobs = new SqliteJobStore<AsyncEvent>(db, 'async_test');
  const configs = new EventInvokeConfigs(kv, { target: () => undefined, destination: () => undefined }, clock);
  const sinks: DestinationSinks = {
    sendToQueue: (arn, body, attributes) => void queued.push({ arn, body, attributes }),
    invokeAsync: (arn, payload) => void chained.push({ arn, payload }),
  };
  const invoker = {
    async invoke(req: InvokeRequest): Promise<InvokeResult> {
      calls.push(req);
      const b = await behaviour(req, calls.length);
      if (b === 'throttle') throw new HearthError('TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded' });
      return { requestId: req.requestId!, payload: '"ok"', executedVersion: '$LATEST', log: '', cold: false, durationMs: 1, ...b };
    },
  };
  const make = () =>
    new AsyncInvoker({
      jobs,
      invoker,
      configs,
      sinks,
      resolve: (name) => ({ name }) as FunctionImage,
      arn: (name, q) => `arn:aws:lambda:us-east-1:000000000000:function:${name}${q ? `:${q}` : ''}`,
      deadLetterTarget: () => opts.dlq,
      clock,
      random: seededRandom(1),
      retryDelaysMs: [60_000, 120_000],
      parallel: 4,
      report: () => undefined,
    });
  const asyncInvoker = make();
  asyncInvoker.start();
  return { clock, calls, queued, chained, configs, asyncInvoker, jobs, make };
}

const failing = { functionError: 'Unhandled' as const, payload: '{"errorType":"Error","errorMessage":"boom"}' };

test('an event runs at once, with the request id the caller got', async () => {
  const s = setup(() => ({}));
  const id = s.asyncInvoker.enqueue('fn', undefined, '{"a":1}');
  await settle();
  assert.equal(s.calls.length, 1);
  assert.equal(s.calls[0]!.requestId, id);
  assert.equal(s.calls[0]!.payload, '{"a":1}');
  await settle();
  assert.equal(s.asyncInvoker.backlog(), 0);
});

test('a failing event is retried twice, ~1 and ~2 minutes apart, with the same request id, then dead-lettered', async () => {
  const s = setup(() => failing, { dlq: 'arn:aws:sqs:us-east-1:000000000000:dlq' });
  const id = s.asyncInvoker.enqueue('fn', undefined, '{"n":7}');
  await settle();
  assert.equal(s.calls.length, 1);
  s.clock.advance(59_000);
  await settle();
  assert.equal(s.calls.length, 1, 'not before a minute');
  s.clock.advance(7_000);
  await settle();
  assert.equal(s.calls.length, 2, 'retry 1 after ~60 s (+ up to 10% jitter)');
  s.clock.advance(110_000);
  await settle();
  assert.equal(s.calls.length, 2);
  s.clock.advance(20_000);
  await settle();
  await settle();
  assert.equal(s.calls.length, 3, 'retry 2 after ~120 s');
  assert.deepEqual(new Set(s.calls.map((c) => c.requestId)), new Set([id]));
  s.clock.advance(600_000);
  await settle();
  assert.equal(s.calls.length, 3, 'no fourth attempt');
  assert.equal(s.queued.length, 1);
  const dead = s.queued[0]!;
  assert.equal(dead.arn, 'arn:aws:sqs:us-east-1:000000000000:dlq');
  assert.equal(dead.body, '{"n":7}', 'the original event is the body');
  assert.deepEqual(dead.attributes, {
    RequestID: { DataType: 'String', StringValue: id },
    ErrorCode: { DataType: 'Number', StringValue: '200' },
    ErrorMessage: { DataType: 'String', StringValue: 'boom' },
  });
});

test('MaximumRetryAttempts 0 and destinations: OnFailure gets Lambda\'s record with RetriesExhausted', async () => {
  const s = setup(() => failing);
  s.configs.put('fn', null, { MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:handler' } } }, false);
  const id = s.asyncInvoker.enqueue('fn', undefined, '{"x":true}');
  await settle();
  await settle();
  assert.equal(s.calls.length, 1);
  assert.equal(s.chained.length, 1);
  const record = JSON.parse(s.chained[0]!.payload);
  assert.equal(record.version, '1.0');
  assert.deepEqual(record.requestContext, { requestId: id, functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn', condition: 'RetriesExhausted', approximateInvokeCount: 1 });
  assert.deepEqual(record.requestPayload, { x: true });
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  assert.deepEqual(record.responsePayload, { errorType: 'Error', errorMessage: 'boom' });
});

test('OnSuccess gets the response with condition Success', async () => {
  const s = setup(() => ({ payload: '{"done":1}' }));
  s.configs.put('fn', null, { DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:ok' } } }, false);
  s.asyncInvoker.enqueue('fn', undefined, '{}');
  await settle();
  await settle();
  const record = JSON.parse(s.queued[0]!.body);
  assert.equal(record.requestContext.condition, 'Success');
  assert.deepEqual(record.responsePayload, { done: 1 });
});

test('throttled events wait and run later: a throttle is not an attempt', async () => {
  const s = setup((_req, call) => (call <= 3 ? 'throttle' : {}));
  s.configs.put('fn', null, { MaximumRetryAttempts: 0 }, false);
  s.asyncInvoker.enqueue('fn', undefined, '{}');
  for (let i = 0; i < 5; i++) {
    await settle();
    s.clock.advance(500);
  }
  await settle();
  assert.equal(s.calls.length, 4, 'three throttles, then it ran');
  assert.equal(s.asyncInvoker.backlog(), 0);
});

test('an event older than MaximumEventAgeInSeconds is not retried: EventAgeExceeded', async () => {
  const s = setup(() => failing, { dlq: 'arn:aws:sqs:us-east-1:000000000000:dlq' });
  s.configs.put('fn', null, { MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:fail' } } }, false);
  s.asyncInvoker.enqueue('fn', undefined, '{}');
  await settle();
  s.clock.advance(70_000);
  await settle();
  await settle();
  assert.equal(s.calls.length, 1, 'the retry found the event too old');
  const record = JSON.parse(s.queued.find((q) => q.arn.endsWith(':fail'))!.body);
  assert.equal(record.requestContext.condition, 'EventAgeExceeded');
  assert.ok(s.queued.some((q) => q.arn.endsWith(':dlq')));
});

test('settings are validated as Lambda validates them', () => {
  const s = setup(() => ({}));
  assert.throws(() => s.configs.put('fn', null, { MaximumRetryAttempts: 3 }, false), /ValidationException|less than or equal to 2/);
  assert.throws(() => s.configs.put('fn', null, { MaximumEventAgeInSeconds: 59 }, false), /greater than or equal to 60/);
  assert.throws(() => s.configs.put('fn', null, { MaximumEventAgeInSeconds: 21_601 }, false), /less than or equal to 21600/);
  assert.throws(() => s.configs.put('fn', null, {}, true), /doesn't have an EventInvokeConfig/);
});

test('after a crash, an event that was running runs again with the same request id', async () => {
  let hang = true;
  const s = setup(() => (hang ? new Promise<Partial<InvokeResult>>(() => undefined) : {}));
  const id = s.asyncInvoker.enqueue('fn', undefined, '{}');
  await settle();
  assert.equal(s.calls.length, 1);
  // The process dies mid-attempt: a new invoker on the same store takes over.
  s.asyncInvoker.stop();
  hang = false;
  const next = s.make();
  next.start();
  await settle();
  assert.equal(s.calls.length, 2);
  assert.equal(s.calls[1]!.requestId, id);
  await settle();
  assert.equal(next.backlog(), 0);
});

test("while a function throttles, its other events wait instead of throttling again", async () => {
  const s = setup(() => 'throttle');
  s.asyncInvoker.enqueue('fn', undefined, '{"n":1}');
  await settle();
  assert.equal(s.calls.length, 1, 'the first event was tried and throttled');
  s.asyncInvoker.enqueue('fn', undefined, '{"n":2}');
  s.asyncInvoker.enqueue('other', undefined, '{"n":3}');
  await settle();
  assert.deepEqual(s.calls.map((c) => c.payload), ['{"n":1}', '{"n":3}'], 'fn\'s second event waits; another function is not held up');
  s.clock.advance(500);
  await settle();
  await settle();
  assert.ok(s.calls.filter((c) => c.payload === '{"n":2}').length >= 1, 'after the throttle window it is tried');
  assert.equal(s.asyncInvoker.backlog(), 3, 'nothing dropped');
});
