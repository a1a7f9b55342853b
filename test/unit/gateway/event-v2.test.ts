import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildEventV2, clfTime, isTextual } from '../../../src/gateway/index.js';

/**
 * AWS documents one example of the 2.0 event (HTTP API, Lambda proxy integration). The
 * request below is the one that example describes; every field is checked against it.
 */
describe('payload format 2.0 event', () => {
  const event = buildEventV2(
    {
      method: 'POST',
      rawPath: '/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      rawHeaders: ['Header1', 'value1', 'Header2', 'value1', 'Header2', 'value2', 'Cookie', 'cookie1; cookie2', 'User-Agent', 'agent/1.0'],
      body: Buffer.from('Hello from Lambda'),
      sourceIp: '192.0.2.1',
      protocol: 'HTTP/1.1',
      requestId: 'id',
      timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58),
    },
    { accountId: '123456789012', apiId: 'api-id', domainName: 'id.execute-api.us-east-1.amazonaws.com', domainPrefix: 'id', routeKey: '$default', stage: '$default' },
  );

  it('has the top-level fields of the documented example', () => {
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/my/path');
    assert.equal(event.rawQueryString, 'parameter1=value1&parameter1=value2&parameter2=value');
    assert.deepEqual(event.cookies, ['cookie1', 'cookie2']);
    assert.deepEqual(event.queryStringParameters, { parameter1: 'value1,value2', parameter2: 'value' });
    assert.equal(event.body, 'Hello from Lambda');
    assert.equal(event.isBase64Encoded, false);
    assert.equal('pathParameters' in event, false, 'no parameters: no field');
  });

  it('lower-cases header names, joins repeated values with commas and moves cookies out', () => {
    assert.deepEqual(event.headers, { header1: 'value1', header2: 'value1,value2', 'user-agent': 'agent/1.0' });
  });

  it('fills the request context', () => {
    assert.deepEqual(event.requestContext, {
      accountId: '123456789012',
      apiId: 'api-id',
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent/1.0' },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58),
    });
  });

  it('base64-encodes binary bodies and keeps path parameters', () => {
    const bytes = Buffer.from([0, 255, 1, 254]);
    const e = buildEventV2(
      { method: 'PUT', rawPath: '/files/a b', rawQueryString: '', rawHeaders: ['content-type', 'image/png'], body: bytes, sourceIp: '::1', protocol: 'HTTP/1.1', requestId: 'r', timeEpoch: 0 },
      { accountId: 'a', apiId: 'x', domainName: 'h', domainPrefix: 'h', routeKey: 'PUT /files/{name}', stage: '$default', pathParameters: { name: 'a b' } },
    );
    assert.equal(e.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(e.body!, 'base64'), bytes);
    assert.deepEqual(e.pathParameters, { name: 'a b' });
    assert.equal(e.queryStringParameters, undefined);
    assert.equal(e.cookies, undefined);
    assert.equal(e.requestContext.time, '01/Jan/1970:00:00:00 +0000');
  });

  it('decides text or binary by media type', () => {
    assert.equal(isTextual('application/json; charset=utf-8', Buffer.from('{}')), true);
    assert.equal(isTextual('application/vnd.api+json', Buffer.from('{}')), true);
    assert.equal(isTextual('text/plain', Buffer.from('x')), true);
    assert.equal(isTextual('application/octet-stream', Buffer.from('x')), false);
    assert.equal(isTextual(undefined, Buffer.from([0xff, 0xfe])), false);
    assert.equal(clfTime(Date.UTC(2026, 10, 3, 4, 5, 6)), '03/Nov/2026:04:05:06 +0000');
  });
});
