/**
 * Types shared by the Amazon States Language core: JSON values, the validated state
 * machine, and the executor's explicit state, effects and events. Everything here is
 * plain JSON-serialisable data so a durable host can persist it as-is.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A definition's raw state, as parsed from JSON; validate() checks every field. */
export type RawState = { Type: string } & Record<string, unknown>;

/** One scope of states: the machine's top level, a Parallel branch or a Map's processor. */
export interface Branch {
  /** Scope key: '' for the top level, else parent key + '/' + state name + '#' + branch index. */
  key: string;
  startAt: string;
  states: Record<string, RawState>;
}

export interface StateMachine {
  definition: JsonObject;
  root: Branch;
  /** Every scope by key, so explicit execution state refers to scopes by string. */
  branches: Record<string, Branch>;
  /** The top-level TimeoutSeconds, for the host to enforce (not enforced here). */
  timeoutSeconds?: number;
}

/** What the host knows about an execution when starting it: the context object's source. */
export interface ExecutionContext {
  executionId: string;
  name: string;
  stateMachineId: string;
  stateMachineName: string;
  roleArn?: string;
  /** Epoch milliseconds. */
  startTime: number;
  /** Seeds States.UUID, States.MathRandom and retry jitter, so replay is deterministic. */
  seed: number;
}

/** A failure as Step Functions reports it: an error name and a cause string. */
export interface Failure {
  error: string;
  cause: string;
}

/** An effect is work the host performs and records, then reports back as an event. */
export type Effect =
  | {
      kind: 'invoke';
      id: string;
      resource: string;
      payload: Json;
      stateName: string;
      /** Seconds; the host reports States.Timeout when it passes. */
      timeoutSeconds?: number;
      heartbeatSeconds?: number;
    }
  | { kind: 'timer'; id: string; at: number }
  /** A pending task or timer whose result no longer matters (a failed sibling branch). */
  | { kind: 'cancel'; id: string }
  | { kind: 'succeed'; output: Json }
  | ({ kind: 'fail' } & Failure);

/** Results the host feeds back; `at` is when it happened (epoch ms), from the host's Clock. */
export type ExecutionEvent =
  | { kind: 'taskSucceeded'; id: string; output: Json; at: number }
  | ({ kind: 'taskFailed'; id: string; at: number } & Failure)
  | { kind: 'timerFired'; id: string; at: number };

/** Step Functions' history event names, emitted with each transition for the host to persist. */
export interface HistoryEvent {
  type: string;
  at: number;
  /** Thread path: 'root', 'root/Par#0', 'root/Map#3', … */
  thread: string;
  stateName?: string;
  input?: Json;
  output?: Json;
  error?: string;
  cause?: string;
  effectId?: string;
  resource?: string;
  /** Map iteration index or Parallel branch index. */
  index?: number;
}

/** What a thread is waiting for. */
export type Waiting =
  | { kind: 'task'; effectId: string; effectiveInput: Json }
  | { kind: 'wait'; effectId: string }
  | { kind: 'retry'; effectId: string }
  /** Parallel branches or Map iterations: inputs by index, those not started yet, results. */
  | { kind: 'children'; inputs: Json[]; pending: number[]; results: Json[]; remaining: number; limit: number }
  | { kind: 'none' };

/** One running line of control: the top level, or one Parallel branch / Map iteration. */
export interface Thread {
  id: string;
  branchKey: string;
  stateName: string;
  /** The current state's raw input (ResultPath merges into this). */
  input: Json;
  enteredAt: number;
  /** Retry counts per retrier index of the current state. */
  retries: number[];
  waiting: Waiting;
  parent?: { threadId: string; index: number };
  done: boolean;
}

export interface ExecutionState {
  context: ExecutionContext;
  input: Json;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: Json;
  failure?: Failure;
  threads: Record<string, Thread>;
  /** Next effect number: effect ids are `e1`, `e2`, … in order, so replay reproduces them. */
  seq: number;
  /** mulberry32 state, advanced per draw. */
  rng: number;
}

/** One call's result: the new state, effects to perform, history to append. */
export interface Step {
  state: ExecutionState;
  effects: Effect[];
  history: HistoryEvent[];
}
