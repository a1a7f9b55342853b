import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/store/sqlite/database.js';
import { SqliteLogStore } from '../../../src/store/sqlite/sqlite-log-store.js';

const texts = (records: { text: string }[]) => records.map((r) => r.text);

function records(n: number, from = 0, time = (i: number) => 1000 + i) {
  return Array.from({ length: n }, (_, i) => ({ time: time(from + i), text: `line ${from + i}` }));
}

test('append then read returns records oldest first with increasing ids', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'));
  s.append('f', [{ time: 10, text: 'a' }, { time: 20, text: 'b' }]);
  s.append('f', [{ time: 30, text: 'c' }]);
  const out = s.read('f', {});
  assert.deepEqual(texts(out), ['a', 'b', 'c']);
  assert.deepEqual(out.map((r) => r.time), [10, 20, 30]);
  assert.ok(out[0]!.id < out[1]!.id && out[1]!.id < out[2]!.id);
});

test('read is per function', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'));
  s.append('f', [{ time: 1, text: 'f1' }]);
  s.append('g', [{ time: 1, text: 'g1' }]);
  assert.deepEqual(texts(s.read('f', {})), ['f1']);
  assert.deepEqual(texts(s.read('g', {})), ['g1']);
  assert.deepEqual(s.read('h', {}), []);
});

test('read since filters by time (inclusive)', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'));
  s.append('f', [{ time: 100, text: 'a' }, { time: 200, text: 'b' }, { time: 300, text: 'c' }]);
  assert.deepEqual(texts(s.read('f', { since: 200 })), ['b', 'c']);
  assert.deepEqual(texts(s.read('f', { since: 301 })), []);
});

test('read afterId is an exclusive cursor; limit caps the page', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'));
  s.append('f', records(5));
  const first = s.read('f', { limit: 2 });
  assert.deepEqual(texts(first), ['line 0', 'line 1']);
  const next = s.read('f', { afterId: first[1]!.id, limit: 2 });
  assert.deepEqual(texts(next), ['line 2', 'line 3']);
  const rest = s.read('f', { afterId: next[1]!.id });
  assert.deepEqual(texts(rest), ['line 4']);
  assert.deepEqual(s.read('f', { afterId: rest[0]!.id }), []);
});

test('since and afterId combine', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'));
  s.append('f', records(6, 0, (i) => i * 10)); // times 0..50
  const all = s.read('f', {});
  assert.deepEqual(texts(s.read('f', { since: 20, afterId: all[3]!.id })), ['line 4', 'line 5']);
});

test('retention keeps only the newest retainPerFunction records of a function', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'), 10);
  s.append('f', records(25));
  const out = s.read('f', {});
  assert.deepEqual(texts(out), records(10, 15).map((r) => r.text));
});

test('retention trims across many small appends (bounded overshoot of a tenth)', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'), 20); // trims every 2 records
  for (let i = 0; i < 50; i++) s.append('f', [{ time: i, text: `line ${i}` }]);
  const out = s.read('f', {});
  assert.ok(out.length >= 20 && out.length <= 22, `kept ${out.length}`);
  assert.equal(out[out.length - 1]!.text, 'line 49');
  // Exactly at a trim point (50 appends = 25 trims of 2) the store holds exactly the retention.
  assert.deepEqual(texts(out), Array.from({ length: 20 }, (_, i) => `line ${30 + i}`));
});

test('retention is per function: trimming one function leaves others alone', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'), 5);
  s.append('g', records(4));
  s.append('f', records(30));
  assert.equal(s.read('f', {}).length, 5);
  assert.deepEqual(texts(s.read('g', {})), ['line 0', 'line 1', 'line 2', 'line 3']);
});

test('deleteFunction removes only that function’s records', () => {
  const s = new SqliteLogStore(openDatabase(':memory:'));
  s.append('f', records(3));
  s.append('g', records(2));
  s.deleteFunction('f');
  assert.deepEqual(s.read('f', {}), []);
  assert.equal(s.read('g', {}).length, 2);
  s.deleteFunction('never-existed');
  s.append('f', [{ time: 1, text: 'again' }]);
  assert.deepEqual(texts(s.read('f', {})), ['again']);
});
