/**
 * Hearth invoke benchmark: `npm run bench`.
 *
 * One run measures, in order:
 *   1. the cost of a bare Node start on this machine (`node -e 0`, clean environment);
 *   2. cold start (deploy → first response) under the `process` and `auto` sandbox drivers,
 *      and `auto` taking a pre-warmed generic environment (`--prewarm`) instead of spawning;
 *   3. warm invoke overhead against a bare node:http server returning the same JSON;
 *   4. closed-loop throughput at concurrency 1, 8 and 32, Hearth vs the bare server.
 * It prints a table and rewrites bench/RESULTS.md, keeping its hand-written notes section and
 * the other benchmarks' sections, and comparing with the numbers of the previous run, which
 * RESULTS.md carries.
 *
 * Only loopback traffic; every server it starts is stopped at the end; bounded to 5 min.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';

// NODE_EXTRA_CA_CERTS costs ~30 ms per Node start. Hearth gives its environments a clean
// environment anyway, but this process and the `node -e 0` baseline must not pay for it
// either: drop it, and if it was set, re-run this script in an environment without it
// (Node reads it only at start-up, so deleting it here is not enough on its own).
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;
if (extraCaCerts !== undefined) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: process.env });
  process.exit(r.status ?? 1);
}

import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sectionsOf } from './results-file.js';
import { loadavg, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

// ---------------------------------------------------------------------------------------
// Parameters.
const BASELINE_RUNS = 30;
const BASELINE_WARMUP = 3;
const COLD_N = 30;
const COLD_WARMUP = 2;
/** `prewarmed`: the auto driver with a full generic pool (pool/generic-pool.ts) at every cold start. */
const DRIVERS = ['process', 'auto', 'prewarmed'] as const;
type ColdMode = (typeof DRIVERS)[number];
const PREWARM = 2;
const MEMORY_MB = 1769;
const WARM_WARMUP = 500;
const WARM_N = 5000;
const CONCURRENCY = [1, 8, 32];
const THROUGHPUT_MS = 5000;
const THROUGHPUT_WARMUP_MS = 1000;
const BUDGET_MS = 5 * 60_000;

const TARGET_OVERHEAD_P50_MS = 0.5;
const TARGET_OVERHEAD_P99_MS = 2;
const TARGET_C8_RATIO = 0.4;
const TARGET_PREWARMED_P50_MS = 10;
const TARGET_PREWARMED_P99_MS = 30;

const HANDLER = 'exports.handler = async () => ({ ok: true });\n';
const EXPECTED = '{"ok":true}';
const RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
/** What Hearth gives environments, near enough: no NODE_* variables, a plain PATH. */
const CLEAN_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin' };

const RESULTS_PATH = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));

// ---------------------------------------------------------------------------------------
// Statistics.
interface Stats {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
function pct(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: pct(s, 50),
    p99: pct(s, 99),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

// ---------------------------------------------------------------------------------------
// HTTP client: node:http over a keep-alive Agent, timed from request start to response end.
interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

function post(agent: Agent, port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers, ms: performance.now() - t0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const invokePath = (name: string) => `/2015-03-31/functions/${name}/invocations`;

function expectOk(r: Reply, what: string): void {
  if (r.status !== 200 || r.body !== EXPECTED) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
}

/** The bare comparison server: reads the body, answers the same JSON. */
async function startBare(): Promise<{ server: Server; port: number }> {
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(EXPECTED) });
      res.end(EXPECTED);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

// ---------------------------------------------------------------------------------------
// Hearth plumbing (loaded lazily: the parent of a re-exec never needs it).
const { startHearth } = await import('../src/server/index.js');
const { makeZip } = await import('../test/support/zip.js');
type Hearth = Awaited<ReturnType<typeof startHearth>>;

const running = new Set<Hearth>();
async function hearth(sandbox: 'auto' | 'process', prewarm = 0): Promise<Hearth> {
  // 32 environments of 1,769 MB are 56 GB of memory *limits* (a trivial handler uses ~40 MB
  // of it): the default capacity (80% of RAM) would throttle the concurrency-32 run.
  const capacityMb = Math.max(...CONCURRENCY) * MEMORY_MB + 4096;
  const h = await startHearth({ port: 0, ephemeral: true, sandbox, keepAliveMs: 10 * 60_000, prewarm, capacityMb });
  running.add(h);
  return h;
}
async function stopHearth(h: Hearth): Promise<void> {
  running.delete(h);
  await h.stop();
}

const zipB64 = (await makeZip({ 'index.js': HANDLER })).toString('base64');
const createBody = (name: string) =>
  JSON.stringify({
    FunctionName: name,
    Runtime: RUNTIME,
    Handler: 'index.handler',
    Role: 'arn:aws:iam::000000000000:role/bench',
    MemorySize: MEMORY_MB,
    Code: { ZipFile: zipB64 },
  });

async function createFunction(agent: Agent, h: Hearth, name: string): Promise<number> {
  const r = await post(agent, h.port, '/2015-03-31/functions', createBody(name));
  if (r.status !== 201) throw new Error(`CreateFunction ${name}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
  return r.ms;
}

// ---------------------------------------------------------------------------------------
// Watchdog: the whole bench must stay under 5 minutes.
const benchStart = performance.now();
const watchdog = setTimeout(() => {
  console.error(`\nbench: over the ${BUDGET_MS / 1000} s budget, stopping servers and giving up`);
  const stops = Promise.all([...running].map((h) => h.stop().catch(() => undefined)));
  void Promise.race([stops, new Promise((ok) => setTimeout(ok, 5000))]).then(() => process.exit(2));
}, BUDGET_MS);
watchdog.unref();

const log = (s: string) => process.stdout.write(s + '\n');
const ms = (v: number) => (Number.isFinite(v) ? (Math.abs(v) < 10 ? v.toFixed(3) : v.toFixed(1)) : '—');

// ---------------------------------------------------------------------------------------
// 1. Baseline: node -e 0.
async function nodeStart(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { env: CLEAN_ENV, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`node -e 0 exited ${code}`))));
  });
}

async function baseline(): Promise<Stats> {
  for (let i = 0; i < BASELINE_WARMUP; i++) await nodeStart();
  const samples: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) samples.push(await nodeStart());
  return stats(samples);
}

// ---------------------------------------------------------------------------------------
// 2. Cold start: deploy → first response, per driver.
interface ColdResult {
  mode: string;
  driver: string;
  create: Stats;
  cold: Stats;
  /** Init Duration from the REPORT line (the bootstrap's own Init, after Node started). */
  init: Stats;
}

/**
 * Waits until the generic pool holds PREWARM ready environments of the bench's size: a
 * cold start then always finds one (the warm-up starts open the pool's 1,769 MB tier).
 */
async function poolFull(h: Hearth): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if ((h.generic?.counts().get(`${RUNTIME}/${MEMORY_MB}`)?.ready ?? 0) >= PREWARM) return;
    await new Promise((ok) => setTimeout(ok, 5));
  }
  throw new Error('the generic pool did not refill within 10 s');
}

async function coldStarts(mode: ColdMode): Promise<ColdResult> {
  const h = await hearth(mode === 'process' ? 'process' : 'auto', mode === 'prewarmed' ? PREWARM : 0);
  const agent = new Agent({ keepAlive: true });
  const creates: number[] = [];
  const colds: number[] = [];
  const inits: number[] = [];
  try {
    for (let i = -COLD_WARMUP; i < COLD_N; i++) {
      if (mode === 'prewarmed' && i >= 0) await poolFull(h);
      const name = `cold-${mode}-${i < 0 ? `w${-i}` : i}`;
      const createMs = await createFunction(agent, h, name);
      const r = await post(agent, h.port, invokePath(name), '{}', { 'x-amz-log-type': 'Tail' });
      expectOk(r, `first Invoke of ${name}`);
      if (i < 0) continue;
      creates.push(createMs);
      colds.push(r.ms);
      const tail = Buffer.from(String(r.headers['x-amz-log-result'] ?? ''), 'base64').toString('utf8');
      const init = /Init Duration: ([\d.]+) ms/.exec(tail);
      if (init) inits.push(Number(init[1]));
    }
    if (mode === 'prewarmed' && h.generic!.stats.hits < COLD_N) throw new Error(`only ${h.generic!.stats.hits} of ${COLD_N} cold starts took a generic environment`);
    return { mode, driver: h.driver.name, create: stats(creates), cold: stats(colds), init: stats(inits) };
  } finally {
    agent.destroy();
    await stopHearth(h);
  }
}

// ---------------------------------------------------------------------------------------
// 3. Warm invoke overhead: Hearth and bare server interleaved, sequential, one client.
interface WarmResult {
  hearth: Stats;
  bare: Stats;
  overheadP50: number;
  overheadP99: number;
}

async function warmOverhead(h: Hearth, barePort: number, fn: string): Promise<WarmResult> {
  const agent = new Agent({ keepAlive: true });
  const hs: number[] = [];
  const bs: number[] = [];
  try {
    for (let i = 0; i < WARM_WARMUP + WARM_N; i++) {
      const a = await post(agent, h.port, invokePath(fn), '{}');
      const b = await post(agent, barePort, invokePath(fn), '{}');
      expectOk(a, 'warm Invoke');
      expectOk(b, 'bare request');
      if (i >= WARM_WARMUP) {
        hs.push(a.ms);
        bs.push(b.ms);
      }
    }
  } finally {
    agent.destroy();
  }
  const hearthStats = stats(hs);
  const bareStats = stats(bs);
  return { hearth: hearthStats, bare: bareStats, overheadP50: hearthStats.p50 - bareStats.p50, overheadP99: hearthStats.p99 - bareStats.p99 };
}

// ---------------------------------------------------------------------------------------
// 4. Throughput: closed loop, C workers each issuing sequential requests.
interface LoopResult {
  rps: number;
  requests: number;
  latency: Stats;
}

async function closedLoop(port: number, path: string, concurrency: number, durationMs: number): Promise<LoopResult> {
  const agent = new Agent({ keepAlive: true });
  const lat: number[] = [];
  const start = performance.now();
  const end = start + durationMs;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const r = await post(agent, port, path, '{}');
          expectOk(r, `request on port ${port}`);
          lat.push(r.ms);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsed = performance.now() - start;
  return { rps: (lat.length / elapsed) * 1000, requests: lat.length, latency: stats(lat) };
}

interface ThroughputResult {
  concurrency: number;
  environments: number;
  hearth: LoopResult;
  bare: LoopResult;
  ratio: number;
}

async function throughput(h: Hearth, barePort: number, fn: string, c: number): Promise<ThroughputResult> {
  // One request per environment: C simultaneous requests leave at least C environments.
  const agent = new Agent({ keepAlive: true });
  try {
    const rs = await Promise.all(Array.from({ length: c }, () => post(agent, h.port, invokePath(fn), '{}')));
    rs.forEach((r) => expectOk(r, 'throughput warm-up'));
  } finally {
    agent.destroy();
  }
  await closedLoop(h.port, invokePath(fn), c, THROUGHPUT_WARMUP_MS);
  await closedLoop(barePort, invokePath(fn), c, THROUGHPUT_WARMUP_MS);
  const counts = h.pools.environments(fn).get(fn);
  const environments = counts ? counts.idle + counts.busy + counts.initializing : 0;
  const bare = await closedLoop(barePort, invokePath(fn), c, THROUGHPUT_MS);
  const hearthR = await closedLoop(h.port, invokePath(fn), c, THROUGHPUT_MS);
  return { concurrency: c, environments, hearth: hearthR, bare, ratio: hearthR.rps / bare.rps };
}

// ---------------------------------------------------------------------------------------
// Machine.
interface Machine {
  nproc: string;
  model: string;
  memory: string;
  kernel: string;
  node: string;
  date: string;
  /** The commit measured and how many src/ files differed from it (others edit src/ concurrently). */
  source: string;
}

function machine(): Machine {
  let nproc = '?';
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    /* no coreutils */
  }
  let model = '?';
  let memory = '?';
  try {
    model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? '?';
    const kb = Number(/^MemTotal:\s*(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    if (kb) memory = `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  } catch {
    /* not Linux */
  }
  let source = '?';
  try {
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd, encoding: 'utf8' }).split('\n').filter(Boolean).length;
    source = dirty ? `${head} + ${dirty} uncommitted src/ files` : head;
  } catch {
    /* not a git checkout */
  }
  return { nproc, model, memory, kernel: release(), node: process.version, date: new Date().toISOString(), source };
}

// ---------------------------------------------------------------------------------------
// Conditions: other work on the machine skews every number here, so each phase records how
// busy the whole machine was (from /proc/stat) and the load average at its end.
interface CpuSnap {
  busy: number;
  total: number;
  at: number;
}
function cpuSnap(): CpuSnap {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total, at: performance.now() };
  } catch {
    return { busy: NaN, total: NaN, at: performance.now() };
  }
}
interface PhaseCond {
  phase: string;
  seconds: number;
  busyPct: number;
  load1: number;
}
const conditions: PhaseCond[] = [];
let lastSnap = cpuSnap();
/**
 * The sequential phases (and throughput at concurrency 1) keep about one of the machine's
 * CPUs busy: client and server share one thread, environments mostly wait. Much more than
 * that means someone else is running. Higher concurrency is not judged.
 */
function contended(c: PhaseCond): boolean {
  if (c.phase.startsWith('0.')) return c.busyPct > 10;
  if (c.phase.startsWith('4.') && !c.phase.endsWith('@1')) return false;
  const cpus = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || 1;
  return c.busyPct > Math.min(95, (1.6 / cpus) * 100);
}
function phaseDone(phase: string): void {
  const now = cpuSnap();
  const busyPct = ((now.busy - lastSnap.busy) / (now.total - lastSnap.total)) * 100;
  conditions.push({ phase, seconds: (now.at - lastSnap.at) / 1000, busyPct, load1: loadavg()[0] ?? NaN });
  lastSnap = now;
}

// ---------------------------------------------------------------------------------------
// Reporting.
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

function mdTable(rows: string[][]): string {
  const [head, ...body] = rows;
  return [`| ${head!.join(' | ')} |`, `|${head!.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** Key numbers, carried in RESULTS.md so the next run can show the variance. */
type KeyNumbers = Record<string, number>;

function previousRun(): { keys: KeyNumbers; date: string; notes?: string } | undefined {
  if (!existsSync(RESULTS_PATH)) return undefined;
  const text = readFileSync(RESULTS_PATH, 'utf8');
  const notes = /<!-- notes:start -->\n?([\s\S]*?)<!-- notes:end -->/.exec(text)?.[1];
  const data = /<!-- bench-data (\{[\s\S]*?\}) -->/.exec(text)?.[1];
  if (!data) return notes ? { keys: {}, date: '', notes } : undefined;
  try {
    const parsed = JSON.parse(data) as { date: string; keys: KeyNumbers };
    return { ...parsed, notes };
  } catch {
    return { keys: {}, date: '', notes };
  }
}

// ---------------------------------------------------------------------------------------
// Run.
const m = machine();
const cleanup: Array<() => Promise<void>> = [];
let exitCode = 0;
try {
  log(`Hearth invoke bench — ${m.date}`);
  log(`machine: ${m.nproc} CPU (${m.model}), ${m.memory}, Linux ${m.kernel}, Node ${m.node}; source ${m.source}`);
  // One idle second: how busy is the machine without us?
  const loadAtStart = loadavg()[0] ?? 0;
  lastSnap = cpuSnap();
  await new Promise((ok) => setTimeout(ok, 1000));
  phaseDone('0. idle (before start)');
  const idleBusy = conditions[0]!.busyPct;
  log(`machine CPU busy while the bench idles: ${idleBusy.toFixed(0)}%${idleBusy > 10 ? '  — other work is running: expect noisy numbers' : ''}\n`);

  log('[1/4] node -e 0 baseline …');
  const base = await baseline();
  phaseDone('1. node -e 0');

  const colds: ColdResult[] = [];
  for (const mode of DRIVERS) {
    log(`[2/4] cold starts, sandbox=${mode} …`);
    colds.push(await coldStarts(mode));
    phaseDone(`2. cold (${mode})`);
    log(`      driver: ${colds[colds.length - 1]!.driver}`);
  }

  log('[3/4] warm invoke overhead …');
  const h = await hearth('auto');
  cleanup.push(() => stopHearth(h));
  const bare = await startBare();
  cleanup.push(() => new Promise<void>((ok) => (bare.server.closeAllConnections(), bare.server.close(() => ok()))));
  const warmFn = 'warm';
  await createFunction(new Agent({ keepAlive: false }), h, warmFn);
  const warm = await warmOverhead(h, bare.port, warmFn);
  phaseDone('3. warm');

  const tps: ThroughputResult[] = [];
  for (const c of CONCURRENCY) {
    log(`[4/4] throughput, concurrency ${c} …`);
    tps.push(await throughput(h, bare.port, warmFn, c));
    phaseDone(`4. throughput @${c}`);
  }
  const autoDriver = h.driver.name;
  const totalS = (performance.now() - benchStart) / 1000;

  // ------------------------------------------------------------------ targets
  const c8 = tps.find((t) => t.concurrency === 8)!;
  const pre = colds.find((c) => c.mode === 'prewarmed')!.cold;
  const targets = [
    { name: `cold start, pre-warmed, p50 ≤ ${TARGET_PREWARMED_P50_MS} ms`, value: `${ms(pre.p50)} ms`, ok: pre.p50 <= TARGET_PREWARMED_P50_MS },
    { name: `cold start, pre-warmed, p99 ≤ ${TARGET_PREWARMED_P99_MS} ms`, value: `${ms(pre.p99)} ms`, ok: pre.p99 <= TARGET_PREWARMED_P99_MS },
    { name: `warm overhead p50 < ${TARGET_OVERHEAD_P50_MS} ms`, value: `${ms(warm.overheadP50)} ms`, ok: warm.overheadP50 < TARGET_OVERHEAD_P50_MS },
    { name: `warm overhead p99 < ${TARGET_OVERHEAD_P99_MS} ms`, value: `${ms(warm.overheadP99)} ms`, ok: warm.overheadP99 < TARGET_OVERHEAD_P99_MS },
    { name: `throughput at concurrency 8 ≥ ${TARGET_C8_RATIO * 100}% of bare`, value: `${(c8.ratio * 100).toFixed(1)}%`, ok: c8.ratio >= TARGET_C8_RATIO },
  ];

  // ------------------------------------------------------------------ tables
  const baseRows = [
    ['measure', 'n', 'p50 ms', 'p99 ms', 'min ms', 'max ms'],
    ['node -e 0 (spawn → exit)', String(base.n), ms(base.p50), ms(base.p99), ms(base.min), ms(base.max)],
  ];
  const coldRows = [['driver', 'measure', 'n', 'p50 ms', 'p99 ms', 'min ms', 'max ms', 'p50 / node -e 0', 'p50 − node -e 0 ms']];
  for (const c of colds) {
    coldRows.push([`${c.mode} (${c.driver})`, 'first Invoke (cold)', String(c.cold.n), ms(c.cold.p50), ms(c.cold.p99), ms(c.cold.min), ms(c.cold.max), `${(c.cold.p50 / base.p50).toFixed(2)}×`, ms(c.cold.p50 - base.p50)]);
    coldRows.push(['', '  of which Init Duration', String(c.init.n), ms(c.init.p50), ms(c.init.p99), ms(c.init.min), ms(c.init.max), '', '']);
    coldRows.push(['', 'CreateFunction', String(c.create.n), ms(c.create.p50), ms(c.create.p99), ms(c.create.min), ms(c.create.max), '', '']);
  }
  const warmRows = [
    ['target', 'n', 'p50 ms', 'p99 ms', 'min ms', 'max ms', 'mean ms'],
    [`Hearth (${autoDriver})`, String(warm.hearth.n), ms(warm.hearth.p50), ms(warm.hearth.p99), ms(warm.hearth.min), ms(warm.hearth.max), ms(warm.hearth.mean)],
    ['bare node:http', String(warm.bare.n), ms(warm.bare.p50), ms(warm.bare.p99), ms(warm.bare.min), ms(warm.bare.max), ms(warm.bare.mean)],
    ['overhead (Hearth − bare)', '', ms(warm.overheadP50), ms(warm.overheadP99), '', '', ms(warm.hearth.mean - warm.bare.mean)],
  ];
  const tpRows = [['concurrency', 'envs', 'Hearth req/s', 'bare req/s', 'Hearth / bare', 'Hearth p50/p99 ms', 'bare p50/p99 ms']];
  for (const t of tps) {
    tpRows.push([
      String(t.concurrency),
      String(t.environments),
      t.hearth.rps.toFixed(0),
      t.bare.rps.toFixed(0),
      `${(t.ratio * 100).toFixed(1)}%`,
      `${ms(t.hearth.latency.p50)} / ${ms(t.hearth.latency.p99)}`,
      `${ms(t.bare.latency.p50)} / ${ms(t.bare.latency.p99)}`,
    ]);
  }
  const condRows = [
    ['phase', 'wall s', 'machine CPU busy', 'load avg (1 min) at end'],
    ...conditions.map((c) => [c.phase, c.seconds.toFixed(1), `${c.busyPct.toFixed(0)}%${contended(c) ? ' (!)' : ''}`, c.load1.toFixed(2)]),
  ];
  const contendedPhases = conditions.filter(contended).map((c) => c.phase);
  const targetRows = [['target', 'measured', 'result'], ...targets.map((t) => [t.name, t.value, verdict(t.ok)])];

  log('\n1. Bare Node start (clean environment)');
  log(table(baseRows));
  log(`\n2. Cold start: CreateFunction, then the first Invoke (request start → response end), N=${COLD_N} per driver`);
  log(table(coldRows));
  log(`\n3. Warm invoke, sequential, interleaved with a bare node:http server (${WARM_N} each after ${WARM_WARMUP} warm-up)`);
  log(table(warmRows));
  log(`\n4. Throughput, closed loop, ${THROUGHPUT_MS / 1000} s per point (after ${THROUGHPUT_WARMUP_MS / 1000} s warm-up)`);
  log(table(tpRows));
  log('\nTargets');
  log(table(targetRows));
  log(`\nConditions (machine-wide CPU busy % includes the bench and its environments; 1-min load average at start ${loadAtStart.toFixed(2)})`);
  log(table(condRows));
  if (contendedPhases.length) log(`(!) other work was running during: ${contendedPhases.join(', ')} — those numbers are not representative`);
  log(`\nbench time: ${totalS.toFixed(1)} s`);

  // ------------------------------------------------------------------ RESULTS.md
  const keys: KeyNumbers = { 'node -e 0 p50': base.p50, 'node -e 0 p99': base.p99 };
  for (const c of colds) {
    keys[`cold p50 (${c.mode})`] = c.cold.p50;
    keys[`cold p99 (${c.mode})`] = c.cold.p99;
    keys[`CreateFunction p50 (${c.mode})`] = c.create.p50;
  }
  Object.assign(keys, {
    'warm Hearth p50': warm.hearth.p50,
    'warm Hearth p99': warm.hearth.p99,
    'warm bare p50': warm.bare.p50,
    'warm bare p99': warm.bare.p99,
    'warm overhead p50': warm.overheadP50,
    'warm overhead p99': warm.overheadP99,
  });
  for (const t of tps) {
    keys[`Hearth req/s @${t.concurrency}`] = t.hearth.rps;
    keys[`bare req/s @${t.concurrency}`] = t.bare.rps;
  }

  const prev = previousRun();
  let variance = '_No previous run recorded in this file._';
  if (prev && Object.keys(prev.keys).length > 0) {
    const rows = [['metric', 'previous', 'this run', 'change']];
    for (const [k, v] of Object.entries(keys)) {
      const p = prev.keys[k];
      if (p === undefined) continue;
      const change = p === 0 ? '—' : `${(((v - p) / Math.abs(p)) * 100).toFixed(0)}%`;
      const f = (x: number) => (k.includes('req/s') ? x.toFixed(0) : ms(x));
      rows.push([k, f(p), f(v), change]);
    }
    variance = `Previous run: ${prev.date}. Times in ms unless marked req/s.\n\n${mdTable(rows)}`;
  }
  const notes =
    prev?.notes?.trim() ||
    '_Hand-written observations go here; the bench keeps this section when it rewrites the file._';

  const md = `# Hearth invoke benchmark

Generated by \`npm run bench\` (\`bench/invoke-bench.ts\`); each run overwrites this file
except the notes section at the end, and compares itself with the run before.

## Method

- All traffic is loopback HTTP/1.1 through \`node:http\` with a keep-alive \`Agent\`; times
  are \`performance.now()\` from request start to response end; percentiles are
  nearest-rank over the sorted samples. Client, Hearth's server and the bare comparison
  server all run in the one bench process; environments are separate processes.
- The bench runs without \`NODE_EXTRA_CA_CERTS\` (it re-executes itself without it): that
  variable adds ~30 ms to every Node start here, and Hearth's environments never get it.
- **1. Baseline**: \`node -e 0\` spawn → exit, ${BASELINE_RUNS} runs (after ${BASELINE_WARMUP} untimed), minimal
  environment (\`PATH\` only), no flags: the floor for any design that starts a Node
  process per environment.
- **2. Cold start**: per driver, a fresh ephemeral server; ${COLD_N} functions (after ${COLD_WARMUP} untimed),
  each created (timed: CreateFunction) and then invoked once (timed: first Invoke, which
  starts the environment). Handler \`${HANDLER.trim()}\`, MemorySize ${MEMORY_MB},
  \`${RUNTIME}\`. "Init Duration" is from the REPORT line (the bootstrap loading the
  handler, after Node itself has started). "p50 − node -e 0" is the platform's own share.
  \`process\` and \`auto\` spawn a process per cold start (\`--prewarm 0\`); \`prewarmed\` is the
  auto driver with \`--prewarm ${PREWARM}\`, waiting before each sample until the pool holds
  ${PREWARM} generic environments of ${MEMORY_MB} MB, so every timed cold start takes one (its
  Init Duration counts from the assignment: slot fill, limits, thaw, then the handler's load).
- **3. Warm overhead**: one warm function (driver auto) and a bare \`node:http\` server
  that reads the body and answers the same \`${EXPECTED}\`, alternated request by
  request on one sequential client, ${WARM_N} each after ${WARM_WARMUP} warm-up.
  Overhead = Hearth pXX − bare pXX (the handler itself takes ~0 ms).
- **4. Throughput**: closed loop, C workers each issuing requests back to back for
  ${THROUGHPUT_MS / 1000} s, at C = ${CONCURRENCY.join(', ')}; Hearth is first given C simultaneous requests (so it
  has C environments, one request each) and ${THROUGHPUT_WARMUP_MS / 1000} s of warm-up, the bare server ${THROUGHPUT_WARMUP_MS / 1000} s.

## Machine

| nproc | CPU | memory | kernel | Node | sandbox driver (auto) | date | source measured |
|---:|---|---|---|---|---|---|---|
| ${m.nproc} | ${m.model} | ${m.memory} | ${m.kernel} | ${m.node} | ${autoDriver} | ${m.date} | ${m.source} |

## Results

### 1. Bare Node start

${mdTable(baseRows)}

### 2. Cold start (deploy → first response)

${mdTable(coldRows)}

### 3. Warm invoke overhead

${mdTable(warmRows)}

### 4. Throughput

${mdTable(tpRows)}

### Targets

${mdTable(targetRows)}

Whole bench: ${totalS.toFixed(1)} s. Conditions during the run (machine-wide CPU busy % includes
the bench itself and its environments; 1-minute load average ${loadAtStart.toFixed(2)} at start):

${mdTable(condRows)}
${contendedPhases.length ? `\n**(!) Other work was running during: ${contendedPhases.join(', ')}: those numbers are not representative.**\n` : ''}
## Variance against the previous run

${variance}

## Notes

<!-- notes:start -->
${notes}
<!-- notes:end -->

<!-- bench-data ${JSON.stringify({ date: m.date, keys })} -->
`;
  // The other benchmarks' sections (burst, keepalive, queue, …) are theirs: carried over as they are.
  const others = sectionsOf(RESULTS_PATH, ['notes']);
  writeFileSync(RESULTS_PATH, others.length ? `${md}\n${others.join('\n\n')}\n` : md);
  log(`\nwrote ${RESULTS_PATH}`);
} catch (err) {
  exitCode = 2;
  console.error('bench failed:', err);
} finally {
  for (const stop of cleanup.reverse()) await stop().catch((e: unknown) => console.error('stop:', e));
  for (const h of [...running]) await stopHearth(h).catch((e: unknown) => console.error('stop:', e));
  clearTimeout(watchdog);
}
process.exitCode = exitCode;
