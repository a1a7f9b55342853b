import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedKeepAlive, HybridHistogramKeepAlive, type KeepAlivePolicy, type KeepAliveWindows } from '../../../src/keepalive/index.js';
import { PoolManager } from '../../../src/pool/pool-manager.js';
import { FakeClock } from '../support/fake-clock.js';
import { asFake, FakeFactory, image, settle } from './fakes.js';

const MIN = 60_000;

function setup(keepAlivePolicy?: KeepAlivePolicy, keepAliveMs = 10 * MIN) {
  const clock = new FakeClock();
  const factory = new FakeFactory(clock);
  const manager = new PoolManager(factory.asFactory(), clock, { keepAliveMs, shutdownGraceMs: 100, keepAlivePolicy });
  manager.start();
  return { clock, factory, manager };
}

test('the reaper applies the policy’s window, not the configured keep-alive', async () => {
  const { clock, manager } = setup(new FixedKeepAlive(2000));
  const pool = manager.pool(image('f'));
  const env = (await pool.acquire()).env;
  pool.release(env);
  clock.advance(1000);
  assert.equal(asFake(env).retired, false);
  clock.advance(1000);
  assert.equal(asFake(env).retired, true, 'reaped at the policy’s 2 s, not the configured 10 min');
  await manager.shutdown();
});

/** Level 1 keeps 10 s; level 2 and up only 2 s. */
class ByLevel implements KeepAlivePolicy {
  readonly name = 'by-level';
  readonly seen: string[] = [];
  invoked(fn: string, _at: number, level: number) {
    this.seen.push(`+${fn}@${level}`);
  }
  finished(fn: string, _at: number, level: number) {
    this.seen.push(`-${fn}@${level}`);
  }
  windows(_fn: string, level: number): KeepAliveWindows {
    return { prewarmMs: 0, keepAliveMs: level === 1 ? 10_000 : 2000 };
  }
  forget() {}
}

test('each idle environment gets the window of its concurrency level; the pool reports levels', async () => {
  const policy = new ByLevel();
  const { clock, manager } = setup(policy);
  const pool = manager.pool(image('f'));
  const a = (await pool.acquire()).env;
  const b = (await pool.acquire()).env;
  pool.release(a); // level 2 ends: a is the extra environment…
  pool.release(b); // …and b, used last, the function's level 1
  assert.deepEqual(policy.seen, ['+f:$LATEST@1', '+f:$LATEST@2', '-f:$LATEST@2', '-f:$LATEST@1']);
  clock.advance(2000);
  assert.deepEqual([asFake(a).retired, asFake(b).retired], [true, false]);
  clock.advance(8000);
  assert.equal(asFake(b).retired, true);
  await manager.shutdown();
});

test('a learnt pre-warm window: the used environment goes at once and a fresh one is idle before the next call', async () => {
  const policy = new HybridHistogramKeepAlive({ fallbackMs: 10 * MIN });
  const { clock, factory, manager } = setup(policy);
  const pool = manager.pool(image('f'));
  // A timer-like function: a 1 s call every 30 minutes, learnt from the pool's own reports.
  for (let i = 0; i < 12; i++) {
    const { env } = await pool.acquire();
    clock.advance(1000);
    pool.release(env);
    await settle();
    clock.advance(30 * MIN - 1000);
    await settle();
  }
  const w = policy.windows('f:$LATEST', 1);
  assert.ok(w.prewarmMs > 20 * MIN && w.prewarmMs < 30 * MIN, `pre-warm window ${w.prewarmMs}`);

  const { env: used, cold } = await pool.acquire();
  assert.equal(cold, false, 'the previous period’s pre-warm served this call');
  clock.advance(1000);
  pool.release(used);
  const started = factory.started.length;
  clock.advance(1000);
  assert.equal(asFake(used).retired, true, 'released at the next reap: a fresh one will be loaded');
  await settle();
  clock.advance(w.prewarmMs - 1000);
  await settle();
  assert.equal(factory.started.length, started + 1, 'one environment loaded at the pre-warm time');
  const ahead = factory.started.at(-1)!;
  assert.equal(ahead.state, 'idle');
  clock.advance(30 * MIN - w.prewarmMs);
  const next = await pool.acquire();
  assert.deepEqual([next.env, next.cold], [ahead as unknown as typeof next.env, false]);
  await manager.shutdown();
  assert.equal(clock.pendingTimers, 0, 'shutdown cancels the reaper and any pre-warm');
});

test('an unused pre-warmed environment is reaped after its keep-alive window', async () => {
  const policy = new HybridHistogramKeepAlive({ fallbackMs: 10 * MIN });
  const { clock, factory, manager } = setup(policy);
  const pool = manager.pool(image('f'));
  for (let i = 0; i < 12; i++) {
    const { env } = await pool.acquire();
    pool.release(env);
    await settle();
    clock.advance(30 * MIN);
    await settle();
  }
  const w = policy.windows('f:$LATEST', 1);
  const ahead = factory.started.at(-1)!;
  assert.equal(ahead.state, 'idle', 'pre-warmed for a call that does not come');
  clock.advance(w.prewarmMs + w.keepAliveMs);
  assert.equal(ahead.retired, true);
  await settle();
  manager.reap();
  assert.equal(manager.environments('f').size, 0, 'nothing left once the window passed');
  await manager.shutdown();
});

/** Level 2 pre-warms (its used environment is released at once); levels 1 and 3 keep 10 s. */
class PrewarmAtTwo extends ByLevel {
  override windows(_fn: string, level: number): KeepAliveWindows {
    return level === 2 ? { prewarmMs: 60_000, keepAliveMs: 5000 } : { prewarmMs: 0, keepAliveMs: 10_000 };
  }
}

test('an idle environment keeps the level it was parked at: a level with window 0 reaps one environment, not the pool', async () => {
  const { clock, manager } = setup(new PrewarmAtTwo());
  const pool = manager.pool(image('f'));
  const [a, b, c] = [(await pool.acquire()).env, (await pool.acquire()).env, (await pool.acquire()).env];
  pool.release(a); // leaves level 3
  pool.release(b); // leaves level 2: released for the pre-warm
  pool.release(c); // leaves level 1
  clock.advance(1000);
  assert.deepEqual([asFake(a).retired, asFake(b).retired, asFake(c).retired], [false, true, false]);
  // Before sticky levels, a moved down to level 2 here and was reaped at the next tick.
  clock.advance(5000);
  assert.deepEqual([asFake(a).retired, asFake(c).retired], [false, false], 'still within level 3’s and level 1’s 10 s');
  clock.advance(4000);
  assert.deepEqual([asFake(a).retired, asFake(c).retired], [true, true]);
  await manager.shutdown();
});
