/** Retry and Catch, with timings measured in virtual time, and task timeouts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lambdaFailure, retryDelayMs } from '../../../src/workflow/index.js';
import { fail, run, single } from './support.js';

const flaky = (failures: number, error = 'States.Timeout') => (p: unknown, call: number) => (call <= failures ? fail(error, `attempt ${call}`) : { output: p as null });

test('specification example: IntervalSeconds 3, BackoffRate 1.5 → retries after 3 s and 4.5 s', async () => {
  const def = single({ Type: 'Task', Resource: 'x', Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5 }], End: true });
  const ok = await run(def, 1, { x: flaky(2) });
  assert.equal(ok.status, 'SUCCEEDED');
  assert.deepEqual(ok.calls.map((c) => c.at), [0, 3_000, 7_500]);
  const exhausted = await run(def, 1, { x: flaky(3) });
  assert.deepEqual(exhausted.failure, { error: 'States.Timeout', cause: 'attempt 3' });
  assert.equal(exhausted.calls.length, 3);
});

test('defaults: IntervalSeconds 1, BackoffRate 2.0, MaxAttempts 3', async () => {
  const r = await run(single({ Type: 'Task', Resource: 'x', Retry: [{ ErrorEquals: ['States.ALL'] }], End: true }), 1, { x: flaky(10, 'Any') });
  assert.deepEqual(r.calls.map((c) => c.at), [0, 1_000, 3_000, 7_000]);
  assert.equal(r.status, 'FAILED');
});

test('MaxDelaySeconds caps the backoff; MaxAttempts 0 never retries', async () => {
  const def = single({ Type: 'Task', Resource: 'x', Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 5 }], End: true });
  const r = await run(def, 1, { x: flaky(6, 'E') });
  assert.deepEqual(r.calls.map((c) => c.at), [0, 1_000, 3_000, 7_000, 12_000, 17_000, 22_000]);
  const none = await run(single({ Type: 'Task', Resource: 'x', Retry: [{ ErrorEquals: ['E'], MaxAttempts: 0 }], End: true }), 1, { x: flaky(1, 'E') });
  assert.equal(none.calls.length, 1);
});

test('JitterStrategy FULL: each delay is within [0, computed backoff] and follows the seed', async () => {
  const retrier = { ErrorEquals: ['E'], IntervalSeconds: 4, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'FULL' as const };
  const def = single({ Type: 'Task', Resource: 'x', Retry: [retrier], End: true });
  const a = await run(def, 1, { x: flaky(3, 'E') }, { seed: 11 });
  const gaps = a.calls.slice(1).map((c, i) => c.at - a.calls[i]!.at);
  gaps.forEach((g, i) => assert.ok(g >= 0 && g <= 4_000 * 2 ** i, `gap ${i}: ${g}`));
  assert.notDeepEqual(gaps, [4_000, 8_000, 16_000], 'jitter changed something');
  const b = await run(def, 1, { x: flaky(3, 'E') }, { seed: 11 });
  assert.deepEqual(b.calls.map((c) => c.at), a.calls.map((c) => c.at));
  // The pure function: a draw of 0.5 halves the computed delay.
  assert.equal(retryDelayMs(retrier, 2, () => 0.5), 8_000);
});

test('the first matching retrier counts; each retrier has its own count', async () => {
  const def = single({
    Type: 'Task',
    Resource: 'x',
    Retry: [
      { ErrorEquals: ['A'], MaxAttempts: 1, IntervalSeconds: 1 },
      { ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 10 },
    ],
    End: true,
  });
  const errors = ['A', 'B', 'A'];
  const r = await run(def, 1, { x: (_p, n) => (n <= errors.length ? fail(errors[n - 1]!) : { output: 'ok' }) });
  assert.deepEqual(r.calls.map((c) => c.at), [0, 1_000, 11_000]);
  assert.equal(r.failure?.error, 'A');
});

test('States.TaskFailed matches known errors but not States.Timeout', async () => {
  const def = () =>
    ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'C' }], End: true }, C: { Type: 'Pass', Result: 'caught', End: true } } });
  assert.equal((await run(def(), 1, { x: () => fail('Lambda.Unknown') })).output, 'caught');
  assert.equal((await run(def(), 1, { x: () => fail('States.Timeout') })).failure?.error, 'States.Timeout');
  // "Any known error except States.Timeout": a ResultPath failure after the task too.
  const resultPath = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', ResultPath: '$.a.b', Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'C' }], End: true }, C: { Type: 'Pass', Result: 'caught', End: true } } };
  assert.equal((await run(resultPath, { a: 'text' })).output, 'caught');
});

test('Catch after exhausted retries: ResultPath gets {Error, Cause}; the default replaces the input', async () => {
  const def = {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'x',
        Retry: [{ ErrorEquals: ['Custom'], MaxAttempts: 1 }],
        Catch: [
          { ErrorEquals: ['Other'], Next: 'Wrong' },
          { ErrorEquals: ['Custom'], ResultPath: '$.err', Next: 'Fallback' },
        ],
        End: true,
      },
      Wrong: { Type: 'Fail', Error: 'Wrong' },
      Fallback: { Type: 'Pass', End: true },
    },
  };
  const r = await run(def, { id: 9 }, { x: () => fail('Custom', 'bad') });
  assert.equal(r.calls.length, 2);
  assert.deepEqual(r.output, { id: 9, err: { Error: 'Custom', Cause: 'bad' } });
  const whole = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }], End: true }, F: { Type: 'Pass', End: true } } };
  assert.deepEqual((await run(whole, { id: 9 }, { x: () => fail('Custom', 'bad') })).output, { Error: 'Custom', Cause: 'bad' });
});

test('TimeoutSeconds: a task that does not answer fails with States.Timeout, then retries', async () => {
  const def = single({ Type: 'Task', Resource: 'x', TimeoutSeconds: 5, Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 1, IntervalSeconds: 2 }], End: true });
  const r = await run(def, 1, { x: () => 'hang' });
  assert.deepEqual(r.calls.map((c) => c.at), [0, 7_000]);
  assert.equal(r.failure?.error, 'States.Timeout');
  assert.ok(r.history.some((h) => h.type === 'TaskTimedOut'));
});

test('TimeoutSecondsPath and HeartbeatSeconds reach the invoke effect', async () => {
  const r = await run(single({ Type: 'Task', Resource: 'x', TimeoutSecondsPath: '$.t', HeartbeatSeconds: 1, End: true }), { t: 2 }, { x: () => 'hang' });
  assert.equal(r.failure?.error, 'States.Timeout');
  assert.equal(r.clock.now() - r.calls[0]!.at >= 2_000, true);
});

test("a Lambda function's errorType becomes the error name", async () => {
  const payload = { errorType: 'CustomValidationError', errorMessage: 'bad input', trace: ['at handler'] };
  const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'fn', Catch: [{ ErrorEquals: ['CustomValidationError'], Next: 'C' }], End: true }, C: { Type: 'Pass', End: true } } };
  const r = await run(def, {}, { fn: () => ({ failure: lambdaFailure(payload) }) });
  assert.deepEqual(r.output, { Error: 'CustomValidationError', Cause: JSON.stringify(payload) });
});

test('$$.State.RetryCount counts the retries of the current state', async () => {
  const def = single({ Type: 'Task', Resource: 'x', Parameters: { 'n.$': '$$.State.RetryCount' }, Retry: [{ ErrorEquals: ['E'], MaxAttempts: 2 }], End: true });
  const r = await run(def, {}, { x: flaky(2, 'E') });
  assert.deepEqual(r.calls.map((c) => c.payload), [{ n: 0 }, { n: 1 }, { n: 2 }]);
});
