/**
 * The executor as a durable host will use it: explicit state, effects, events, history,
 * and replay from recorded events giving the same state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advance, replay, start, validate, type ExecutionEvent, type Step } from '../../../src/workflow/index.js';
import { context, run, START } from './support.js';

const machine = validate({
  StartAt: 'Choose',
  States: {
    Choose: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 0, Next: 'Work' }], Default: 'Done' },
    Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work', Parameters: { 'n.$': '$.n', 'id.$': 'States.UUID()' }, Retry: [{ ErrorEquals: ['E'], JitterStrategy: 'FULL' }], ResultPath: '$.r', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 30, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
});

test('start yields the first effect; advance applies events; state is never mutated', () => {
  const s0 = start(machine, { n: 1 }, context());
  assert.deepEqual(s0.history.map((h) => h.type), ['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'TaskStateEntered', 'TaskScheduled']);
  const invoke = s0.effects[0]!;
  assert.equal(invoke.kind, 'invoke');
  assert.ok(invoke.kind === 'invoke' && invoke.resource.endsWith(':Work') && (invoke.payload as { n: number }).n === 1);
  const frozen = JSON.stringify(s0.state);
  const s1 = advance(machine, s0.state, { kind: 'taskFailed', id: invoke.id, error: 'E', cause: 'x', at: START + 5 });
  assert.equal(JSON.stringify(s0.state), frozen);
  const retry = s1.effects[0]!;
  assert.ok(retry.kind === 'timer' && retry.at >= START + 5 && retry.at <= START + 1_005);
  const s2 = advance(machine, s1.state, { kind: 'timerFired', id: retry.id, at: retry.at });
  const again = s2.effects[0]!;
  assert.equal(again.kind, 'invoke');
  const s3 = advance(machine, s2.state, { kind: 'taskSucceeded', id: again.id, output: 'ok', at: retry.at + 10 });
  assert.deepEqual(s3.history.map((h) => h.type), ['TaskSucceeded', 'TaskStateExited', 'WaitStateEntered']);
  const wait = s3.effects[0]!;
  assert.ok(wait.kind === 'timer' && wait.at === retry.at + 10 + 30_000);
  const s4 = advance(machine, s3.state, { kind: 'timerFired', id: wait.id, at: wait.at });
  assert.equal(s4.state.status, 'SUCCEEDED');
  assert.deepEqual(s4.effects, [{ kind: 'succeed', output: { n: 1, r: 'ok' } }]);
  assert.deepEqual(s4.history.map((h) => h.type), ['WaitStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
});

test('an event for an unknown or stale effect id changes nothing', () => {
  const s0 = start(machine, { n: 1 }, context());
  const s1 = advance(machine, s0.state, { kind: 'timerFired', id: 'e999', at: START });
  assert.deepEqual(s1.state, s0.state);
  assert.deepEqual(s1.effects, []);
});

test('replaying the recorded events rebuilds the same state, effect ids and random values', () => {
  const events: ExecutionEvent[] = [];
  let step: Step = start(machine, { n: 2 }, context());
  const firstPayload = (step.effects[0] as unknown as { payload: { id: string } }).payload;
  const feed = (e: ExecutionEvent) => {
    events.push(e);
    step = advance(machine, step.state, e);
  };
  feed({ kind: 'taskFailed', id: (step.effects[0] as { id: string }).id, error: 'E', cause: '', at: START + 1 });
  const timer = step.effects[0] as { id: string; at: number };
  feed({ kind: 'timerFired', id: timer.id, at: timer.at });
  const rebuilt = replay(machine, { n: 2 }, context(), events);
  assert.deepEqual(rebuilt.state, step.state);
  const again = start(machine, { n: 2 }, context());
  assert.equal((again.effects[0] as unknown as { payload: { id: string } }).payload.id, firstPayload.id, 'States.UUID follows the seed');
  assert.ok(JSON.parse(JSON.stringify(step.state)), 'the state is plain JSON');
});

test('the in-memory runner records the events that replay its execution', async () => {
  const r = await run(
    { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', End: true } } }, End: true } } },
    [1, 2, 3],
  );
  assert.equal(r.status, 'SUCCEEDED');
  const m = validate({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', End: true } } }, End: true } } });
  const rebuilt = replay(m, [1, 2, 3], context(), r.events);
  assert.equal(rebuilt.state.status, 'SUCCEEDED');
  assert.deepEqual(rebuilt.state.output, [1, 2, 3]);
});
