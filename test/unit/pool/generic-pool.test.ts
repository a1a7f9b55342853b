/**
 * GenericPool's policy with a fake spawner and a fake clock: refill in the background,
 * each generic environment taken at most once (so never by two functions), memory tiers,
 * eligibility, shutdown. The real processes are covered by test/integration/prewarm.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Environment } from '../../../src/pool/environment.js';
import type { FunctionImage } from '../../../src/pool/function-image.js';
import type { GenericHandle } from '../../../src/pool/generic-environment.js';
import { GenericPool, type GenericSpawner } from '../../../src/pool/generic-pool.js';
import { FakeClock } from '../support/fake-clock.js';

const RT = 'nodejs20.x';
const SPAWN_ENV = { NODE_PATH: '/opt/nodejs/node_modules', LANG: 'en_US.UTF-8', TZ: ':UTC', HEARTH_GENERIC: '1' };

class FakeHandle implements GenericHandle {
  readonly spawnEnv = SPAWN_ENV;
  readonly standby: Promise<void>;
  readonly closed: Promise<void>;
  assignedTo: string[] = [];
  killed = false;
  private up!: () => void;
  private fail!: (e: Error) => void;
  private gone!: () => void;
  private dead = false;

  constructor(
    readonly id: string,
    readonly runtime: string,
    readonly memoryMb: number,
  ) {
    this.standby = new Promise((ok, fail) => ((this.up = ok), (this.fail = fail)));
    this.standby.catch(() => undefined);
    this.closed = new Promise((ok) => (this.gone = ok));
  }
  /** The process reports standby (or dies before it). */
  settle(ok = true): void {
    if (ok) this.up();
    else {
      this.exit();
      this.fail(new Error('died'));
    }
  }
  exit(): void {
    this.dead = true;
    this.gone();
  }
  alive(): boolean {
    return !this.dead;
  }
  heldMb(): number {
    return 128;
  }
  assign(image: FunctionImage): Environment {
    this.assignedTo.push(image.name);
    return { id: this.id, image: image.name } as unknown as Environment;
  }
  kill(): void {
    this.killed = true;
    this.exit();
  }
}

class FakeSpawner implements GenericSpawner<FakeHandle> {
  spawned: FakeHandle[] = [];
  failNext = 0;
  entries = 1;
  runtimes(): string[] {
    return [RT];
  }
  slotEntries(): number {
    return this.entries;
  }
  spawn(runtime: string, memoryMb: number): FakeHandle {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('spawn failed');
    }
    const h = new FakeHandle(`g${this.spawned.length}`, runtime, memoryMb);
    this.spawned.push(h);
    return h;
  }
  /** Every started handle reports standby. */
  async settleAll(): Promise<void> {
    for (const h of this.spawned) h.settle();
    await Promise.resolve();
    await Promise.resolve();
  }
}

function image(name: string, over: Partial<FunctionImage> = {}): FunctionImage {
  return {
    key: `${name}#1`,
    name,
    version: '$LATEST',
    runtime: RT,
    handler: 'index.handler',
    memoryMb: 128,
    timeoutS: 3,
    ephemeralStorageMb: 512,
    env: {},
    codeDir: `/code/${name}`,
    region: 'us-east-1',
    ...over,
  };
}
const vars = (id: string) => ({ ...SPAWN_ENV, AWS_LAMBDA_LOG_STREAM_NAME: id });

async function setup(size = 2) {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const pool = new GenericPool(spawner, clock, { size, refillDelayMs: 50 });
  pool.start();
  clock.advance(0);
  await spawner.settleAll();
  return { clock, spawner, pool };
}

describe('GenericPool', () => {
  it('fills each seeded runtime to its size on start and accounts what they hold', async () => {
    const { spawner, pool } = await setup(2);
    assert.equal(spawner.spawned.length, 2);
    assert.deepEqual(pool.counts().get(`${RT}/128`), { ready: 2, starting: 0 });
    assert.equal(pool.reservedMb(), 256);
  });

  it('gives each generic environment to one function only, and refills later through the clock', async () => {
    const { clock, spawner, pool } = await setup(2);
    const a = pool.take(image('a'), vars);
    const b = pool.take(image('b'), vars);
    assert.ok(a && b);
    assert.notEqual(a.id, b.id);
    assert.deepEqual(spawner.spawned.map((h) => h.assignedTo), [['b'], ['a']]);
    // Empty now: the next cold start starts plainly; no spawn happened on the take itself.
    assert.equal(pool.take(image('c'), vars), undefined);
    assert.equal(spawner.spawned.length, 2);
    assert.deepEqual(pool.stats, { hits: 2, misses: 1 });

    clock.advance(50);
    assert.equal(spawner.spawned.length, 4, 'refilled in the background');
    await spawner.settleAll();
    const c = pool.take(image('c'), vars);
    assert.ok(c);
    for (const h of spawner.spawned) assert.ok(h.assignedTo.length <= 1, `${h.id} assigned to ${h.assignedTo.join(', ')}`);
  });

  it('keeps memory sizes apart: a 256 MB function opens its own tier', async () => {
    const { clock, spawner, pool } = await setup(1);
    assert.equal(pool.take(image('big', { memoryMb: 256 }), vars), undefined);
    assert.deepEqual(spawner.spawned[0]!.assignedTo, [], 'the 128 MB environment is not used');
    clock.advance(50);
    await spawner.settleAll();
    assert.deepEqual(pool.counts().get(`${RT}/256`), { ready: 1, starting: 0 });
    const env = pool.take(image('big', { memoryMb: 256 }), vars);
    assert.ok(env);
    assert.equal(spawner.spawned.find((h) => h.assignedTo.length)!.memoryMb, 256);
  });

  it('leaves functions it cannot serve to a plain start, without using an environment', async () => {
    const { spawner, pool } = await setup(2);
    assert.equal(pool.take(image('tmp', { ephemeralStorageMb: 1024 }), vars), undefined);
    assert.equal(pool.take(image('opts', { env: { NODE_OPTIONS: '--enable-source-maps' } }), vars), undefined);
    assert.equal(pool.take(image('custom', { runtime: 'provided.al2023' }), vars), undefined);
    spawner.entries = 100_000;
    assert.equal(pool.take(image('huge'), vars), undefined);
    assert.equal(spawner.spawned.filter((h) => h.assignedTo.length).length, 0);
    assert.deepEqual(pool.counts().get(`${RT}/128`), { ready: 2, starting: 0 });
  });

  it('discards (never returns to the pool) an environment whose start-up variables would differ', async () => {
    const { spawner, pool } = await setup(1);
    const env = pool.take(image('odd'), (id) => ({ ...vars(id), TZ: 'Europe/Paris' }));
    assert.equal(env, undefined);
    assert.equal(spawner.spawned[0]!.killed, true);
    assert.deepEqual(pool.counts().get(`${RT}/128`), { ready: 0, starting: 0 });
  });

  it('replaces one that dies while waiting, and backs off when starts fail', async () => {
    const { clock, spawner, pool } = await setup(1);
    spawner.spawned[0]!.exit();
    await Promise.resolve();
    spawner.failNext = 1;
    clock.advance(0);
    assert.equal(spawner.spawned.length, 1, 'the failed start made nothing');
    clock.advance(150);
    assert.equal(spawner.spawned.length, 2, 'retried after the back-off');
    await spawner.settleAll();
    assert.ok(pool.take(image('a'), vars));
  });

  it('kills every generic environment at shutdown and starts no more', async () => {
    const { clock, spawner, pool } = await setup(2);
    pool.take(image('a'), vars);
    await pool.shutdown();
    clock.advance(10_000);
    assert.equal(spawner.spawned.length, 2);
    assert.equal(spawner.spawned.filter((h) => h.killed).length, 1, 'the one still waiting was killed');
    assert.equal(pool.reservedMb(), 0);
    assert.equal(pool.take(image('b'), vars), undefined);
  });

  it('is off with size 0', async () => {
    const { spawner, pool } = await setup(0);
    assert.equal(spawner.spawned.length, 0);
    assert.equal(pool.take(image('a'), vars), undefined);
  });
});
