import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRouteKey, parseRouteKey, type StoredRoute } from '../../../src/control/index.js';
import { RouteMatcher } from '../../../src/gateway/index.js';

const route = (routeKey: string, functionName = routeKey): StoredRoute => ({ routeId: routeKey, routeKey, functionName, created: 0 });

describe('route matching', () => {
  const m = new RouteMatcher([
    route('GET /users/{id}'),
    route('GET /users/me'),
    route('ANY /users/{id}'),
    route('ANY /{proxy+}'),
    route('GET /users/{id}/files/{path+}'),
    route('POST /'),
  ]);
  const hit = (method: string, path: string) => {
    const r = m.match(method, path);
    return r && { key: r.route.routeKey, params: r.pathParameters };
  };

  it('prefers static segments over {param} over {proxy+}', () => {
    assert.deepEqual(hit('GET', '/users/me'), { key: 'GET /users/me', params: undefined });
    assert.deepEqual(hit('GET', '/users/42'), { key: 'GET /users/{id}', params: { id: '42' } });
    assert.deepEqual(hit('GET', '/other/thing'), { key: 'ANY /{proxy+}', params: { proxy: 'other/thing' } });
  });

  it('prefers a named method over ANY', () => {
    assert.deepEqual(hit('DELETE', '/users/42'), { key: 'ANY /users/{id}', params: { id: '42' } });
  });

  it('captures the rest of the path in a greedy parameter, decoded', () => {
    assert.deepEqual(hit('GET', '/users/7/files/a/b%20c.txt'), { key: 'GET /users/{id}/files/{path+}', params: { id: '7', path: 'a/b c.txt' } });
  });

  it('matches the root and ignores one trailing slash; a greedy parameter needs a segment', () => {
    assert.deepEqual(hit('POST', '/'), { key: 'POST /', params: undefined });
    assert.deepEqual(hit('GET', '/users/42/'), { key: 'GET /users/{id}', params: { id: '42' } });
    assert.equal(hit('GET', '/'), undefined);
  });

  it('falls back to $default when nothing else matches', () => {
    const d = new RouteMatcher([route('GET /a'), route('$default')]);
    assert.equal(d.match('GET', '/a')!.route.routeKey, 'GET /a');
    assert.equal(d.match('PUT', '/zzz')!.route.routeKey, '$default');
  });

  it('parses route keys and refuses what cannot be matched', () => {
    assert.equal(formatRouteKey(parseRouteKey('get   /users/{id}')), 'GET /users/{id}');
    for (const bad of ['GET users', 'FETCH /a', 'GET /{proxy+}/x', 'GET /a//b', 'GET /{a}/{a}', 'GET /a{b}']) {
      assert.throws(() => parseRouteKey(bad), /InvalidParameterValue|Route|route/, bad);
    }
  });
});
