/**
 * Messages on the private channel between the server and a Node environment.
 * Type-only on purpose: the bootstrap imports these with `import type`, so nothing
 * extra is loaded on the cold-start path.
 */

/** Error as Lambda reports it to the caller (`X-Amz-Function-Error` body). */
export interface FunctionErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** server → environment: run one request. */
export interface InvokeMessage {
  t: 'invoke';
  id: string;
  payload: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

/**
 * server → generic environment (pre-warmed, no function yet): become this function. Its
 * code is already in place at the task root; `env` is the process environment a plain
 * start would have had; `unset` names the variables the environment was started with,
 * which the runtime removes unless `env` has them (what its own launcher added stays, as
 * in a plain start).
 */
export interface LoadMessage {
  t: 'load';
  env: Record<string, string>;
  unset: string[];
}

/**
 * server → generic environment, right after its start: answered with `standby`. Running
 * the message path once then takes its first-use cost (~2 ms of lazy compilation) off
 * the `load` that follows on a cold start.
 */
export interface PingMessage {
  t: 'ping';
}

export type ServerMessage = InvokeMessage | LoadMessage | PingMessage;

/** generic environment → server, answering `ping`: started and waiting for `load` (it may now be frozen). */
export interface StandbyMessage {
  t: 'standby';
}

/** environment → server: Init finished (or failed). */
export interface ReadyMessage {
  t: 'ready';
  initMs: number;
  /** What Init printed; Lambda shows it ahead of the first request's START line. */
  logs: string;
}

export interface InitErrorMessage {
  t: 'init-error';
  error: FunctionErrorBody;
  logs: string;
}

/** environment → server: one request finished. */
export interface ResultMessage {
  t: 'result';
  id: string;
  ok: boolean;
  /** JSON text of the handler's result when ok, of the error otherwise. */
  body: string;
  /** Everything the handler printed during this request, in order. */
  logs: string;
  /** Peak resident set size of the environment, in KiB. */
  maxRssKb: number;
}

export type EnvironmentMessage = ReadyMessage | InitErrorMessage | ResultMessage;
