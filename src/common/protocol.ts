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

export type ServerMessage = InvokeMessage;

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
