import { type Clock, HearthError, invalid } from '../common/index.js';
import type { FunctionPool, PoolManager, ProvisionedStatus } from '../pool/index.js';
import type { Kv } from '../store/index.js';
import type { AliasRegistry } from './alias-registry.js';
import { lambdaTimestamp } from './function-config.js';
import type { FunctionImages } from './function-images.js';
import type { FunctionRegistry } from './function-registry.js';
import type { ReservedConcurrency } from './reserved-concurrency.js';

export interface ProvisionedConfig {
  name: string;
  /** A version number or an alias. */
  qualifier: string;
  requested: number;
  lastModified: string;
}

export type ProvisionedView = ProvisionedConfig & Omit<ProvisionedStatus, 'requested'>;

export interface ProvisionedOptions {
  kv: Kv;
  registry: FunctionRegistry;
  aliases: AliasRegistry;
  images: FunctionImages;
  pools: PoolManager;
  reserved: ReservedConcurrency;
  clock: Clock;
}

const PREFIX = 'provisioned/';
const key = (name: string, qualifier: string) => `${PREFIX}${name}/${qualifier}`;
const isVersionNumber = (q: string) => /^[0-9]+$/.test(q);

const notConfigured = () =>
  new HearthError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function');

/**
 * Provisioned concurrency configurations (on a version or an alias) and their effect:
 * each version's pool is told how many environments to keep initialised. An alias's
 * count is split over its versions by routing weight, and follows the alias when it is
 * re-pointed.
 */
export class ProvisionedConcurrency {
  private readonly configs = new Map<string, ProvisionedConfig>();
  /** Per function: the pools given a target, by version. */
  private readonly applied = new Map<string, Map<string, FunctionPool>>();

  constructor(private readonly o: ProvisionedOptions) {
    for (const e of o.kv.list<ProvisionedConfig>({ prefix: PREFIX })) this.configs.set(`${e.value.name}:${e.value.qualifier}`, e.value);
    o.reserved.provisionedOf = (name) => this.totalFor(name);
    o.registry.onDelete((name) => {
      for (const c of this.of(name)) this.remove(c);
      this.applied.delete(name);
    });
    o.aliases.onChange((name) => this.apply(name));
  }

  /** Starts the environments of every stored configuration (server start). */
  start(): void {
    for (const name of new Set([...this.configs.values()].map((c) => c.name))) this.apply(name);
  }

  put(name: string, qualifier: string | null, count: unknown): ProvisionedView {
    this.o.registry.get(name);
    if (!qualifier) throw invalid('Qualifier is required: provisioned concurrency applies to a version or an alias.');
    if (qualifier === '$LATEST') throw invalid('Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
    this.o.images.target(name, qualifier);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      throw invalid('ProvisionedConcurrentExecutions must be an integer of at least 1.');
    }
    const old = this.configs.get(`${name}:${qualifier}`)?.requested ?? 0;
    const total = this.totalFor(name) - old + count;
    const reserved = this.o.reserved.reservedFor(name);
    if (reserved !== undefined && total > reserved) {
      throw invalid(`Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function (${reserved}).`);
    }
    if (reserved === undefined) {
      const room = this.o.reserved.accountLimit - this.o.reserved.totalReserved() - this.o.reserved.minimumUnreserved - this.unreservedProvisioned() + old;
      if (count > room) {
        throw invalid(`Requested Provisioned Concurrency exceeds the account's UnreservedConcurrentExecution: at most ${room} more can be provisioned.`);
      }
    }
    const config: ProvisionedConfig = { name, qualifier, requested: count, lastModified: lambdaTimestamp(this.o.clock.now()) };
    this.o.kv.put(key(name, qualifier), config);
    this.configs.set(`${name}:${qualifier}`, config);
    this.apply(name);
    return this.view(config);
  }

  get(name: string, qualifier: string | null): ProvisionedView {
    this.o.registry.get(name);
    const config = qualifier ? this.configs.get(`${name}:${qualifier}`) : undefined;
    if (!config) throw notConfigured();
    return this.view(config);
  }

  list(name: string): ProvisionedView[] {
    this.o.registry.get(name);
    return this.of(name)
      .sort((a, b) => a.qualifier.localeCompare(b.qualifier))
      .map((c) => this.view(c));
  }

  delete(name: string, qualifier: string | null): void {
    this.o.registry.get(name);
    const config = qualifier ? this.configs.get(`${name}:${qualifier}`) : undefined;
    if (!config) throw notConfigured();
    this.remove(config);
    this.apply(name);
  }

  /** A deleted version takes its configuration with it. */
  forgetVersion(name: string, version: string): void {
    const config = this.configs.get(`${name}:${version}`);
    if (config) this.remove(config);
    this.applied.get(name)?.delete(version);
  }

  totalFor(name: string): number {
    return this.of(name).reduce((n, c) => n + c.requested, 0);
  }

  private unreservedProvisioned(): number {
    let n = 0;
    for (const c of this.configs.values()) if (this.o.reserved.reservedFor(c.name) === undefined) n += c.requested;
    return n;
  }

  private of(name: string): ProvisionedConfig[] {
    return [...this.configs.values()].filter((c) => c.name === name);
  }

  private remove(config: ProvisionedConfig): void {
    this.o.kv.delete(key(config.name, config.qualifier));
    this.configs.delete(`${config.name}:${config.qualifier}`);
  }

  /** How many environments each version gets from one configuration. */
  private shares(config: ProvisionedConfig): Map<string, number> {
    if (isVersionNumber(config.qualifier)) return new Map([[config.qualifier, config.requested]]);
    const alias = this.o.aliases.get(config.name, config.qualifier);
    const out = new Map<string, number>();
    let rest = config.requested;
    for (const [version, weight] of Object.entries(alias.weights)) {
      const n = Math.round(config.requested * weight);
      out.set(version, n);
      rest -= n;
    }
    out.set(alias.functionVersion, (out.get(alias.functionVersion) ?? 0) + rest);
    return out;
  }

  private desired(name: string): Map<string, number> {
    const want = new Map<string, number>();
    for (const config of this.of(name)) {
      let shares: Map<string, number>;
      try {
        shares = this.shares(config);
      } catch {
        // The alias is gone: Lambda deletes its configuration with it.
        this.remove(config);
        continue;
      }
      for (const [v, n] of shares) want.set(v, (want.get(v) ?? 0) + n);
    }
    return want;
  }

  private apply(name: string): void {
    const want = this.desired(name);
    const applied = this.applied.get(name) ?? new Map<string, FunctionPool>();
    for (const [version, pool] of applied) {
      if (!want.has(version)) {
        pool.setProvisioned(0);
        applied.delete(version);
      }
    }
    for (const [version, n] of want) {
      const { image } = this.o.images.resolve(name, version);
      applied.set(version, this.o.pools.provision(image, n));
    }
    if (applied.size > 0) this.applied.set(name, applied);
    else this.applied.delete(name);
  }

  private view(config: ProvisionedConfig): ProvisionedView {
    const applied = this.applied.get(config.name);
    let allocated = 0;
    let available = 0;
    let failure: string | undefined;
    for (const [version, share] of this.shares(config)) {
      const pool = applied?.get(version);
      if (!pool || share === 0) continue;
      const s = pool.provisionedStatus();
      // A version shared by several configurations lends each its proportional part.
      const part = s.requested > 0 ? share / s.requested : 0;
      allocated += Math.min(share, Math.floor(s.allocated * part));
      available += Math.min(share, Math.floor(s.available * part));
      if (s.status === 'FAILED') failure = s.reason;
    }
    const status = failure ? 'FAILED' : allocated >= config.requested ? 'READY' : 'IN_PROGRESS';
    return { ...config, allocated, available, status, ...(failure ? { reason: failure } : {}) };
  }
}
