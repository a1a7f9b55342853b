/**
 * Intrinsic functions, each with the example from the Step Functions documentation
 * ("Intrinsic functions for JSONPath states") run through a Pass state's Parameters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Json } from '../../../src/workflow/index.js';
import { run, single } from './support.js';

async function evalField(expr: string, input: Json = {}, seed?: number): Promise<Json | undefined> {
  const r = await run(single({ Type: 'Pass', Parameters: { 'value.$': expr }, End: true }), input, {}, seed !== undefined ? { seed } : {});
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.failure));
  return (r.output as { value: Json }).value;
}

async function evalError(expr: string, input: Json = {}): Promise<string> {
  const r = await run(single({ Type: 'Pass', Parameters: { 'value.$': expr }, End: true }), input);
  assert.equal(r.status, 'FAILED');
  return r.failure!.error;
}

const nine = { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] };

test('States.Format fills {} in order and keeps escaped braces and quotes', async () => {
  assert.equal(await evalField("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' }), 'Hello, my name is Arnav.');
  assert.equal(await evalField("States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)", { firstName: 'John', lastName: 'Doe' }), "Welcome to John Doe's playlist.");
  assert.equal(await evalField("States.Format('\\{literal\\} {}', 42)"), '{literal} 42');
  assert.equal(await evalError("States.Format('{} {}', 'one')"), 'States.IntrinsicFailure');
});

test('States.StringToJson and States.JsonToString', async () => {
  assert.deepEqual(await evalField('States.StringToJson($.escapedJsonString)', { escapedJsonString: '{"foo": "bar"}' }), { foo: 'bar' });
  assert.equal(await evalField('States.JsonToString($.unescapedJson)', { unescapedJson: { foo: 'bar' } }), '{"foo":"bar"}');
  assert.equal(await evalError('States.StringToJson($.s)', { s: '{nope' }), 'States.IntrinsicFailure');
});

test('States.Array builds an array of its arguments', async () => {
  assert.deepEqual(await evalField('States.Array($.Id)', { Id: 123456 }), [123456]);
  assert.deepEqual(await evalField("States.Array('a', 1, true, null)"), ['a', 1, true, null]);
});

test('array intrinsics: Partition, Contains, Range, GetItem, Length, Unique', async () => {
  assert.deepEqual(await evalField('States.ArrayPartition($.inputArray, 4)', nine), [[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  assert.equal(await evalField('States.ArrayContains($.inputArray, $.lookingFor)', { ...nine, lookingFor: 5 }), true);
  assert.equal(await evalField('States.ArrayContains($.inputArray, 10)', nine), false);
  assert.deepEqual(await evalField('States.ArrayRange(1, 9, 2)'), [1, 3, 5, 7, 9]);
  assert.deepEqual(await evalField('States.ArrayRange(5, 1, -2)'), [5, 3, 1]);
  assert.equal(await evalError('States.ArrayRange(1, 2000, 1)'), 'States.IntrinsicFailure');
  assert.equal(await evalField('States.ArrayGetItem($.inputArray, $.index)', { ...nine, index: 5 }), 6);
  assert.equal(await evalError('States.ArrayGetItem($.inputArray, 9)', nine), 'States.IntrinsicFailure');
  assert.equal(await evalField('States.ArrayLength($.inputArray)', nine), 9);
  assert.deepEqual(await evalField('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }), [1, 2, 3, 4]);
});

test('States.Base64Encode and States.Base64Decode', async () => {
  assert.equal(await evalField('States.Base64Encode($.input)', { input: 'Data to encode' }), 'RGF0YSB0byBlbmNvZGU=');
  assert.equal(await evalField('States.Base64Decode($.base64)', { base64: 'RGVjb2RlZCBkYXRh' }), 'Decoded data');
  assert.equal(await evalError('States.Base64Encode($.s)', { s: 'x'.repeat(10_001) }), 'States.IntrinsicFailure');
});

test('States.Hash with each algorithm; an unknown one fails', async () => {
  for (const [name, node] of [['MD5', 'md5'], ['SHA-1', 'sha1'], ['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']]) {
    const expected = createHash(node!).update('input data').digest('hex');
    assert.equal(await evalField('States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: name! }), expected);
  }
  assert.equal(await evalField("States.Hash('input data', 'SHA-1')"), 'aaff4a450a104cd177d28d18d74485e8cae074b7');
  assert.equal(await evalError("States.Hash('x', 'SHA-3')"), 'States.IntrinsicFailure');
});

test('States.JsonMerge is shallow: the second object wins on shared keys', async () => {
  const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, b: 3, c: 3 } };
  assert.deepEqual(await evalField('States.JsonMerge($.json1, $.json2, false)', input), { a: { a3: 1, a4: 2 }, b: 3, c: 3 });
  assert.equal(await evalError('States.JsonMerge($.json1, $.json2, true)', input), 'States.IntrinsicFailure');
});

test('States.MathRandom: start inclusive, end exclusive; a seed makes it repeatable', async () => {
  for (let seed = 1; seed <= 20; seed++) {
    const v = (await evalField('States.MathRandom(1, 4)', {}, seed)) as number;
    assert.ok(Number.isInteger(v) && v >= 1 && v < 4, String(v));
  }
  const a = await evalField('States.MathRandom($.start, $.end, 1234)', { start: 1, end: 999 }, 1);
  const b = await evalField('States.MathRandom($.start, $.end, 1234)', { start: 1, end: 999 }, 2);
  assert.equal(a, b);
});

test('States.MathAdd adds integers', async () => {
  assert.equal(await evalField('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }), 110);
  assert.equal(await evalError('States.MathAdd(1.5, 1)'), 'States.IntrinsicFailure');
});

test('States.StringSplit splits on every delimiter character', async () => {
  assert.deepEqual(await evalField('States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' }), ['1', '2', '3', '4', '5']);
  assert.deepEqual(await evalField('States.StringSplit($.inputString, $.splitter)', { inputString: 'This.is+a,test=string', splitter: '.+,=' }), ['This', 'is', 'a', 'test', 'string']);
});

test('States.UUID is a version 4 UUID, deterministic for a seed', async () => {
  const u = (await evalField('States.UUID()', {}, 5)) as string;
  assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(await evalField('States.UUID()', {}, 5), u);
  assert.notEqual(await evalField('States.UUID()', {}, 6), u);
});

test('nested intrinsics: the documented nine-deep ARN example', async () => {
  // The documentation's template has three placeholders for two arguments, which its own
  // Format rules reject; two placeholders keep the nesting under test.
  const expr =
    "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
  const input = { ImageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/test-recipe/1.0.0' } };
  assert.equal(await evalField(expr, input), '1.0');
  assert.equal(await evalError(expr.replace("'{}.{}'", "'{}.{}.{}'"), input), 'States.IntrinsicFailure');
});
