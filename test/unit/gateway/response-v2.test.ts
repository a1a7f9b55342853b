import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapResponseV2 } from '../../../src/gateway/index.js';

describe('payload format 2.0 response mapping', () => {
  it('maps statusCode, headers, multiValueHeaders, cookies and body', () => {
    const r = mapResponseV2(
      JSON.stringify({ statusCode: 201, headers: { 'Content-Type': 'text/plain', 'X-N': 3 }, multiValueHeaders: { 'X-Multi': ['a', 'b'] }, cookies: ['a=1; Path=/', 'b=2'], body: 'made' }),
    )!;
    assert.equal(r.statusCode, 201);
    assert.deepEqual(r.headers, [
      ['content-type', 'text/plain'],
      ['x-n', '3'],
      ['x-multi', 'a'],
      ['x-multi', 'b'],
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2'],
    ]);
    assert.equal(r.body.toString(), 'made');
  });

  it('decodes a base64 body', () => {
    const r = mapResponseV2(JSON.stringify({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([1, 2, 255]).toString('base64'), isBase64Encoded: true }))!;
    assert.deepEqual([...r.body], [1, 2, 255]);
  });

  it('treats any value without statusCode as a 200 application/json body', () => {
    for (const payload of ['{"hello":"world"}', '"text"', '[1,2]', 'null', '42']) {
      const r = mapResponseV2(payload)!;
      assert.equal(r.statusCode, 200);
      assert.deepEqual(r.headers, [['content-type', 'application/json']]);
      assert.equal(r.body.toString(), payload);
    }
  });

  it('defaults the content type of a body to application/json, and sends no body when there is none', () => {
    assert.deepEqual(mapResponseV2('{"statusCode":200,"body":"{}"}')!.headers, [['content-type', 'application/json']]);
    const empty = mapResponseV2('{"statusCode":204}')!;
    assert.deepEqual(empty.headers, []);
    assert.equal(empty.body.length, 0);
  });

  it('rejects a statusCode API Gateway would not accept', () => {
    assert.equal(mapResponseV2('{"statusCode":"abc"}'), undefined);
    assert.equal(mapResponseV2('{"statusCode":700}'), undefined);
    assert.equal(mapResponseV2('not json'), undefined);
    assert.equal(mapResponseV2('{"statusCode":"404"}')!.statusCode, 404);
  });
});
