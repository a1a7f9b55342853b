import { existsSync, mkdirSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCOUNT_ID, type Clock, HearthError, invalid, layerArn, notFound } from '../common/index.js';
import type { Blobs, Kv } from '../store/index.js';
import { extractPackage, inspectPackage, type PackageLimits, UNZIPPED_LIMIT } from './code-package.js';
import { lambdaTimestamp } from './function-config.js';
import { buildMerged, mergedName } from './layer-merge.js';

/** One published layer version: immutable once written. */
export interface StoredLayerVersion {
  name: string;
  version: number;
  description: string;
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  licenseInfo?: string;
  /** SHA-256 of the zip, hex. */
  codeSha256: string;
  /** Bytes of the zip. */
  codeSize: number;
  unzippedSize: number;
  createdDate: string;
}

/**
 * What a function keeps of each layer it uses: enough to run without the layer version's
 * record, so deleting the layer version leaves the function working (as on Lambda).
 */
export interface FunctionLayer {
  arn: string;
  codeSha256: string;
  codeSize: number;
  unzippedSize: number;
}

export interface PublishLayerInput {
  /** A name, or the layer's ARN without a version. */
  layerName: string;
  zip: Buffer;
  description?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
}

/** ListLayers / ListLayerVersions filters: versions that list this runtime / architecture. */
export interface LayerFilter {
  runtime?: string;
  architecture?: string;
}

export interface LayerRegistryOptions {
  kv: Kv;
  blobs: Blobs;
  /** Where unpacked packages live, one folder per package sha256 (shared with function code). */
  codeDir: string;
  /** Where merged layer folders live, one per distinct ordered list of layers. */
  optDir: string;
  region: string;
  clock: Clock;
  /** Lambda's 250 MB unzipped limit, for a function's code and layers together. */
  unzippedLimit?: number;
}

/** Lambda's limit on layers per function. */
export const MAX_FUNCTION_LAYERS = 5;
const ARCHITECTURES = ['x86_64', 'arm64'];
const NAME_PATTERN = '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
const VERSION_ARN_PATTERN = 'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';
const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+)$/;
const VERSION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+):([0-9]+)$/;

/**
 * Keys in the `Kv` port: versions under `layer/NAME/` (zero-padded, so key order is
 * number order), the last number taken under `layerseq/NAME` (kept when every version is
 * deleted: a number is never reused). Names hold no `/`.
 */
const versionKey = (name: string, n: number) => `layer/${name}/${String(n).padStart(10, '0')}`;
const versionPrefix = (name: string) => `layer/${name}/`;
const COUNTER_PREFIX = 'layerseq/';
const counterKey = (name: string) => `${COUNTER_PREFIX}${name}`;

function validation(value: string, field: string, constraint: string): HearthError {
  return new HearthError('ValidationException', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

const missing = () => notFound('The resource you requested does not exist.');

/**
 * Lambda layers: zips published as numbered, immutable versions, stored content-addressed
 * like function code. Functions keep a snapshot of the layer versions they use
 * (`FunctionLayer`) and run them merged into one read-only folder, mounted at /opt.
 */
export class LayerRegistry {
  readonly unzippedLimit: number;

  constructor(private readonly o: LayerRegistryOptions) {
    this.unzippedLimit = o.unzippedLimit ?? UNZIPPED_LIMIT;
    mkdirSync(o.codeDir, { recursive: true });
    mkdirSync(o.optDir, { recursive: true });
  }

  arn(name: string, version?: number): string {
    return layerArn(this.o.region, name, version);
  }

  /** Validates, stores and unpacks the zip, then writes version N+1 of the layer. */
  async publish(input: PublishLayerInput): Promise<StoredLayerVersion> {
    const name = this.nameOf(input.layerName);
    const fields = checkFields(input);
    const info = await inspectPackage(input.zip, { unzippedLimit: this.unzippedLimit });
    await this.unpack(input.zip, info.sha256, { unzippedLimit: this.unzippedLimit });
    this.o.blobs.put(input.zip);
    const version: StoredLayerVersion = {
      name,
      version: this.takeNumber(name),
      ...fields,
      codeSha256: info.sha256,
      codeSize: info.zippedBytes,
      unzippedSize: info.unzippedBytes,
      createdDate: lambdaTimestamp(this.o.clock.now()),
    };
    this.o.kv.put(versionKey(name, version.version), version, 0);
    return version;
  }

  /** A layer version by name (or layer ARN) and number; ResourceNotFoundException otherwise. */
  get(layerName: string, version: string | number): StoredLayerVersion {
    const n = Number(version);
    if (!Number.isSafeInteger(n) || n < 1) throw missing();
    const found = this.o.kv.get<StoredLayerVersion>(versionKey(this.nameOf(layerName), n))?.value;
    if (!found) throw missing();
    return found;
  }

  /** A layer version by its ARN (GetLayerVersionByArn). */
  getByArn(arn: string): StoredLayerVersion {
    const m = VERSION_ARN.exec(arn);
    if (!m || arn.length > 140) throw validation(arn, 'arn', `Member must satisfy regular expression pattern: ${VERSION_ARN_PATTERN}`);
    if (m[1] !== this.o.region || m[2] !== ACCOUNT_ID) throw missing();
    return this.get(m[3]!, m[4]!);
  }

  /** A layer's versions, newest first; `marker` is the last version of the previous page. */
  listVersions(layerName: string, filter: LayerFilter, marker?: string, maxItems = 50): { versions: StoredLayerVersion[]; nextMarker?: string } {
    const name = this.nameOf(layerName);
    const below = marker === undefined ? Infinity : Number(marker);
    if (Number.isNaN(below)) throw invalid(`Invalid Marker: ${marker}`);
    const all = this.versionsOf(name).filter((v) => v.version < below && matches(v, filter));
    const versions = all.slice(0, maxItems);
    return { versions, nextMarker: all.length > maxItems ? String(versions[versions.length - 1]!.version) : undefined };
  }

  /** Layers by name, each with its newest version matching the filter (layers with none are left out). */
  listLayers(filter: LayerFilter, marker?: string, maxItems = 50): { layers: { name: string; latest: StoredLayerVersion }[]; nextMarker?: string } {
    const out: { name: string; latest: StoredLayerVersion }[] = [];
    let after = marker === undefined ? undefined : counterKey(marker);
    while (out.length <= maxItems) {
      const names = this.o.kv.list({ prefix: COUNTER_PREFIX, after, limit: 100 }).map((e) => e.key.slice(COUNTER_PREFIX.length));
      for (const name of names) {
        const latest = this.versionsOf(name).find((v) => matches(v, filter));
        if (latest) out.push({ name, latest });
        if (out.length > maxItems) break;
      }
      if (names.length < 100) break;
      after = counterKey(names[names.length - 1]!);
    }
    const layers = out.slice(0, maxItems);
    return { layers, nextMarker: out.length > maxItems ? layers[layers.length - 1]!.name : undefined };
  }

  /**
   * Deletes a layer version's record; deleting one that does not exist succeeds, as on
   * Lambda. Its content stays: functions that use it keep running it.
   */
  delete(layerName: string, version: string): void {
    const n = Number(version);
    if (Number.isSafeInteger(n) && n >= 1) this.o.kv.delete(versionKey(this.nameOf(layerName), n));
  }

  /**
   * Checks a function's `Layers` (at most 5 existing versions of distinct layers) and
   * returns what the function keeps of them, in order.
   */
  resolve(arns: unknown): FunctionLayer[] {
    if (!Array.isArray(arns) || arns.some((a) => typeof a !== 'string')) throw invalid('Layers must be a list of layer version ARNs.');
    if (arns.length > MAX_FUNCTION_LAYERS) throw invalid(`Cannot reference more than ${MAX_FUNCTION_LAYERS} layers.`);
    const seen = new Map<string, string>();
    return (arns as string[]).map((arn) => {
      const m = VERSION_ARN.exec(arn);
      if (!m || arn.length > 140) throw validation(arn, 'layers', `Member must satisfy regular expression pattern: ${VERSION_ARN_PATTERN}`);
      const [, region, account, name, n] = m as unknown as [string, string, string, string, string];
      const other = seen.get(name);
      if (other) throw invalid(`Two different versions of the same layer are not allowed to be referenced in the same function. ${other} and ${arn}`);
      seen.set(name, arn);
      const v = region === this.o.region && account === ACCOUNT_ID ? this.o.kv.get<StoredLayerVersion>(versionKey(name, Number(n)))?.value : undefined;
      if (!v) throw invalid(`Layer version ${arn} does not exist.`);
      return { arn: this.arn(name, v.version), codeSha256: v.codeSha256, codeSize: v.codeSize, unzippedSize: v.unzippedSize };
    });
  }

  /** The budget left for function code next to these layers (for `inspectPackage`). */
  limitsWith(layers: readonly FunctionLayer[] | undefined): PackageLimits {
    return { unzippedLimit: this.unzippedLimit, alreadyUsedBytes: layerBytes(layers) };
  }

  /** Refuses code of `codeBytes` unzipped together with these layers when over the limit. */
  checkCombined(codeBytes: number, layers: readonly FunctionLayer[]): void {
    const total = codeBytes + layerBytes(layers);
    if (total > this.unzippedLimit) {
      throw invalid(`Function code combined with layers exceeds the maximum allowed size of ${this.unzippedLimit} bytes. The actual size is ${total} bytes.`);
    }
  }

  /** Host folder with these layers merged in order; undefined without layers. */
  optPath(layers: readonly FunctionLayer[] | undefined): string | undefined {
    return layers?.length ? join(this.o.optDir, mergedName(layers.map((l) => l.codeSha256))) : undefined;
  }

  /** Builds the merged folder of these layers unless it exists. */
  async prepare(layers: readonly FunctionLayer[]): Promise<void> {
    const dest = this.optPath(layers);
    if (dest) await buildMerged(dest, layers.map((l) => this.codePath(l.codeSha256)));
  }

  /**
   * True when these layers, merged (`prepare` first), have an executable file at `relPath`,
   * directly or through a symlink that stays inside the merged folder: what a runtime
   * finds at /opt/relPath.
   */
  async hasExecutable(layers: readonly FunctionLayer[], relPath: string): Promise<boolean> {
    const root = this.optPath(layers);
    if (!root) return false;
    try {
      const real = await realpath(join(root, relPath));
      const st = await stat(real);
      return real.startsWith(`${await realpath(root)}/`) && st.isFile() && (st.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  }

  private codePath(sha256: string): string {
    return join(this.o.codeDir, sha256);
  }

  private async unpack(zip: Buffer, sha256: string, limits: PackageLimits): Promise<void> {
    const dir = this.codePath(sha256);
    if (existsSync(dir)) return;
    try {
      await extractPackage(zip, dir, limits);
    } catch (err) {
      if (!existsSync(dir)) throw err; // else: the same package was unpacked meanwhile
    }
  }

  private versionsOf(name: string): StoredLayerVersion[] {
    return this.o.kv.list<StoredLayerVersion>({ prefix: versionPrefix(name) }).map((e) => e.value).reverse();
  }

  /** Takes the next version number of a layer; numbers only grow. */
  private takeNumber(name: string): number {
    for (;;) {
      const entry = this.o.kv.get<{ last: number }>(counterKey(name));
      const n = (entry?.value.last ?? 0) + 1;
      if (this.o.kv.put(counterKey(name), { last: n }, entry?.revision ?? 0)) return n;
    }
  }

  /** The layer name a `LayerName` member gives: a name, or a layer ARN of this node. */
  private nameOf(layerName: string): string {
    const m = LAYER_ARN.exec(layerName);
    if (m) {
      if (m[1] !== this.o.region || m[2] !== ACCOUNT_ID) throw missing();
      return m[3]!;
    }
    if (!/^[a-zA-Z0-9_-]{1,140}$/.test(layerName)) throw validation(layerName, 'layerName', `Member must satisfy regular expression pattern: ${NAME_PATTERN}`);
    return layerName;
  }
}

export function layerBytes(layers: readonly FunctionLayer[] | undefined): number {
  return (layers ?? []).reduce((sum, l) => sum + l.unzippedSize, 0);
}

function matches(v: StoredLayerVersion, f: LayerFilter): boolean {
  return (!f.runtime || v.compatibleRuntimes.includes(f.runtime)) && (!f.architecture || v.compatibleArchitectures.includes(f.architecture));
}

function checkFields(input: PublishLayerInput): Pick<StoredLayerVersion, 'description' | 'compatibleRuntimes' | 'compatibleArchitectures' | 'licenseInfo'> {
  const description = input.description ?? '';
  if (description.length > 256) throw validation(description, 'description', 'Member must have length less than or equal to 256');
  const runtimes = input.compatibleRuntimes ?? [];
  if (!Array.isArray(runtimes) || runtimes.length > 15) throw validation(String(runtimes), 'compatibleRuntimes', 'Member must have length less than or equal to 15');
  for (const r of runtimes) {
    if (typeof r !== 'string' || !/^[a-z0-9.]{1,32}$/.test(r)) throw validation(String(r), 'compatibleRuntimes', 'Member must be a Lambda runtime identifier');
  }
  const architectures = input.compatibleArchitectures ?? [];
  if (!Array.isArray(architectures) || architectures.length > 2) throw validation(String(architectures), 'compatibleArchitectures', 'Member must have length less than or equal to 2');
  for (const a of architectures) {
    if (!ARCHITECTURES.includes(a)) throw validation(String(a), 'compatibleArchitectures', `Member must satisfy enum value set: [${ARCHITECTURES.join(', ')}]`);
  }
  if (input.licenseInfo !== undefined && (typeof input.licenseInfo !== 'string' || input.licenseInfo.length > 512)) {
    throw validation(String(input.licenseInfo), 'licenseInfo', 'Member must have length less than or equal to 512');
  }
  return {
    description,
    compatibleRuntimes: [...runtimes],
    compatibleArchitectures: [...architectures],
    ...(input.licenseInfo !== undefined ? { licenseInfo: input.licenseInfo } : {}),
  };
}
