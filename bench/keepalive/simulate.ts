import { type Random, seededRandom } from '../../src/common/index.js';
import type { KeepAlivePolicy } from '../../src/keepalive/index.js';
import { EnvironmentFactory, type FunctionImage, PoolManager, type RuntimeLauncher } from '../../src/pool/index.js';
import { IdleLedger, SimDriver } from './sim-sandbox.js';
import { MAX_DURATION_MS, type Trace } from './trace.js';
import { VirtualClock } from './virtual-clock.js';

export interface SimOptions {
  /** The server's keep-alive (the fixed policy's window, the adaptive one's fallback). */
  keepAliveMs: number;
  /** Virtual time an environment's Init takes. */
  initMs: number;
  /** Seeds the execution times drawn during the replay. */
  seed: number;
}

export interface SimResult {
  trace: string;
  policy: string;
  /** Invocations placed on an environment before the end of the trace. */
  invocations: number;
  cold: number;
  /** Environments started in all (cold starts plus pre-warms). */
  starts: number;
  /** Idle environments' memory × time, GB-seconds. */
  idleGbS: number;
  /** 75th percentile over functions of each function's cold-start share (the paper's headline metric). */
  p75FunctionColdPct: number;
  rejected: number;
  wallMs: number;
  /** Per function id: [invocations, cold starts, idle GB-s]. */
  perFunction: Map<string, [number, number, number]>;
}

const RUNTIME = 'simulated';
const launcher: RuntimeLauncher = { runtimeDir: '/sim/runtime', command: () => ['simulated'], env: () => ({}) };

function imageOf(id: string, memoryMb: number): FunctionImage {
  return { key: id, name: id, version: '$LATEST', runtime: RUNTIME, handler: 'index.handler', memoryMb, timeoutS: MAX_DURATION_MS / 1000, ephemeralStorageMb: 512, env: {}, codeDir: '/sim/code', region: 'us-east-1' };
}

/**
 * Lets every promise continuation run (the pool's async steps) before time moves on. A
 * nextTick queued from a microtask runs once the microtask queue is empty, and nothing in
 * the replay waits on real I/O or real timers; the end-of-run check below would catch a
 * step left behind.
 */
const settle = () => new Promise<void>((resolve) => process.nextTick(resolve));

/**
 * Replays a trace through the real PoolManager, FunctionPool, EnvironmentFactory and
 * Environment, on a virtual clock with simulated sandboxes. Each event (an arrival, or a
 * timer: Init done, a result, the reaper, a pre-warm) runs at its virtual time and every
 * continuation it causes settles before the next one.
 */
export async function simulate(trace: Trace, policy: KeepAlivePolicy, o: SimOptions): Promise<SimResult> {
  const wall = performance.now();
  const clock = new VirtualClock(0);
  const ledger = new IdleLedger(clock);
  const factory = new EnvironmentFactory(new SimDriver(clock, ledger, o.initMs), new Map([[RUNTIME, launcher]]), clock);
  const manager = new PoolManager(factory, clock, { keepAliveMs: o.keepAliveMs, shutdownGraceMs: 0, keepAlivePolicy: policy });
  const images = trace.functions.map((f) => imageOf(f.id, f.memoryMb));
  const random: Random = seededRandom(o.seed);
  const calls = new Uint32Array(trace.functions.length);
  const colds = new Uint32Array(trace.functions.length);
  let placed = 0;
  let placing = 0;
  let cold = 0;
  let rejected = 0;
  let seq = 0;

  const run = async (fn: number) => {
    const pool = manager.pool(images[fn]!);
    let placement;
    placing++;
    try {
      placement = await pool.acquire();
    } catch {
      rejected++;
      return;
    } finally {
      placing--;
    }
    placed++;
    calls[fn]!++;
    if (placement.cold) {
      cold++;
      colds[fn]!++;
    }
    const ms = trace.functions[fn]!.durationMs(random);
    await placement.env.invoke({ t: 'invoke', id: String(seq++), payload: `{"ms":${ms}}`, deadlineMs: clock.now() + MAX_DURATION_MS, invokedFunctionArn: '' }, MAX_DURATION_MS + 1000);
    pool.release(placement.env);
  };

  manager.start();
  let i = 0;
  for (;;) {
    const arrival = i < trace.times.length ? trace.times[i]! : Infinity;
    const timer = clock.nextAt() ?? Infinity;
    const next = Math.min(arrival, timer);
    if (next > trace.lengthMs) break;
    if (arrival <= timer) {
      clock.advanceTo(arrival);
      void run(trace.fns[i++]!);
    } else clock.fireNext();
    await settle();
  }
  // Only placements that arrived within the last Init may still be under way.
  const late = trace.times.filter((t) => t > trace.lengthMs - o.initMs).length;
  if (placing > late) throw new Error(`replay lost track of ${placing - late} placements`);
  clock.advanceTo(trace.lengthMs);
  ledger.close();
  await manager.shutdown();

  const shares: number[] = [];
  calls.forEach((n, fn) => n > 0 && shares.push((100 * colds[fn]!) / n));
  shares.sort((a, b) => a - b);
  return {
    trace: trace.name,
    policy: policy.name,
    invocations: placed,
    cold,
    starts: ledger.starts,
    idleGbS: ledger.gbSeconds,
    p75FunctionColdPct: shares[Math.min(shares.length - 1, Math.ceil(0.75 * shares.length) - 1)] ?? 0,
    rejected,
    wallMs: performance.now() - wall,
    perFunction: new Map(trace.functions.map((f, fn) => [f.id, [calls[fn]!, colds[fn]!, (ledger.byFunction.get(f.id) ?? 0) / 1024 / 1000]])),
  };
}
