/**
 * Keep-alive policy simulator: `npm run bench:keepalive`.
 *
 * Replays invocation traces through Hearth's real PoolManager, FunctionPool,
 * EnvironmentFactory and Environment on virtual time (simulated sandboxes, no
 * processes), once per policy, and reports cold starts and idle memory-time. Traces: two
 * seeded synthetic days and a one-day, 200-function sample of the Azure Functions 2019
 * trace. Writes its section of bench/RESULTS.md. Jobs run two at a time in worker threads.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { seededRandom } from '../../src/common/index.js';
import { keepAlivePolicy } from '../../src/keepalive/index.js';
import { replaceSection } from '../results-file.js';
import { type SimResult, simulate } from './simulate.js';
import { syntheticTrace } from './synthetic.js';
import { readAzureTrace, type Trace } from './trace.js';

const AZURE_DIR = '/work/shared/data/azure-functions-2019-sample';
const KEEP_ALIVE_MS = 10 * 60_000;
const INIT_MS = 60;
const POLICIES = ['fixed', 'adaptive'] as const;
const ATTRIBUTION =
  'Azure Functions Trace 2019 (Azure Public Dataset; Shahrad et al., "Serverless in the Wild: Characterizing and Optimizing the ' +
  'Serverless Workload at a Large Cloud Provider", USENIX ATC 2020), CC-BY 4.0; 200-function one-day sample drawn by the vHive ' +
  "project's invitro load generator (MIT).";

interface Job {
  trace: 'synthetic-1' | 'synthetic-2' | 'azure';
  policy: (typeof POLICIES)[number];
}

function loadTrace(name: Job['trace']): Trace {
  if (name === 'azure') return readAzureTrace(AZURE_DIR, seededRandom(2019));
  const seed = name === 'synthetic-1' ? 1 : 2;
  return syntheticTrace(seededRandom(seed), 300, undefined, ` seed ${seed}`);
}

async function runJob(job: Job): Promise<SimResult & { description: string }> {
  const trace = loadTrace(job.trace);
  const result = await simulate(trace, keepAlivePolicy(job.policy, KEEP_ALIVE_MS), { keepAliveMs: KEEP_ALIVE_MS, initMs: INIT_MS, seed: 7 });
  return { ...result, perFunction: new Map(), description: trace.description };
}

async function main(): Promise<void> {
  const started = performance.now();
  const jobs: Job[] = (['azure', 'synthetic-1', 'synthetic-2'] as const).flatMap((trace) => POLICIES.map((policy) => ({ trace, policy })));
  const results: (SimResult & { description: string })[] = new Array(jobs.length);
  const self = fileURLToPath(import.meta.url);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      const result = await new Promise<SimResult & { description: string }>((resolve, reject) => {
        const w = new Worker(self, { workerData: job });
        w.once('message', resolve);
        w.once('error', reject);
      });
      results[index] = result;
      console.log(`  ${result.trace} / ${result.policy}: ${(result.wallMs / 1000).toFixed(1)} s`);
    }
  };
  console.log('keep-alive simulator: replaying traces (fixed vs adaptive)…');
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));

  const sections: string[] = [];
  for (const trace of new Set(results.map((r) => r.trace))) {
    const rows = POLICIES.map((p) => results.find((r) => r.trace === trace && r.policy === p)!);
    sections.push(table(trace, rows));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const body = report(sections, results, seconds);
  console.log(`\n${body}`);
  replaceSection(fileURLToPath(new URL('../../../bench/RESULTS.md', import.meta.url)), 'keepalive', body);
  console.log(`\nwrote bench/RESULTS.md (keepalive section) in ${seconds} s`);
}

const pct = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(trace: string, [fixed, adaptive]: SimResult[]): string {
  const lines = [
    `### ${trace}`,
    '',
    '| policy | invocations | cold starts | cold-start % | p75 per-function cold-start % | environments started | idle GB-s | adaptive / fixed |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of [fixed!, adaptive!]) {
    const ratio = r === adaptive ? `cold ${fmt(pct(r.cold, r.invocations) / pct(fixed!.cold, fixed!.invocations), 2)}×, idle ${fmt(r.idleGbS / fixed!.idleGbS, 2)}×` : '';
    lines.push(`| ${r.policy} | ${fmt(r.invocations)} | ${fmt(r.cold)} | ${fmt(pct(r.cold, r.invocations), 3)} | ${fmt(r.p75FunctionColdPct, 1)} | ${fmt(r.starts)} | ${fmt(r.idleGbS)} | ${ratio} |`);
  }
  return lines.join('\n');
}

function report(sections: string[], results: (SimResult & { description: string })[], seconds: string): string {
  const descriptions = [...new Map(results.map((r) => [r.trace, r.description])).entries()].map(([t, d]) => `- **${t}**: ${d}.`);
  return [
    '## Keep-alive policies: fixed 10 min vs adaptive (hybrid histogram)',
    '',
    `Generated by \`npm run bench:keepalive\` (\`bench/keepalive/\`, ${seconds} s here); ${new Date().toISOString().slice(0, 10)}.`,
    '',
    'Each trace is replayed once per policy through the real `PoolManager`, `FunctionPool`,',
    '`EnvironmentFactory` and `Environment`, on a discrete-event virtual clock with a simulated',
    `sandbox driver (Init takes ${INIT_MS} ms of virtual time; execution times are drawn per call,`,
    'capped at 15 min). A cold start is an invocation whose placement was cold. Idle GB-s is',
    'measured at the sandbox boundary: from the pool freezing an environment (park) until it',
    'thaws it for a request or terminates it, × its memory; idle time left at the end of the',
    `trace is counted up to its end. Both policies run with \`--keep-alive 10m\`; adaptive falls`,
    'back to it while a pattern is unclear.',
    '',
    ...descriptions,
    '',
    `Data: ${ATTRIBUTION}`,
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
}

// Last, so that every declaration above is initialised before a job runs.
if (!isMainThread) parentPort!.postMessage(await runJob(workerData as Job));
else await main();
