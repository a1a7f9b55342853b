import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { type Clock, conflict, functionArn, HearthError, invalid, notFound } from '../common/index.js';
import type { Blobs, Kv } from '../store/index.js';
import { extractPackage, inspectPackage, packageHasExecutable, packageHasFile } from './code-package.js';
import { type ConfigPatch, DEFAULTS, handlerFiles, isCustomRuntime, lambdaTimestamp, revisionMismatch, type StoredFunction, validateConfig, validateName } from './function-config.js';
import type { FunctionLayer, LayerRegistry } from './layer-registry.js';

export interface CreateFunctionInput {
  name: string;
  runtime: string;
  handler: string;
  role?: string;
  description?: string;
  memoryMb?: number;
  timeoutS?: number;
  ephemeralStorageMb?: number;
  env?: Record<string, string>;
  tags?: Record<string, string>;
  /** Layer version ARNs, in order; on a redeploy, undefined keeps the function's layers. */
  layers?: string[];
  maxConcurrentRequests?: number;
  deadLetterTargetArn?: string;
  zip: Buffer;
}

export interface RegistryOptions {
  kv: Kv;
  blobs: Blobs;
  /** Where unpacked code lives, one folder per package sha256. */
  codeDir: string;
  /** Layer versions a function may use; also holds the unzipped size limit. */
  layers: LayerRegistry;
  runtimes: ReadonlySet<string>;
  region: string;
  clock: Clock;
  /**
   * Called after a change: with `version` when only that version changed (`$LATEST` on a
   * code or configuration update), without it when the whole function was deleted.
   */
  onChange: (name: string, version?: string) => void;
  /** Whether a DeadLetterConfig target exists (the queue service); unchecked when absent. */
  deadLetterTargetExists?: (arn: string) => boolean;
}

const key = (name: string) => `fn/${name}`;
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/hearth-function';

/**
 * Functions and their code. Every change is checked completely before anything is
 * written, and the write is a single compare-and-set: a failed deploy changes nothing.
 */
export class FunctionRegistry {
  private readonly cache = new Map<string, StoredFunction>();
  private readonly deleteListeners: ((name: string) => void)[] = [];

  constructor(private readonly o: RegistryOptions) {
    mkdirSync(o.codeDir, { recursive: true });
  }

  arn(name: string, qualifier?: string): string {
    return functionArn(this.o.region, name, qualifier);
  }

  async create(input: CreateFunctionInput): Promise<StoredFunction> {
    validateName(input.name);
    const base = {
      name: input.name,
      runtime: input.runtime,
      handler: input.handler,
      role: input.role ?? DEFAULT_ROLE,
      description: input.description ?? DEFAULTS.description,
      memoryMb: input.memoryMb ?? DEFAULTS.memoryMb,
      timeoutS: input.timeoutS ?? DEFAULTS.timeoutS,
      ephemeralStorageMb: input.ephemeralStorageMb ?? DEFAULTS.ephemeralStorageMb,
      env: input.env ?? {},
      tags: input.tags ?? {},
      ...definedOnly({ maxConcurrentRequests: input.maxConcurrentRequests, deadLetterTargetArn: input.deadLetterTargetArn || undefined }),
    };
    validateConfig(base, this.o.runtimes);
    this.checkDeadLetter(base.deadLetterTargetArn);
    if (this.o.kv.get(key(input.name))) throw conflict(`Function already exist: ${input.name}`);
    const layers = this.o.layers.resolve(input.layers ?? []);
    const code = await this.storeCode(input.zip, base, layers);
    await this.o.layers.prepare(layers);
    const fn: StoredFunction = { ...base, ...code, ...withLayers(layers), revisionId: randomUUID(), lastModified: this.timestamp() };
    if (!this.o.kv.put(key(fn.name), fn, 0)) throw conflict(`Function already exist: ${input.name}`);
    return fn;
  }

  private checkDeadLetter(arn: string | undefined): void {
    if (arn && this.o.deadLetterTargetExists && !this.o.deadLetterTargetExists(arn)) {
      throw invalid(`The dead-letter queue ${arn} does not exist.`);
    }
  }

  /**
   * The current configuration. Every write goes through this registry, so it keeps the
   * latest value in memory: the invoke path then reads no database.
   */
  get(name: string): StoredFunction {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const entry = this.o.kv.get<StoredFunction>(key(name));
    if (!entry) throw notFound(`Function not found: ${this.arn(name)}`);
    this.cache.set(name, entry.value);
    return entry.value;
  }

  list(marker?: string, maxItems = 50): { functions: StoredFunction[]; nextMarker?: string } {
    const limit = Math.min(Math.max(1, maxItems), 10_000);
    const page = this.o.kv.list<StoredFunction>({ prefix: 'fn/', after: marker ? key(marker) : undefined, limit: limit + 1 });
    const functions = page.slice(0, limit).map((e) => e.value);
    return { functions, nextMarker: page.length > limit ? functions[functions.length - 1]?.name : undefined };
  }

  /** With `dryRun`, checks the package and changes nothing. */
  async updateCode(name: string, zip: Buffer, opts: { expectRevisionId?: string; dryRun?: boolean } = {}): Promise<StoredFunction> {
    const entry = this.entry(name, opts.expectRevisionId);
    if (opts.dryRun) {
      await inspectPackage(zip, this.o.layers.limitsWith(entry.value.layers));
      await this.requireHandler(zip, entry.value, entry.value.layers);
      return entry.value;
    }
    const code = await this.storeCode(zip, entry.value, entry.value.layers);
    return this.commit(entry.value, entry.revision, code);
  }

  async updateConfig(name: string, patch: ConfigPatch, expectRevisionId?: string): Promise<StoredFunction> {
    const entry = this.entry(name, expectRevisionId);
    const { layers: arns, ...rest } = patch;
    let next: StoredFunction = { ...entry.value, ...definedOnly(rest) };
    // An empty TargetArn removes the dead-letter queue, as on Lambda.
    if (next.deadLetterTargetArn === '') delete next.deadLetterTargetArn;
    validateConfig(next, this.o.runtimes);
    if (rest.deadLetterTargetArn) this.checkDeadLetter(next.deadLetterTargetArn);
    if (arns !== undefined) {
      const layers = this.o.layers.resolve(arns);
      this.o.layers.checkCombined(await this.codeUnzippedSize(next), layers);
      await this.o.layers.prepare(layers);
      next = { ...next, layers: undefined, ...withLayers(layers) };
    }
    // A custom runtime may run a layer's bootstrap, so a change of layers is checked too.
    const layersChanged = arns !== undefined && isCustomRuntime(next.runtime);
    if (next.handler !== entry.value.handler || next.runtime !== entry.value.runtime || layersChanged) {
      const zip = await readFile(this.o.blobs.path(next.codeSha256));
      await this.requireHandler(zip, next, next.layers);
    }
    return this.commit(next, entry.revision, {});
  }

  /**
   * Creates the function, or replaces its code and configuration together in one write
   * (so a new handler may live in the new code). Used by `hearth deploy`.
   */
  async deploy(input: CreateFunctionInput): Promise<{ fn: StoredFunction; created: boolean }> {
    const entry = this.o.kv.get<StoredFunction>(key(input.name));
    if (!entry) return { fn: await this.create(input), created: true };
    const { zip, name: _name, tags, layers: arns, ...rest } = input;
    const next = { ...entry.value, ...definedOnly(rest), tags: tags ?? entry.value.tags };
    validateConfig(next, this.o.runtimes);
    const layers = arns === undefined ? (entry.value.layers ?? []) : this.o.layers.resolve(arns);
    const code = await this.storeCode(zip, next, layers);
    await this.o.layers.prepare(layers);
    return { fn: this.commit({ ...next, layers: undefined, ...withLayers(layers) }, entry.revision, code), created: false };
  }

  /** Deletes the function; listeners (versions, aliases) drop what belongs to it first. */
  delete(name: string): void {
    this.get(name);
    for (const listener of this.deleteListeners) listener(name);
    this.o.kv.delete(key(name));
    this.cache.delete(name);
    this.o.onChange(name);
  }

  /** Registers what must go with a function when it is deleted. */
  onDelete(listener: (name: string) => void): void {
    this.deleteListeners.push(listener);
  }

  /**
   * Takes the next version number of a function, if $LATEST is still at `revisionId`.
   * The counter lives in the function record and only grows: a number is never reused.
   * $LATEST's RevisionId does not change (its code and configuration did not).
   */
  takeVersionNumber(name: string, revisionId: string): number {
    const entry = this.entry(name);
    if (entry.value.revisionId !== revisionId) throw this.busy(name);
    const n = (entry.value.lastVersion ?? 0) + 1;
    const next: StoredFunction = { ...entry.value, lastVersion: n };
    if (!this.o.kv.put(key(name), next, entry.revision)) throw this.busy(name);
    this.cache.set(name, next);
    return n;
  }

  /** Host file holding a stored package zip. */
  packagePath(sha256: string): string {
    return this.o.blobs.path(sha256);
  }

  /** Host folder with the unpacked code of a package. */
  codePath(sha256: string): string {
    return join(this.o.codeDir, sha256);
  }

  /** Host folder with a function's layers merged (mounted at /opt); undefined without layers. */
  optPath(fn: StoredFunction): string | undefined {
    return this.o.layers.optPath(fn.layers);
  }

  private entry(name: string, expectRevisionId?: string) {
    const entry = this.o.kv.get<StoredFunction>(key(name));
    if (!entry) throw notFound(`Function not found: ${this.arn(name)}`);
    if (expectRevisionId && expectRevisionId !== entry.value.revisionId) {
      throw revisionMismatch();
    }
    return entry;
  }

  private commit(fn: StoredFunction, revision: number, change: Partial<StoredFunction>): StoredFunction {
    const next: StoredFunction = { ...fn, ...change, revisionId: randomUUID(), lastModified: this.timestamp() };
    if (!this.o.kv.put(key(fn.name), next, revision)) throw this.busy(fn.name);
    this.cache.set(fn.name, next);
    this.o.onChange(fn.name, '$LATEST');
    return next;
  }

  private busy(name: string): HearthError {
    return conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${this.arn(name)}`);
  }

  /**
   * Validates, stores and unpacks a package; returns its identity. Writes nothing on
   * failure. Its unzipped size counts against the limit together with the layers'.
   */
  private async storeCode(zip: Buffer, fn: Pick<StoredFunction, 'handler' | 'runtime'>, layers: readonly FunctionLayer[] = []): Promise<Pick<StoredFunction, 'codeSha256' | 'codeSize' | 'codeUnzippedSize'>> {
    const limits = this.o.layers.limitsWith(layers);
    const info = await inspectPackage(zip, limits);
    await this.requireHandler(zip, fn, layers);
    const dir = this.codePath(info.sha256);
    if (!existsSync(dir)) await extractPackage(zip, dir, limits);
    this.o.blobs.put(zip);
    return { codeSha256: info.sha256, codeSize: info.zippedBytes, codeUnzippedSize: info.unzippedBytes };
  }

  private async codeUnzippedSize(fn: StoredFunction): Promise<number> {
    return fn.codeUnzippedSize ?? (await inspectPackage(await readFile(this.o.blobs.path(fn.codeSha256)))).unzippedBytes;
  }

  /**
   * The package must hold what the runtime starts: the handler's file, or for a custom
   * runtime an executable `bootstrap` — the package's (/var/task/bootstrap) or, as on
   * Lambda, one its layers put at /opt/bootstrap.
   */
  private async requireHandler(zip: Buffer, { handler, runtime }: Pick<StoredFunction, 'handler' | 'runtime'>, layers: readonly FunctionLayer[] = []): Promise<void> {
    if (isCustomRuntime(runtime)) {
      if (await packageHasExecutable(zip, 'bootstrap')) return;
      if (layers.length === 0) {
        throw invalid(`Runtime ${runtime} runs the executable file "bootstrap" at the root of the package, or of one of the function's layers (/opt/bootstrap): the package has no executable file "bootstrap" at its root and the function has no layers (zip it with its executable mode, e.g. chmod 755).`);
      }
      await this.o.layers.prepare(layers);
      if (await this.o.layers.hasExecutable(layers, 'bootstrap')) return;
      throw invalid(`Runtime ${runtime} runs the executable file "bootstrap" at the root of the package, or of one of the function's layers (/opt/bootstrap): neither the package nor its ${layers.length} layer(s), merged in order, have an executable file "bootstrap" at their root (zip it with its executable mode, e.g. chmod 755).`);
    }
    const files = handlerFiles(handler);
    if (!(await packageHasFile(zip, files))) {
      throw invalid(`Handler file not found in the package: none of ${files.join(', ')} exists for handler "${handler}".`);
    }
  }

  private timestamp(): string {
    return lambdaTimestamp(this.o.clock.now());
  }
}

/** The `layers` member of a function record: absent when there are none. */
const withLayers = (layers: FunctionLayer[]): Pick<StoredFunction, 'layers'> => (layers.length > 0 ? { layers } : {});

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
