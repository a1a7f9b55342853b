import type { Clock } from '../common/index.js';
import type { Environment, EnvironmentState } from './environment.js';
import type { EnvironmentFactory } from './environment-factory.js';
import type { FunctionImage } from './function-image.js';

export interface Placement {
  env: Environment;
  /** True when this request pays the environment's Init (a cold start). */
  cold: boolean;
}

/**
 * The environments of one function image. A request takes the most recently used idle
 * environment (so the others age out), or starts a new one: N simultaneous requests
 * make N environments. Once retired (redeploy, delete) it keeps no environment idle:
 * each goes away as soon as its request ends (a request that raced the redeploy still
 * gets served).
 */
export class FunctionPool {
  private idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private retired = false;

  constructor(
    readonly image: FunctionImage,
    private readonly factory: EnvironmentFactory,
    private readonly clock: Clock,
    private readonly graceMs: number,
  ) {}

  /** A warm environment, or a new one once its Init has finished. Rejects with InitError. */
  async acquire(): Promise<Placement> {
    for (let env = this.idle.pop(); env; env = this.idle.pop()) {
      if (env.state === 'idle') return { env, cold: false };
    }
    const env = await this.factory.start(this.image);
    this.all.add(env);
    void env.closed().then(() => this.all.delete(env));
    try {
      await env.ready();
    } catch (err) {
      this.all.delete(env);
      throw err;
    }
    return { env, cold: true };
  }

  /** Returns an environment after a request: parked (frozen) if healthy, else dropped. */
  release(env: Environment): void {
    if (env.state === 'gone') return;
    if (this.retired) {
      void env.retire(this.graceMs);
      return;
    }
    env.park();
    this.idle.push(env);
  }

  /** Reclaims environments idle for longer than `keepAliveMs`; returns how many. */
  reap(keepAliveMs: number): number {
    const now = this.clock.now();
    const keep: Environment[] = [];
    let reaped = 0;
    for (const env of this.idle) {
      if (env.state !== 'idle') continue;
      if (now - env.lastUsed >= keepAliveMs) {
        reaped++;
        void env.retire(this.graceMs);
      } else keep.push(env);
    }
    this.idle = keep;
    return reaped;
  }

  /** Stops new placements; idle environments go now, busy ones when they finish. */
  retire(): Promise<void> {
    this.retired = true;
    const idle = this.idle;
    this.idle = [];
    return Promise.all(idle.map((env) => env.retire(this.graceMs))).then(() => undefined);
  }

  /** Kills everything at once (server shutdown). */
  async destroy(): Promise<void> {
    this.retired = true;
    this.idle = [];
    const envs = [...this.all];
    await Promise.all(envs.map((env) => env.retire(this.graceMs)));
  }

  get isEmpty(): boolean {
    return this.all.size === 0;
  }

  counts(): Record<EnvironmentState, number> {
    const counts: Record<EnvironmentState, number> = { initializing: 0, idle: 0, busy: 0, retiring: 0, gone: 0 };
    for (const env of this.all) counts[env.state]++;
    return counts;
  }
}
