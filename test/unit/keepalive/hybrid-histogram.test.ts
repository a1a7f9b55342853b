import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/common/index.js';
import { FixedKeepAlive, HybridHistogramKeepAlive, IdleHistogram, keepAlivePolicy } from '../../../src/keepalive/index.js';

const MIN = 60_000;
const FALLBACK = 10 * MIN;

/** Feeds one function's calls: each starts `gaps[i]` after the previous one ended (runs 1 s). */
function replay(policy: HybridHistogramKeepAlive, gaps: number[], fn = 'f', level = 1): void {
  let t = 0;
  policy.invoked(fn, t, level);
  policy.finished(fn, (t += 1000), level);
  for (const gap of gaps) {
    policy.invoked(fn, (t += gap), level);
    policy.finished(fn, (t += 1000), level);
  }
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} ≉ ${expected}`);

test('fixed: the same window for every function and level, never a pre-warm', () => {
  const p = new FixedKeepAlive(7000);
  p.invoked('f', 0, 1);
  p.finished('f', 10, 1);
  assert.deepEqual(p.windows('f', 1), { prewarmMs: 0, keepAliveMs: 7000 });
  assert.deepEqual(p.windows('g', 5), { prewarmMs: 0, keepAliveMs: 7000 });
});

test('adaptive: falls back to the fixed window before it has seen enough idle times', () => {
  const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  assert.deepEqual(p.windows('f', 1), { prewarmMs: 0, keepAliveMs: FALLBACK });
  replay(p, [30 * MIN, 30 * MIN]);
  assert.equal(p.pattern('f'), 'unclear');
  assert.deepEqual(p.windows('f', 1), { prewarmMs: 0, keepAliveMs: FALLBACK });
});

test('adaptive: a periodic function is pre-warmed at the 5th percentile less 10% and kept to the 99th plus 10%', () => {
  const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  replay(p, Array.from({ length: 20 }, () => 30 * MIN + 5000)); // every idle time in bin 30
  assert.equal(p.pattern('f'), 'histogram');
  const w = p.windows('f', 1);
  close(w.prewarmMs, 30 * MIN * 0.9);
  // Loaded until the tail bin's upper edge (31 min) plus 10%, counted from the end of the call.
  close(w.prewarmMs + w.keepAliveMs, 31 * MIN * 1.1);
});

test('adaptive: head and tail follow the percentiles of a spread histogram', () => {
  const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  // 100 idle times: 5 at 2 min, 94 at 20 min, 1 at 50 min.
  replay(p, [...Array(5).fill(2 * MIN + 1), ...Array(94).fill(20 * MIN + 1), 50 * MIN + 1]);
  const w = p.windows('f', 1);
  close(w.prewarmMs, 2 * MIN * 0.9); // 5th percentile: bin 2
  close(w.prewarmMs + w.keepAliveMs, 21 * MIN * 1.1); // 99th percentile: bin 20 (the 50-min one is the last 1%)
});

test('adaptive: a head in the first bin means no pre-warm, and the keep-alive never exceeds the fixed window', () => {
  const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  replay(p, Array(50).fill(10_000));
  assert.deepEqual(p.windows('f', 1), { prewarmMs: 0, keepAliveMs: 1 * MIN * 1.1 });
  const bursty = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  replay(bursty, [...Array(90).fill(10_000), ...Array(10).fill(3 * 60 * MIN)]);
  assert.equal(bursty.pattern('f'), 'histogram');
  assert.deepEqual(bursty.windows('f', 1), { prewarmMs: 0, keepAliveMs: FALLBACK }, 'the 3-hour tail is capped');
});

test('adaptive: idle times with no pattern stay on the fixed window, however many or few', () => {
  const random = seededRandom(42);
  for (const n of [30, 400]) {
    const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
    replay(p, Array.from({ length: n }, () => random.next() * 4 * 60 * MIN));
    assert.equal(p.pattern('f'), 'unclear', `${n} uniform idle times`);
    assert.deepEqual(p.windows('f', 1), { prewarmMs: 0, keepAliveMs: FALLBACK });
  }
});

test('adaptive: mostly out-of-bounds idle times are predicted (85% pre-warm, 30% keep-alive)', () => {
  const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  replay(p, [5 * 60 * MIN, 6 * 60 * MIN, 7 * 60 * MIN, 2 * MIN]);
  assert.equal(p.pattern('f'), 'out-of-bounds');
  const predicted = 6 * 60 * MIN; // median of the out-of-bounds ones
  assert.deepEqual(p.windows('f', 1), { prewarmMs: predicted * 0.85, keepAliveMs: predicted * 0.3 });
});

test('adaptive: levels learn apart; above maxLevels and after forget, the fixed window', () => {
  const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK, maxLevels: 2 });
  replay(p, Array(20).fill(30 * MIN + 1), 'f', 1);
  replay(p, Array(20).fill(20_000), 'f', 2);
  assert.ok(p.windows('f', 1).prewarmMs > 0);
  assert.deepEqual(p.windows('f', 2), { prewarmMs: 0, keepAliveMs: 1.1 * MIN });
  assert.deepEqual(p.windows('f', 3), { prewarmMs: 0, keepAliveMs: FALLBACK });
  p.forget('f');
  assert.deepEqual(p.windows('f', 1), { prewarmMs: 0, keepAliveMs: FALLBACK });
});

test('IdleHistogram: bins, out-of-bounds share, percentiles and the noise-corrected CV', () => {
  const h = new IdleHistogram(MIN, 10 * MIN);
  assert.equal(h.binCount, 10);
  for (const ms of [0, 59_999, 60_000, 9 * MIN + 1, 10 * MIN, -5]) h.add(ms);
  assert.equal(h.inBounds, 5); // -5 counts as 0
  assert.equal(h.outOfBounds, 1);
  close(h.outOfBoundsRatio(), 1 / 6);
  assert.equal(h.percentileBin(0.05), 0);
  assert.equal(h.percentileBin(0.6), 0);
  assert.equal(h.percentileBin(0.61), 1);
  assert.equal(h.percentileBin(1), 9);
  const concentrated = new IdleHistogram(MIN, 10 * MIN);
  for (let i = 0; i < 10; i++) concentrated.add(5 * MIN);
  close(concentrated.binCountCv(), Math.sqrt(10)); // one bin of ten: CV² = bins
  close(concentrated.patternCv2(), 10 - 1);
  const even = new IdleHistogram(MIN, 10 * MIN);
  for (let i = 0; i < 10; i++) even.add(i * MIN);
  assert.equal(even.binCountCv(), 0);
});

test('keepAlivePolicy: fixed or adaptive by name; anything else is refused', () => {
  assert.equal(keepAlivePolicy('fixed', 1000).name, 'fixed');
  assert.equal(keepAlivePolicy('adaptive', 1000).name, 'adaptive');
  assert.throws(() => keepAlivePolicy('lru', 1000), /Unknown keep-alive policy "lru" \(use fixed or adaptive\)/);
});

test('adaptive: idle times under the fixed window stay covered (no pre-warm after one, no keep-alive short of one)', () => {
  // 3 of 100 idle times at 1 min (under the 5th percentile), the rest at 5 min: the paper
  // pre-warms at 4.5 min and loses those three, which fixed keeps warm.
  const early = [...Array(3).fill(MIN + 1), ...Array(97).fill(5 * MIN + 1)];
  const p = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  replay(p, early);
  close(p.windows('f', 1).prewarmMs, 1 * MIN * 0.9);
  const paper = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK, coverBelowFallback: 0.05 });
  replay(paper, early);
  close(paper.windows('f', 1).prewarmMs, 5 * MIN * 0.9);
  // A head beyond the fixed window keeps the paper's pre-warm: fixed is cold for the 97%.
  const beyond = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  replay(beyond, [...Array(3).fill(MIN + 1), ...Array(97).fill(30 * MIN + 1)]);
  close(beyond.windows('f', 1).prewarmMs, 30 * MIN * 0.9);
  // 995 idle times of 10 s and 5 at 7 min: the 99th percentile is the first bin, but fixed
  // keeps the 7-minute ones warm, so the window reaches past them.
  const late = [...Array(995).fill(10_000), ...Array(5).fill(7 * MIN + 1)];
  const q = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK });
  replay(q, late);
  assert.deepEqual(q.windows('f', 1), { prewarmMs: 0, keepAliveMs: 8 * MIN * 1.1 });
  const paperLate = new HybridHistogramKeepAlive({ fallbackMs: FALLBACK, coverBelowFallback: 0.01 });
  replay(paperLate, late);
  assert.deepEqual(paperLate.windows('f', 1), { prewarmMs: 0, keepAliveMs: 1 * MIN * 1.1 });
});

test('IdleHistogram: percentiles of the bins under a limit, -1 when they are empty', () => {
  const h = new IdleHistogram(MIN, 10 * MIN);
  for (const ms of [2 * MIN, 3 * MIN, 8 * MIN]) h.add(ms);
  assert.equal(h.percentileBin(0, 5), 2);
  assert.equal(h.percentileBin(1, 5), 3);
  assert.equal(h.percentileBin(1), 8);
  assert.equal(h.percentileBin(0.5, 2), -1);
});
