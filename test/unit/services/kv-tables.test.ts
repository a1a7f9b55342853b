import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../../src/common/index.js';
import { KvTables } from '../../../src/services/index.js';
import { openDatabase, SqliteKv } from '../../../src/store/index.js';
import { FakeClock } from '../support/fake-clock.js';

function tables() {
  const clock = new FakeClock();
  const kv = new SqliteKv(openDatabase(':memory:'));
  return { t: new KvTables(kv, clock), kv, clock };
}

const failsWith = (code: string) => (err: unknown) => err instanceof HearthError && err.code === code;

test('put, get and delete an item; versions count writes', () => {
  const { t, kv } = tables();
  assert.equal(t.get('orders', 'a'), undefined);
  assert.deepEqual(t.put('orders', 'a', { n: 1 }), { table: 'orders', key: 'a', value: { n: 1 }, version: 1 });
  assert.equal(t.put('orders', 'a', { n: 2 }).version, 2);
  assert.deepEqual(t.get('orders', 'a'), { table: 'orders', key: 'a', value: { n: 2 }, version: 2 });
  assert.ok(kv.get('kvt/orders/a'), 'stored in the Kv port under kvt/TABLE/KEY');
  assert.equal(t.delete('orders', 'a'), true);
  assert.equal(t.delete('orders', 'a'), false);
  assert.equal(t.get('orders', 'a'), undefined);
});

test('ifAbsent writes only a new item; ifVersion only at that version', () => {
  const { t } = tables();
  assert.equal(t.put('t', 'k', 'first', { ifAbsent: true }).version, 1);
  assert.throws(() => t.put('t', 'k', 'second', { ifAbsent: true }), failsWith('ConditionalCheckFailedException'));
  assert.throws(() => t.put('t', 'k', 'stale', { ifVersion: 2 }), /at version 1, not at version 2/);
  assert.equal(t.put('t', 'k', 'next', { ifVersion: 1 }).version, 2);
  assert.throws(() => t.put('t', 'missing', 'x', { ifVersion: 1 }), /absent/);
  assert.equal(t.get('t', 'k')?.value, 'next', 'failed conditions wrote nothing');
  assert.throws(() => t.put('t', 'k', 1, { ifAbsent: true, ifVersion: 2 }), failsWith('InvalidParameterValueException'));
});

test('an item with a TTL reads as absent once expired (also for ifAbsent), and the sweep deletes it', () => {
  const { t, kv, clock } = tables();
  const item = t.put('s', 'session', { user: 1 }, { ttlSeconds: 60 });
  assert.equal(item.expiresAt, clock.now() + 60_000);
  clock.advance(59_999);
  assert.deepEqual(t.get('s', 'session')?.value, { user: 1 });
  clock.advance(1);
  assert.equal(t.get('s', 'session'), undefined);
  assert.deepEqual(t.list('s').items, []);
  assert.deepEqual(t.put('s', 'session', { user: 2 }, { ifAbsent: true }).value, { user: 2 }, 'an expired item does not block ifAbsent');
  t.put('s', 'other', 1, { ttlSeconds: 1 });
  assert.ok(kv.get('kvt/s/other'));
  clock.advance(1000);
  assert.equal(t.sweep(), 1);
  assert.equal(kv.get('kvt/s/other'), undefined, 'the sweep removed the expired item from the store');
  assert.ok(t.get('s', 'session'), 'an item without a TTL stays');
});

test('the periodic sweep runs on the Clock', () => {
  const { t, kv, clock } = tables();
  t.put('s', 'a', 1, { ttlSeconds: 5 });
  t.start();
  clock.advance(60_000);
  assert.equal(kv.get('kvt/s/a'), undefined);
  t.stop();
});

test('increment starts at 0, adds atomically, keeps the TTL and refuses non-numbers', () => {
  const { t } = tables();
  assert.equal(t.increment('c', 'hits').value, 1);
  assert.equal(t.increment('c', 'hits', 5).value, 6);
  assert.equal(t.increment('c', 'hits', -2).value, 4);
  t.put('c', 'ttl', 10, { ttlSeconds: 30 });
  const bumped = t.increment('c', 'ttl');
  assert.equal(bumped.value, 11);
  assert.ok(bumped.expiresAt);
  t.put('c', 'text', 'abc');
  assert.throws(() => t.increment('c', 'text'), failsWith('ValidationException'));
});

test('list by prefix pages with a continuation token and skips expired items', () => {
  const { t, clock } = tables();
  for (let i = 0; i < 7; i++) t.put('l', `user#${i}`, i);
  t.put('l', 'order#1', 'x');
  t.put('other', 'user#9', 'not this table');
  t.put('l', 'user#3', 'dies', { ttlSeconds: 1 });
  clock.advance(1000);
  const seen: string[] = [];
  let next: string | undefined;
  let pages = 0;
  do {
    const page = t.list('l', { prefix: 'user#', limit: 2, next });
    assert.ok(page.items.length <= 2);
    seen.push(...page.items.map((i) => i.key));
    next = page.next;
    pages++;
  } while (next);
  assert.deepEqual(seen, ['user#0', 'user#1', 'user#2', 'user#4', 'user#5', 'user#6']);
  assert.equal(pages, 3);
  assert.deepEqual(t.list('l').items.map((i) => i.key)[0], 'order#1');
  assert.throws(() => t.list('l', { limit: 0 }), failsWith('InvalidParameterValueException'));
  assert.throws(() => t.list('l', { next: 'not a token!' }), failsWith('InvalidParameterValueException'));
});

test('names, keys and values are checked', () => {
  const { t } = tables();
  assert.throws(() => t.put('bad/table', 'k', 1), failsWith('InvalidParameterValueException'));
  assert.throws(() => t.put('t', '', 1), failsWith('InvalidParameterValueException'));
  assert.throws(() => t.put('t', 'k', 'x'.repeat(400 * 1024)), failsWith('ValidationException'));
  assert.throws(() => t.put('t', 'k', 1, { ttlSeconds: 0 }), failsWith('InvalidParameterValueException'));
});
