import type { Clock } from '../common/index.js';
import type { Environment, EnvironmentState } from './environment.js';
import type { EnvironmentFactory } from './environment-factory.js';
import type { FunctionImage } from './function-image.js';
import { ProvisionedSet, type ProvisionedStatus } from './provisioned-set.js';

export interface Placement {
  env: Environment;
  /** True when this request pays the environment's Init (a cold start). */
  cold: boolean;
}

/**
 * Decides whether a pool may start another environment (node capacity, scale rate).
 * `admitStart` throws the 429 the caller gets. `admitProvisioned` answers whether there
 * is room for a provisioned environment (idle ones may be evicted for it);
 * `admitBackground` whether there is free room for a speculative one (a pre-warm).
 */
export interface StartGate {
  admitStart(pool: FunctionPool): void;
  admitProvisioned(pool: FunctionPool): boolean;
  admitBackground(pool: FunctionPool): boolean;
}

const openGate: StartGate = { admitStart: () => undefined, admitProvisioned: () => true, admitBackground: () => true };

/** Environment counts by state, plus how many of them are provisioned. */
export type EnvironmentCounts = Record<EnvironmentState, number> & { provisioned: number };

/**
 * How long an idle environment may stay, given its concurrency level (1 for the most
 * recently used idle one when none is busy, counting up from there) and whether it was
 * loaded ahead by `prewarm()` and not used yet.
 */
export type IdleWindow = (level: number, prewarmed: boolean) => number;

export const emptyCounts = (): EnvironmentCounts => ({ initializing: 0, idle: 0, busy: 0, retiring: 0, gone: 0, provisioned: 0 });

/**
 * The environments of one function image. A request takes an idle provisioned
 * environment first, then the most recently used idle one (so the others age out), or
 * starts a new one: N simultaneous requests make N environments. Once retired
 * (redeploy, delete) it keeps no environment idle: each goes away as soon as its request
 * ends (a request that raced the redeploy still gets served).
 */
export class FunctionPool {
  private idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  /** Requests placed on each busy environment (more than one with maxConcurrentRequests > 1). */
  private readonly slots = new Map<Environment, number>();
  private starting = 0;
  private retired = false;
  readonly provisioned: ProvisionedSet;
  /** Told when each request starts and ends: the node's keep-alive schedule. */
  usage?: { invoked(pool: FunctionPool): void; finished(pool: FunctionPool): number | void };
  /** Loaded ahead of a predicted request by `prewarm()` and not used yet. */
  private readonly warmedAhead = new WeakSet<Environment>();
  /**
   * The concurrency level each idle environment was parked at (the one `usage.finished`
   * reported, or the pre-warm's). Sticky, not its position in the idle list: reaping one
   * environment must not move the others to another level's window (a level whose window
   * is 0 would otherwise reap one environment per tick until the pool is empty).
   */
  private readonly parkedAt = new WeakMap<Environment, number>();

  constructor(
    readonly image: FunctionImage,
    private readonly factory: EnvironmentFactory,
    private readonly clock: Clock,
    private readonly graceMs: number,
    private readonly gate: StartGate = openGate,
  ) {
    this.provisioned = new ProvisionedSet(this, factory, clock, (env) => this.adopt(env), (env) => void env.retire(graceMs));
  }

  /** A warm environment, or a new one once its Init has finished. Rejects with InitError or a 429. */
  async acquire(): Promise<Placement> {
    this.usage?.invoked(this);
    const shared = this.withSpareSlot();
    if (shared) {
      this.slots.set(shared, (this.slots.get(shared) ?? 0) + 1);
      return { env: shared, cold: false };
    }
    const warm = this.provisioned.takeIdle() ?? this.takeIdle();
    if (warm) {
      this.slots.set(warm, 1);
      return { env: warm, cold: false };
    }
    this.gate.admitStart(this);
    this.starting++;
    let env: Environment;
    try {
      env = await this.factory.start(this.image);
    } finally {
      this.starting--;
    }
    this.adopt(env);
    try {
      await env.ready();
    } catch (err) {
      this.all.delete(env);
      throw err;
    }
    this.slots.set(env, 1);
    return { env, cold: true };
  }

  /** Returns an environment after a request: parked (frozen) if healthy, else dropped. */
  release(env: Environment): void {
    const level = this.usage?.finished(this);
    this.warmedAhead.delete(env);
    const left = (this.slots.get(env) ?? 1) - 1;
    if (left > 0 && env.state === 'busy') {
      // Still serving other requests (maxConcurrentRequests > 1): stays busy, unfrozen.
      this.slots.set(env, left);
      return;
    }
    this.slots.delete(env);
    if (env.state === 'gone') return;
    if (this.retired) {
      void env.retire(this.graceMs);
      return;
    }
    env.park();
    if (typeof level === 'number') this.parkedAt.set(env, level);
    else this.parkedAt.delete(env);
    if (!this.provisioned.release(env)) this.idle.push(env);
  }

  /** Reclaims on-demand environments idle for longer than their window; returns how many. */
  reap(window: number | IdleWindow): number {
    if (this.idle.length === 0) return 0;
    const now = this.clock.now();
    const keep: Environment[] = [];
    let reaped = 0;
    // Most recently used last (LIFO), so walking backwards climbs the concurrency levels.
    let level = 0;
    for (const env of this.all) if (env.state === 'busy' || env.state === 'initializing') level++;
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const env = this.idle[i]!;
      if (env.state !== 'idle') continue;
      level++;
      const ms = typeof window === 'number' ? window : window(this.parkedAt.get(env) ?? level, this.warmedAhead.has(env));
      if (now - env.lastUsed >= ms) {
        reaped++;
        void env.retire(this.graceMs);
      } else keep.push(env);
    }
    this.idle = keep.reverse();
    return reaped;
  }

  /**
   * Loads one environment ahead of a predicted request (the keep-alive policy's pre-warm)
   * and parks it idle. A failed start is dropped: the predicted request then simply
   * starts cold.
   */
  async prewarm(level?: number): Promise<void> {
    if (this.retired) return;
    // Only within the node's memory capacity: a pre-warm never evicts or throttles anyone.
    if (!this.gate.admitBackground(this)) return;
    this.starting++;
    let env: Environment;
    try {
      env = await this.factory.start(this.image);
    } catch {
      return;
    } finally {
      this.starting--;
    }
    this.adopt(env);
    try {
      await env.ready();
    } catch {
      this.all.delete(env);
      return;
    }
    if (this.retired) return void env.retire(this.graceMs);
    env.park();
    this.warmedAhead.add(env);
    if (level !== undefined) this.parkedAt.set(env, level);
    this.idle.push(env);
  }

  /** Idle on-demand environments, least recently used first: what capacity pressure may evict. */
  evictable(): Environment[] {
    return this.idle.filter((env) => env.state === 'idle');
  }

  /** Retires one idle on-demand environment to free its memory for another function. */
  evict(env: Environment): void {
    const i = this.idle.indexOf(env);
    if (i < 0) return;
    this.idle.splice(i, 1);
    void env.retire(this.graceMs);
  }

  /** Stops new placements; idle environments go now, busy ones when they finish. */
  retire(): Promise<void> {
    this.retired = true;
    this.provisioned.stop();
    const idle = [...this.idle, ...this.provisioned.drainIdle()];
    this.idle = [];
    return Promise.all(idle.map((env) => env.retire(this.graceMs))).then(() => undefined);
  }

  /** Kills everything at once (server shutdown). */
  async destroy(): Promise<void> {
    this.retired = true;
    this.provisioned.stop();
    this.idle = [];
    const envs = [...this.all];
    await Promise.all(envs.map((env) => env.retire(this.graceMs)));
  }

  get isRetired(): boolean {
    return this.retired;
  }

  /** No environment and nothing provisioned: the pool may be dropped. */
  get isEmpty(): boolean {
    return this.all.size === 0 && this.starting === 0 && this.provisioned.target === 0;
  }

  /** Memory held by this pool's environments, including ones still starting. */
  footprintMb(): number {
    let live = this.starting + this.provisioned.starting;
    for (const env of this.all) if (env.state !== 'gone' && env.state !== 'retiring') live++;
    return live * this.image.memoryMb;
  }

  /** Provisioned concurrency: keep `n` environments initialised ahead of traffic. */
  setProvisioned(n: number): void {
    if (this.retired) return;
    this.provisioned.setTarget(n);
  }

  provisionedStatus(): ProvisionedStatus {
    return this.provisioned.status();
  }

  /** @internal for ProvisionedSet: room for one more provisioned environment? */
  admitProvisioned(): boolean {
    return !this.retired && this.gate.admitProvisioned(this);
  }

  counts(): EnvironmentCounts {
    const counts = emptyCounts();
    for (const env of this.all) {
      counts[env.state]++;
      if (this.provisioned.has(env) && env.state !== 'gone') counts.provisioned++;
    }
    return counts;
  }

  /** A busy environment that may take one more request (only with maxConcurrentRequests > 1). */
  private withSpareSlot(): Environment | undefined {
    const max = this.image.maxConcurrentRequests ?? 1;
    if (max <= 1 || this.retired) return undefined;
    // An environment handed out this very tick is still 'idle' until its request thaws it.
    for (const [env, n] of this.slots) if (n < max && (env.state === 'busy' || env.state === 'idle')) return env;
    return undefined;
  }

  private takeIdle(): Environment | undefined {
    for (let env = this.idle.pop(); env; env = this.idle.pop()) {
      if (env.state === 'idle') return env;
    }
    return undefined;
  }

  private adopt(env: Environment): void {
    this.all.add(env);
    void env.closed().then(() => {
      this.all.delete(env);
      this.slots.delete(env);
    });
  }
}
