/**
 * One transition batch of the executor over explicit, JSON-serialisable state. A Run
 * copies the ExecutionState, applies one start or one event, and collects the effects
 * for the host and the history events to persist. Nothing here reads a clock or a
 * random source: time comes from the event, randomness from the state's seed.
 * Members without `private` are used by fan-out.ts (Parallel and Map).
 */
import { seededRandom } from '../common/index.js';
import { evaluateRule } from './choice.js';
import { applyResultPath, applyTemplate, selectPath } from './data-flow.js';
import { DATA_LIMIT_EXCEEDED, errorMatches, MAX_PAYLOAD_BYTES, NO_CHOICE_MATCHED, RUNTIME, StatesError, TIMEOUT } from './errors.js';
import type { IntrinsicEnv } from './intrinsics.js';
import { evaluateIntrinsic } from './intrinsics.js';
import { looksIntrinsic, parseIntrinsic } from './intrinsic-parser.js';
import { childDone, fanOut } from './fan-out.js';
import { queryPath } from './json-path.js';
import { maxAttempts, type Retrier, retryDelayMs } from './retry.js';
import type { Effect, ExecutionState, Failure, HistoryEvent, Json, RawState, StateMachine, Step, Thread } from './types.js';

type Catcher = { ErrorEquals: string[]; Next: string; ResultPath?: string | null };

export class Run {
  readonly effects: Effect[] = [];
  readonly history: HistoryEvent[] = [];

  constructor(
    private readonly machine: StateMachine,
    readonly state: ExecutionState,
    private now: number,
  ) {}

  step(): Step {
    // An effect issued and cancelled within one batch never reaches the host.
    const cancelled = new Set(this.effects.filter((e) => e.kind === 'cancel').map((e) => (e as { id: string }).id));
    const issued = new Set(this.effects.filter((e) => e.kind === 'invoke' || e.kind === 'timer').map((e) => (e as { id: string }).id));
    const effects = this.effects.filter((e) => {
      if (e.kind === 'cancel') return !issued.has(e.id);
      if (e.kind === 'invoke' || e.kind === 'timer') return !cancelled.has(e.id);
      return true;
    });
    return { state: this.state, effects, history: this.history };
  }

  record(type: string, t: Thread | undefined, extra: Partial<HistoryEvent> = {}): void {
    this.history.push({ type, at: this.now, thread: t?.id ?? 'root', ...(t ? { stateName: t.stateName } : {}), ...extra });
  }

  draw = (): number => {
    const r = seededRandom(this.state.rng).next();
    this.state.rng = (this.state.rng + 0x6d2b79f5) >>> 0;
    return r;
  };

  nextId(): string {
    return `e${++this.state.seq}`;
  }

  def(t: Thread): RawState {
    return this.machine.branches[t.branchKey]!.states[t.stateName]!;
  }

  /** The context object `$$` as a state sees it. */
  context(t: Thread, mapItem?: { index: number; value: Json }): Json {
    const c = this.state.context;
    const ctx: Record<string, Json> = {
      Execution: { Id: c.executionId, Input: this.state.input, Name: c.name, RoleArn: c.roleArn ?? null, StartTime: new Date(c.startTime).toISOString(), RedriveCount: 0 },
      State: { EnteredTime: new Date(t.enteredAt).toISOString(), Name: t.stateName, RetryCount: t.retries.reduce((a, b) => a + b, 0) },
      StateMachine: { Id: c.stateMachineId, Name: c.stateMachineName },
    };
    if (mapItem) ctx.Map = { Item: { Index: mapItem.index, Value: mapItem.value } };
    return ctx;
  }

  env(t: Thread, input: Json, mapItem?: { index: number; value: Json }): IntrinsicEnv {
    return { input, context: this.context(t, mapItem), draw: this.draw };
  }

  /** The state's effective input: its raw input after InputPath. */
  effective(t: Thread): Json {
    return selectPath(this.def(t).InputPath, t.input, this.context(t), 'InputPath');
  }

  startThread(id: string, branchKey: string, input: Json, parent?: Thread['parent']): Thread {
    const t: Thread = { id, branchKey, stateName: this.machine.branches[branchKey]!.startAt, input, enteredAt: this.now, retries: [], waiting: { kind: 'none' }, done: false };
    if (parent) t.parent = parent;
    this.state.threads[id] = t;
    this.enter(t, t.stateName, input);
    return t;
  }

  private enter(t: Thread, name: string, input: Json): void {
    Object.assign(t, { stateName: name, input, enteredAt: this.now, retries: [], waiting: { kind: 'none' } });
    this.record(`${this.def(t).Type}StateEntered`, t, { input });
    this.execute(t);
  }

  /** Runs the current state until it finishes or blocks on an effect. */
  private execute(t: Thread): void {
    try {
      this.executeUnsafe(t);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      this.handleError(t, e.failure);
    }
  }

  private executeUnsafe(t: Thread): void {
    const s = this.def(t);
    switch (s.Type) {
      case 'Pass': {
        const eff = this.effective(t);
        const result = s.Parameters !== undefined ? applyTemplate(s.Parameters as Json, this.env(t, eff)) : s.Result !== undefined ? (s.Result as Json) : eff;
        return this.finishState(t, result);
      }
      case 'Task': {
        const eff = this.effective(t);
        const payload = s.Parameters !== undefined ? applyTemplate(s.Parameters as Json, this.env(t, eff)) : eff;
        const id = this.nextId();
        const effect: Effect = { kind: 'invoke', id, resource: s.Resource as string, payload, stateName: t.stateName };
        const timeout = this.seconds(t, eff, 'TimeoutSeconds');
        const heartbeat = this.seconds(t, eff, 'HeartbeatSeconds');
        if (timeout !== undefined) effect.timeoutSeconds = timeout;
        if (heartbeat !== undefined) effect.heartbeatSeconds = heartbeat;
        t.waiting = { kind: 'task', effectId: id, effectiveInput: eff };
        this.effects.push(effect);
        this.record('TaskScheduled', t, { effectId: id, resource: s.Resource as string, input: payload });
        return;
      }
      case 'Choice': {
        const eff = this.effective(t);
        const ctx = this.context(t);
        const rule = (s.Choices as Record<string, unknown>[]).find((r) => evaluateRule(r, eff, ctx));
        const next = (rule?.Next ?? s.Default) as string | undefined;
        if (next === undefined) throw new StatesError(NO_CHOICE_MATCHED, `No Matches! in state '${t.stateName}'`);
        const out = selectPath(s.OutputPath, eff, ctx, 'OutputPath');
        this.record('ChoiceStateExited', t, { output: out });
        return this.enter(t, next, out);
      }
      case 'Wait': {
        const eff = this.effective(t);
        const id = this.nextId();
        t.waiting = { kind: 'wait', effectId: id };
        this.effects.push({ kind: 'timer', id, at: this.waitUntil(t, s, eff) });
        return;
      }
      case 'Succeed': {
        const out = selectPath(s.OutputPath, this.effective(t), this.context(t), 'OutputPath');
        this.record('SucceedStateExited', t, { output: out });
        return this.threadSucceeded(t, out);
      }
      case 'Fail':
        return this.threadFailed(t, { error: this.failField(t, s, 'Error'), cause: this.failField(t, s, 'Cause') });
      case 'Parallel':
      case 'Map':
        return fanOut(this, t, s);
    }
  }

  private seconds(t: Thread, eff: Json, field: 'TimeoutSeconds' | 'HeartbeatSeconds'): number | undefined {
    const s = this.def(t);
    if (s[field] !== undefined) return s[field] as number;
    if (s[`${field}Path`] === undefined) return undefined;
    const v = queryPath(s[`${field}Path`] as string, eff, this.context(t));
    if (!Number.isInteger(v) || (v as number) <= 0) throw new StatesError(RUNTIME, `${field}Path '${s[`${field}Path`] as string}' must point to a positive integer`);
    return v as number;
  }

  private waitUntil(t: Thread, s: RawState, eff: Json): number {
    if (typeof s.Seconds === 'number') return this.now + s.Seconds * 1000;
    if (typeof s.Timestamp === 'string') return Math.max(this.now, Date.parse(s.Timestamp));
    if (typeof s.SecondsPath === 'string') {
      const v = queryPath(s.SecondsPath, eff, this.context(t));
      if (!Number.isInteger(v) || (v as number) < 0) throw new StatesError(RUNTIME, `SecondsPath '${s.SecondsPath}' must point to a non-negative integer`);
      return this.now + (v as number) * 1000;
    }
    const v = queryPath(s.TimestampPath as string, eff, this.context(t));
    const at = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(at)) throw new StatesError(RUNTIME, `TimestampPath '${s.TimestampPath as string}' must point to an RFC 3339 timestamp`);
    return Math.max(this.now, at);
  }

  private failField(t: Thread, s: RawState, f: 'Error' | 'Cause'): string {
    if (typeof s[f] === 'string') return s[f] as string;
    const expr = s[`${f}Path`];
    if (typeof expr !== 'string') return '';
    const env = this.env(t, t.input);
    const v = looksIntrinsic(expr) ? evaluateIntrinsic(parseIntrinsic(expr), env) : queryPath(expr, t.input, env.context);
    if (typeof v !== 'string') throw new StatesError(RUNTIME, `${f}Path '${expr}' must point to a string`);
    return v;
  }

  /** ResultSelector (not for Pass), ResultPath, OutputPath, then the transition. */
  finishState(t: Thread, result: Json): void {
    const s = this.def(t);
    try {
      const selected = s.ResultSelector !== undefined ? applyTemplate(s.ResultSelector as Json, this.env(t, result)) : result;
      const merged = applyResultPath(s.ResultPath, t.input, selected);
      const out = selectPath(s.OutputPath, merged, this.context(t), 'OutputPath');
      if (Buffer.byteLength(JSON.stringify(out)) > MAX_PAYLOAD_BYTES) {
        throw new StatesError(DATA_LIMIT_EXCEEDED, `The state/task '${t.stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`);
      }
      this.record(`${s.Type}StateExited`, t, { output: out });
      this.transition(t, s, out);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      this.handleError(t, e.failure);
    }
  }

  private transition(t: Thread, s: RawState, out: Json): void {
    if (s.End === true) this.threadSucceeded(t, out);
    else this.enter(t, s.Next as string, out);
  }

  /** Retry (first matching retrier), else Catch (first matching catcher), else fail. */
  handleError(t: Thread, f: Failure): void {
    const s = this.def(t);
    const retriers = (s.Retry ?? []) as Retrier[];
    const i = retriers.findIndex((r) => errorMatches(r.ErrorEquals, f.error));
    if (i >= 0) {
      const count = t.retries[i] ?? 0;
      if (count < maxAttempts(retriers[i]!)) {
        t.retries[i] = count + 1;
        const id = this.nextId();
        t.waiting = { kind: 'retry', effectId: id };
        this.effects.push({ kind: 'timer', id, at: this.now + retryDelayMs(retriers[i]!, count, this.draw) });
        return;
      }
    }
    const catcher = ((s.Catch ?? []) as Catcher[]).find((c) => errorMatches(c.ErrorEquals, f.error));
    if (catcher) {
      try {
        const out = applyResultPath(catcher.ResultPath, t.input, { Error: f.error, Cause: f.cause });
        this.record(`${s.Type}StateExited`, t, { output: out });
        return this.enter(t, catcher.Next, out);
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        return this.threadFailed(t, e.failure);
      }
    }
    this.threadFailed(t, f);
  }

  threadSucceeded(t: Thread, output: Json): void {
    this.endThread(t);
    if (t.parent) return childDone(this, t, output, undefined);
    this.state.status = 'SUCCEEDED';
    this.state.output = output;
    this.record('ExecutionSucceeded', undefined, { output });
    this.effects.push({ kind: 'succeed', output });
  }

  threadFailed(t: Thread, f: Failure): void {
    this.endThread(t);
    if (t.parent) return childDone(this, t, undefined, f);
    this.state.status = 'FAILED';
    this.state.failure = f;
    this.record('ExecutionFailed', undefined, { error: f.error, cause: f.cause });
    this.effects.push({ kind: 'fail', ...f });
  }

  private endThread(t: Thread): void {
    t.done = true;
    delete this.state.threads[t.id];
  }

  /** Ends every descendant of `parentId`, cancelling what they wait for. */
  cancelChildren(parentId: string): void {
    for (const c of Object.values(this.state.threads)) {
      if (c.parent?.threadId !== parentId) continue;
      this.cancelChildren(c.id);
      if (c.waiting.kind === 'task' || c.waiting.kind === 'wait' || c.waiting.kind === 'retry') this.effects.push({ kind: 'cancel', id: c.waiting.effectId });
      this.endThread(c);
    }
  }

  /** A task's outcome, or a timer, for the thread waiting on it; stale ids are ignored. */
  deliver(id: string, outcome: { output: Json } | { failure: Failure } | 'timer'): void {
    const t = Object.values(this.state.threads).find((x) => 'effectId' in x.waiting && x.waiting.effectId === id);
    if (!t) return;
    const waiting = t.waiting;
    t.waiting = { kind: 'none' };
    if (waiting.kind === 'task' && outcome !== 'timer') {
      if ('output' in outcome) {
        this.record('TaskSucceeded', t, { effectId: id, output: outcome.output });
        return this.finishState(t, outcome.output);
      }
      this.record(outcome.failure.error === TIMEOUT ? 'TaskTimedOut' : 'TaskFailed', t, { effectId: id, error: outcome.failure.error, cause: outcome.failure.cause });
      return this.handleError(t, outcome.failure);
    }
    if (waiting.kind === 'wait') {
      try {
        const out = selectPath(this.def(t).OutputPath, this.effective(t), this.context(t), 'OutputPath');
        this.record('WaitStateExited', t, { output: out });
        return this.transition(t, this.def(t), out);
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        return this.handleError(t, e.failure);
      }
    }
    if (waiting.kind === 'retry') return this.execute(t);
  }
}
