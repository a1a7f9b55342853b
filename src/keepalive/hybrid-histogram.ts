import { IdleHistogram } from './idle-histogram.js';
import type { KeepAlivePolicy, KeepAliveWindows } from './policy.js';

/**
 * Parameters of the hybrid histogram policy. Defaults are the paper's (Shahrad et al.,
 * "Serverless in the Wild", USENIX ATC 2020) unless marked as Hearth's.
 */
export interface HybridHistogramOptions {
  /** The window used while a function's pattern is unclear (Hearth: the fixed keep-alive). */
  fallbackMs: number;
  /** Histogram bin width: 1 minute. */
  binMs?: number;
  /** Histogram range: 4 hours; longer idle times are out of bounds. */
  rangeMs?: number;
  /** Pre-warm at this percentile of idle times: 5th. */
  headPercentile?: number;
  /** Keep alive until this percentile of idle times: 99th. */
  tailPercentile?: number;
  /** Head shortened and tail lengthened by this share: 10%. */
  margin?: number;
  /**
   * A histogram is representative when the CV of its bin counts is at least this: 2.
   * Hearth compares it net of sampling noise (`IdleHistogram.patternCv2`).
   */
  cvThreshold?: number;
  /** Above this share of out-of-bounds idle times, predict the next one instead: 0.5. */
  outOfBoundsThreshold?: number;
  /** Margin around a predicted idle time: 15% (pre-warm at 85%, keep for 30%). */
  predictionMargin?: number;
  /** Hearth's: idle times needed before a histogram is trusted at all (see SPECIFICATION.md). */
  minObservations?: number;
  /**
   * Hearth's: the longest keep-alive without a pre-warm window (default `fallbackMs`). Keeping
   * an environment longer than the fixed window without a prediction only trades memory
   * for cold starts, so the histogram may shorten windows here but not lengthen them.
   */
  keepAliveCapMs?: number;
  /**
   * Hearth's: share of the idle times shorter than `fallbackMs` that the windows may leave
   * uncovered (default 0). Fixed keeps every environment `fallbackMs`, so each such idle
   * time is warm under it: a pre-warm later than one, or a keep-alive shorter than one,
   * turns it cold. Beyond `fallbackMs` (cold under fixed anyway) the paper's percentiles
   * apply unchanged.
   */
  coverBelowFallback?: number;
  /** Hearth's: concurrency levels with their own histogram; higher ones get `fallbackMs`. */
  maxLevels?: number;
}

/** One concurrency level of one function. */
interface LevelState {
  histogram: IdleHistogram;
  lastEnd?: number;
  windows?: KeepAliveWindows;
}

/**
 * Per function and concurrency level (see KeepAlivePolicy), a histogram of idle times decides how long to keep an environment and
 * when to load one ahead of the predicted next call:
 *  - too few observations, or a flat histogram (CV below the threshold): the fixed window;
 *  - mostly idle times beyond the range: a point prediction of the next one (the paper
 *    uses ARIMA; Hearth takes the median of the latest out-of-bounds idle times);
 *  - otherwise pre-warm at the head percentile (less the margin) and keep alive until the
 *    tail percentile (plus the margin). A head in the first bin means no pre-warm: the
 *    environment that served the call stays loaded until the tail.
 */
export class HybridHistogramKeepAlive implements KeepAlivePolicy {
  readonly name = 'adaptive';
  private readonly functions = new Map<string, LevelState[]>();
  private readonly fallback: KeepAliveWindows;
  private readonly o: Required<HybridHistogramOptions>;

  constructor(options: HybridHistogramOptions) {
    this.o = {
      binMs: 60_000,
      rangeMs: 4 * 3_600_000,
      headPercentile: 0.05,
      tailPercentile: 0.99,
      margin: 0.1,
      cvThreshold: 2,
      outOfBoundsThreshold: 0.5,
      predictionMargin: 0.15,
      minObservations: 10,
      maxLevels: 16,
      keepAliveCapMs: options.fallbackMs,
      coverBelowFallback: 0,
      ...options,
    };
    this.fallback = { prewarmMs: 0, keepAliveMs: this.o.fallbackMs };
  }

  invoked(fnKey: string, at: number, level: number): void {
    const s = this.level(fnKey, level);
    if (s?.lastEnd === undefined) return;
    s.histogram.add(at - s.lastEnd);
    s.windows = undefined;
  }

  finished(fnKey: string, at: number, level: number): void {
    const s = this.level(fnKey, level);
    if (s) s.lastEnd = at;
  }

  windows(fnKey: string, level: number): KeepAliveWindows {
    const s = this.level(fnKey, level);
    if (!s) return this.fallback;
    s.windows ??= this.decide(s.histogram);
    return s.windows;
  }

  forget(fnKey: string): void {
    this.functions.delete(fnKey);
  }

  /** Which of the three regimes a function is in, for reports and tests. */
  pattern(fnKey: string, level = 1): 'unclear' | 'histogram' | 'out-of-bounds' {
    const h = this.functions.get(fnKey)?.[level - 1]?.histogram;
    return h ? this.classify(h) : 'unclear';
  }

  private classify(h: IdleHistogram): 'unclear' | 'histogram' | 'out-of-bounds' {
    const o = this.o;
    // Idle times beyond the range come a few a day at most: two are enough to predict from.
    if (h.outOfBounds >= 2 && h.outOfBoundsRatio() >= o.outOfBoundsThreshold) return 'out-of-bounds';
    if (h.inBounds + h.outOfBounds < o.minObservations) return 'unclear';
    return h.patternCv2() >= o.cvThreshold ** 2 ? 'histogram' : 'unclear';
  }

  private decide(h: IdleHistogram): KeepAliveWindows {
    const o = this.o;
    const pattern = this.classify(h);
    if (pattern === 'unclear') return this.fallback;
    if (pattern === 'out-of-bounds') {
      const predicted = median(h.recentLong);
      return { prewarmMs: predicted * (1 - o.predictionMargin), keepAliveMs: predicted * o.predictionMargin * 2 };
    }
    let head = h.percentileBin(o.headPercentile);
    let tail = h.percentileBin(o.tailPercentile);
    // Idle times under the fixed window stay covered (see coverBelowFallback): a head
    // within that window moves back to the first of them, the tail out past the last. A
    // head beyond it stays: fixed is cold for the idle times from there on.
    const fixedBins = Math.ceil(o.fallbackMs / o.binMs);
    const first = h.percentileBin(o.coverBelowFallback, fixedBins);
    const last = h.percentileBin(1 - o.coverBelowFallback, fixedBins);
    if (head < fixedBins && first >= 0) head = Math.min(head, first);
    if (last >= 0) tail = Math.max(tail, last);
    const prewarmMs = head * o.binMs * (1 - o.margin);
    // The tail bin's upper edge, counted from the end of the last invocation.
    const until = (tail + 1) * o.binMs * (1 + o.margin);
    if (prewarmMs <= 0) return { prewarmMs: 0, keepAliveMs: Math.min(until, o.keepAliveCapMs) };
    return { prewarmMs, keepAliveMs: until - prewarmMs };
  }

  /** A level's state, created on first use; undefined above `maxLevels`. */
  private level(fnKey: string, level: number): LevelState | undefined {
    if (level < 1 || level > this.o.maxLevels) return undefined;
    let levels = this.functions.get(fnKey);
    if (!levels) this.functions.set(fnKey, (levels = []));
    while (levels.length < level) levels.push({ histogram: new IdleHistogram(this.o.binMs, this.o.rangeMs) });
    return levels[level - 1];
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
