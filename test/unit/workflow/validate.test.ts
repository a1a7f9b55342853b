/** Definition validation: each structural error is reported with its state and field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionError, validate } from '../../../src/workflow/index.js';

function problems(definition: unknown): string[] {
  try {
    validate(definition);
  } catch (e) {
    assert.ok(e instanceof DefinitionError);
    assert.equal(e.code, 'ValidationException');
    return e.problems;
  }
  return assert.fail('the definition was accepted');
}

const one = (state: Record<string, unknown>) => ({ StartAt: 'S', States: { S: state } });
const has = (ps: string[], fragment: string) => assert.ok(ps.some((p) => p.includes(fragment)), `no problem mentions ${fragment}: ${JSON.stringify(ps)}`);

test('a valid definition gives a machine with every scope indexed', () => {
  const m = validate({
    StartAt: 'P',
    TimeoutSeconds: 60,
    States: {
      P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Succeed' } } }], Next: 'M' },
      M: { Type: 'Map', ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }, End: true },
    },
  });
  assert.deepEqual(Object.keys(m.branches).sort(), ['', '/M#map', '/P#0']);
  assert.equal(m.timeoutSeconds, 60);
});

test('top level: StartAt, States, unknown fields', () => {
  has(problems({ States: { A: { Type: 'Succeed' } } }), 'StartAt: is required');
  has(problems({ StartAt: 'X', States: { A: { Type: 'Succeed' } } }), "StartAt: state 'X' does not exist");
  has(problems({ StartAt: 'A', States: {} }), 'States: must be a non-empty object');
  has(problems({ StartAt: 'A', States: { A: { Type: 'Succeed' } }, Extra: 1 }), "unknown field 'Extra'");
  has(problems('nope'), 'must be a JSON object');
});

test('states: Type, Next/End, transitions, reachability, unknown fields', () => {
  has(problems(one({ Type: 'Nope' })), 'States.S.Type: must be one of');
  has(problems(one({ Type: 'Pass' })), 'States.S: must have exactly one of Next or End');
  has(problems(one({ Type: 'Pass', Next: 'Z' })), "States.S.Next: state 'Z' does not exist");
  has(problems({ StartAt: 'A', States: { A: { Type: 'Succeed' }, B: { Type: 'Succeed' } } }), 'States.B: state is not reachable');
  has(problems(one({ Type: 'Succeed', Result: 1 })), "States.S: unknown field 'Result'");
});

test('paths, templates and intrinsics are checked', () => {
  has(problems(one({ Type: 'Pass', InputPath: 'a.b', End: true })), 'States.S.InputPath');
  has(problems(one({ Type: 'Pass', ResultPath: '$.a[*]', End: true })), 'States.S.ResultPath: must be a reference path');
  has(problems(one({ Type: 'Pass', Parameters: { 'x.$': 'States.Nope(1)' }, End: true })), "States.S.Parameters.x.$: intrinsic 'States.Nope(1)': unknown intrinsic function");
  has(problems(one({ Type: 'Pass', Parameters: { 'x.$': '$.a[?(@.b)]' }, End: true })), 'filter expressions');
  has(problems(one({ Type: 'Pass', Parameters: { 'x.$': 1 }, End: true })), "States.S.Parameters.x.$: a '.$' field's value");
});

test('Task: Resource, timeouts', () => {
  has(problems(one({ Type: 'Task', End: true })), 'States.S.Resource: is required');
  has(problems(one({ Type: 'Task', Resource: 'r', TimeoutSeconds: 0, End: true })), 'States.S.TimeoutSeconds: must be a positive integer');
  has(problems(one({ Type: 'Task', Resource: 'r', TimeoutSeconds: 5, TimeoutSecondsPath: '$.t', End: true })), 'must not have both TimeoutSeconds and TimeoutSecondsPath');
  has(problems(one({ Type: 'Task', Resource: 'r', TimeoutSeconds: 5, HeartbeatSeconds: 5, End: true })), 'States.S.HeartbeatSeconds: must be smaller than TimeoutSeconds');
});

test('Retry and Catch fields', () => {
  const retry = (r: Record<string, unknown>) => problems(one({ Type: 'Task', Resource: 'r', Retry: [r], End: true }));
  has(retry({}), 'States.S.Retry[0].ErrorEquals: must be a non-empty array');
  has(retry({ ErrorEquals: ['E'], IntervalSeconds: 0 }), 'States.S.Retry[0].IntervalSeconds');
  has(retry({ ErrorEquals: ['E'], MaxAttempts: -1 }), 'States.S.Retry[0].MaxAttempts');
  has(retry({ ErrorEquals: ['E'], BackoffRate: 0.5 }), 'States.S.Retry[0].BackoffRate');
  has(retry({ ErrorEquals: ['E'], MaxDelaySeconds: 0 }), 'States.S.Retry[0].MaxDelaySeconds');
  has(retry({ ErrorEquals: ['E'], JitterStrategy: 'HALF' }), 'States.S.Retry[0].JitterStrategy');
  has(retry({ ErrorEquals: ['States.ALL', 'E'] }), 'States.ALL must appear alone');
  has(problems(one({ Type: 'Task', Resource: 'r', Catch: [{ ErrorEquals: ['E'] }], End: true })), 'States.S.Catch[0].Next: is required');
  has(problems(one({ Type: 'Task', Resource: 'r', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S' }, { ErrorEquals: ['E'], Next: 'S' }], End: true })), 'States.S.Catch[0].ErrorEquals: States.ALL');
});

test('Choice rules', () => {
  const choice = (rule: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    problems({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [rule], ...extra }, D: { Type: 'Succeed' } } });
  has(problems(one({ Type: 'Choice', Choices: [] })), 'States.S.Choices: must be a non-empty array');
  has(choice({ Variable: '$.a', NumericEquals: 1 }), 'States.C.Choices[0].Next: is required');
  has(choice({ Variable: '$.a', NumericEquals: 'one', Next: 'D' }), 'States.C.Choices[0].NumericEquals: wrong operand type');
  has(choice({ Variable: '$.a', NumericEquals: 1, StringEquals: 'x', Next: 'D' }), 'must have exactly one comparison operator');
  has(choice({ And: [{ Variable: '$.a', IsNull: true, Next: 'D' }], Next: 'D' }), 'States.C.Choices[0].And[0].Next: only a top-level choice rule');
  has(choice({ NumericEquals: 1, Next: 'D' }), 'States.C.Choices[0].Variable: is required');
  has(choice({ Variable: '$.t', TimestampEquals: 'today', Next: 'D' }), 'TimestampEquals: wrong operand type');
  has(choice({ Variable: '$.a', IsNull: true, Next: 'D' }, { Default: 'Nowhere' }), "States.C.Default: state 'Nowhere' does not exist");
});

test('Wait, Fail, Parallel, Map', () => {
  has(problems(one({ Type: 'Wait', End: true })), 'must have exactly one of Seconds, Timestamp, SecondsPath, TimestampPath');
  has(problems(one({ Type: 'Wait', Seconds: 1, Timestamp: '2016-03-14T01:59:00Z', End: true })), 'must have exactly one of Seconds');
  has(problems(one({ Type: 'Wait', Timestamp: 'soon', End: true })), 'States.S.Timestamp: must be an RFC 3339 timestamp');
  has(problems(one({ Type: 'Fail', Error: 'E', ErrorPath: '$.e' })), 'must not have both Error and ErrorPath');
  has(problems(one({ Type: 'Parallel', Branches: [], End: true })), 'States.S.Branches: must be a non-empty array');
  has(problems(one({ Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Outside' } } }], End: true })), "States.S.Branches[0].States.A.Next: state 'Outside' does not exist");
  has(problems(one({ Type: 'Map', End: true })), 'States.S: must have exactly one of ItemProcessor or Iterator');
  has(problems(one({ Type: 'Map', MaxConcurrency: -1, Iterator: { StartAt: 'A', States: { A: { Type: 'Succeed' } } }, End: true })), 'States.S.MaxConcurrency');
  has(problems(one({ Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'A', States: { A: { Type: 'Succeed' } } }, End: true })), 'only INLINE is supported');
});

test('every problem is reported at once', () => {
  const ps = problems({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Task', End: true, Retry: 'x' } } });
  has(ps, 'States.B.Resource');
  has(ps, 'States.B.Retry: must be an array');
});
