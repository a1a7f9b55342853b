/** Helpers for the workflow conformance suite: run a definition over a fake clock. */
import { runExecution, validate, type ExecutionContext, type Json, type RunResult, type TaskOutcome } from '../../../src/workflow/index.js';
import { FakeClock } from '../support/fake-clock.js';

export const START = 1_700_000_000_000; // 2023-11-14T22:13:20.000Z

export function context(over: Partial<ExecutionContext> = {}): ExecutionContext {
  return {
    executionId: 'arn:aws:states:us-east-1:123456789012:execution:Machine:run-1',
    name: 'run-1',
    stateMachineId: 'arn:aws:states:us-east-1:123456789012:stateMachine:Machine',
    stateMachineName: 'Machine',
    startTime: START,
    seed: 7,
    ...over,
  };
}

export interface TaskCall {
  resource: string;
  payload: Json;
  /** Virtual milliseconds since the execution started. */
  at: number;
}

/** A task's behaviour: the outcome, or a promise that never settles ('hang'). */
export type Handler = (payload: Json, call: number) => TaskOutcome | 'hang';

const settle = () => new Promise<void>((r) => setImmediate(r));

/**
 * Validates and runs a definition; tasks resolve through `handlers` by resource. Virtual
 * time moves in 100 ms steps while nothing else can happen, up to `limitMs`.
 */
export async function run(
  definition: unknown,
  input: Json,
  handlers: Record<string, Handler> = {},
  opts: { limitMs?: number; seed?: number } = {},
): Promise<RunResult & { calls: TaskCall[]; clock: FakeClock }> {
  const clock = new FakeClock(START);
  const calls: TaskCall[] = [];
  const counts = new Map<string, number>();
  const machine = validate(definition);
  let result: RunResult | undefined;
  runExecution(
    machine,
    input,
    context(opts.seed !== undefined ? { seed: opts.seed } : {}),
    async (resource, payload) => {
      calls.push({ resource, payload, at: clock.now() - START });
      const n = (counts.get(resource) ?? 0) + 1;
      counts.set(resource, n);
      const h = handlers[resource];
      if (!h) return { output: payload };
      const outcome = h(payload, n);
      return outcome === 'hang' ? new Promise<TaskOutcome>(() => {}) : outcome;
    },
    clock,
  ).then((r) => (result = r));
  const limit = START + (opts.limitMs ?? 3_600_000);
  for (;;) {
    await settle();
    if (result) return { ...result, calls, clock };
    if (clock.now() >= limit) throw new Error('execution did not finish within the virtual time limit');
    clock.advance(100);
  }
}

/** A one-state machine around `state`, which must end. */
export const single = (state: Record<string, unknown>) => ({ StartAt: 'S', States: { S: { ...state } } });

export const fail = (error: string, cause = ''): TaskOutcome => ({ failure: { error, cause } });
