import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PoolManager } from '../../../src/pool/pool-manager.js';
import { FakeClock } from '../support/fake-clock.js';
import { asFake, FakeFactory, image, settle } from './fakes.js';

function setup(capacityMb?: number) {
  const clock = new FakeClock();
  const factory = new FakeFactory(clock);
  const manager = new PoolManager(factory.asFactory(), clock, { keepAliveMs: 1000, shutdownGraceMs: 0, capacityMb });
  return { clock, factory, manager };
}

const v1 = () => ({ ...image('p'), version: '1', key: 'p:1' });

test('provisioning starts N environments ahead of traffic, marked provisioned-concurrency', async () => {
  const { factory, manager } = setup();
  const pool = manager.provision(v1(), 3);
  assert.equal(pool.provisionedStatus().status, 'IN_PROGRESS');
  await settle();
  assert.deepEqual(factory.kinds, ['provisioned-concurrency', 'provisioned-concurrency', 'provisioned-concurrency']);
  assert.deepEqual(pool.provisionedStatus(), { requested: 3, allocated: 3, available: 3, status: 'READY' });
  assert.equal(pool.counts().provisioned, 3);
});

test('requests take provisioned environments warm; traffic beyond N spills to on-demand', async () => {
  const { factory, manager } = setup();
  const pool = manager.provision(v1(), 2);
  await settle();
  const a = await pool.acquire();
  const b = await pool.acquire();
  assert.equal(a.cold, false, 'no Init on the request path');
  assert.equal(b.cold, false);
  assert.equal(pool.provisionedStatus().available, 0);
  const c = await pool.acquire();
  assert.equal(c.cold, true, 'the third request starts an on-demand environment');
  assert.equal(factory.kinds[2], 'on-demand');
  pool.release(a.env);
  assert.equal(pool.provisionedStatus().available, 1);
});

test('provisioned environments are never reclaimed for idleness, on-demand ones are', async () => {
  const { clock, manager } = setup();
  const pool = manager.provision(v1(), 1);
  await settle();
  const p = await pool.acquire();
  const o = await pool.acquire();
  pool.release(p.env);
  pool.release(o.env);
  clock.advance(60_000);
  manager.reap();
  assert.equal(asFake(o.env).retired, true);
  assert.equal(asFake(p.env).retired, false);
  assert.equal(pool.provisionedStatus().status, 'READY');
});

test('a provisioned environment that dies is replaced', async () => {
  const { factory, manager } = setup();
  const pool = manager.provision(v1(), 1);
  await settle();
  asFake((await pool.acquire()).env).die();
  await settle();
  await settle();
  assert.equal(factory.started.length, 2);
  assert.equal(pool.provisionedStatus().allocated, 1);
});

test('lowering the target retires the extra idle environments; 0 lets the pool go', async () => {
  const { factory, manager } = setup();
  const pool = manager.provision(v1(), 2);
  await settle();
  pool.setProvisioned(1);
  assert.equal(factory.started.filter((e) => e.retired).length, 1);
  assert.equal(pool.provisionedStatus().allocated, 1);
  pool.setProvisioned(0);
  await settle();
  assert.equal(pool.provisionedStatus().allocated, 0);
  manager.reap();
  assert.notEqual(manager.pool(v1()), pool, 'an empty pool without a target is dropped');
});

test('an Init failure marks the configuration FAILED with the reason', async () => {
  const { factory, manager } = setup();
  factory.failNext = 1;
  const pool = manager.provision(v1(), 1);
  await settle();
  const s = pool.provisionedStatus();
  assert.equal(s.status, 'FAILED');
  assert.match(s.reason ?? '', /FUNCTION_ERROR_INIT_FAILED/);
});

test('provisioning waits for capacity, evicting idle on-demand environments of others', async () => {
  const { manager } = setup(256);
  const other = manager.pool(image('other'));
  const e = (await other.acquire()).env;
  other.release(e);
  const busy = await manager.pool(image('busy')).acquire();
  const pool = manager.provision(v1(), 1);
  await settle();
  assert.equal(asFake(e).retired, true, 'the idle environment made room');
  assert.equal(pool.provisionedStatus().status, 'READY');
  assert.ok(busy);
});
