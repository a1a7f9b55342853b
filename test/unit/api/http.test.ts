import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { HearthError } from '../../../src/common/index.js';
import { readBody, Router, type Handler } from '../../../src/api/http.js';

const h = (name: string): Handler => Object.assign(() => undefined, { label: name });
const label = (m: { handler: Handler } | undefined) => (m?.handler as unknown as { label: string } | undefined)?.label;

function router(): Router {
  return new Router()
    .add({ method: 'GET', path: '/2015-03-31/functions', handler: h('list') })
    .add({ method: 'POST', path: '/2015-03-31/functions', handler: h('create') })
    .add({ method: 'GET', path: '/2015-03-31/functions/{name}', handler: h('get') })
    .add({ method: 'POST', path: '/2015-03-31/functions/{name}/invocations', handler: h('invoke') })
    .add({ method: 'GET', path: '/things/{a}/sub/{b}', handler: h('two') });
}

test('Router matches method and path and extracts params', () => {
  const r = router();
  assert.equal(label(r.match('GET', '/2015-03-31/functions')), 'list');
  assert.equal(label(r.match('POST', '/2015-03-31/functions')), 'create');
  const m = r.match('POST', '/2015-03-31/functions/my-fn/invocations');
  assert.equal(label(m), 'invoke');
  assert.deepEqual(m?.params, { name: 'my-fn' });
  assert.deepEqual(r.match('GET', '/things/x/sub/y')?.params, { a: 'x', b: 'y' });
  assert.deepEqual(r.match('GET', '/2015-03-31/functions')?.params, {});
});

test('Router percent-decodes params (ARNs arrive with encoded colons)', () => {
  const r = router();
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:f:prod';
  assert.deepEqual(r.match('GET', `/2015-03-31/functions/${encodeURIComponent(arn)}`)?.params, { name: arn });
  assert.deepEqual(r.match('GET', '/2015-03-31/functions/a%20b')?.params, { name: 'a b' });
  assert.deepEqual(r.match('GET', '/2015-03-31/functions/a%2Fb')?.params, { name: 'a/b' }, 'an encoded slash stays in one segment');
  assert.deepEqual(r.match('GET', '/2015-03-31/functions/caf%C3%A9')?.params, { name: 'café' });
});

test('Router: a method mismatch is no match', () => {
  const r = router();
  assert.equal(r.match('DELETE', '/2015-03-31/functions'), undefined);
  assert.equal(r.match('GET', '/2015-03-31/functions/f/invocations'), undefined);
  assert.equal(r.match('get', '/2015-03-31/functions'), undefined, 'methods are case-sensitive as node gives them upper case');
});

test('Router: one trailing slash is accepted', () => {
  const r = router();
  assert.equal(label(r.match('GET', '/2015-03-31/functions/')), 'list');
  assert.deepEqual(r.match('GET', '/2015-03-31/functions/f/')?.params, { name: 'f' });
  assert.equal(r.match('GET', '/2015-03-31/functions//'), undefined);
});

test('Router: params match exactly one non-empty segment, the whole path must match', () => {
  const r = router();
  assert.equal(r.match('GET', '/2015-03-31/functions/a/b'), undefined);
  assert.equal(r.match('GET', '/things//sub/y'), undefined);
  assert.equal(r.match('GET', '/prefix/2015-03-31/functions'), undefined);
  assert.equal(r.match('GET', '/2015-03-31/functionsX'), undefined);
  assert.equal(r.match('GET', '/'), undefined);
});

test('Router: the first matching route wins', () => {
  const r = new Router()
    .add({ method: 'GET', path: '/x/{id}', handler: h('param') })
    .add({ method: 'GET', path: '/x/special', handler: h('literal') });
  assert.equal(label(r.match('GET', '/x/special')), 'param');
});

test(
  'Router: malformed percent-encoding in a param does not throw',
  () => {
    const r = router();
    assert.doesNotThrow(() => r.match('GET', '/2015-03-31/functions/%E0%A4%A'));
  },
);

/** An IncomingMessage stand-in: a stream with headers. */
function message(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  const s = new PassThrough() as PassThrough & { headers: Record<string, string> };
  s.headers = headers;
  return s as unknown as PassThrough & IncomingMessage;
}

const tooLarge = (err: unknown) => err instanceof HearthError && err.code === 'RequestTooLargeException';

test('readBody collects the whole body', async () => {
  const m = message();
  const p = readBody(m, 100);
  m.write('hello ');
  m.write(Buffer.from('world'));
  m.end();
  assert.equal((await p).toString(), 'hello world');
});

test('readBody of an empty body is an empty buffer', async () => {
  const m = message({ 'content-length': '0' });
  const p = readBody(m, 100);
  m.end();
  const buf = await p;
  assert.ok(Buffer.isBuffer(buf));
  assert.equal(buf.length, 0);
});

test('readBody accepts exactly the limit', async () => {
  const m = message({ 'content-length': '10' });
  const p = readBody(m, 10);
  m.end('0123456789');
  assert.equal((await p).toString(), '0123456789');
});

test('readBody rejects a declared content-length over the limit without reading', async () => {
  const m = message({ 'content-length': '11' });
  await assert.rejects(readBody(m, 10), (err: unknown) => tooLarge(err) && /smaller than 10 bytes/.test((err as Error).message));
});

test('readBody rejects a streamed body that grows past the limit (no content-length)', async () => {
  const m = message();
  const p = readBody(m, 10);
  m.write('012345');
  m.write('6789');
  m.write('X');
  m.end();
  await assert.rejects(p, tooLarge);
});

test('readBody rejects a body that lies about its content-length', async () => {
  const m = message({ 'content-length': '5' });
  const p = readBody(m, 8);
  m.end('0123456789');
  await assert.rejects(p, tooLarge);
});

test('readBody propagates stream errors', async () => {
  const m = message();
  const p = readBody(m, 100);
  m.destroy(new Error('socket reset'));
  await assert.rejects(p, /socket reset/);
});
