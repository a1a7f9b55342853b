import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, functionArn, parseFunctionRef } from '../../../src/common/arn.js';

/** Compares name and qualifier only: an absent qualifier may be a missing key or `undefined`. */
function ref(input: string): { name: string; qualifier: string | undefined } {
  const r = parseFunctionRef(input);
  return { name: r.name, qualifier: r.qualifier };
}

test('parseFunctionRef: bare name', () => {
  assert.deepEqual(ref('my-function'), { name: 'my-function', qualifier: undefined });
});

test('parseFunctionRef: name:qualifier (version or alias)', () => {
  assert.deepEqual(ref('my-function:prod'), { name: 'my-function', qualifier: 'prod' });
  assert.deepEqual(ref('my-function:$LATEST'), { name: 'my-function', qualifier: '$LATEST' });
  assert.deepEqual(ref('my-function:7'), { name: 'my-function', qualifier: '7' });
});

test('parseFunctionRef: partial ARN ACCOUNT:function:name[:qualifier]', () => {
  assert.deepEqual(ref('123456789012:function:my-function'), { name: 'my-function', qualifier: undefined });
  assert.deepEqual(ref('123456789012:function:my-function:live'), { name: 'my-function', qualifier: 'live' });
});

test('parseFunctionRef: full ARN without qualifier', () => {
  assert.deepEqual(ref('arn:aws:lambda:us-east-1:123456789012:function:my-function'), {
    name: 'my-function',
    qualifier: undefined,
  });
});

test('parseFunctionRef: full ARN with qualifier', () => {
  assert.deepEqual(ref('arn:aws:lambda:eu-west-1:123456789012:function:my-function:$LATEST'), {
    name: 'my-function',
    qualifier: '$LATEST',
  });
  assert.deepEqual(ref('arn:aws:lambda:eu-west-1:123456789012:function:my-function:3'), {
    name: 'my-function',
    qualifier: '3',
  });
});

test('functionArn: Lambda shape with the node account, qualifier appended when given', () => {
  assert.equal(ACCOUNT_ID, '000000000000');
  assert.equal(functionArn('us-east-1', 'f'), 'arn:aws:lambda:us-east-1:000000000000:function:f');
  assert.equal(functionArn('eu-central-1', 'f', 'prod'), 'arn:aws:lambda:eu-central-1:000000000000:function:f:prod');
  assert.equal(functionArn('us-east-1', 'f', ''), 'arn:aws:lambda:us-east-1:000000000000:function:f', 'empty qualifier is no qualifier');
});

test('functionArn and parseFunctionRef round-trip', () => {
  assert.deepEqual(ref(functionArn('us-west-2', 'round_trip-1')), { name: 'round_trip-1', qualifier: undefined });
  assert.deepEqual(ref(functionArn('us-west-2', 'round_trip-1', '$LATEST')), { name: 'round_trip-1', qualifier: '$LATEST' });
});
