import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionPool } from '../../../src/pool/function-pool.js';
import { InitError } from '../../../src/pool/environment.js';
import { FakeClock } from '../support/fake-clock.js';
import { asFake, FakeFactory, image, settle } from './fakes.js';

const GRACE = 250;

function setup() {
  const clock = new FakeClock();
  const factory = new FakeFactory(clock);
  const pool = new FunctionPool(image(), factory.asFactory(), clock, GRACE);
  return { clock, factory, pool };
}

test('acquire with nothing idle starts a new environment for the image (cold)', async () => {
  const { factory, pool } = setup();
  const p = await pool.acquire();
  assert.equal(p.cold, true);
  assert.equal(factory.started.length, 1);
  assert.equal(asFake(p.env), factory.started[0]);
  assert.equal(factory.started[0]!.image, pool.image);
});

test('release parks the environment and the next acquire reuses it (warm)', async () => {
  const { clock, factory, pool } = setup();
  const { env } = await pool.acquire();
  clock.advance(1234);
  pool.release(env);
  assert.equal(env.state, 'idle');
  assert.equal(env.lastUsed, clock.now());
  const again = await pool.acquire();
  assert.equal(again.env, env);
  assert.equal(again.cold, false);
  assert.equal(factory.started.length, 1);
});

test('simultaneous requests get one environment each', async () => {
  const { factory, pool } = setup();
  const placed = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
  assert.equal(factory.started.length, 3);
  assert.equal(new Set(placed.map((p) => p.env)).size, 3);
  assert.ok(placed.every((p) => p.cold));
});

test('acquire takes the most recently used idle environment first (LIFO)', async () => {
  const { clock, factory, pool } = setup();
  const a = (await pool.acquire()).env;
  const b = (await pool.acquire()).env;
  const c = (await pool.acquire()).env;
  pool.release(b);
  clock.advance(10);
  pool.release(a);
  clock.advance(10);
  pool.release(c);
  assert.equal((await pool.acquire()).env, c);
  assert.equal((await pool.acquire()).env, a);
  assert.equal((await pool.acquire()).env, b);
  const fresh = await pool.acquire();
  assert.equal(fresh.cold, true);
  assert.equal(factory.started.length, 4);
});

test('an idle environment that died while parked is skipped', async () => {
  const { factory, pool } = setup();
  const a = (await pool.acquire()).env;
  const b = (await pool.acquire()).env;
  pool.release(a);
  pool.release(b);
  asFake(b).die();
  const next = await pool.acquire();
  assert.equal(next.env, a, 'the dead one is dropped, the next idle one used');
  const fresh = await pool.acquire();
  assert.equal(fresh.cold, true);
  assert.equal(factory.started.length, 3);
});

test('release of a gone environment (timeout, crash) does not park it', async () => {
  const { factory, pool } = setup();
  const { env } = await pool.acquire();
  asFake(env).die();
  pool.release(env);
  assert.equal(env.state, 'gone');
  assert.equal(asFake(env).served, 0, 'not parked');
  const next = await pool.acquire();
  assert.notEqual(next.env, env);
  assert.equal(factory.started.length, 2);
});

test('a failed Init rejects with InitError and leaves nothing behind', async () => {
  const { factory, pool } = setup();
  factory.failNext = 1;
  await assert.rejects(pool.acquire(), InitError);
  await settle();
  assert.equal(pool.isEmpty, true);
  const ok = await pool.acquire();
  assert.equal(ok.cold, true);
  assert.equal(factory.started.length, 2);
});

test('reap retires environments idle for at least keepAlive and keeps younger ones', async () => {
  const { clock, pool } = setup();
  const old = (await pool.acquire()).env;
  const exact = (await pool.acquire()).env;
  const young = (await pool.acquire()).env;
  pool.release(old); // t0
  clock.advance(1000);
  pool.release(exact); // t0 + 1000
  clock.advance(4000);
  pool.release(young); // t0 + 5000
  clock.advance(5000); // now t0 + 10000
  assert.equal(pool.reap(9000), 2, 'idle 10000 ms and exactly 9000 ms both go');
  assert.equal(asFake(old).retired, true);
  assert.equal(asFake(exact).retired, true);
  assert.deepEqual(asFake(old).retireCalls, [GRACE]);
  assert.equal(asFake(young).retired, false);
  assert.equal(young.state, 'idle');
  // The survivor is still placed.
  assert.equal((await pool.acquire()).env, young);
});

test('reap returns 0 and retires nothing when all are young; busy environments are never reaped', async () => {
  const { clock, pool } = setup();
  const a = (await pool.acquire()).env;
  const busy = (await pool.acquire()).env;
  pool.release(a);
  clock.advance(100);
  assert.equal(pool.reap(1000), 0);
  clock.advance(10_000);
  assert.equal(pool.reap(1000), 1);
  assert.equal(asFake(busy).retired, false);
});

test('counts and isEmpty follow the environments', async () => {
  const { pool } = setup();
  assert.equal(pool.isEmpty, true);
  const a = (await pool.acquire()).env;
  const b = (await pool.acquire()).env;
  pool.release(a);
  asFake(b).state = 'busy';
  assert.deepEqual(pool.counts(), { initializing: 0, idle: 1, busy: 1, retiring: 0, gone: 0, provisioned: 0 });
  assert.equal(pool.isEmpty, false);
  await pool.destroy();
  await settle();
  assert.equal(pool.isEmpty, true);
  assert.deepEqual(pool.counts(), { initializing: 0, idle: 0, busy: 0, retiring: 0, gone: 0, provisioned: 0 });
});

test('retire() retires idle environments now and stops placing them', async () => {
  const { factory, pool } = setup();
  const a = (await pool.acquire()).env;
  const b = (await pool.acquire()).env;
  pool.release(a);
  pool.release(b);
  await pool.retire();
  assert.equal(asFake(a).retired, true);
  assert.equal(asFake(b).retired, true);
  const next = await pool.acquire();
  assert.notEqual(next.env, a);
  assert.notEqual(next.env, b);
  assert.equal(factory.started.length, 3);
});

test('release after retire() retires the environment that was busy during retire', async () => {
  const { pool } = setup();
  const busy = (await pool.acquire()).env;
  asFake(busy).state = 'busy';
  const retired = pool.retire();
  assert.equal(asFake(busy).retired, false, 'a busy environment finishes its request');
  await retired;
  pool.release(busy);
  assert.equal(asFake(busy).retired, true);
  assert.deepEqual(asFake(busy).retireCalls, [GRACE]);
  assert.equal(asFake(busy).served, 0, 'never parked');
});

test('an environment started after retire() does not outlive its request', async () => {
  const { pool } = setup();
  await pool.retire();
  const late = (await pool.acquire()).env;
  pool.release(late);
  assert.equal(asFake(late).retired, true);
  await settle();
  assert.equal(pool.isEmpty, true);
});

test('destroy retires every environment, busy ones included', async () => {
  const { pool } = setup();
  const idle = (await pool.acquire()).env;
  const busy = (await pool.acquire()).env;
  pool.release(idle);
  asFake(busy).state = 'busy';
  await pool.destroy();
  assert.equal(asFake(idle).retired, true);
  assert.equal(asFake(busy).retired, true);
});
