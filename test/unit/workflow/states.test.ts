/** Wait, Succeed, Fail, Parallel and Map (inline), in virtual time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fail, run, single, START } from './support.js';

const after = (waitState: Record<string, unknown>) => ({
  StartAt: 'W',
  States: { W: { Type: 'Wait', ...waitState, Next: 'T' }, T: { Type: 'Task', Resource: 'clock', End: true } },
});

test('Wait: Seconds, SecondsPath, Timestamp, TimestampPath, in virtual time', async () => {
  assert.equal((await run(after({ Seconds: 10 }), {})).calls[0]!.at, 10_000);
  assert.equal((await run(after({ SecondsPath: '$.s' }), { s: 3 })).calls[0]!.at, 3_000);
  const ts = new Date(START + 60_000).toISOString();
  assert.equal((await run(after({ Timestamp: ts }), {})).calls[0]!.at, 60_000);
  assert.equal((await run(after({ TimestampPath: '$.t' }), { t: ts })).calls[0]!.at, 60_000);
  // A timestamp already past does not wait.
  assert.equal((await run(after({ Timestamp: '2016-03-14T01:59:00Z' }), {})).calls[0]!.at, 0);
});

test('Wait passes its input through InputPath and OutputPath; a bad SecondsPath is States.Runtime', async () => {
  const r = await run(single({ Type: 'Wait', Seconds: 1, InputPath: '$.a', OutputPath: '$.b', End: true }), { a: { b: 2 } });
  assert.equal(r.output, 2);
  assert.equal((await run(after({ SecondsPath: '$.s' }), { s: 'soon' })).failure?.error, 'States.Runtime');
});

test('Succeed ends with its (filtered) input', async () => {
  const r = await run(single({ Type: 'Succeed', InputPath: '$.x', OutputPath: '$.y' }), { x: { y: 'done' } });
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output, 'done');
});

test('Fail: Error and Cause, and their Path forms (paths and an intrinsic)', async () => {
  const a = await run(single({ Type: 'Fail', Error: 'ErrorA', Cause: 'Kaiju attack' }), {});
  assert.deepEqual([a.status, a.failure], ['FAILED', { error: 'ErrorA', cause: 'Kaiju attack' }]);
  const b = await run(single({ Type: 'Fail', ErrorPath: '$.err', CausePath: "States.Format('code {}', $.code)" }), { err: 'Bad', code: 7 });
  assert.deepEqual(b.failure, { error: 'Bad', cause: 'code 7' });
});

test('Parallel: each branch gets the input; the output is the array of branch outputs in order', async () => {
  const def = single({
    Type: 'Parallel',
    Branches: [
      { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 5, Next: 'A' }, A: { Type: 'Task', Resource: 'upper', End: true } } },
      { StartAt: 'B', States: { B: { Type: 'Pass', Parameters: { 'len.$': 'States.ArrayLength($.xs)' }, End: true } } },
    ],
    ResultPath: '$.results',
    End: true,
  });
  const r = await run(def, { xs: ['a', 'b'] }, { upper: (p) => ({ output: (p as { xs: string[] }).xs.map((x) => x.toUpperCase()) }) });
  assert.deepEqual(r.output, { xs: ['a', 'b'], results: [['A', 'B'], { len: 2 }] });
  assert.ok(r.history.some((h) => h.type === 'ParallelStateSucceeded'));
});

test('Parallel: a failing branch fails the state with its error and cancels the others', async () => {
  const def = {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Hang', States: { Hang: { Type: 'Task', Resource: 'hang', End: true } } },
          { StartAt: 'Boom', States: { Boom: { Type: 'Task', Resource: 'boom', End: true } } },
        ],
        Catch: [{ ErrorEquals: ['Custom.Error'], ResultPath: '$.error', Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    },
  };
  const r = await run(def, { id: 1 }, { hang: () => 'hang', boom: () => fail('Custom.Error', 'went wrong') });
  assert.deepEqual(r.output, { id: 1, error: { Error: 'Custom.Error', Cause: 'went wrong' } });
});

test('Map: specification example with ItemsPath, ItemSelector over $$.Map.Item and ResultPath', async () => {
  const def = {
    StartAt: 'Validate-All',
    States: {
      'Validate-All': {
        Type: 'Map',
        InputPath: '$.detail',
        ItemsPath: '$.shipped',
        MaxConcurrency: 0,
        ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'courier.$': '$.delivery-partner', 'index.$': '$$.Map.Item.Index' },
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Validate', States: { Validate: { Type: 'Task', Resource: 'validate', End: true } } },
        ResultPath: '$.detail.shipped',
        End: true,
      },
    },
  };
  const shipped = [
    { prod: 'R31', 'dest-code': 9511, quantity: 1344 },
    { prod: 'S39', 'dest-code': 9511, quantity: 40 },
    { prod: 'R31', 'dest-code': 9833, quantity: 12 },
  ];
  const input = { 'ship-date': '2016-03-14T01:59:00Z', detail: { 'delivery-partner': 'UQS', shipped } };
  const r = await run(def, input, { validate: (p) => ({ output: { ok: (p as { parcel: { prod: string } }).parcel.prod } }) });
  assert.deepEqual(r.calls.map((c) => c.payload), shipped.map((parcel, index) => ({ parcel, courier: 'UQS', index })));
  assert.deepEqual(r.output, { 'ship-date': '2016-03-14T01:59:00Z', detail: { 'delivery-partner': 'UQS', shipped: [{ ok: 'R31' }, { ok: 'S39' }, { ok: 'R31' }] } });
});

test('Map: MaxConcurrency 2 runs at most two iterations at a time; Iterator is accepted', async () => {
  const def = single({
    Type: 'Map',
    MaxConcurrency: 2,
    Iterator: { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$', Next: 'T' }, T: { Type: 'Task', Resource: 'id', End: true } } },
    End: true,
  });
  const r = await run(def, [10, 10, 10, 10, 10]);
  assert.deepEqual(r.output, [10, 10, 10, 10, 10]);
  assert.deepEqual(r.calls.map((c) => c.at), [10_000, 10_000, 20_000, 20_000, 30_000]);
  assert.equal(r.history.filter((h) => h.type === 'MapIterationStarted').length, 5);
});

test('Map over an empty array outputs []; a non-array is States.Runtime', async () => {
  const proc = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  assert.deepEqual((await run(single({ Type: 'Map', ItemProcessor: proc, End: true }), [])).output, []);
  assert.equal((await run(single({ Type: 'Map', ItemProcessor: proc, End: true }), { a: 1 })).failure?.error, 'States.Runtime');
});

test('Map: a failed iteration fails the Map with the iteration error', async () => {
  const def = single({ Type: 'Map', ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'check', End: true } } }, End: true });
  const r = await run(def, [1, 2, 3], { check: (p) => (p === 2 ? fail('Bad.Item', 'two') : { output: p }) });
  assert.deepEqual(r.failure, { error: 'Bad.Item', cause: 'two' });
  assert.ok(r.history.some((h) => h.type === 'MapIterationFailed' && h.index === 1));
});
