import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord, LogStore } from '../../../src/store/ports.js';
import { openDatabase } from '../../../src/store/sqlite/database.js';
import { SqliteLogStore } from '../../../src/store/sqlite/sqlite-log-store.js';
import { FunctionLogs } from '../../../src/telemetry/function-logs.js';
import { FakeClock } from '../support/fake-clock.js';

/** A LogStore that records every call. */
class RecordingStore implements LogStore {
  readonly appends: { fn: string; records: LogRecord[] }[] = [];
  readonly deleted: string[] = [];
  private nextId = 1;
  private readonly rows: (LogRecord & { id: number; fn: string })[] = [];

  append(fn: string, records: LogRecord[]): void {
    this.appends.push({ fn, records: [...records] });
    for (const r of records) this.rows.push({ ...r, fn, id: this.nextId++ });
  }

  read(fn: string, { since = 0, afterId = 0 }: { since?: number; afterId?: number; limit?: number }) {
    return this.rows.filter((r) => r.fn === fn && r.time >= since && r.id > afterId).map(({ fn: _fn, ...r }) => r);
  }

  deleteFunction(fn: string): void {
    this.deleted.push(fn);
  }
}

function setup(flushMs = 100) {
  const clock = new FakeClock(5_000);
  const store = new RecordingStore();
  const logs = new FunctionLogs(store, clock, flushMs);
  return { clock, store, logs };
}

test('append is batched: nothing reaches the store until the flush timer fires', () => {
  const { clock, store, logs } = setup(100);
  logs.append('f', 'one\n');
  clock.advance(10);
  logs.append('f', 'two\n');
  logs.append('g', 'g1\n');
  assert.equal(store.appends.length, 0);
  assert.equal(clock.pendingTimers, 1, 'one timer for the whole batch');
  clock.advance(89);
  assert.equal(store.appends.length, 0);
  clock.advance(1);
  assert.deepEqual(store.appends, [
    { fn: 'f', records: [{ time: 5_000, text: 'one\n' }, { time: 5_010, text: 'two\n' }] },
    { fn: 'g', records: [{ time: 5_010, text: 'g1\n' }] },
  ]);
  assert.equal(clock.pendingTimers, 0);
});

test('after a flush the next append arms a new timer', () => {
  const { clock, store, logs } = setup(50);
  logs.append('f', 'a');
  clock.advance(50);
  logs.append('f', 'b');
  assert.equal(clock.pendingTimers, 1);
  clock.advance(50);
  assert.deepEqual(store.appends.map((a) => a.records.map((r) => r.text)), [['a'], ['b']]);
});

test('empty text is ignored and arms no timer', () => {
  const { clock, store, logs } = setup();
  logs.append('f', '');
  assert.equal(clock.pendingTimers, 0);
  logs.flush();
  assert.equal(store.appends.length, 0);
});

test('flush() writes pending records now and cancels the timer', () => {
  const { clock, store, logs } = setup();
  logs.append('f', 'x');
  logs.flush();
  assert.equal(store.appends.length, 1);
  assert.equal(clock.pendingTimers, 0);
  clock.advance(1000);
  assert.equal(store.appends.length, 1, 'nothing written twice');
});

test('read flushes first so a reader sees everything appended before it asked', () => {
  const { store, logs } = setup();
  logs.append('f', 'first');
  logs.append('f', 'second');
  const out = logs.read('f', {});
  assert.deepEqual(out.map((r) => r.text), ['first', 'second']);
  assert.equal(store.appends.length, 1);
});

test('deleteFunction drops pending records of that function only', () => {
  const { store, logs } = setup();
  logs.append('f', 'gone');
  logs.append('g', 'kept');
  logs.deleteFunction('f');
  assert.deepEqual(store.deleted, ['f']);
  logs.flush();
  assert.deepEqual(store.appends.map((a) => a.fn), ['g']);
});

test('works end to end with SqliteLogStore', () => {
  const clock = new FakeClock(1_000);
  const logs = new FunctionLogs(new SqliteLogStore(openDatabase(':memory:')), clock);
  logs.append('f', 'START\n');
  clock.advance(5);
  logs.append('f', 'END\n');
  const out = logs.read('f', {});
  assert.deepEqual(out.map((r) => [r.time, r.text]), [[1_000, 'START\n'], [1_005, 'END\n']]);
  assert.deepEqual(logs.read('f', { afterId: out[1]!.id }), []);
});
