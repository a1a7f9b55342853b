import type { Clock } from '../common/index.js';

/** `1000/10s`: how many new environments a function may start per period. */
export interface ScaleRate {
  environments: number;
  periodMs: number;
}

/** AWS's current rule: each function scales by up to 1,000 environments every 10 seconds. */
export const DEFAULT_SCALE_RATE: ScaleRate = { environments: 1000, periodMs: 10_000 };

/**
 * A token bucket refilled continuously (not in steps every period), so a function that
 * used its burst regains capacity smoothly: 1000/10s gives one token every 10 ms.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: ScaleRate,
    private readonly clock: Clock,
  ) {
    this.tokens = rate.environments;
    this.updatedAt = clock.monotonic();
  }

  /** Takes one token if there is one. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Gives back a token taken for a start that did not happen. */
  giveBack(): void {
    this.tokens = Math.min(this.rate.environments, this.tokens + 1);
  }

  get available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const now = this.clock.monotonic();
    const elapsed = now - this.updatedAt;
    this.updatedAt = now;
    if (elapsed > 0) this.tokens = Math.min(this.rate.environments, this.tokens + (elapsed * this.rate.environments) / this.rate.periodMs);
  }
}
