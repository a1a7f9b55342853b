/**
 * Express-style synchronous executions (StartSyncExecution): in memory, through the
 * workflow core's runner, bounded at five minutes as Step Functions bounds them. Nothing
 * is persisted; a restart ends them, as an express execution has no durable history.
 */
import type { Clock, Random, Timer } from '../common/index.js';
import { type Failure, type Json, runExecution, type StateMachine, type TaskInvoker } from '../workflow/index.js';

/** Express executions end after five minutes with TIMED_OUT. */
export const SYNC_LIMIT_MS = 5 * 60_000;

export type SyncInvoker = TaskInvoker;

export interface SyncResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  output?: Json;
  failure?: Failure;
  startedAt: number;
  stoppedAt: number;
}

export async function runSync(
  machine: StateMachine,
  input: Json,
  ids: { arn: string; machineArn: string; machineName: string; name: string },
  invoke: SyncInvoker,
  clock: Clock,
  random: Random,
): Promise<SyncResult> {
  const startedAt = clock.now();
  const limitMs = Math.min(SYNC_LIMIT_MS, (machine.timeoutSeconds ?? Infinity) * 1000);
  let timer: Timer | undefined;
  const timeout = new Promise<SyncResult>((ok) => {
    timer = clock.setTimer(limitMs, () => ok({ status: 'TIMED_OUT', failure: { error: 'States.Timeout', cause: `The execution ran longer than ${limitMs / 1000} seconds` }, startedAt, stoppedAt: clock.now() }));
  });
  const context = { executionId: ids.arn, name: ids.name, stateMachineId: ids.machineArn, stateMachineName: ids.machineName, startTime: startedAt, seed: Math.floor(random.next() * 2 ** 32) };
  const run = runExecution(machine, input, context, invoke, clock).then((r): SyncResult => ({ status: r.status, ...(r.output !== undefined ? { output: r.output } : {}), ...(r.failure ? { failure: r.failure } : {}), startedAt, stoppedAt: clock.now() }));
  try {
    return await Promise.race([run, timeout]);
  } finally {
    timer?.cancel();
  }
}
