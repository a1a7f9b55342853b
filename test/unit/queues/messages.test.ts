import assert from 'node:assert/strict';
import { test } from 'node:test';
import { md5OfAttributes, selectAttributes } from '../../../src/queues/index.js';

// Reference digests published with the algorithm's description (see docs/compat.md, SQS).
test('MD5OfMessageAttributes matches SQS for string, custom-number and binary attributes', () => {
  const s = { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } };
  const n = { customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' } };
  const b = { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } };
  assert.equal(md5OfAttributes(s), '19e27d4e946b072f3f58da80d94fd778');
  assert.equal(md5OfAttributes(n), '9fe1b90bbd9965bdf77bac517c7d2495');
  assert.equal(md5OfAttributes(b), '31a92b15d92f8db860eda32aceb656c3');
  assert.equal(md5OfAttributes({ ...b, ...n, ...s }), 'c932db14a896c663f83c260297d594ff');
  assert.equal(md5OfAttributes({}), undefined);
});

test('selectAttributes takes names, All, .* and prefixes', () => {
  const v = { DataType: 'String', StringValue: 'v' };
  const attrs = { 'a.one': v, 'a.two': v, b: v };
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['All'])), ['a.one', 'a.two', 'b']);
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['.*'])), ['a.one', 'a.two', 'b']);
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['a.*'])), ['a.one', 'a.two']);
  assert.deepEqual(Object.keys(selectAttributes(attrs, ['b', 'c'])), ['b']);
  assert.deepEqual(selectAttributes(attrs, []), {});
});
