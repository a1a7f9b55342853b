import type { Clock, Timer } from '../common/index.js';
import type { Environment } from './environment.js';
import type { FunctionImage } from './function-image.js';
import { GENERIC_TMP_MB, type GenericHandle, runtimeFamily, STARTUP_VARIABLES } from './generic-environment.js';

/** Where the pool gets its environments from (`GenericLauncher`; a fake in unit tests). */
export interface GenericSpawner<H extends GenericHandle> {
  runtimes(): string[];
  slotEntries(image: FunctionImage): number;
  spawn(runtime: string, memoryMb: number): H;
}

export interface GenericPoolOptions {
  /** Generic environments kept ready per runtime and memory size; 0 disables the pool. */
  size: number;
  /** Memory sizes kept warm per runtime, most recently asked for first. */
  maxSizes?: number;
  /** Sizes warmed from the start, before any function asked (Lambda's default MemorySize). */
  seedMemoryMb?: number[];
  /** Wait after a take before refilling, so the replacement does not compete with the Init it made room for. */
  refillDelayMs?: number;
  /** Capacity check before each start (memory the new environment holds while starting). */
  hasRoom?: (memoryMb: number) => boolean;
}

/**
 * Hard-linking a tree into a slot costs ~25 µs per file or folder here, synchronously on
 * the server's event loop. Above this many (~12 ms) such functions start plainly: the
 * fill would block other requests and approach the cost of a spawn (~65 ms at 2,500).
 */
export const MAX_SLOT_ENTRIES = 500;

interface Tier {
  runtime: string;
  memoryMb: number;
  ready: GenericHandle[];
  starting: Set<GenericHandle>;
  lastAsked: number;
}

/**
 * Pre-warmed generic environments, per runtime and memory size: started, sandboxed and
 * frozen, knowing no function yet (Fission's pool manager, in process form). A cold
 * start takes one and gives it its function (`start`): no process is spawned on the
 * request path. Each environment is taken at most once; the pool refills in the
 * background through the injected Clock.
 *
 * Memory sizes are separate tiers because V8 sizes its heap from the cgroup cap it sees
 * at start: an environment serves only functions of the size it was started with.
 */
export class GenericPool<H extends GenericHandle = GenericHandle> {
  private readonly tiers = new Map<string, Tier>();
  private readonly prewarmable: Set<string>;
  private refill?: Timer;
  private failures = 0;
  private stopped = false;
  /** Takes served from the pool and cold starts that found it empty, for the bench and tests. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly spawner: GenericSpawner<H>,
    private readonly clock: Clock,
    private readonly options: GenericPoolOptions,
  ) {
    this.prewarmable = new Set(options.size > 0 ? spawner.runtimes() : []);
  }

  start(): void {
    for (const runtime of this.prewarmable) {
      for (const memoryMb of this.options.seedMemoryMb ?? [128]) this.tier(runtime, memoryMb);
    }
    this.schedule(0);
  }

  /**
   * An environment of `image` made from a generic one, Init under way; undefined when the
   * function cannot use one (then it starts plainly). `variables(id)` builds the process
   * environment a plain start with that environment id would get.
   */
  take(image: FunctionImage, variables: (id: string) => Record<string, string>): Environment | undefined {
    if (!this.eligible(image)) return undefined;
    const tier = this.tier(image.runtime, image.memoryMb);
    tier.lastAsked = this.clock.monotonic();
    let handle: GenericHandle | undefined;
    while ((handle = tier.ready.pop()) && !handle.alive());
    this.schedule(this.options.refillDelayMs ?? 50);
    if (!handle) {
      this.stats.misses++;
      return undefined;
    }
    const env = variables(handle.id);
    const pattern = STARTUP_VARIABLES[runtimeFamily(image.runtime)]!;
    try {
      if (!sameStartup(env, handle.spawnEnv, pattern)) throw new Error('start-up variables differ');
      const environment = handle.assign(image, env);
      this.stats.hits++;
      return environment;
    } catch {
      // Consumed either way: it may hold part of this function's code now.
      handle.kill();
      this.stats.misses++;
      return undefined;
    }
  }

  /** Memory the pool holds of the node: caps of starting and waiting generic environments. */
  reservedMb(): number {
    let mb = 0;
    for (const t of this.tiers.values()) {
      for (const h of [...t.ready, ...t.starting]) mb += h.heldMb();
    }
    return mb;
  }

  /**
   * Gives memory back to real environments: kills waiting generic environments (of the
   * least recently asked-for sizes first) until `mb` is freed; returns what was freed.
   * The refill comes back later, only into free room.
   */
  shed(mb: number): number {
    let freed = 0;
    const tiers = [...this.tiers.values()].sort((a, b) => a.lastAsked - b.lastAsked);
    for (const t of tiers) {
      while (freed < mb && t.ready.length > 0) {
        const h = t.ready.pop()!;
        freed += h.heldMb();
        h.kill();
      }
    }
    if (freed > 0) this.schedule(1000);
    return freed;
  }

  /** Waiting generic environments by `runtime/memoryMb`. */
  counts(): Map<string, { ready: number; starting: number }> {
    return new Map([...this.tiers].map(([k, t]) => [k, { ready: t.ready.length, starting: t.starting.size }]));
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.refill?.cancel();
    const all = [...this.tiers.values()].flatMap((t) => [...t.ready, ...t.starting]);
    this.tiers.clear();
    for (const h of all) h.kill();
    await Promise.all(all.map((h) => h.closed));
  }

  /** Hearth's own runtimes, the /tmp size generic environments have, no start-up variables of its own, code small enough to link. */
  private eligible(image: FunctionImage): boolean {
    if (this.stopped || !this.prewarmable.has(image.runtime)) return false;
    if (image.ephemeralStorageMb > GENERIC_TMP_MB) return false;
    const pattern = STARTUP_VARIABLES[runtimeFamily(image.runtime)]!;
    if (Object.keys(image.env).some((k) => pattern.test(k))) return false;
    return this.spawner.slotEntries(image) <= MAX_SLOT_ENTRIES;
  }

  private tier(runtime: string, memoryMb: number): Tier {
    const key = `${runtime}/${memoryMb}`;
    let tier = this.tiers.get(key);
    if (!tier) {
      tier = { runtime, memoryMb, ready: [], starting: new Set(), lastAsked: this.clock.monotonic() };
      this.tiers.set(key, tier);
      this.evict(runtime);
    }
    return tier;
  }

  /** Keeps `maxSizes` memory sizes per runtime: the least recently asked for goes. */
  private evict(runtime: string): void {
    const own = [...this.tiers].filter(([, t]) => t.runtime === runtime).sort(([, a], [, b]) => b.lastAsked - a.lastAsked);
    for (const [key, t] of own.slice(this.options.maxSizes ?? 4)) {
      this.tiers.delete(key);
      for (const h of [...t.ready, ...t.starting]) h.kill();
    }
  }

  private schedule(ms: number): void {
    if (this.stopped || this.refill) return;
    this.refill = this.clock.setTimer(ms, () => {
      this.refill = undefined;
      this.fill();
    });
  }

  private fill(): void {
    for (const tier of this.tiers.values()) {
      tier.ready = tier.ready.filter((h) => h.alive());
      for (let n = tier.ready.length + tier.starting.size; n < this.options.size; n++) {
        if (this.options.hasRoom && !this.options.hasRoom(tier.memoryMb)) return this.schedule(1000);
        let handle: H;
        try {
          handle = this.spawner.spawn(tier.runtime, tier.memoryMb);
        } catch {
          return this.failed();
        }
        tier.starting.add(handle);
        handle.standby.then(
          () => {
            tier.starting.delete(handle);
            this.failures = 0;
            if (this.stopped || this.tiers.get(`${tier.runtime}/${tier.memoryMb}`) !== tier) return handle.kill();
            tier.ready.push(handle);
            // One that dies while waiting (killed from outside) is replaced.
            void handle.closed.then(() => {
              if (tier.ready.includes(handle)) this.schedule(0);
            });
          },
          () => {
            tier.starting.delete(handle);
            this.failed();
          },
        );
      }
    }
  }

  /** A start failed: retry later, backing off so a broken runtime does not spin. */
  private failed(): void {
    this.failures++;
    this.schedule(Math.min(30_000, 100 * 2 ** Math.min(this.failures - 1, 9)));
  }
}

/** The start-up variables of `env` are those the generic environment started with. */
function sameStartup(env: Record<string, string>, spawnEnv: Record<string, string>, pattern: RegExp): boolean {
  const names = new Set([...Object.keys(env), ...Object.keys(spawnEnv)].filter((k) => pattern.test(k)));
  return [...names].every((k) => env[k] === spawnEnv[k]);
}
