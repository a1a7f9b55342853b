import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/store/sqlite/database.js';
import { SqliteKv } from '../../../src/store/sqlite/sqlite-kv.js';

function kv(): SqliteKv {
  return new SqliteKv(openDatabase(':memory:'));
}

const keys = (entries: { key: string }[]) => entries.map((e) => e.key);

test('get of a missing key is undefined', () => {
  assert.equal(kv().get('nope'), undefined);
});

test('put creates at revision 1 and every write increments the revision', () => {
  const s = kv();
  assert.deepEqual(s.put('fn/a', { v: 1 }), { key: 'fn/a', value: { v: 1 }, revision: 1 });
  assert.deepEqual(s.get('fn/a'), { key: 'fn/a', value: { v: 1 }, revision: 1 });
  assert.equal(s.put('fn/a', { v: 2 })?.revision, 2);
  assert.equal(s.put('fn/a', { v: 3 })?.revision, 3);
  assert.deepEqual(s.get('fn/a'), { key: 'fn/a', value: { v: 3 }, revision: 3 });
});

test('values round-trip through JSON (strings, numbers, arrays, nested objects)', () => {
  const s = kv();
  s.put('s', 'text');
  s.put('n', 42);
  s.put('o', { a: [1, 'two', { three: null }], b: true });
  assert.equal(s.get<string>('s')?.value, 'text');
  assert.equal(s.get<number>('n')?.value, 42);
  assert.deepEqual(s.get('o')?.value, { a: [1, 'two', { three: null }], b: true });
});

test('compare-and-set: expectRevision 0 means the key must not exist', () => {
  const s = kv();
  assert.deepEqual(s.put('k', 'first', 0), { key: 'k', value: 'first', revision: 1 });
  assert.equal(s.put('k', 'second', 0), undefined, 'creating an existing key fails');
  assert.deepEqual(s.get('k'), { key: 'k', value: 'first', revision: 1 }, 'failed create changed nothing');
});

test('compare-and-set: a missing key at expectRevision > 0 fails', () => {
  const s = kv();
  assert.equal(s.put('k', 'v', 1), undefined);
  assert.equal(s.get('k'), undefined);
});

test('compare-and-set: current revision succeeds, stale revision fails and changes nothing', () => {
  const s = kv();
  s.put('k', 'v1');
  s.put('k', 'v2'); // revision 2
  assert.equal(s.put('k', 'stale', 1), undefined);
  assert.equal(s.put('k', 'future', 3), undefined);
  assert.deepEqual(s.get('k'), { key: 'k', value: 'v2', revision: 2 });
  assert.deepEqual(s.put('k', 'v3', 2), { key: 'k', value: 'v3', revision: 3 });
  assert.deepEqual(s.get('k'), { key: 'k', value: 'v3', revision: 3 });
});

test('delete removes the key and reports whether it existed; recreate starts at revision 1', () => {
  const s = kv();
  s.put('k', 1);
  s.put('k', 2);
  assert.equal(s.delete('k'), true);
  assert.equal(s.get('k'), undefined);
  assert.equal(s.delete('k'), false);
  assert.equal(s.put('k', 3, 0)?.revision, 1, 'a deleted key no longer exists for CAS');
});

test('list returns keys with the prefix in key order', () => {
  const s = kv();
  for (const k of ['fn/c', 'fn/a', 'fn/b', 'other/a', 'fm', 'fo']) s.put(k, k);
  const listed = s.list<string>({ prefix: 'fn/' });
  assert.deepEqual(keys(listed), ['fn/a', 'fn/b', 'fn/c']);
  assert.deepEqual(listed.map((e) => e.value), ['fn/a', 'fn/b', 'fn/c']);
  assert.ok(listed.every((e) => e.revision === 1));
});

test("list prefix 'fn/' does not return 'fn0', 'fn' or 'fn.' (siblings of the prefix)", () => {
  const s = kv();
  for (const k of ['fn', 'fn.', 'fn/', 'fn/x', 'fn/x/y', 'fn0', 'fn0/x', 'fn/\u00e9']) s.put(k, 1);
  assert.deepEqual(keys(s.list({ prefix: 'fn/' })), ['fn/', 'fn/x', 'fn/x/y', 'fn/\u00e9']);
});

test('list with after is an exclusive cursor and limit caps the page', () => {
  const s = kv();
  for (const k of ['p/1', 'p/2', 'p/3', 'p/4', 'p/5', 'q/1']) s.put(k, k);
  assert.deepEqual(keys(s.list({ prefix: 'p/', limit: 2 })), ['p/1', 'p/2']);
  assert.deepEqual(keys(s.list({ prefix: 'p/', after: 'p/2', limit: 2 })), ['p/3', 'p/4']);
  assert.deepEqual(keys(s.list({ prefix: 'p/', after: 'p/4', limit: 2 })), ['p/5']);
  assert.deepEqual(keys(s.list({ prefix: 'p/', after: 'p/5', limit: 2 })), []);
  // A cursor that is not itself a key still works.
  assert.deepEqual(keys(s.list({ prefix: 'p/', after: 'p/25' })), ['p/3', 'p/4', 'p/5']);
  // A cursor before the prefix range does not leak keys outside it.
  assert.deepEqual(keys(s.list({ prefix: 'p/', after: 'a' })), ['p/1', 'p/2', 'p/3', 'p/4', 'p/5']);
});

test('paging through a listing with after + limit visits every key exactly once', () => {
  const s = kv();
  const all = Array.from({ length: 23 }, (_, i) => `fn/${String(i).padStart(3, '0')}`);
  for (const k of [...all].reverse()) s.put(k, k);
  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = s.list({ prefix: 'fn/', after, limit: 5 });
    if (page.length === 0) break;
    seen.push(...keys(page));
    after = page[page.length - 1]!.key;
  }
  assert.deepEqual(seen, all);
});

test('list with an empty prefix lists everything in order', () => {
  const s = kv();
  for (const k of ['b', 'a', 'c/d']) s.put(k, 0);
  assert.deepEqual(keys(s.list({ prefix: '' })), ['a', 'b', 'c/d']);
});

test(
  'list includes keys whose character after the prefix is outside the BMP',
  () => {
    const s = kv();
    s.put('fn/a', 1);
    s.put('fn/\u{1F600}', 2);
    s.put('fn/\uffff', 3);
    assert.deepEqual(keys(s.list({ prefix: 'fn/' })), ['fn/a', 'fn/\uffff', 'fn/\u{1F600}']);
  },
);
