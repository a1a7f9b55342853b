/**
 * Workflow benchmark: `npm run bench:workflow`.
 *
 * State transitions per second of Hearth's durable Step Functions engine, on an in-process
 * Hearth (ephemeral, default sandbox), for two standard state machines:
 *   - a chain of 100 Pass states: no effect between them, so the executor runs the whole
 *     chain inside StartExecution's one SQLite transaction (the bench records whether the
 *     first DescribeExecution already sees it finished);
 *   - a Map of 1,000 items whose iteration is one Task calling a trivial Node.js Lambda
 *     (echo), MaxConcurrency 10 (each task also pays an invocation and a job round trip).
 * Everything goes through the path a user's execution takes: CreateStateMachine,
 * StartExecution, DescribeExecution and GetExecutionHistory over the AWS JSON 1.0 API.
 * Duration = the execution's stopDate − the instant before StartExecution was sent (both
 * Hearth's wall clock, ms precision); transitions = the StateEntered events of its history
 * (what Step Functions bills as state transitions), checked to end in ExecutionSucceeded.
 * Baseline, in the same run: the same definitions through the in-memory `runExecution` of
 * src/workflow (no durability: no SQLite, no jobs, no API; and for the Map no Lambda: an
 * in-process stub invoker that echoes the payload) — the executor's own cost.
 * Prints a table and writes the `workflow` section of bench/RESULTS.md. Bounded (< 3 min).
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

import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/common/index.js';
import { startHearth, type Hearth } from '../src/server/index.js';
import { type Json, runExecution, type TaskInvoker, validate } from '../src/workflow/index.js';
import { makeZip } from '../test/support/zip.js';
import { replaceSection } from './results-file.js';

// ---------------------------------------------------------------------------------------
// Parameters.
const PASS_STATES = 100;
const MAP_ITEMS = 1000;
/**
 * Iterations in flight at once. 10 keeps the environments few (each cold start spawns a
 * sandboxed Node, CPU-bound on a small machine) while still overlapping invocations with
 * the engine's own transactions.
 */
const MAX_CONCURRENCY = 10;
/** Durable runs per machine; the first Map run includes the environments' cold starts. */
// A Pass chain takes a few ms and stopDate has ms precision: many runs, rates over their sum.
const PASS_RUNS = 30;
const MAP_RUNS = 3;
/** In-memory runs are cheap; more of them steady the median. */
const MEMORY_RUNS = 20;
/** Each durable execution is bounded, so a stuck one fails the bench instead of hanging it. */
const EXECUTION_TIMEOUT_MS = 40_000;
const FN = 'wfb-echo';
const ROLE = 'arn:aws:iam::000000000000:role/states';
const RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
const RESULTS_PATH = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));

const passChain = (): Json => {
  const states: Record<string, Json> = {};
  for (let i = 1; i <= PASS_STATES; i++) states[`S${i}`] = i < PASS_STATES ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
  return { StartAt: 'S1', States: states };
};
const mapOfTasks = (): Json => ({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: MAX_CONCURRENCY,
      ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Task', Resource: FN, End: true } } },
      End: true,
    },
  },
});
const MACHINES = [
  { name: 'pass-chain', label: `Pass chain (${PASS_STATES} states)`, definition: passChain(), input: {} as Json, runs: PASS_RUNS },
  { name: 'map-tasks', label: `Map of ${MAP_ITEMS} Task items (MaxConcurrency ${MAX_CONCURRENCY})`, definition: mapOfTasks(), input: { items: Array.from({ length: MAP_ITEMS }, (_, i) => i) } as Json, runs: MAP_RUNS },
];

// ---------------------------------------------------------------------------------------
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const isEntered = (type: string) => type.endsWith('StateEntered');

/** One AWS JSON 1.0 call on Hearth's main port, as the SDK and the CLI make it. */
async function sfn<T>(h: Hearth, op: string, body: object): Promise<T> {
  const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${op}` }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${op}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface Run {
  ms: number;
  transitions: number;
  events: number;
  /** Finished before the first DescribeExecution (right after StartExecution answered). */
  doneAtFirstLook?: boolean;
}

async function runDurable(h: Hearth, machineArn: string, name: string, input: Json): Promise<Run> {
  const t0 = Date.now();
  const { executionArn } = await sfn<{ executionArn: string }>(h, 'StartExecution', { stateMachineArn: machineArn, name, input: JSON.stringify(input) });
  // Polling only detects the end; the duration comes from the engine's own stopDate, so the
  // 10 ms cadence does not add to it.
  const deadline = t0 + EXECUTION_TIMEOUT_MS;
  let d: { status: string; stopDate?: number; error?: string; cause?: string };
  let doneAtFirstLook: boolean | undefined;
  for (;;) {
    d = await sfn(h, 'DescribeExecution', { executionArn });
    doneAtFirstLook ??= d.status !== 'RUNNING';
    if (d.status !== 'RUNNING') break;
    if (Date.now() > deadline) throw new Error(`${name}: still RUNNING after ${EXECUTION_TIMEOUT_MS} ms`);
    await sleep(10);
  }
  if (d.status !== 'SUCCEEDED') throw new Error(`${name}: ${d.status} ${d.error ?? ''} ${d.cause ?? ''}`);
  let transitions = 0;
  let events = 0;
  let last = '';
  let nextToken: string | undefined;
  do {
    const page: { events: { type: string }[]; nextToken?: string } = await sfn(h, 'GetExecutionHistory', { executionArn, maxResults: 1000, includeExecutionData: false, ...(nextToken ? { nextToken } : {}) });
    for (const e of page.events) if (isEntered(e.type)) transitions++;
    events += page.events.length;
    last = page.events.at(-1)?.type ?? last;
    nextToken = page.nextToken;
  } while (nextToken);
  if (last !== 'ExecutionSucceeded') throw new Error(`${name}: history ends with ${last}`);
  return { ms: d.stopDate! * 1000 - t0, transitions, events, doneAtFirstLook };
}

/** The no-durability, no-Lambda baseline: the executor alone, tasks answered in-process. */
const echo: TaskInvoker = async (_resource, payload) => ({ output: payload });

async function runMemory(definition: Json, input: Json, i: number): Promise<Run> {
  const machine = validate(definition);
  const t0 = performance.now();
  const r = await runExecution(machine, input, { executionId: `mem-${i}`, name: `mem-${i}`, stateMachineId: 'mem', stateMachineName: 'mem', startTime: Date.now(), seed: i }, echo, systemClock);
  const ms = performance.now() - t0;
  if (r.status !== 'SUCCEEDED') throw new Error(`in-memory run ${i}: ${r.status} ${JSON.stringify(r.failure)}`);
  return { ms, transitions: r.history.filter((e) => isEntered(e.type)).length, events: r.history.length };
}

// ---------------------------------------------------------------------------------------
interface Result {
  label: string;
  durable: Run[];
  memory: Run[];
}

const perS = (r: Run) => r.transitions / (r.ms / 1000);
/** Σ transitions ÷ Σ time: not skewed by a run rounded to 1–2 ms as a median of rates is. */
const totalPerS = (rs: Run[]) => rs.reduce((n, r) => n + r.transitions, 0) / (rs.reduce((n, r) => n + r.ms, 0) / 1000);
const range = (rs: Run[], digits: number) => {
  const ms = rs.map((r) => r.ms);
  return `${median(ms).toFixed(digits)} (${Math.min(...ms).toFixed(digits)}–${Math.max(...ms).toFixed(digits)})`;
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = load();
  const hearth = await startHearth({ port: 0, ephemeral: true });
  const results: Result[] = [];
  try {
    const zip = await makeZip({ 'index.js': 'exports.handler = async (e) => e;' });
    const created = await fetch(`${hearth.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: FN, Runtime: RUNTIME, Handler: 'index.handler', MemorySize: 128, Timeout: 10, Code: { ZipFile: zip.toString('base64') } }),
    });
    if (created.status !== 201) throw new Error(`deploy: ${created.status} ${await created.text()}`);
    for (const m of MACHINES) {
      const { stateMachineArn } = await sfn<{ stateMachineArn: string }>(hearth, 'CreateStateMachine', { name: m.name, definition: JSON.stringify(m.definition), roleArn: ROLE, type: 'STANDARD' });
      const durable: Run[] = [];
      for (let i = 1; i <= m.runs; i++) {
        const r = await runDurable(hearth, stateMachineArn, `run-${i}`, m.input);
        durable.push(r);
        if (m.runs <= 5) console.log(`${m.label} durable #${i}: ${r.transitions} transitions (${r.events} events) in ${r.ms.toFixed(0)} ms = ${perS(r).toFixed(0)}/s; load ${load()}`);
      }
      const memory: Run[] = [];
      for (let i = 1; i <= MEMORY_RUNS; i++) memory.push(await runMemory(m.definition, m.input, i));
      console.log(`${m.label}: durable ${totalPerS(durable).toFixed(0)}/s over ${m.runs} runs; in-memory ${totalPerS(memory).toFixed(0)}/s, median ${median(memory.map((r) => r.ms)).toFixed(2)} ms`);
      results.push({ label: m.label, durable, memory });
    }
  } finally {
    await hearth.stop();
  }

  const header = '| state machine | transitions (history events) | durable runs | durable: ms, median (min–max) | durable: transitions/s | finished by first DescribeExecution | in-memory baseline: ms, median (min–max) | in-memory: transitions/s | durable ÷ in-memory |';
  const rows = results.map((r) => {
    const d = r.durable[0]!;
    const durablePerS = totalPerS(r.durable);
    const memPerS = totalPerS(r.memory);
    const early = r.durable.filter((x) => x.doneAtFirstLook).length;
    return `| ${r.label} | ${d.transitions} (${d.events}) | ${r.durable.length} | ${range(r.durable, 0)} | ${durablePerS.toFixed(0)} | ${early} of ${r.durable.length} | ${range(r.memory, 2)} | ${memPerS.toFixed(0)} | ${((durablePerS / memPerS) * 100).toFixed(1)}% |`;
  });
  const each = results.map((r) => `- ${r.label}, durable runs (ms): ${r.durable.map((x) => x.ms.toFixed(0)).join(', ')}`).join('\n');
  const table = [header, '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
  console.log(`\n${table}\n\n${each}`);

  replaceSection(RESULTS_PATH, 'workflow', `## Workflows: state transitions per second (\`npm run bench:workflow\`)

Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GB RAM; load average (1/5/15 min) ${loadBefore} at the start,
${load()} at the end — the machine is shared, so compare ratios, not absolute rates.

- **Durable**: standard state machines on an in-process Hearth (ephemeral, SQLite), created
  and started through the Step Functions JSON 1.0 API, one execution at a time. Duration =
  the execution's \`stopDate\` − the instant before \`StartExecution\` was sent; transitions =
  the \`*StateEntered\` events of \`GetExecutionHistory\` (which ends in \`ExecutionSucceeded\`).
  The Map's Task calls a trivial ${RUNTIME} Lambda (\`async (e) => e\`, 128 MB) with
  MaxConcurrency ${MAX_CONCURRENCY}; its first run includes the environments' cold starts, the later ones reuse them.
- **In-memory baseline — no durability, no Lambda**: the same definitions through
  \`runExecution\` (src/workflow), tasks answered by an in-process stub that echoes the payload;
  ${MEMORY_RUNS} runs. It is the executor's own cost; the gap to it is SQLite, jobs,
  the API and (for the Map) the Lambda invocations.

Transitions/s = Σ transitions ÷ Σ durations over all runs of a machine (a 100-state chain takes a
few ms, and \`stopDate\` has ms precision). "Finished by first DescribeExecution": the execution was
already SUCCEEDED when polled right after StartExecution answered — a Pass chain has no effect to
wait for, so StartExecution's one transaction runs all of it.

${table}

${each}
`);
}

await main();
