import { isIP } from 'node:net';
import { totalmem } from 'node:os';
import { DEFAULT_REGION, invalid } from '../common/index.js';
import { DEFAULT_SCALE_RATE, type ScaleRate } from '../pool/index.js';
import type { SandboxMode } from '../sandbox/index.js';

export interface ServerConfig {
  host: string;
  port: number;
  /**
   * The HTTP trigger listener (function URLs and routes), apart from the API so user
   * paths never collide with it. Absent: 9001, or ephemeral when `port` is 0.
   */
  gatewayPort?: number;
  dataDir: string;
  /** Throw-away data directory, removed at stop. */
  ephemeral: boolean;
  keepAliveMs: number;
  /**
   * `fixed`: every idle environment stays `keepAliveMs`. `adaptive`: per function, a
   * histogram of idle times sets the window and pre-warms ahead of predicted calls,
   * falling back to `keepAliveMs` while the pattern is unclear (SPECIFICATION.md).
   */
  keepAlivePolicy: string;
  shutdownGraceMs: number;
  maxConcurrency: number;
  /** Memory all environments together may hold (MB). */
  capacityMb: number;
  /** New environments per function per period. */
  scaleRate: ScaleRate;
  /** Delays before the retries of a failed asynchronous invocation (Lambda: ~1 and ~2 min). */
  asyncRetryDelaysMs: number[];
  region: string;
  sandbox: SandboxMode;
  /**
   * Pre-warmed generic environments per runtime and memory size (`--prewarm`); 0 disables,
   * absent means the default where the sandbox supports it.
   */
  prewarm?: number;
  /** Required to bind a non-loopback address. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  logRetentionPerFunction: number;
  /** Lambda's 250 MB limit on a function's unzipped code and layers together (lower it in tests). */
  unzippedLimitBytes?: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 9000,
  dataDir: './.hearth',
  ephemeral: false,
  keepAliveMs: 10 * 60_000,
  keepAlivePolicy: 'adaptive',
  shutdownGraceMs: 500,
  maxConcurrency: 1000,
  capacityMb: defaultCapacityMb(),
  scaleRate: DEFAULT_SCALE_RATE,
  asyncRetryDelaysMs: [60_000, 120_000],
  region: DEFAULT_REGION,
  sandbox: 'auto',
  logRetentionPerFunction: 10_000,
};

/** Most of the machine's memory: what is left keeps the server and the OS responsive. */
export function defaultCapacityMb(): number {
  return Math.floor((totalmem() / 1024 / 1024) * 0.8);
}

/** Parses a scale rate: `1000/10s` — environments per period. */
export function parseScaleRate(text: string): ScaleRate {
  const m = /^(\d+)\/(.+)$/.exec(text.trim());
  const environments = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(environments) || environments < 1) {
    throw invalid(`Not a scale rate: "${text}" (use environments/period, e.g. 1000/10s).`);
  }
  const periodMs = parseDuration(m[2]!);
  if (periodMs < 1) throw invalid(`Not a scale rate: "${text}" (the period must be positive).`);
  return { environments, periodMs };
}

/** Parses `60,120`: seconds before retry 1 and retry 2 of an asynchronous invocation. */
export function parseRetryDelays(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const ms = parts.map((p) => (/^\d+(\.\d+)?$/.test(p) ? Math.round(Number(p) * 1000) : NaN));
  if (ms.length !== 2 || ms.some((n) => !Number.isFinite(n))) {
    throw invalid(`Not retry delays: "${text}" (use two numbers of seconds, e.g. 60,120).`);
  }
  return ms;
}

/** Parses a duration: `10m`, `30s`, `1h`, `250ms`, or a plain number of seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw invalid(`Not a duration: "${text}" (use e.g. 10m, 30s or a number of seconds).`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Refuses configurations that would expose an unauthenticated API. */
export function checkExposure(config: ServerConfig): void {
  if (!Number.isSafeInteger(config.maxConcurrency) || config.maxConcurrency < 1) throw invalid('--max-concurrency must be a positive integer.');
  if (!Number.isSafeInteger(config.capacityMb) || config.capacityMb < 128) throw invalid('--capacity-mb must be an integer of at least 128 (one environment of the smallest size).');
  if (!isLoopback(config.host) && !config.credentials) {
    throw invalid(
      `Refusing to listen on ${config.host} without credentials: anyone who can reach it could run code. ` +
        'Set HEARTH_ACCESS_KEY_ID and HEARTH_SECRET_ACCESS_KEY, or bind to 127.0.0.1.',
    );
  }
}
