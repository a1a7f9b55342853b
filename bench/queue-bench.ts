/**
 * Queue → function benchmark: `npm run bench:queue`.
 *
 * An in-process Hearth (ephemeral, default sandbox) with a trivial Node handler behind an
 * SQS event source mapping, for BatchSize 1 and 10 (MaximumBatchingWindowInSeconds 0):
 *   1. steady rate: messages sent through the QueueService port at a fixed rate, each
 *      carrying its send time; latency = handler start − send, p50/p99; throughput =
 *      messages whose handler started in the measured window / its length;
 *   2. backlog drain: the mapping disabled, a backlog sent, the mapping enabled again;
 *      throughput = backlog / time until the queue is empty (the most it sustains).
 * Baseline, in the same run (before and after, as the machine is shared): raw SQLite on a
 * temp file with Hearth's pragmas, one single-row transaction to insert each message and
 * one to select+delete it — the least storage work a queued message costs.
 * Prints a table and writes the `queue` section of bench/RESULTS.md. Bounded to ~3 min;
 * stops the server it starts.
 */
import { spawnSync } from 'node:child_process';

// Same conditions as the other benches: no NODE_EXTRA_CA_CERTS in this process or the
// environments it starts (Node reads it at start-up, so re-execute without it).
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;
if (extraCaCerts !== undefined) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: process.env });
  process.exit(r.status ?? 1);
}

import Database from 'better-sqlite3';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { defaultCapacityMb, startHearth, type Hearth } from '../src/server/index.js';
import { makeZip } from '../test/support/zip.js';
import { replaceSection } from './results-file.js';

// ---------------------------------------------------------------------------------------
// Parameters.
const MEMORY_MB = 1769;
/**
 * Environments of MEMORY_MB the node's default capacity holds. The third configuration caps
 * the pollers (ScalingConfig.MaximumConcurrency) there: the default (1000) lets pollers
 * outnumber the environments that can run, which this bench shows costs a lot.
 */
const FIT = Math.min(1000, Math.max(2, Math.floor(defaultCapacityMb() / MEMORY_MB)));
const CONFIGS: { batchSize: number; maximumConcurrency?: number }[] = [{ batchSize: 1 }, { batchSize: 10 }, { batchSize: 1, maximumConcurrency: FIT }];
/** Messages/s in the steady phase: "a few hundred", well under the drain rates of the capped poller here. */
const RATE = Number(process.env.QUEUE_BENCH_RATE ?? 200);
const WARMUP_MS = 2000;
const STEADY_MS = 12_000;
const BACKLOG = Number(process.env.QUEUE_BENCH_BACKLOG ?? 3000);
/** Each wait is bounded, so a stuck phase reports what it got instead of hanging the run (total < 3 min). */
const SETTLE_TIMEOUT_MS = 8000;
const DRAIN_TIMEOUT_MS = 20_000;
const BASELINE_ROWS = 20_000;
const RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
const FN = 'qbench';
const RESULTS_PATH = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));

/**
 * Wall-clock ms with sub-ms precision. Environments are processes on the same host, so
 * this and the handler's own `timeOrigin + now()` read the same clock (Date.now() would
 * round both ends to whole ms, too coarse for latencies of a few ms).
 */
const wallMs = () => performance.timeOrigin + performance.now();

// The handler reports one UDP datagram per invocation: its start time and the records'
// bodies. UDP needs no connection or response, so the measurement adds one syscall to the
// invocation; it awaits the send so the datagram leaves before the environment is frozen.
const HANDLER = `
const dgram = require('node:dgram');
const sock = dgram.createSocket('udp4');
const port = Number(process.env.SINK_PORT);
exports.handler = async (event) => {
  const started = performance.timeOrigin + performance.now();
  const bodies = event.Records.map((r) => r.body).join(',');
  await new Promise((ok) => sock.send(started.toFixed(3) + ';' + bodies, port, '127.0.0.1', () => ok()));
};
`;

// ---------------------------------------------------------------------------------------
// Statistics.
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : n === Infinity ? 'unprocessed' : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : fmt(n));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------
// Baseline: the raw SQLite rate for the same work shape.
interface Baseline {
  insertPerS: number;
  takePerS: number;
  /** Messages/s through both: inserted, then selected and deleted. */
  perS: number;
}

function sqliteBaseline(): Baseline {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-qbase-'));
  const db = new Database(join(dir, 'base.db'));
  try {
    // The pragmas of src/store/sqlite/database.ts, and a table with sqs_messages' shape.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE m (seq INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
               sent_at INTEGER NOT NULL, visible_at INTEGER NOT NULL);
             CREATE INDEX m_visible ON m (queue, visible_at, seq);`);
    const ins = db.prepare('INSERT INTO m (queue, id, body, sent_at, visible_at) VALUES (?, ?, ?, ?, ?)');
    const pick = db.prepare<[string], { seq: number }>('SELECT seq FROM m WHERE queue = ? ORDER BY visible_at, seq LIMIT 1');
    const del = db.prepare('DELETE FROM m WHERE seq = ?');
    // IMMEDIATE, one row each: as QueueService does per message.
    const insert = db.transaction((i: number) => ins.run('q', `id-${i}`, `${i} ${wallMs().toFixed(3)}`, Date.now(), Date.now()));
    const take = db.transaction(() => del.run(pick.get('q')!.seq));
    const t0 = performance.now();
    for (let i = 0; i < BASELINE_ROWS; i++) insert.immediate(i);
    const t1 = performance.now();
    for (let i = 0; i < BASELINE_ROWS; i++) take.immediate();
    const t2 = performance.now();
    return { insertPerS: BASELINE_ROWS / ((t1 - t0) / 1000), takePerS: BASELINE_ROWS / ((t2 - t1) / 1000), perS: BASELINE_ROWS / ((t2 - t0) / 1000) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// What the handler reported: message id → handler start, and the send time in the body.
interface Seen {
  sent: number;
  started: number;
}

class Reports {
  readonly byId = new Map<number, Seen>();
  duplicates = 0;

  take(datagram: string): void {
    const [started, bodies] = datagram.split(';');
    for (const body of bodies!.split(',')) {
      const [id, sent] = body.split(' ').map(Number);
      if (this.byId.has(id!)) this.duplicates++;
      else this.byId.set(id!, { sent: sent!, started: Number(started) });
    }
  }

  count(from: number, to: number): number {
    let n = 0;
    for (let id = from; id < to; id++) if (this.byId.has(id)) n++;
    return n;
  }
}

// ---------------------------------------------------------------------------------------
// One batch size.
interface Result {
  label: string;
  steady: { sent: number; seen: number; perS: number; p50: number; p99: number; max: number; sendLagP99: number };
  /** done: the queue emptied within the timeout; seen: backlog messages the handler reported. */
  drain: { n: number; done: boolean; seen: number; ms: number; perS: number };
  peakWorkers: number;
  peakEnvs: number;
  load: string;
}

async function runConfig(hearth: Hearth, reports: Reports, nextId: { v: number }, config: (typeof CONFIGS)[number]): Promise<Result> {
  const { batchSize, maximumConcurrency } = config;
  const label = `${batchSize}${maximumConcurrency ? `, MaximumConcurrency ${maximumConcurrency}` : ''}`;
  const queue = `qbench-${nextId.v}`;
  hearth.queues.create(queue);
  const arn = hearth.queues.arn(queue);
  const mapping = hearth.mappings.create({
    FunctionName: FN,
    EventSourceArn: arn,
    BatchSize: batchSize,
    MaximumBatchingWindowInSeconds: 0,
    ...(maximumConcurrency ? { ScalingConfig: { MaximumConcurrency: maximumConcurrency } } : {}),
  });
  let peakWorkers = 0;
  let peakEnvs = 0;
  const sampler = setInterval(() => {
    peakWorkers = Math.max(peakWorkers, hearth.mappings.workers(mapping.uuid));
    const c = hearth.pools.environments(FN).get(FN);
    if (c) peakEnvs = Math.max(peakEnvs, c.initializing + c.idle + c.busy + c.retiring);
  }, 20);
  const send = () => {
    const id = nextId.v++;
    hearth.queues.send(queue, { body: `${id} ${wallMs().toFixed(3)}` });
  };
  try {
    // Steady rate: a 2 ms tick sends what the schedule says is due, so sends stay evenly
    // spaced; sendLag records how late each went out (a busy event loop shows here).
    const firstId = nextId.v;
    const total = Math.round(((WARMUP_MS + STEADY_MS) / 1000) * RATE);
    const measuredFrom = firstId + Math.round((WARMUP_MS / 1000) * RATE);
    const lags: number[] = [];
    const start = performance.now();
    const windowStart = wallMs() + WARMUP_MS;
    const windowEnd = windowStart + STEADY_MS;
    await new Promise<void>((done) => {
      const tick = setInterval(() => {
        const elapsed = performance.now() - start;
        const due = Math.min(total, Math.floor((elapsed * RATE) / 1000));
        while (nextId.v - firstId < due) {
          lags.push(elapsed - ((nextId.v - firstId) * 1000) / RATE);
          send();
        }
        if (nextId.v - firstId >= total) {
          clearInterval(tick);
          done();
        }
      }, 2);
    });
    const lastId = nextId.v;
    const settleBy = performance.now() + SETTLE_TIMEOUT_MS;
    while (reports.count(firstId, lastId) < total && performance.now() < settleBy) await sleep(20);
    // A message not processed by the end of the settle wait counts as slower than any that
    // was (Infinity), so the percentiles do not flatter a configuration that falls behind.
    const latencies: number[] = [];
    for (let id = measuredFrom; id < lastId; id++) {
      const s = reports.byId.get(id);
      latencies.push(s ? s.started - s.sent : Infinity);
    }
    latencies.sort((a, b) => a - b);
    // Throughput: handler starts inside the measured window, per second of it.
    const inWindow = [...reports.byId.values()].filter((s) => s.started >= windowStart && s.started < windowEnd).length;
    const steady = {
      sent: lastId - measuredFrom,
      seen: latencies.filter(Number.isFinite).length,
      perS: inWindow / (STEADY_MS / 1000),
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: latencies.at(-1) ?? NaN,
      sendLagP99: pct(lags.sort((a, b) => a - b), 99),
    };
    const steadyLoad = load();

    // Backlog drain: wait for the queue to empty (deletes follow the reports), stop the
    // poller, queue the backlog, start it again and time until the queue is empty.
    const empty = () => {
      const c = hearth.queues.counts(queue);
      return c.visible + c.inflight + c.delayed === 0;
    };
    const emptyBy = performance.now() + SETTLE_TIMEOUT_MS;
    while (!empty() && performance.now() < emptyBy) await sleep(20);
    hearth.mappings.update(mapping.uuid, { Enabled: false });
    // Let the stopped poller's aborted long polls finish first: an aborted receive still
    // takes what is visible (QueueService.receive runs take() before looking at the
    // signal) and the stopped worker drops it, hidden for the visibility timeout (30 s).
    await sleep(200);
    hearth.queues.purge(queue);
    const drainFrom = nextId.v;
    for (let i = 0; i < BACKLOG; i++) send();
    const t0 = performance.now();
    hearth.mappings.update(mapping.uuid, { Enabled: true });
    const drainBy = t0 + DRAIN_TIMEOUT_MS;
    while (!empty() && performance.now() < drainBy) await sleep(5);
    const ms = performance.now() - t0;
    const c = hearth.queues.counts(queue);
    const processed = BACKLOG - c.visible - c.inflight;
    const drain = { n: BACKLOG, done: processed === BACKLOG, seen: reports.count(drainFrom, nextId.v), ms, perS: processed / (ms / 1000) };
    return { label, steady, drain, peakWorkers, peakEnvs, load: steadyLoad };
  } finally {
    clearInterval(sampler);
    hearth.mappings.delete(mapping.uuid);
    // Invocations still running (a stuck drain) must not run into the next configuration.
    const idleBy = performance.now() + SETTLE_TIMEOUT_MS;
    while (hearth.invoker.concurrentExecutions > 0 && performance.now() < idleBy) await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = load();
  const before = sqliteBaseline();
  console.log(`baseline (before): ${fmt(before.perS, 0)} messages/s (insert ${fmt(before.insertPerS, 0)}/s, select+delete ${fmt(before.takePerS, 0)}/s); load ${load()}`);

  const reports = new Reports();
  // A large receive buffer: datagrams wait there while this (shared) event loop is busy.
  const sink = createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
  sink.on('message', (m) => reports.take(m.toString()));
  await new Promise<void>((ok) => sink.bind(0, '127.0.0.1', ok));
  const sinkPort = (sink.address() as AddressInfo).port;

  const hearth = await startHearth({ port: 0, ephemeral: true });
  const results: Result[] = [];
  try {
    const zip = await makeZip({ 'index.js': HANDLER });
    const created = await fetch(`${hearth.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({
        FunctionName: FN,
        Runtime: RUNTIME,
        Handler: 'index.handler',
        MemorySize: MEMORY_MB,
        Timeout: 10,
        Environment: { Variables: { SINK_PORT: String(sinkPort) } },
        Code: { ZipFile: zip.toString('base64') },
      }),
    });
    if (created.status !== 201) throw new Error(`deploy: ${created.status} ${await created.text()}`);
    const nextId = { v: 1 };
    for (const config of CONFIGS) {
      const r = await runConfig(hearth, reports, nextId, config);
      results.push(r);
      console.log(`batch ${r.label}: steady p50 ${fmt(r.steady.p50, 2)} ms p99 ${fmt(r.steady.p99, 2)} ms, ${fmt(r.steady.perS)}/s; drain ${r.drain.done ? 'done' : 'NOT done'} in ${fmt(r.drain.ms, 0)} ms = ${fmt(r.drain.perS, 0)}/s; peak pollers ${r.peakWorkers}, envs ${r.peakEnvs}; load ${load()}`);
    }
  } finally {
    await hearth.stop();
    sink.close();
  }
  const after = sqliteBaseline();
  console.log(`baseline (after): ${fmt(after.perS, 0)} messages/s; load ${load()}`);
  const base = (before.perS + after.perS) / 2;
  const ratio = (perS: number) => `${((perS / base) * 100).toFixed(2)}%`;

  const header = '| batch size | steady: sent / seen | steady: processed/s (÷ SQLite) | latency p50 / p99 / max | sender lag p99 | drain: time | drain: messages/s (÷ SQLite) | peak pollers / environments | load at steady end |';
  const rows = results.map((r) => {
    const drainTime = `${fmt(r.drain.ms / 1000, 2)} s${r.drain.done ? '' : ` (timed out, ${fmt((r.drain.perS * r.drain.ms) / 1000, 0)} processed)`}`;
    return `| ${r.label} | ${r.steady.sent} / ${r.steady.seen} | ${fmt(r.steady.perS)} (${ratio(r.steady.perS)}) | ${[r.steady.p50, r.steady.p99, r.steady.max].map(ms).join(' / ')} | ${fmt(r.steady.sendLagP99, 1)} ms | ${drainTime} | ${fmt(r.drain.perS, 0)} (${ratio(r.drain.perS)}) | ${r.peakWorkers} / ${r.peakEnvs} | ${r.load} |`;
  });
  const table = [header, '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
  const baseline = `${fmt(before.perS, 0)} messages/s before the Hearth runs, ${fmt(after.perS, 0)} after (inserts ${fmt(before.insertPerS, 0)}/s, select+delete ${fmt(before.takePerS, 0)}/s before)`;
  console.log(`\n${table}\n\nSQLite baseline: ${baseline}. Messages seen twice: ${reports.duplicates}.`);

  replaceSection(RESULTS_PATH, 'queue', `## Queue → function (\`npm run bench:queue\`)

Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GB RAM; load average (1/5/15 min) ${loadBefore} at the start,
${load()} at the end — the machine is shared, so compare ratios, not absolute rates. Sandbox
${hearth.driver.name}; a trivial ${RUNTIME} handler of ${MEMORY_MB} MB (${FIT} fit in the default capacity) behind an
SQS event source mapping, MaximumBatchingWindowInSeconds 0; messages sent in-process through
\`hearth.queues.send\`. One Hearth serves the configurations in turn, one queue each.

- **Steady**: ${RATE} messages/s for ${(WARMUP_MS + STEADY_MS) / 1000} s, the first ${WARMUP_MS / 1000} s not counted. Latency = handler start
  (\`performance.timeOrigin + now()\` in the environment, reported by one UDP datagram per
  invocation) − send time (carried in the body); both read the host clock. Processed/s =
  handler starts within the ${STEADY_MS / 1000} s measured window. Sender lag: how late the sender's sends went out.
  A message not processed ${SETTLE_TIMEOUT_MS / 1000} s after the last send counts as \`unprocessed\` (slower than any).
- **Drain**: the mapping disabled, ${BACKLOG} messages queued, the mapping enabled; messages/s =
  messages deleted ÷ time until the queue is empty (at most ${DRAIN_TIMEOUT_MS / 1000} s) — the most the path sustains.
- **SQLite baseline** (the ÷ SQLite denominator, the mean of two runs): better-sqlite3 on a temp
  file with Hearth's pragmas (WAL, synchronous NORMAL), ${BASELINE_ROWS} rows each inserted in its own
  IMMEDIATE transaction, then each selected and deleted in its own: ${baseline}.
- Peak pollers / environments: the mapping's workers and the function's environments, sampled
  every 20 ms over both phases.

${table}

Messages the handler saw twice: ${reports.duplicates}.
`);
}

await main();
