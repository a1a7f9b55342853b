import type { Random } from '../../src/common/index.js';
import { MAX_DURATION_MS, mergeArrivals, type Trace, type TraceFunction } from './trace.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const exponential = (r: Random, mean: number) => -mean * Math.log(1 - r.next());
const normal = (r: Random) => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
const logNormal = (r: Random, median: number, sigma: number) => median * Math.exp(sigma * normal(r));
const logUniform = (r: Random, lo: number, hi: number) => lo * (hi / lo) ** r.next();
const pick = <T>(r: Random, items: readonly T[]) => items[Math.floor(r.next() * items.length)]!;

/**
 * Function classes and their shares, after the published characterisation of the Azure
 * Functions workload (Shahrad et al., ATC'20): invocation rates spanning many orders of
 * magnitude with most functions invoked rarely (under once an hour); a sixth of functions
 * timer-triggered (near-periodic, inter-arrival CV ≈ 0); HTTP/queue-style traffic that
 * is roughly memoryless (CV ≈ 1) or bursty (CV > 1); execution times log-normal around
 * a second; memory mostly small (median ~170 MB).
 */
export const CLASSES = [
  { kind: 'timer', share: 0.16, what: 'period 1 min – 4 h, ±1 s jitter' },
  { kind: 'steady', share: 0.4, what: 'Poisson, 1 – 20,000 calls/day (log-uniform)' },
  { kind: 'bursty', share: 0.3, what: 'bursts of ~2 – 40 calls seconds apart, bursts 10 min – 6 h apart (Poisson)' },
  { kind: 'rare', share: 0.14, what: '1 – 4 calls/day at random times' },
] as const;
type Kind = (typeof CLASSES)[number]['kind'];

const TIMER_PERIODS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 240];

function arrivals(kind: Kind, r: Random, lengthMs: number): number[] {
  const out: number[] = [];
  switch (kind) {
    case 'timer': {
      const period = pick(r, TIMER_PERIODS_MIN) * MINUTE;
      for (let t = r.next() * period; t < lengthMs; t += period) out.push(Math.max(0, t + (r.next() - 0.5) * 2000));
      break;
    }
    case 'steady': {
      const mean = DAY / logUniform(r, 1, 20_000);
      for (let t = exponential(r, mean); t < lengthMs; t += exponential(r, mean)) out.push(t);
      break;
    }
    case 'bursty': {
      const burstGap = logUniform(r, 10 * MINUTE, 6 * HOUR);
      const size = logUniform(r, 2, 40);
      const within = logUniform(r, 1000, 10_000);
      for (let t = exponential(r, burstGap); t < lengthMs; t += exponential(r, burstGap)) {
        const n = 1 + Math.floor(exponential(r, size));
        for (let k = 0, u = t; k < n && u < lengthMs; k++, u += exponential(r, within)) out.push(u);
      }
      break;
    }
    case 'rare': {
      const n = 1 + Math.floor(r.next() * 4);
      for (let k = 0; k < n; k++) out.push(r.next() * lengthMs);
      break;
    }
  }
  return out.sort((a, b) => a - b);
}

/** A seeded synthetic trace of `count` functions over `lengthMs` (default one day). */
export function syntheticTrace(random: Random, count: number, lengthMs = DAY, label = ''): Trace {
  const functions: TraceFunction[] = [];
  const perFunction: number[][] = [];
  for (let i = 0; i < count; i++) {
    let u = random.next();
    const cls = CLASSES.find((c) => (u -= c.share) < 0) ?? CLASSES[CLASSES.length - 1]!;
    const median = logNormal(random, 1000, 1.5);
    functions.push({
      id: `${cls.kind}-${i}`,
      memoryMb: Math.round(Math.min(3008, Math.max(128, logNormal(random, 170, 0.7)))),
      durationMs: (r) => Math.min(MAX_DURATION_MS, Math.max(1, logNormal(r, median, 0.5))),
    });
    perFunction.push(arrivals(cls.kind, random, lengthMs));
  }
  return {
    name: `synthetic${label} (${count} functions, ${Math.round(lengthMs / HOUR)} h)`,
    description: `seeded mix: ${CLASSES.map((c) => `${Math.round(c.share * 100)}% ${c.kind} (${c.what})`).join('; ')}`,
    lengthMs,
    functions,
    ...mergeArrivals(perFunction),
  };
}
