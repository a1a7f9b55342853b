import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../../src/common/index.js';
import { PoolManager } from '../../../src/pool/pool-manager.js';
import { FakeClock } from '../support/fake-clock.js';
import { asFake, FakeFactory, image, settle } from './fakes.js';

function setup(opts: { capacityMb?: number; scale?: number } = {}) {
  const clock = new FakeClock();
  const factory = new FakeFactory(clock);
  const manager = new PoolManager(factory.asFactory(), clock, {
    keepAliveMs: 600_000,
    shutdownGraceMs: 0,
    capacityMb: opts.capacityMb,
    scaleRate: opts.scale ? { environments: opts.scale, periodMs: 10_000 } : undefined,
  });
  return { clock, factory, manager };
}

async function throttleReason(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => assert.fail('expected a 429'), (e: unknown) => e);
  assert.ok(err instanceof HearthError && err.code === 'TooManyRequestsException', String(err));
  return err.extra.Reason as string;
}

test('a full node evicts the least recently used idle environments of other functions', async () => {
  const { clock, manager } = setup({ capacityMb: 256 });
  const a = manager.pool(image('a'));
  const b = manager.pool(image('b'));
  const c = manager.pool(image('c'));
  const ea = (await a.acquire()).env;
  a.release(ea);
  clock.advance(1000);
  const eb = (await b.acquire()).env;
  b.release(eb);
  assert.equal(manager.usedMb(), 256);
  await c.acquire();
  assert.equal(asFake(ea).retired, true, 'a was idle longest: evicted');
  assert.equal(asFake(eb).retired, false, 'b stays');
  await settle();
  assert.equal(manager.usedMb(), 256);
});

test('busy environments are never evicted: a full node of busy work throttles', async () => {
  const { manager } = setup({ capacityMb: 256 });
  await manager.pool(image('a')).acquire();
  await manager.pool(image('b')).acquire();
  assert.equal(await throttleReason(manager.pool(image('c')).acquire()), 'ConcurrentInvocationLimitExceeded');
});

test('evicts only when the eviction actually makes room', async () => {
  const { manager } = setup({ capacityMb: 384 });
  const big = { ...image('big'), memoryMb: 256 };
  const a = manager.pool(image('a'));
  const ea = (await a.acquire()).env;
  a.release(ea); // 128 idle
  await manager.pool(image('b')).acquire(); // 128 busy
  await manager.pool(image('c')).acquire(); // 128 busy
  assert.equal(await throttleReason(manager.pool(big).acquire()), 'ConcurrentInvocationLimitExceeded');
  assert.equal(asFake(ea).retired, false, 'freeing 128 MB would not fit 256 MB: nothing evicted');
});

test('each function starts at most its scale rate of new environments', async () => {
  const { clock, manager } = setup({ scale: 2 });
  const a = manager.pool(image('a'));
  await a.acquire();
  await a.acquire();
  assert.equal(await throttleReason(a.acquire()), 'FunctionInvocationRateLimitExceeded');
  // Another function has its own bucket.
  await manager.pool(image('b')).acquire();
  // Warm reuse needs no token.
  const e = (await manager.pool(image('b')).acquire()).env;
  manager.pool(image('b')).release(e);
  await manager.pool(image('b')).acquire();
  clock.advance(5000);
  await a.acquire();
});

test('a pre-warm never evicts: it only uses free room', async () => {
  const { factory, manager } = setup({ capacityMb: 128 });
  const a = manager.pool(image('a'));
  const ea = (await a.acquire()).env;
  a.release(ea);
  await manager.pool(image('b')).prewarm();
  assert.equal(asFake(ea).retired, false);
  assert.equal(factory.started.length, 1);
});

test('pre-spawned generic environments never block a real one: they are shed after it starts', async () => {
  const clock = new FakeClock();
  const factory = new FakeFactory(clock);
  let reserved = 256;
  const shed: number[] = [];
  const manager = new PoolManager(factory.asFactory(), clock, {
    keepAliveMs: 600_000,
    shutdownGraceMs: 0,
    capacityMb: 256,
    reservedMb: () => reserved,
    shedReserved: (mb) => {
      shed.push(mb);
      reserved -= mb;
    },
  });
  assert.equal(manager.hasRoom(128), false, 'no free room for speculative starts');
  await manager.pool(image('a')).acquire();
  assert.deepEqual(shed, [], 'not shed before the start (it may take a generic environment)');
  clock.advance(0);
  assert.deepEqual(shed, [128], 'then exactly the overshoot is shed');
  assert.equal(manager.usedMb(), 256);
});
