/**
 * Retry timing: the n-th retry (n from 0) waits IntervalSeconds × BackoffRate^n seconds,
 * capped by MaxDelaySeconds; with JitterStrategy FULL a uniform random fraction of that.
 * Defaults as in the States Language: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0.
 */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export const maxAttempts = (r: Retrier) => r.MaxAttempts ?? 3;

/** Milliseconds to wait before retry number `attempt` (0-based); `draw` is in [0, 1). */
export function retryDelayMs(r: Retrier, attempt: number, draw: () => number): number {
  let seconds = (r.IntervalSeconds ?? 1) * Math.pow(r.BackoffRate ?? 2, attempt);
  if (r.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, r.MaxDelaySeconds);
  if (r.JitterStrategy === 'FULL') seconds *= draw();
  return Math.round(seconds * 1000);
}
