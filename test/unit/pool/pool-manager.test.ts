import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PoolManager } from '../../../src/pool/pool-manager.js';
import { FakeClock } from '../support/fake-clock.js';
import { asFake, FakeFactory, image, settle } from './fakes.js';

function setup(keepAliveMs = 10_000) {
  const clock = new FakeClock();
  const factory = new FakeFactory(clock);
  const manager = new PoolManager(factory.asFactory(), clock, { keepAliveMs, shutdownGraceMs: 100 });
  return { clock, factory, manager };
}

test('pool(image) returns one pool per image key', () => {
  const { manager } = setup();
  const a1 = manager.pool(image('a', 1));
  assert.equal(manager.pool(image('a', 1)), a1);
  assert.notEqual(manager.pool(image('a', 2)), a1);
  assert.notEqual(manager.pool(image('b', 1)), a1);
});

test('retireFunction retires the function’s other pools and keeps keepKey', async () => {
  const { manager } = setup();
  const old = manager.pool(image('f', 1));
  const current = manager.pool(image('f', 2));
  const other = manager.pool(image('g', 1));
  const oldEnv = (await old.acquire()).env;
  const currentEnv = (await current.acquire()).env;
  const otherEnv = (await other.acquire()).env;
  old.release(oldEnv);
  current.release(currentEnv);
  other.release(otherEnv);

  await manager.retireFunction('f', image('f', 2).key);
  assert.equal(asFake(oldEnv).retired, true);
  assert.equal(asFake(currentEnv).retired, false);
  assert.equal(asFake(otherEnv).retired, false);
  assert.equal(manager.pool(image('f', 2)), current, 'keepKey pool stays registered');
  assert.equal(manager.pool(image('g', 1)), other);
  assert.notEqual(manager.pool(image('f', 1)), old, 'a retired pool is forgotten');
  assert.equal((await current.acquire()).env, currentEnv, 'the kept pool still places warm');
});

test('retireFunction without keepKey retires every pool of the function', async () => {
  const { manager } = setup();
  const p1 = manager.pool(image('f', 1));
  const p2 = manager.pool(image('f', 2));
  const e1 = (await p1.acquire()).env;
  const e2 = (await p2.acquire()).env;
  p1.release(e1);
  p2.release(e2);
  await manager.retireFunction('f');
  assert.equal(asFake(e1).retired, true);
  assert.equal(asFake(e2).retired, true);
  assert.equal(manager.environments('f').size, 0);
});

test('reap applies keepAliveMs to every pool and forgets pools that became empty', async () => {
  const { clock, manager } = setup(5000);
  const pool = manager.pool(image('f', 1));
  const env = (await pool.acquire()).env;
  pool.release(env);
  clock.advance(4999);
  manager.reap();
  assert.equal(asFake(env).retired, false);
  clock.advance(1);
  manager.reap();
  assert.equal(asFake(env).retired, true);
  await settle();
  manager.reap();
  assert.notEqual(manager.pool(image('f', 1)), pool, 'the empty pool was dropped');
});

test('start() reaps on a timer driven by the clock; shutdown() stops it and retires everything', async () => {
  const { clock, manager } = setup(10_000); // ticks every 1000 ms
  manager.start();
  const pool = manager.pool(image('f', 1));
  const idle = (await pool.acquire()).env;
  const busy = (await pool.acquire()).env;
  pool.release(idle);
  asFake(busy).state = 'busy';
  clock.advance(9_000);
  assert.equal(asFake(idle).retired, false);
  clock.advance(1_000);
  assert.equal(asFake(idle).retired, true, 'reaped by the timer at keepAlive');
  assert.equal(clock.pendingTimers, 1, 'the reaper re-arms itself');
  await manager.shutdown();
  assert.equal(clock.pendingTimers, 0, 'shutdown cancels the reaper');
  assert.equal(asFake(busy).retired, true);
});

test('environments() sums counts by function name across its pools', async () => {
  const { manager } = setup();
  const p1 = manager.pool(image('f', 1));
  const p2 = manager.pool(image('f', 2));
  const pg = manager.pool(image('g', 1));
  p1.release((await p1.acquire()).env);
  asFake((await p2.acquire()).env).state = 'busy';
  p2.release((await p2.acquire()).env);
  await pg.acquire();
  const all = manager.environments();
  assert.deepEqual(all.get('f'), { initializing: 0, idle: 2, busy: 1, retiring: 0, gone: 0, provisioned: 0 });
  assert.deepEqual(all.get('g'), { initializing: 1, idle: 0, busy: 0, retiring: 0, gone: 0, provisioned: 0 });
  assert.deepEqual([...manager.environments('g').keys()], ['g']);
});

test('retireVersion retires only that version’s pools; the function’s other versions keep theirs', async () => {
  const { manager } = setup();
  const version = (v: string, revision: number) => ({ ...image('f', revision), key: `f:${v}:${revision}`, version: v });
  const latestOld = manager.pool(version('$LATEST', 1));
  const latestNew = manager.pool(version('$LATEST', 2));
  const v1 = manager.pool(version('1', 1));
  const envs = [];
  for (const p of [latestOld, latestNew, v1]) {
    const e = (await p.acquire()).env;
    p.release(e);
    envs.push(e);
  }
  await manager.retireVersion('f', '$LATEST');
  assert.deepEqual(envs.map((e) => asFake(e).retired), [true, true, false]);
  assert.equal(manager.pool(version('1', 1)), v1, 'the published version’s pool stays');
  assert.equal((await v1.acquire()).env, envs[2], 'and still places warm');
});
