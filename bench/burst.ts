/**
 * Burst benchmark: `npm run bench:burst`.
 *
 * From zero environments, 200 requests arrive at once at a function whose handler takes
 * 100 ms. Reports the time until all are served, cold starts, p50/p99 latency, peak
 * environments and peak memory, and checks that nothing was lost or throttled and no
 * limit was exceeded. Writes its section of bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';

// Node start-up cost must not include the CA bundle this machine may set (see invoke-bench).
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;
if (extraCaCerts !== undefined) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: process.env });
  process.exit(r.status ?? 1);
}

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startHearth } from '../src/server/index.js';
import { makeZip } from '../test/support/zip.js';
import { replaceSection } from './results-file.js';

const BURST = 200;
const HANDLER_MS = 100;
const MEMORY_MB = 128;
const RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
const RESULTS_PATH = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));
// 200 environments of 128 MB are 25.6 GB of memory *limits*; a trivial handler uses ~40 MB.
// The node's default capacity (80% of RAM) would refuse some, so the bench sets it to fit.
const CAPACITY_MB = BURST * MEMORY_MB;

const HANDLER = `exports.handler = async () => {
  await new Promise((r) => setTimeout(r, ${HANDLER_MS}));
  return { env: process.env.AWS_LAMBDA_LOG_STREAM_NAME };
};`;

interface Outcome {
  status: number;
  ms: number;
  env?: string;
  cold: boolean;
}

function invoke(url: URL, agent: Agent): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'x-amz-log-type': 'Tail' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const log = Buffer.from(String(res.headers['x-amz-log-result'] ?? ''), 'base64').toString();
        let env: string | undefined;
        try {
          env = (JSON.parse(body) as { env?: string }).env;
        } catch {
          env = undefined;
        }
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, env, cold: log.includes('Init Duration') });
      });
    });
    req.on('error', reject);
    req.end('{}');
  });
}

/** Memory charged to all environments: the server's cgroup (page cache included) when there is one. */
function environmentsMemoryMb(): number | undefined {
  try {
    const bytes = Number(readFileSync(`/sys/fs/cgroup/memory/hearth/srv-${process.pid}/memory.usage_in_bytes`, 'utf8'));
    return bytes / 1024 / 1024;
  } catch {
    return undefined;
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const hearth = await startHearth({ port: 0, ephemeral: true, capacityMb: CAPACITY_MB });
  try {
    const zip = await makeZip({ 'index.js': HANDLER });
    const created = await fetch(`${hearth.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: 'burst', Runtime: RUNTIME, Handler: 'index.handler', MemorySize: MEMORY_MB, Timeout: 60, Code: { ZipFile: zip.toString('base64') } }),
    });
    if (created.status !== 201) throw new Error(`deploy: ${created.status} ${await created.text()}`);

    let peakEnvs = 0;
    let peakMemMb = 0;
    let peakConcurrent = 0;
    const sample = () => {
      const c = hearth.pools.environments('burst').get('burst');
      if (c) peakEnvs = Math.max(peakEnvs, c.initializing + c.idle + c.busy + c.retiring);
      peakConcurrent = Math.max(peakConcurrent, hearth.invoker.concurrentExecutions);
      const mem = environmentsMemoryMb();
      if (mem !== undefined) peakMemMb = Math.max(peakMemMb, mem);
    };
    const sampler = setInterval(sample, 5);
    const loadBefore = loadavg()[0]!.toFixed(2);

    const agent = new Agent({ keepAlive: true, maxSockets: BURST });
    const url = new URL(`${hearth.url}/2015-03-31/functions/burst/invocations`);
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: BURST }, () => invoke(url, agent)));
    const allServedMs = performance.now() - started;
    clearInterval(sampler);
    sample();
    agent.destroy();

    const ok = outcomes.filter((o) => o.status === 200 && o.env);
    const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const cold = outcomes.filter((o) => o.cold).length;
    const distinctEnvs = new Set(ok.map((o) => o.env)).size;
    const lost = BURST - ok.length;
    const checks = {
      'every request served (200)': lost === 0,
      'environments never above the burst': peakEnvs <= BURST,
      'concurrent executions never above the account limit (1000)': peakConcurrent <= 1000,
      'one cold start per environment': cold === distinctEnvs,
    };
    const rows = [
      ['requests', String(BURST)],
      ['handler', `${HANDLER_MS} ms sleep, ${MEMORY_MB} MB, ${RUNTIME}, sandbox ${hearth.driver.name}`],
      ['time until all served', `${allServedMs.toFixed(0)} ms`],
      ['served / throttled or failed', `${ok.length} / ${lost}`],
      ['cold starts', String(cold)],
      ['latency p50 / p99 / max', `${pct(latencies, 50).toFixed(0)} / ${pct(latencies, 99).toFixed(0)} / ${latencies[latencies.length - 1]!.toFixed(0)} ms`],
      ['peak environments', String(peakEnvs)],
      ['peak concurrent executions', String(peakConcurrent)],
      ['peak memory of all environments', peakMemMb ? `${peakMemMb.toFixed(0)} MB (cgroup usage, page cache included)` : 'n/a (no cgroup)'],
    ];
    const table = ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
    const verdict = Object.entries(checks).map(([k, v]) => `- ${v ? 'PASS' : 'FAIL'}: ${k}`).join('\n');
    console.log(table + '\n\n' + verdict);

    replaceSection(RESULTS_PATH, 'burst', `## Burst: 0 → ${BURST} concurrent requests (\`npm run bench:burst\`)

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GB RAM,
load average ${loadBefore} when the burst began (the cold starts are CPU-bound: each spawns a sandboxed Node);
\`--capacity-mb ${CAPACITY_MB}\` so that ${BURST} environments of ${MEMORY_MB} MB fit (memory sizes are caps; a trivial
handler uses a fraction of it). Scale rate and account limit at their defaults (1000/10s, 1000).

${table}

${verdict}
`);
    if (Object.values(checks).some((v) => !v)) process.exitCode = 1;
  } finally {
    await hearth.stop();
  }
}

await main();
