import type { Clock, Timer } from '../common/index.js';
import type { Environment } from './environment.js';
import type { EnvironmentFactory } from './environment-factory.js';
import type { FunctionImage } from './function-image.js';

/** Lambda's view of a provisioned concurrency configuration on one version. */
export interface ProvisionedStatus {
  requested: number;
  /** Environments initialised and kept for this configuration. */
  allocated: number;
  /** Of those, how many are idle right now. */
  available: number;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  reason?: string;
}

interface Owner {
  readonly image: FunctionImage;
  admitProvisioned(): boolean;
}

const CAPACITY_RETRY_MS = 1000;

/**
 * The provisioned environments of one pool: started ahead of traffic (with
 * AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency), never reclaimed for idleness,
 * replaced when one dies, and trimmed when the target shrinks. Their Init is paid
 * here, so the requests they serve report no Init Duration.
 */
export class ProvisionedSet {
  target = 0;
  starting = 0;
  private readonly members = new Set<Environment>();
  private idle: Environment[] = [];
  private failure?: string;
  private stopped = false;
  private retry?: Timer;

  constructor(
    private readonly owner: Owner,
    private readonly factory: EnvironmentFactory,
    private readonly clock: Clock,
    private readonly adopt: (env: Environment) => void,
    private readonly retire: (env: Environment) => void = (env) => void env.retire(0),
  ) {}

  setTarget(n: number): void {
    this.target = n;
    this.failure = undefined;
    while (this.members.size > n && this.idle.length > 0) this.drop(this.idle.pop()!);
    this.reconcile();
  }

  has(env: Environment): boolean {
    return this.members.has(env);
  }

  takeIdle(): Environment | undefined {
    for (let env = this.idle.pop(); env; env = this.idle.pop()) {
      if (env.state === 'idle') return env;
    }
    return undefined;
  }

  /** Takes back a provisioned environment after a request; false when it is not (or no longer) one. */
  release(env: Environment): boolean {
    if (!this.members.has(env)) return false;
    if (this.members.size > this.target) {
      this.drop(env);
      return true;
    }
    this.idle.push(env);
    return true;
  }

  drainIdle(): Environment[] {
    const idle = this.idle;
    this.idle = [];
    return idle;
  }

  stop(): void {
    this.stopped = true;
    this.target = 0;
    this.retry?.cancel();
  }

  status(): ProvisionedStatus {
    let allocated = 0;
    for (const env of this.members) if (env.state === 'idle' || env.state === 'busy') allocated++;
    const available = this.idle.filter((e) => e.state === 'idle').length;
    const status = this.failure ? 'FAILED' : allocated >= this.target ? 'READY' : 'IN_PROGRESS';
    return { requested: this.target, allocated, available, status, ...(this.failure ? { reason: this.failure } : {}) };
  }

  private reconcile(): void {
    this.retry?.cancel();
    this.retry = undefined;
    while (!this.stopped && !this.failure && this.members.size + this.starting < this.target) {
      if (!this.owner.admitProvisioned()) {
        // Not an error yet: idle environments may be reclaimed, or the target lowered.
        this.retry = this.clock.setTimer(CAPACITY_RETRY_MS, () => this.reconcile());
        return;
      }
      this.starting++;
      void this.startOne();
    }
  }

  private async startOne(): Promise<void> {
    let env: Environment;
    try {
      env = await this.factory.start(this.owner.image, 'provisioned-concurrency');
    } catch (err) {
      this.starting--;
      this.failure = `Environment could not start: ${(err as Error).message}`;
      return;
    }
    this.adopt(env);
    try {
      await env.ready();
    } catch (err) {
      this.starting--;
      // Lambda marks the configuration FAILED when the function's Init fails.
      this.failure = `FUNCTION_ERROR_INIT_FAILED: ${(err as Error).message}`;
      return;
    }
    this.starting--;
    if (this.stopped || this.members.size >= this.target) {
      this.retire(env);
      return;
    }
    this.members.add(env);
    env.park();
    this.idle.push(env);
    void env.closed().then(() => {
      this.members.delete(env);
      this.idle = this.idle.filter((e) => e !== env);
      // A provisioned environment that crashed or timed out is replaced.
      this.reconcile();
    });
  }

  private drop(env: Environment): void {
    this.members.delete(env);
    this.idle = this.idle.filter((e) => e !== env);
    this.retire(env);
  }
}
