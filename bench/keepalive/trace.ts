import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Random } from '../../src/common/index.js';

/** Lambda's longest timeout: longer execution times in a trace are cut to it. */
export const MAX_DURATION_MS = 900_000;

export interface TraceFunction {
  id: string;
  memoryMb: number;
  /** Draws one execution time. */
  durationMs(random: Random): number;
}

/** Invocations sorted by time: `fns[i]` (an index into `functions`) is invoked at `times[i]`. */
export interface Trace {
  name: string;
  /** Where the trace comes from and how it was turned into arrival times. */
  description: string;
  lengthMs: number;
  functions: TraceFunction[];
  times: Float64Array;
  fns: Uint32Array;
}

/** Merges per-function arrival times into one time-ordered sequence. */
export function mergeArrivals(perFunction: number[][]): { times: Float64Array; fns: Uint32Array } {
  const total = perFunction.reduce((n, list) => n + list.length, 0);
  const times = new Float64Array(total);
  const fns = new Uint32Array(total);
  let i = 0;
  perFunction.forEach((list, fn) => {
    for (const t of list) {
      times[i] = t;
      fns[i++] = fn;
    }
  });
  const order = new Uint32Array(total).map((_, k) => k);
  order.sort((a, b) => times[a]! - times[b]! || fns[a]! - fns[b]!);
  const sortedTimes = new Float64Array(total);
  const sortedFns = new Uint32Array(total);
  order.forEach((k, j) => {
    sortedTimes[j] = times[k]!;
    sortedFns[j] = fns[k]!;
  });
  return { times: sortedTimes, fns: sortedFns };
}

function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const [head, ...rest] = lines;
  if (!head) throw new Error(`${path} is empty`);
  return { header: head.split(','), rows: rest.map((l) => l.split(',')) };
}

/**
 * Execution time drawn from a function's published percentiles (0, 1, 25, 50, 75, 99,
 * 100), linearly between them; a single average when they are missing.
 */
function percentileSampler(points: [number, number][], fallbackMs: number): (random: Random) => number {
  const usable = points.filter(([, v]) => Number.isFinite(v));
  if (usable.length < 2) return () => Math.min(MAX_DURATION_MS, Math.max(1, fallbackMs));
  return (random) => {
    const u = random.next();
    let k = 1;
    while (k < usable.length - 1 && usable[k]![0] < u) k++;
    const [p0, v0] = usable[k - 1]!;
    const [p1, v1] = usable[k]!;
    const v = p1 === p0 ? v1 : v0 + ((u - p0) / (p1 - p0)) * (v1 - v0);
    return Math.min(MAX_DURATION_MS, Math.max(1, v));
  };
}

/**
 * Reads the Azure Functions 2019 trace format: per function, invocation counts for each
 * minute of a day, in columns named `minute_N` or just `N` (both layouts of the dataset).
 * Execution times come from `durations.csv` and memory (per application) from
 * `memory.csv` when those files sit next to it. The dataset gives only a count per
 * minute: the invocations of a minute are spread uniformly at random over it (seeded).
 */
export function readAzureTrace(dir: string, random: Random, file = 'invocations-per-minute.csv', defaultMemoryMb = 256): Trace {
  const { header, rows } = readCsv(join(dir, file));
  const minuteCols = header.flatMap((h, i) => (/^(minute_)?\d+$/.test(h) ? [{ i, minute: Number(h.replace('minute_', '')) - 1 }] : []));
  const col = (name: string) => header.indexOf(name);
  const [fnCol, appCol] = [col('HashFunction'), col('HashApp')];
  if (minuteCols.length === 0 || fnCol < 0) throw new Error(`${file}: no HashFunction or per-minute columns`);
  const durations = optionalCsv(join(dir, 'durations.csv'));
  const memory = optionalCsv(join(dir, 'memory.csv'));
  const durationOf = new Map(durations?.rows.map((r) => [r[durations.header.indexOf('HashFunction')]!, r]));
  const memoryOf = new Map(memory?.rows.map((r) => [r[memory.header.indexOf('HashApp')]!, Number(r[memory.header.indexOf('AverageAllocatedMb')])]));

  const functions: TraceFunction[] = rows.map((r) => {
    const d = durationOf.get(r[fnCol]!);
    const dh = durations?.header ?? [];
    const pct = (p: number) => Number(d?.[dh.indexOf(`percentile_Average_${p}`)]);
    const points: [number, number][] = [[0, pct(0)], [0.01, pct(1)], [0.25, pct(25)], [0.5, pct(50)], [0.75, pct(75)], [0.99, pct(99)], [1, pct(100)]];
    const mb = memoryOf.get(r[appCol]!);
    return {
      id: r[fnCol]!,
      memoryMb: mb && Number.isFinite(mb) ? Math.round(mb) : defaultMemoryMb,
      durationMs: percentileSampler(points, Number(d?.[dh.indexOf('Average')] ?? 1000)),
    };
  });
  const minutes = Math.max(...minuteCols.map((c) => c.minute)) + 1;
  const perFunction: number[][] = rows.map((r) => {
    const list: number[] = [];
    for (const { i, minute } of minuteCols) {
      const n = Number(r[i] ?? 0);
      for (let k = 0; k < n; k++) list.push((minute + random.next()) * 60_000);
    }
    return list;
  });
  return {
    name: `azure-2019 sample (${functions.length} functions, 1 day)`,
    description: 'Azure Functions Trace 2019, per-minute counts spread uniformly at random within each minute',
    lengthMs: minutes * 60_000,
    functions,
    ...mergeArrivals(perFunction),
  };
}

function optionalCsv(path: string) {
  try {
    return readCsv(path);
  } catch {
    return undefined;
  }
}
