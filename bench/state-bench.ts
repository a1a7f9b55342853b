/**
 * State services benchmark: `npm run bench:state`.
 *
 * Against an in-process Hearth (ephemeral, loopback), in one run:
 *   1. KV: put, get and increment through the native HTTP API (keep-alive connections),
 *      sequential and 16 in flight; baseline: the same operations on raw SQLite (a temp
 *      file with Hearth's pragmas: WAL, synchronous=NORMAL), one transaction each.
 *   2. Objects: PutObject and GetObject of 8 objects × 32 MB through the S3 API
 *      (`@aws-sdk/client-s3`, path-style, streamed); baseline: writing and reading the same
 *      bytes as plain files on the same disk.
 * Prints a table and writes the `state` section of bench/RESULTS.md with the ratios.
 */
import { spawnSync } from 'node:child_process';

// Same conditions as the other benches: no NODE_EXTRA_CA_CERTS (re-execute without it).
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;
if (extraCaCerts !== undefined) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: process.env });
  process.exit(r.status ?? 1);
}

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startHearth } from '../src/server/index.js';
import { replaceSection } from './results-file.js';
import { objectBench } from './state-objects.js';

const RESULTS_PATH = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));
const KV_OPS = 3000;
const PARALLEL = 16;

interface Row {
  what: string;
  hearth: number;
  raw: number;
  unit: string;
}

function call(agent: Agent, url: URL, method: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `n` operations with `parallel` in flight; returns operations per second. */
async function rate(n: number, parallel: number, op: (i: number) => Promise<number>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < n; i = next++) {
        const status = await op(i);
        if (status >= 300) throw new Error(`operation ${i} answered ${status}`);
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

function rawSqlite(dir: string): { put: number; get: number; incr: number } {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, revision INTEGER NOT NULL)');
  const upsert = db.prepare('INSERT INTO kv (key, value, revision) VALUES (?, ?, 1) ON CONFLICT(key) DO UPDATE SET value = excluded.value, revision = revision + 1');
  const select = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const time = (fn: (i: number) => void) => {
    const started = performance.now();
    for (let i = 0; i < KV_OPS; i++) fn(i);
    return KV_OPS / ((performance.now() - started) / 1000);
  };
  const put = time((i) => db.transaction(() => upsert.run(`k${i}`, JSON.stringify({ n: i, pad: 'x'.repeat(100) })))());
  const get = time((i) => void JSON.parse(select.get(`k${i}`)!.value));
  const incr = time(() =>
    db.transaction(() => {
      const v = select.get('counter');
      upsert.run('counter', JSON.stringify((v ? (JSON.parse(v.value) as number) : 0) + 1));
    })(),
  );
  db.close();
  return { put, get, incr };
}

async function kvBench(base: string, dir: string): Promise<Row[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });
  const item = (i: number) => new URL(`${base}/hearth/v1/kv/bench/k${i}`);
  const value = (i: number) => JSON.stringify({ n: i, pad: 'x'.repeat(100) });
  const put1 = await rate(KV_OPS, 1, (i) => call(agent, item(i), 'PUT', value(i)));
  const get1 = await rate(KV_OPS, 1, (i) => call(agent, item(i), 'GET'));
  const incr1 = await rate(KV_OPS, 1, () => call(agent, new URL(`${base}/hearth/v1/kv/bench/counter/incr`), 'POST'));
  const putN = await rate(KV_OPS, PARALLEL, (i) => call(agent, item(i), 'PUT', value(i)));
  const getN = await rate(KV_OPS, PARALLEL, (i) => call(agent, item(i), 'GET'));
  agent.destroy();
  const raw = rawSqlite(dir);
  return [
    { what: 'KV put, sequential', hearth: put1, raw: raw.put, unit: 'ops/s' },
    { what: `KV put, ${PARALLEL} in flight`, hearth: putN, raw: raw.put, unit: 'ops/s' },
    { what: 'KV get, sequential', hearth: get1, raw: raw.get, unit: 'ops/s' },
    { what: `KV get, ${PARALLEL} in flight`, hearth: getN, raw: raw.get, unit: 'ops/s' },
    { what: 'KV increment, sequential', hearth: incr1, raw: raw.incr, unit: 'ops/s' },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-state-bench-'));
  const load = loadavg()[0]!.toFixed(2);
  const hearth = await startHearth({ port: 0, ephemeral: true });
  let rows: Row[];
  try {
    rows = [...(await kvBench(hearth.url, dir)), ...(await objectBench(hearth.url, dir))];
  } finally {
    await hearth.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const table = [
    '| operation | Hearth | raw baseline | Hearth / raw |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.what} | ${fmt(r.hearth)} ${r.unit} | ${fmt(r.raw)} ${r.unit} | ${((r.hearth / r.raw) * 100).toFixed(1)}% |`),
  ].join('\n');
  console.log(table);
  replaceSection(RESULTS_PATH, 'state', `## State services (\`npm run bench:state\`)

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} CPUs, load average ${load} at start.
KV through the native HTTP API on loopback (keep-alive) against raw SQLite with the same pragmas
(one transaction per operation, no HTTP); objects through \`@aws-sdk/client-s3\` (path-style,
streamed) against writing and reading the same bytes as plain files on the same disk.

${table}
`);
}

await main();
