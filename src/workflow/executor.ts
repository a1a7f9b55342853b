/**
 * The executor's two entry points, deterministic functions over explicit state:
 *
 *   start(machine, input, context)  → Step   (ExecutionStarted … until the first effects)
 *   advance(machine, state, event)  → Step   (one task result or timer, applied)
 *
 * A durable host persists each event it feeds in (and may persist the returned history);
 * replaying the same events from start() rebuilds the same state and effect ids.
 */
import { Run } from './run.js';
import type { ExecutionContext, ExecutionEvent, ExecutionState, Json, StateMachine, Step } from './types.js';

export function start(machine: StateMachine, input: Json, context: ExecutionContext): Step {
  const state: ExecutionState = { context, input, status: 'RUNNING', threads: {}, seq: 0, rng: context.seed >>> 0 };
  const run = new Run(machine, state, context.startTime);
  run.record('ExecutionStarted', undefined, { input });
  run.startThread('root', '', input);
  return run.step();
}

export function advance(machine: StateMachine, state: ExecutionState, event: ExecutionEvent): Step {
  // The caller's state is never mutated, so a host may keep the previous one.
  const run = new Run(machine, structuredClone(state), event.at);
  if (state.status !== 'RUNNING') return run.step();
  if (event.kind === 'taskSucceeded') run.deliver(event.id, { output: event.output });
  else if (event.kind === 'taskFailed') run.deliver(event.id, { failure: { error: event.error, cause: event.cause } });
  else run.deliver(event.id, 'timer');
  return run.step();
}

/** Replays recorded events from the start: a durable host's recovery after a crash. */
export function replay(machine: StateMachine, input: Json, context: ExecutionContext, events: readonly ExecutionEvent[]): Step {
  let step = start(machine, input, context);
  for (const e of events) step = advance(machine, step.state, e);
  return step;
}
