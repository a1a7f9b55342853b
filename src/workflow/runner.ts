/**
 * An in-memory host for the executor: performs effects with a pluggable task invoker and
 * the injected Clock (timers, task timeouts), feeds results back, and resolves with the
 * execution's outcome. The conformance suite runs it over a fake clock, so Retry and Wait
 * timings are measured in virtual time. A durable host does the same, recording events.
 */
import type { Clock, Timer } from '../common/index.js';
import { TIMEOUT } from './errors.js';
import { advance, start } from './executor.js';
import type { ExecutionContext, ExecutionEvent, ExecutionState, Failure, HistoryEvent, Json, StateMachine, Step } from './types.js';

export type TaskOutcome = { output: Json } | { failure: Failure };

/** Runs one task: `resource` as the definition names it, with the state's payload. */
export type TaskInvoker = (resource: string, payload: Json, info: { stateName: string; effectId: string }) => Promise<TaskOutcome>;

export interface RunResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: Json;
  failure?: Failure;
  history: HistoryEvent[];
  /** Every event fed to the executor, in order: what a durable host would record. */
  events: ExecutionEvent[];
}

/**
 * Lambda's error payload ({errorType, errorMessage, trace}) as Step Functions reports it:
 * the errorType is the error name, the cause is the payload as JSON.
 */
export function lambdaFailure(payload: { errorType?: string; errorMessage?: string; trace?: string[] }): Failure {
  return { error: payload.errorType ?? 'Error', cause: JSON.stringify(payload) };
}

export function runExecution(machine: StateMachine, input: Json, context: ExecutionContext, invoke: TaskInvoker, clock: Clock): Promise<RunResult> {
  return new Promise((resolve) => {
    const history: HistoryEvent[] = [];
    const events: ExecutionEvent[] = [];
    const timers = new Map<string, Timer>();
    /** Ids whose result no longer matters (cancelled or timed out). */
    const settled = new Set<string>();
    let state: ExecutionState;

    const apply = (step: Step) => {
      state = step.state;
      history.push(...step.history);
      for (const e of step.effects) perform(e);
      if (state.status !== 'RUNNING') {
        for (const t of timers.values()) t.cancel();
        const r: RunResult = { status: state.status, history, events };
        if (state.output !== undefined) r.output = state.output;
        if (state.failure) r.failure = state.failure;
        resolve(r);
      }
    };
    const feed = (e: ExecutionEvent) => {
      if (state.status !== 'RUNNING') return;
      events.push(e);
      apply(advance(machine, state, e));
    };
    const perform = (e: Step['effects'][number]) => {
      if (e.kind === 'timer') {
        timers.set(e.id, clock.setTimer(e.at - clock.now(), () => feed({ kind: 'timerFired', id: e.id, at: clock.now() })));
      } else if (e.kind === 'cancel') {
        settled.add(e.id);
        timers.get(e.id)?.cancel();
      } else if (e.kind === 'invoke') {
        if (e.timeoutSeconds !== undefined) {
          timers.set(e.id, clock.setTimer(e.timeoutSeconds * 1000, () => {
            if (settled.has(e.id)) return;
            settled.add(e.id);
            feed({ kind: 'taskFailed', id: e.id, error: TIMEOUT, cause: `Task timed out after ${e.timeoutSeconds} seconds`, at: clock.now() });
          }));
        }
        invoke(e.resource, e.payload, { stateName: e.stateName, effectId: e.id }).then(
          (outcome) => {
            if (settled.has(e.id)) return;
            settled.add(e.id);
            timers.get(e.id)?.cancel();
            const at = clock.now();
            feed('output' in outcome ? { kind: 'taskSucceeded', id: e.id, output: outcome.output, at } : { kind: 'taskFailed', id: e.id, ...outcome.failure, at });
          },
          (err: unknown) => {
            // An invoker that throws is a task failure, not a crash of the execution.
            if (settled.has(e.id)) return;
            settled.add(e.id);
            timers.get(e.id)?.cancel();
            feed({ kind: 'taskFailed', id: e.id, error: 'States.TaskFailed', cause: String(err), at: clock.now() });
          },
        );
      }
    };
    apply(start(machine, input, context));
  });
}
