import type { Clock, Timer } from '../common/index.js';
import type { KeepAlivePolicy } from '../keepalive/index.js';
import type { FunctionImage } from './function-image.js';
import type { FunctionPool, IdleWindow } from './function-pool.js';

/**
 * What a policy learns under: a function version, not an image, so that a redeploy of
 * $LATEST (a new image serving the same traffic) keeps the history.
 */
export const policyKey = (image: Pick<FunctionImage, 'name' | 'version'>): string => `${image.name}:${image.version}`;

/** The reaper asks for a pool's key every tick: build each image's once. */
const keys = new WeakMap<FunctionImage, string>();
function keyOf(image: FunctionImage): string {
  let key = keys.get(image);
  if (key === undefined) keys.set(image, (key = policyKey(image)));
  return key;
}


/**
 * Between the pools and a KeepAlivePolicy: reports each invocation's start and end to the
 * policy with the concurrency level it reaches or leaves, turns the policy's windows into
 * reap windows, and arms the pre-warm timers it asks for. With a pre-warm window, the
 * environment that served a level is reaped at once and a fresh one is loaded when the
 * window ends, ahead of the predicted next call; a call reaching that level first
 * cancels the timer.
 */
export class KeepAliveSchedule {
  private readonly timers = new Map<FunctionPool, Map<number, Timer>>();
  private readonly windows = new WeakMap<FunctionPool, IdleWindow>();
  /**
   * Requests of each pool between `invoked` and `finished`. A request whose placement
   * failed never reports its end; the reaper corrects the count (see `reapWindow`).
   */
  private readonly running = new Map<FunctionPool, number>();
  /** Versions the policy has heard of, by function name, so a deleted function is forgotten whole. */
  private readonly known = new Map<string, Set<string>>();

  constructor(
    readonly policy: KeepAlivePolicy,
    private readonly clock: Clock,
  ) {}

  /** Called before the pool places the request. */
  invoked(pool: FunctionPool): void {
    const level = (this.running.get(pool) ?? 0) + 1;
    this.running.set(pool, level);
    this.cancel(pool, level);
    const versions = this.known.get(pool.image.name) ?? new Set<string>();
    this.known.set(pool.image.name, versions.add(pool.image.version));
    this.policy.invoked(keyOf(pool.image), this.clock.now(), level);
  }

  /**
   * Called when a request's environment comes back, before the pool parks it; returns the
   * level it leaves, which the pool keeps as that environment's level while it idles.
   */
  finished(pool: FunctionPool): number {
    const level = Math.max(1, this.running.get(pool) ?? 0);
    this.running.set(pool, level - 1);
    const key = keyOf(pool.image);
    this.policy.finished(key, this.clock.now(), level);
    const { prewarmMs } = this.policy.windows(key, level);
    if (prewarmMs <= 0) return level;
    this.cancel(pool, level);
    let levels = this.timers.get(pool);
    if (!levels) this.timers.set(pool, (levels = new Map()));
    const timer = this.clock.setTimer(prewarmMs, () => {
      levels.delete(level);
      if (levels.size === 0) this.timers.delete(pool);
      const c = pool.counts();
      if (c.busy + c.initializing + c.idle < level) void pool.prewarm(level);
    });
    levels.set(level, timer);
    return level;
  }

  /**
   * How long each idle environment of the pool may stay: the policy's keep-alive, or 0
   * for a used one at a level with a pre-warm window (a fresh one will be loaded instead).
   */
  reapWindow(pool: FunctionPool): IdleWindow {
    const counted = this.running.get(pool) ?? 0;
    if (counted > 0) {
      // Requests whose placement failed (Init error, 429) are still counted: no more
      // can be running than environments busy or starting.
      const c = pool.counts();
      if (counted > c.busy + c.initializing) this.running.set(pool, c.busy + c.initializing);
    }
    let window = this.windows.get(pool);
    if (!window) {
      const key = keyOf(pool.image);
      window = (level, prewarmed) => {
        const { prewarmMs, keepAliveMs } = this.policy.windows(key, level);
        return prewarmed || prewarmMs <= 0 ? keepAliveMs : 0;
      };
      this.windows.set(pool, window);
    }
    return window;
  }

  /** Whether a pre-warm is armed for the pool (it must stay registered to be reaped). */
  pending(pool: FunctionPool): boolean {
    return this.timers.has(pool);
  }

  /** Cancels the pool's pre-warm at `level`, or all of them (the pool is going away). */
  cancel(pool: FunctionPool, level?: number): void {
    if (level === undefined) this.running.delete(pool);
    const levels = this.timers.get(pool);
    if (!levels) return;
    for (const [l, timer] of levels) {
      if (level !== undefined && l !== level) continue;
      timer.cancel();
      levels.delete(l);
    }
    if (levels.size === 0) this.timers.delete(pool);
  }

  /** A function, or one of its versions, is deleted: the policy drops what it learnt. */
  forget(name: string, version?: string): void {
    const versions = this.known.get(name);
    if (!versions) return;
    for (const v of version === undefined ? [...versions] : [version]) {
      this.policy.forget(policyKey({ name, version: v }));
      versions.delete(v);
    }
    if (versions.size === 0) this.known.delete(name);
  }

  shutdown(): void {
    for (const pool of [...this.timers.keys()]) this.cancel(pool);
  }
}
