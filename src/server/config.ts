import { isIP } from 'node:net';
import { DEFAULT_REGION, invalid } from '../common/index.js';
import type { SandboxMode } from '../sandbox/index.js';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Throw-away data directory, removed at stop. */
  ephemeral: boolean;
  keepAliveMs: number;
  shutdownGraceMs: number;
  maxConcurrency: number;
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
  shutdownGraceMs: 500,
  maxConcurrency: 1000,
  region: DEFAULT_REGION,
  sandbox: 'auto',
  logRetentionPerFunction: 10_000,
};

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
  if (!isLoopback(config.host) && !config.credentials) {
    throw invalid(
      `Refusing to listen on ${config.host} without credentials: anyone who can reach it could run code. ` +
        'Set HEARTH_ACCESS_KEY_ID and HEARTH_SECRET_ACCESS_KEY, or bind to 127.0.0.1.',
    );
  }
}
