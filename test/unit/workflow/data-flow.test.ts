/**
 * InputPath, Parameters, ResultSelector, ResultPath, OutputPath and the context object,
 * with the examples of the States Language specification and the Step Functions
 * developer guide ("Processing input and output").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, run, single } from './support.js';

const ECHO = 'arn:aws:lambda:us-east-1:123456789012:function:Echo';

test('Pass: Result with ResultPath (specification example)', async () => {
  const r = await run(single({ Type: 'Pass', Result: { 'x-datum': 0.381018, 'y-datum': 622.2269926397355 }, ResultPath: '$.coords', End: true }), { georefOf: 'Home' });
  assert.deepEqual(r.output, { georefOf: 'Home', coords: { 'x-datum': 0.381018, 'y-datum': 622.2269926397355 } });
});

test('Parameters: static and .$ fields, a negative slice (specification example)', async () => {
  const r = await run(single({ Type: 'Pass', Parameters: { flagged: true, parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[-3:]' } }, End: true }), {
    flagged: 7,
    vals: [0, 10, 20, 30, 40, 50],
  });
  assert.deepEqual(r.output, { flagged: true, parts: { first: 0, last3: [30, 40, 50] } });
});

test('InputPath, ResultPath and the raw input (specification: numbers to add)', async () => {
  const def = single({ Type: 'Task', Resource: 'add', InputPath: '$.numbers', ResultPath: '$.sum', End: true });
  const r = await run(def, { title: 'Numbers to add', numbers: { val1: 3, val2: 4 } }, {
    add: (p) => ({ output: (p as { val1: number }).val1 + (p as { val2: number }).val2 }),
  });
  assert.deepEqual(r.calls[0]!.payload, { val1: 3, val2: 4 });
  assert.deepEqual(r.output, { title: 'Numbers to add', numbers: { val1: 3, val2: 4 }, sum: 7 });
});

test('InputPath selects, Parameters reshapes (developer guide examples)', async () => {
  const a = await run(single({ Type: 'Pass', InputPath: '$.dataset2', End: true }), {
    comment: 'Example for InputPath.',
    dataset1: { val1: 1, val2: 2, val3: 3 },
    dataset2: { val1: 'a', val2: 'b', val3: 'c' },
  });
  assert.deepEqual(a.output, { val1: 'a', val2: 'b', val3: 'c' });
  const b = await run(
    single({ Type: 'Pass', Parameters: { comment: 'Selecting what I care about.', MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' } }, End: true }),
    { comment: 'Example for Parameters.', product: { details: { color: 'blue', size: 'small', material: 'cotton' }, availability: 'in stock', sku: '2317', cost: '$23' } },
  );
  assert.deepEqual(b.output, { comment: 'Selecting what I care about.', MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' } });
});

test('ResultSelector then ResultPath (developer guide: EMR createCluster result)', async () => {
  const result = {
    resourceType: 'elasticmapreduce',
    resource: 'createCluster.sync',
    output: { SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: '1234-5678-9012' }, ClusterId: 'AKIAIOSFODNN7EXAMPLE' },
  };
  const def = single({ Type: 'Task', Resource: 'emr', ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType' }, ResultPath: '$.EMROutput', End: true });
  const r = await run(def, { comment: 'x' }, { emr: () => ({ output: result }) });
  assert.deepEqual(r.output, { comment: 'x', EMROutput: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' } });
});

test('ResultPath: absent replaces, a path merges, null discards (developer guide: Hello world)', async () => {
  const input = { comment: 'This is a test of the input and output of a Task state.', details: 'Default example', who: 'AWS Step Functions' };
  const hello = { hello: (p: unknown) => ({ output: `Hello, ${(p as { who: string }).who}!` }) };
  const replaced = await run(single({ Type: 'Task', Resource: 'hello', End: true }), input, hello);
  assert.equal(replaced.output, 'Hello, AWS Step Functions!');
  const merged = await run(single({ Type: 'Task', Resource: 'hello', ResultPath: '$.taskresult', End: true }), input, hello);
  assert.deepEqual(merged.output, { ...input, taskresult: 'Hello, AWS Step Functions!' });
  const discarded = await run(single({ Type: 'Task', Resource: 'hello', ResultPath: null, End: true }), input, hello);
  assert.deepEqual(discarded.output, input);
  const deep = await run(single({ Type: 'Pass', Result: 1, ResultPath: '$.a.b.c', End: true }), { a: { x: 0 } });
  assert.deepEqual(deep.output, { a: { x: 0, b: { c: 1 } } });
});

test('ResultPath into a non-object fails with States.ResultPathMatchFailure', async () => {
  const r = await run(single({ Type: 'Pass', Result: 1, ResultPath: '$.a.b', End: true }), { a: 'text' });
  assert.equal(r.failure?.error, 'States.ResultPathMatchFailure');
});

test('OutputPath selects; InputPath null and OutputPath null give {}', async () => {
  const r = await run(single({ Type: 'Pass', Result: { keep: 1, drop: 2 }, ResultPath: '$.res', OutputPath: '$.res.keep', End: true }), { a: 1 });
  assert.equal(r.output, 1);
  const n = await run(single({ Type: 'Pass', InputPath: null, OutputPath: null, End: true }), { a: 1 });
  assert.deepEqual(n.output, {});
  const i = await run(single({ Type: 'Pass', InputPath: null, End: true }), { a: 1 });
  assert.deepEqual(i.output, {});
});

test('a path that matches nothing is States.Runtime, which Catch States.ALL does not catch', async () => {
  const def = { StartAt: 'S', States: { S: { Type: 'Pass', Parameters: { 'x.$': '$.missing' }, End: true } } };
  const r = await run(def, {});
  assert.equal(r.failure?.error, 'States.Runtime');
  const t = await run(single({ Type: 'Task', Resource: 'x', InputPath: '$.missing', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S' }], End: true }), {});
  assert.equal(t.failure?.error, 'States.Runtime');
});

test('the context object $$ in Parameters', async () => {
  const def = single({
    Type: 'Task',
    Resource: ECHO,
    Parameters: { 'execId.$': '$$.Execution.Id', 'name.$': '$$.State.Name', 'entered.$': '$$.State.EnteredTime', 'sm.$': '$$.StateMachine.Name', 'input.$': '$$.Execution.Input', 'retry.$': '$$.State.RetryCount' },
    End: true,
  });
  const r = await run(def, { a: 1 });
  assert.deepEqual(r.output, {
    execId: context().executionId,
    name: 'S',
    entered: '2023-11-14T22:13:20.000Z',
    sm: 'Machine',
    input: { a: 1 },
    retry: 0,
  });
});

test('wildcards and unions yield arrays', async () => {
  const r = await run(single({ Type: 'Pass', Parameters: { 'names.$': '$.items[*].name', 'pair.$': '$.items[0,2].name', 'vals.$': '$.obj.*' }, End: true }), {
    items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
    obj: { x: 1, y: 2 },
  });
  assert.deepEqual(r.output, { names: ['a', 'b', 'c'], pair: ['a', 'c'], vals: [1, 2] });
});

test('a state output over 256 KiB fails with States.DataLimitExceeded', async () => {
  const r = await run(single({ Type: 'Task', Resource: 'big', End: true }), {}, { big: () => ({ output: 'x'.repeat(262_145) }) });
  assert.equal(r.failure?.error, 'States.DataLimitExceeded');
});
