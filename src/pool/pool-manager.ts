import { type Clock, HearthError, type Timer } from '../common/index.js';
import { FixedKeepAlive, type KeepAlivePolicy } from '../keepalive/index.js';
import type { EnvironmentFactory } from './environment-factory.js';
import type { FunctionImage } from './function-image.js';
import { emptyCounts, type EnvironmentCounts, FunctionPool, type StartGate } from './function-pool.js';
import { KeepAliveSchedule } from './keep-alive-schedule.js';
import { DEFAULT_SCALE_RATE, type ScaleRate, TokenBucket } from './token-bucket.js';

export interface PoolOptions {
  /** Idle time after which an environment is reclaimed (Lambda: minutes). */
  keepAliveMs: number;
  /** Time a runtime gets for its shutdown hooks between SIGTERM and SIGKILL. */
  shutdownGraceMs: number;
  /** Memory all environments together may hold; idle ones are evicted (LRU) to make room. */
  capacityMb?: number;
  /** New environments per function per period (token bucket, refilled continuously). */
  scaleRate?: ScaleRate;
  /** Memory held outside the pools (e.g. pre-spawned generic environments). */
  reservedMb?: () => number;
  /** Frees that memory when real environments need it (kills generic environments). */
  shedReserved?: (mb: number) => void;
  /** Per-function keep-alive and pre-warm windows; default: `keepAliveMs` for every function. */
  keepAlivePolicy?: KeepAlivePolicy;
}

/**
 * All pools on this node, one per function image, plus the idle reaper, the node's
 * memory capacity (LRU eviction of idle environments) and each function's scale rate.
 */
export class PoolManager implements StartGate {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly buckets = new Map<string, TokenBucket>();
  private reaper?: Timer;
  readonly keepAlive: KeepAliveSchedule;

  constructor(
    private readonly factory: EnvironmentFactory,
    private readonly clock: Clock,
    readonly options: PoolOptions,
  ) {
    const policy = options.keepAlivePolicy ?? new FixedKeepAlive(options.keepAliveMs);
    // Room for a pre-warm is the gate's admitBackground, checked by FunctionPool.prewarm.
    this.keepAlive = new KeepAliveSchedule(policy, clock);
  }

  start(): void {
    const every = Math.max(50, Math.min(1000, this.options.keepAliveMs / 4));
    const tick = () => {
      this.reap();
      this.reaper = this.clock.setTimer(every, tick);
    };
    this.reaper = this.clock.setTimer(every, tick);
  }

  pool(image: FunctionImage): FunctionPool {
    let pool = this.pools.get(image.key);
    if (!pool) {
      pool = new FunctionPool(image, this.factory, this.clock, this.options.shutdownGraceMs, this);
      pool.usage = this.keepAlive;
      this.pools.set(image.key, pool);
    }
    return pool;
  }

  /** Retires every pool of a function except the one for `keepKey` (the current image). */
  retireFunction(name: string, keepKey?: string): Promise<void> {
    const retiring: Promise<void>[] = [];
    for (const [key, pool] of this.pools) {
      if (pool.image.name !== name || key === keepKey) continue;
      this.pools.delete(key);
      this.keepAlive.cancel(pool);
      retiring.push(pool.retire());
    }
    if (keepKey === undefined) this.keepAlive.forget(name);
    return Promise.all(retiring).then(() => undefined);
  }

  /**
   * Retires the pools of one version of a function (every revision of it): a redeploy of
   * $LATEST or a deleted version. The function's other versions keep their environments.
   */
  retireVersion(name: string, version: string): Promise<void> {
    const retiring: Promise<void>[] = [];
    for (const [key, pool] of this.pools) {
      if (pool.image.name !== name || pool.image.version !== version) continue;
      this.pools.delete(key);
      this.keepAlive.cancel(pool);
      retiring.push(pool.retire());
    }
    // Published versions never change, so theirs retire only when deleted; $LATEST's
    // history outlives its redeploys.
    if (version !== '$LATEST') this.keepAlive.forget(name, version);
    return Promise.all(retiring).then(() => undefined);
  }

  /** StartGate: one scale token, then room in the node's memory (evicting idle environments). */
  admitStart(pool: FunctionPool): void {
    const { name, memoryMb } = pool.image;
    let bucket = this.buckets.get(name);
    if (!bucket) this.buckets.set(name, (bucket = new TokenBucket(this.options.scaleRate ?? DEFAULT_SCALE_RATE, this.clock)));
    if (!bucket.tryTake()) {
      throw new HearthError('TooManyRequestsException', `Rate Exceeded. Function ${name} may start no more new environments right now (scale rate).`, {
        Reason: 'FunctionInvocationRateLimitExceeded',
      });
    }
    if (!this.makeRoom(memoryMb)) {
      bucket.giveBack();
      throw new HearthError('TooManyRequestsException', `Rate Exceeded. The node's memory capacity (${this.options.capacityMb} MB) is in use by busy environments.`, {
        Reason: 'ConcurrentInvocationLimitExceeded',
      });
    }
  }

  admitProvisioned(pool: FunctionPool): boolean {
    return this.makeRoom(pool.image.memoryMb);
  }

  admitBackground(pool: FunctionPool): boolean {
    return this.hasRoom(pool.image.memoryMb);
  }

  /** Free room (no eviction) for an environment of `mb` started ahead of demand. */
  hasRoom(mb: number): boolean {
    return this.options.capacityMb === undefined || this.usedMb() + mb <= this.options.capacityMb;
  }

  /** Memory held by environments (starting, idle, busy) and by whatever `reservedMb` reports. */
  usedMb(): number {
    return this.poolsMb() + (this.options.reservedMb?.() ?? 0);
  }

  private poolsMb(): number {
    let used = 0;
    for (const pool of this.pools.values()) used += pool.footprintMb();
    return used;
  }

  /**
   * Frees memory for a new environment by retiring idle on-demand environments, least
   * recently used first, across all functions. False when busy, starting and
   * provisioned environments alone leave no room. Pre-spawned generic environments
   * (`reservedMb`) never block a real one: they are shed afterwards if the node is over
   * its capacity (not before: the start about to happen may take one of them).
   */
  private makeRoom(mb: number): boolean {
    const capacity = this.options.capacityMb;
    if (capacity === undefined) return true;
    let used = this.poolsMb();
    if (used + mb > capacity) {
      const candidates = [...this.pools.values()].flatMap((pool) => pool.evictable().map((env) => ({ pool, env })));
      candidates.sort((a, b) => a.env.lastUsed - b.env.lastUsed);
      let freeable = 0;
      for (const c of candidates) freeable += c.pool.image.memoryMb;
      if (used - freeable + mb > capacity) return false;
      for (const { pool, env } of candidates) {
        if (used + mb <= capacity) break;
        pool.evict(env);
        used -= pool.image.memoryMb;
      }
    }
    if (this.options.shedReserved && used + mb + (this.options.reservedMb?.() ?? 0) > capacity) {
      this.clock.setTimer(0, () => {
        const over = this.usedMb() - capacity;
        if (over > 0) this.options.shedReserved?.(over);
      });
    }
    return true;
  }

  /**
   * Sets the provisioned environments of one image (0 removes them). The pool is kept
   * while a target is set, even with no traffic.
   */
  provision(image: FunctionImage, n: number): FunctionPool {
    const pool = this.pool(image);
    pool.setProvisioned(n);
    return pool;
  }

  reap(): void {
    for (const [key, pool] of this.pools) {
      pool.reap(this.keepAlive.reapWindow(pool));
      // A pool waiting for its pre-warm stays: the environment it loads must be reaped too.
      if (pool.isEmpty && !this.keepAlive.pending(pool)) this.pools.delete(key);
    }
  }

  /** Environment counts by state for each function name. */
  environments(name?: string): Map<string, EnvironmentCounts> {
    const out = new Map<string, EnvironmentCounts>();
    for (const pool of this.pools.values()) {
      if (name && pool.image.name !== name) continue;
      const sum = out.get(pool.image.name) ?? emptyCounts();
      for (const [state, n] of Object.entries(pool.counts())) sum[state as keyof EnvironmentCounts] += n;
      out.set(pool.image.name, sum);
    }
    return out;
  }

  async shutdown(): Promise<void> {
    this.reaper?.cancel();
    this.keepAlive.shutdown();
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}
