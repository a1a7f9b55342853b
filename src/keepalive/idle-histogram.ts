/**
 * A function's idle times (end of one invocation → start of the next) counted in
 * fixed-width bins over a bounded range; longer ones are counted apart as out of bounds
 * and also kept, the most recent few, for a point prediction.
 */
export class IdleHistogram {
  private readonly bins: Uint32Array;
  /** Idle times within the range. */
  inBounds = 0;
  outOfBounds = 0;
  /** The latest out-of-bounds idle times, oldest first. */
  readonly recentLong: number[] = [];

  constructor(
    readonly binMs: number,
    readonly rangeMs: number,
    private readonly keepLong = 8,
  ) {
    this.bins = new Uint32Array(Math.max(1, Math.ceil(rangeMs / binMs)));
  }

  get binCount(): number {
    return this.bins.length;
  }

  add(idleMs: number): void {
    const bin = Math.floor(Math.max(0, idleMs) / this.binMs);
    if (bin < this.bins.length) {
      this.bins[bin]!++;
      this.inBounds++;
      return;
    }
    this.outOfBounds++;
    this.recentLong.push(idleMs);
    if (this.recentLong.length > this.keepLong) this.recentLong.shift();
  }

  /** Share of all idle times that fell beyond the range. */
  outOfBoundsRatio(): number {
    const all = this.inBounds + this.outOfBounds;
    return all === 0 ? 0 : this.outOfBounds / all;
  }

  /**
   * Coefficient of variation of the bin counts (sample standard deviation / mean). High
   * when idle times concentrate in a few bins (a pattern worth trusting), near 0 when
   * they spread evenly over the range.
   */
  binCountCv(): number {
    const n = this.bins.length;
    if (this.inBounds === 0 || n < 2) return 0;
    const mean = this.inBounds / n;
    let squares = 0;
    for (const count of this.bins) squares += (count - mean) ** 2;
    return Math.sqrt(squares / (n - 1)) / mean;
  }

  /**
   * The squared CV less what sampling alone gives: idle times with no pattern at all (spread
   * uniformly over the bins) have an expected squared CV of bins / count, large for a
   * sparse histogram. Near 0 for no pattern, whatever the count.
   */
  patternCv2(): number {
    if (this.inBounds === 0) return 0;
    return this.binCountCv() ** 2 - this.bins.length / this.inBounds;
  }

  /**
   * Index of the first bin at which the cumulative share of in-range idle times reaches `p`;
   * with `below`, of the idle times in the bins under that index only (-1 when there are none).
   */
  percentileBin(p: number, below = this.bins.length): number {
    const end = Math.min(below, this.bins.length);
    let total = 0;
    for (let i = 0; i < end; i++) total += this.bins[i]!;
    if (total === 0) return end === this.bins.length ? 0 : -1;
    const target = p * total;
    let seen = 0;
    for (let i = 0; i < end; i++) {
      seen += this.bins[i]!;
      if (seen >= target && seen > 0) return i;
    }
    return end - 1;
  }
}
