import type { Clock, Timer } from '../../src/common/index.js';

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Discrete-event time for the simulator: `now()` moves only when the driver fires the
 * next timer. Timers fire in (time, arming order); cancelled ones stay in the heap until
 * they reach the top (cheaper than removing them from the middle).
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly heap: Entry[] = [];
  private live = 0;

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const entry: Entry = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(entry);
    this.live++;
    return {
      cancel: () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        this.live--;
      },
    };
  }

  /** Timers armed and neither fired nor cancelled. */
  get pending(): number {
    return this.live;
  }

  /** When the earliest live timer is due; undefined when none is armed. */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Fires the earliest live timer if it is due at or before `limit`; false when none is. */
  fireNext(limit = Infinity): boolean {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top || top.at > limit) return false;
    this.pop();
    this.live--;
    top.cancelled = true;
    this.t = Math.max(this.t, top.at);
    top.fn();
    return true;
  }

  /** Moves time forward to `at` without firing anything (the driver fired what was due). */
  advanceTo(at: number): void {
    if (at < this.t) throw new Error(`virtual time cannot go back (${at} < ${this.t})`);
    this.t = at;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
