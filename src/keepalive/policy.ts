/**
 * When an idle environment is reclaimed, and when one is loaded ahead of a predicted
 * request. The pool reports each invocation's start and end; the policy answers per
 * function. Times are the injected Clock's milliseconds.
 */
export interface KeepAliveWindows {
  /**
   * 0: keep the environment that served the last invocation loaded for `keepAliveMs`.
   * Above 0: release that environment at once and load a fresh one this long after the
   * last invocation ended, so it is idle when the next one is predicted to arrive.
   */
  prewarmMs: number;
  /**
   * How long an idle environment stays loaded: after its invocation ends, or, with a
   * pre-warm window, after it was loaded ahead.
   */
  keepAliveMs: number;
}

/**
 * Pools hold several environments; the policy sees a function through its concurrency
 * levels. Level k is the k-th environment the function needs at once: it is idle from
 * when concurrency falls below k until it reaches k again. Level 1 is the paper's
 * one-container view (the function as a whole idles); higher levels are the extra
 * environments of bursts, which usually deserve shorter windows.
 */
export interface KeepAlivePolicy {
  /** `fixed` or `adaptive`: what the server reports and the simulator prints. */
  readonly name: string;
  /** An invocation of `fnKey` starts at `at`, raising its concurrency to `level`. */
  invoked(fnKey: string, at: number, level: number): void;
  /** An invocation of `fnKey` ends at `at`, lowering its concurrency from `level`. */
  finished(fnKey: string, at: number, level: number): void;
  /** The windows of the environment at `level` (1 = the function's last warm one). */
  windows(fnKey: string, level: number): KeepAliveWindows;
  /** The function is gone: drop what was learnt about it. */
  forget(fnKey: string): void;
}

/** Lambda's and Hearth's historical behaviour: every environment idles for one fixed window. */
export class FixedKeepAlive implements KeepAlivePolicy {
  readonly name = 'fixed';
  private readonly fixed: KeepAliveWindows;

  constructor(windowMs: number) {
    this.fixed = { prewarmMs: 0, keepAliveMs: windowMs };
  }

  invoked(_fnKey: string, _at: number, _level: number): void {}
  finished(_fnKey: string, _at: number, _level: number): void {}
  windows(_fnKey: string, _level: number): KeepAliveWindows {
    return this.fixed;
  }
  forget(_fnKey: string): void {}
}
