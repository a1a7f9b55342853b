/**
 * Parallel and Map (inline): a state that runs child threads and joins their outputs in
 * index order. Map starts at most MaxConcurrency iterations at a time (0: no limit); a
 * failed child cancels its siblings and fails the parent state with the child's error,
 * which the parent's Retry and Catch then see.
 */
import { applyTemplate } from './data-flow.js';
import { RUNTIME, StatesError } from './errors.js';
import { queryPath } from './json-path.js';
import type { Run } from './run.js';
import type { Failure, Json, RawState, Thread, Waiting } from './types.js';

type Children = Extract<Waiting, { kind: 'children' }>;

export function fanOut(run: Run, t: Thread, s: RawState): void {
  const eff = run.effective(t);
  let inputs: Json[];
  let limit = 0;
  if (s.Type === 'Parallel') {
    const input = s.Parameters !== undefined ? applyTemplate(s.Parameters as Json, run.env(t, eff)) : eff;
    inputs = (s.Branches as unknown[]).map(() => input);
  } else {
    const items = s.ItemsPath !== undefined ? queryPath(s.ItemsPath as string, eff, run.context(t)) : eff;
    if (!Array.isArray(items)) throw new StatesError(RUNTIME, `ItemsPath '${(s.ItemsPath as string) ?? '$'}' must point to an array in state '${t.stateName}'`);
    // ItemSelector (Parameters in older definitions) sees the Map's input and $$.Map.Item.
    const selector = (s.ItemSelector ?? s.Parameters) as Json | undefined;
    inputs = items.map((value, index) => (selector !== undefined ? applyTemplate(selector, run.env(t, eff, { index, value })) : value));
    limit = s.MaxConcurrency !== undefined ? (s.MaxConcurrency as number) : maxConcurrencyPath(run, t, s, eff);
  }
  const w: Children = { kind: 'children', inputs, pending: inputs.map((_, i) => i), results: inputs.map(() => null), remaining: inputs.length, limit };
  t.waiting = w;
  run.record(s.Type === 'Map' ? 'MapStateStarted' : 'ParallelStateStarted', t, s.Type === 'Map' ? { index: inputs.length } : {});
  if (inputs.length === 0) {
    t.waiting = { kind: 'none' };
    return run.finishState(t, []);
  }
  pump(run, t, w);
}

function maxConcurrencyPath(run: Run, t: Thread, s: RawState, eff: Json): number {
  if (s.MaxConcurrencyPath === undefined) return 0;
  const v = queryPath(s.MaxConcurrencyPath as string, eff, run.context(t));
  if (!Number.isInteger(v) || (v as number) < 0) throw new StatesError(RUNTIME, `MaxConcurrencyPath must point to a non-negative integer`);
  return v as number;
}

/**
 * Starts children while the limit allows. A child may finish synchronously (a branch of
 * Pass states) and re-enter here or end the parent's wait, so each turn re-checks that
 * the parent still waits on this very join.
 */
function pump(run: Run, parent: Thread, w: Children): void {
  while (w.pending.length > 0 && parent.waiting === w && (w.limit === 0 || w.remaining - w.pending.length < w.limit)) {
    const index = w.pending.shift()!;
    const s = run.def(parent);
    const branchKey = s.Type === 'Map' ? `${parent.branchKey}/${parent.stateName}#map` : `${parent.branchKey}/${parent.stateName}#${index}`;
    if (s.Type === 'Map') run.record('MapIterationStarted', parent, { index });
    run.startThread(`${parent.id}/${parent.stateName}#${index}`, branchKey, w.inputs[index]!, { threadId: parent.id, index });
  }
}

export function childDone(run: Run, child: Thread, output: Json | undefined, failure: Failure | undefined): void {
  const parent = run.state.threads[child.parent!.threadId];
  if (!parent || parent.waiting.kind !== 'children') return;
  const w = parent.waiting;
  const index = child.parent!.index;
  const type = run.def(parent).Type;
  if (failure) {
    if (type === 'Map') run.record('MapIterationFailed', parent, { index, error: failure.error, cause: failure.cause });
    run.record(`${type}StateFailed`, parent, { error: failure.error, cause: failure.cause });
    run.cancelChildren(parent.id);
    parent.waiting = { kind: 'none' };
    return run.handleError(parent, failure);
  }
  w.results[index] = output!;
  w.remaining--;
  if (type === 'Map') run.record('MapIterationSucceeded', parent, { index });
  if (w.remaining === 0) {
    parent.waiting = { kind: 'none' };
    run.record(`${type}StateSucceeded`, parent);
    return run.finishState(parent, w.results);
  }
  pump(run, parent, w);
}
