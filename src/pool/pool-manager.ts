import type { Clock, Timer } from '../common/index.js';
import type { EnvironmentState } from './environment.js';
import type { EnvironmentFactory } from './environment-factory.js';
import type { FunctionImage } from './function-image.js';
import { FunctionPool } from './function-pool.js';

export interface PoolOptions {
  /** Idle time after which an environment is reclaimed (Lambda: minutes). */
  keepAliveMs: number;
  /** Time a runtime gets for its shutdown hooks between SIGTERM and SIGKILL. */
  shutdownGraceMs: number;
}

/** All pools on this node, one per function image, plus the idle reaper. */
export class PoolManager {
  private readonly pools = new Map<string, FunctionPool>();
  private reaper?: Timer;

  constructor(
    private readonly factory: EnvironmentFactory,
    private readonly clock: Clock,
    readonly options: PoolOptions,
  ) {}

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
      pool = new FunctionPool(image, this.factory, this.clock, this.options.shutdownGraceMs);
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
      retiring.push(pool.retire());
    }
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
      retiring.push(pool.retire());
    }
    return Promise.all(retiring).then(() => undefined);
  }

  reap(): void {
    for (const [key, pool] of this.pools) {
      pool.reap(this.options.keepAliveMs);
      if (pool.isEmpty) this.pools.delete(key);
    }
  }

  /** Environment counts by state for each function name. */
  environments(name?: string): Map<string, Record<EnvironmentState, number>> {
    const out = new Map<string, Record<EnvironmentState, number>>();
    for (const pool of this.pools.values()) {
      if (name && pool.image.name !== name) continue;
      const sum = out.get(pool.image.name) ?? { initializing: 0, idle: 0, busy: 0, retiring: 0, gone: 0 };
      for (const [state, n] of Object.entries(pool.counts())) sum[state as EnvironmentState] += n;
      out.set(pool.image.name, sum);
    }
    return out;
  }

  async shutdown(): Promise<void> {
    this.reaper?.cancel();
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}
