import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, EnvironmentMessage, FunctionErrorBody, InvokeMessage } from '../../common/index.js';
import type { EnvironmentChannel } from '../channel.js';

export const API_VERSION = '2018-06-01';
/** Lambda's limit on a synchronous response; a larger one is refused with 413. */
export const RESPONSE_LIMIT = 6 * 1024 * 1024;

/**
 * Where the runtime is in Lambda's protocol. `init`: started, has not asked for work;
 * `ready`: asked (`GET next`) and waits; `invoking`: has an event and owes its answer;
 * `responded`: answered, has not asked again; `failed`: reported an init error.
 */
type Phase = 'init' | 'ready' | 'invoking' | 'responded' | 'failed';

const PHASE_NAMES: Record<Phase, string> = {
  init: 'Initializing',
  ready: 'Ready',
  invoking: 'Invoking',
  responded: 'ResponseSent',
  failed: 'InitErrorSent',
};

interface ApiError {
  errorType: string;
  errorMessage: string;
}

const ROUTE = new RegExp(`^/${API_VERSION}/runtime/(?:(init/error)|invocation/(next)|invocation/([^/]+)/(response|error))$`);

/**
 * One environment's side of the Lambda Runtime API (2018-06-01), as a channel: it turns
 * `GET next`, `POST …/response`, `POST …/error` and `POST init/error` into the messages
 * an Environment understands (`ready` on the first `next`, `result`, `init-error`), and
 * an `invoke` into the answer to a waiting `next`. Status codes and error bodies follow
 * Lambda's (see docs/compat.md, "Runtime API").
 */
export class RuntimeSession implements EnvironmentChannel {
  private phase: Phase = 'init';
  private receiver?: (m: EnvironmentMessage) => void;
  /** A `GET next` held open until there is work. */
  private waiting?: ServerResponse;
  /** Work that arrived before the runtime asked for it. */
  private queued?: InvokeMessage;
  /** The request the runtime is working on. */
  private current?: InvokeMessage;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    /** Monotonic time the runtime was started: Init lasts until its first `next`. */
    private readonly startedAt: number,
    /** Peak memory of the environment's processes, in KiB. */
    private readonly peakRssKb: () => number,
  ) {}

  receive(receiver: (m: EnvironmentMessage) => void): void {
    this.receiver = receiver;
  }

  send(msg: InvokeMessage): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting && !waiting.destroyed && !waiting.socket?.destroyed) this.deliver(waiting, msg);
    else this.queued = msg;
  }

  close(): void {
    this.closed = true;
    this.waiting = undefined;
    this.queued = undefined;
  }

  /** Serves one HTTP request of the runtime (already known to come from this environment). */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const m = ROUTE.exec((req.url ?? '').split('?')[0] ?? '');
    if (!m) return reply(res, 404, { errorType: 'NotFound', errorMessage: `No such resource: ${req.method} ${req.url}` });
    const method = m[2] ? 'GET' : 'POST';
    if (req.method !== method) {
      res.setHeader('Allow', method);
      return reply(res, 405, { errorType: 'MethodNotAllowed', errorMessage: `Use ${method} for ${req.url}` });
    }
    if (this.closed || this.phase === 'failed') {
      return reply(res, 500, { errorType: 'InternalServerError', errorMessage: 'Container error. Non-recoverable state. Runtime should exit promptly.' });
    }
    if (m[1]) return this.initError(req, res);
    if (m[2]) return this.next(res);
    const id = decodeURIComponent(m[3] ?? '');
    return m[4] === 'response' ? this.response(id, req, res) : this.invocationError(id, req, res);
  }

  private next(res: ServerResponse): void {
    if (this.phase === 'invoking' || (this.phase === 'ready' && this.waiting && !this.waiting.destroyed)) {
      return this.refuse(res, 'Ready');
    }
    const first = this.phase === 'init';
    this.phase = 'ready';
    const queued = this.queued;
    this.queued = undefined;
    if (queued) return this.deliver(res, queued);
    this.waiting = res;
    res.on('close', () => {
      if (this.waiting === res) this.waiting = undefined;
    });
    // Init is over when the runtime first asks for work.
    if (first) this.emit({ t: 'ready', initMs: this.clock.monotonic() - this.startedAt, logs: '' });
  }

  private deliver(res: ServerResponse, msg: InvokeMessage): void {
    this.phase = 'invoking';
    this.current = msg;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': msg.id,
      'Lambda-Runtime-Deadline-Ms': String(msg.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': msg.invokedFunctionArn,
    };
    if (msg.traceId) headers['Lambda-Runtime-Trace-Id'] = msg.traceId;
    if (msg.clientContext) headers['Lambda-Runtime-Client-Context'] = msg.clientContext;
    if (msg.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = msg.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(msg.payload);
  }

  private response(id: string, req: IncomingMessage, res: ServerResponse): void {
    if (!this.owes(id, res, 'InvocationResponse')) return void req.resume();
    readBody(req, (body, tooLarge) => {
      if (!this.owes(id, res, 'InvocationResponse')) return;
      this.phase = 'responded';
      if (tooLarge) {
        reply(res, 413, { errorType: 'RequestEntityTooLarge', errorMessage: `Exceeded maximum allowed payload size (${RESPONSE_LIMIT} bytes).` });
        const error = { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT} bytes).` };
        return this.finish(id, false, JSON.stringify(error));
      }
      reply(res, 202, { status: 'OK' });
      this.finish(id, true, body);
    });
  }

  private invocationError(id: string, req: IncomingMessage, res: ServerResponse): void {
    if (!this.owes(id, res, 'InvocationErrorResponse')) return void req.resume();
    readBody(req, (body) => {
      if (!this.owes(id, res, 'InvocationErrorResponse')) return;
      this.phase = 'responded';
      reply(res, 202, { status: 'OK' });
      this.finish(id, false, JSON.stringify(errorBody(body, req.headers['lambda-runtime-function-error-type'])));
    });
  }

  private initError(req: IncomingMessage, res: ServerResponse): void {
    if (this.phase !== 'init') {
      req.resume();
      return this.refuse(res, 'InitError');
    }
    readBody(req, (body) => {
      if (this.phase !== 'init' || this.closed) return this.refuse(res, 'InitError');
      this.phase = 'failed';
      reply(res, 202, { status: 'OK' });
      this.emit({ t: 'init-error', error: errorBody(body, req.headers['lambda-runtime-function-error-type']), logs: '' });
    });
  }

  /** True when the runtime owes the answer to `id` now; otherwise answers the refusal. */
  private owes(id: string, res: ServerResponse, to: string): boolean {
    if (this.closed) {
      reply(res, 500, { errorType: 'InternalServerError', errorMessage: 'Container error. Non-recoverable state. Runtime should exit promptly.' });
      return false;
    }
    if (this.phase !== 'invoking') {
      this.refuse(res, to);
      return false;
    }
    if (this.current?.id !== id) {
      reply(res, 400, { errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' });
      return false;
    }
    return true;
  }

  private refuse(res: ServerResponse, to: string): void {
    reply(res, 403, {
      errorType: 'InvalidStateTransition',
      errorMessage: `State transition from ${PHASE_NAMES[this.phase]} to ${to} failed for runtime. Error: not allowed in this state`,
    });
  }

  private finish(id: string, ok: boolean, body: string): void {
    this.current = undefined;
    this.emit({ t: 'result', id, ok, body, logs: '', maxRssKb: this.peakRssKb() });
  }

  /**
   * A custom runtime's logs are its stdout and stderr, which travel on other pipes than
   * its HTTP calls: a turn of the event loop lets output written before the call
   * arrive first, so the log stays in order around START and END.
   */
  private emit(m: EnvironmentMessage): void {
    setImmediate(() =>
      setImmediate(() => {
        if (!this.closed) this.receiver?.(m);
      }),
    );
  }
}

function reply(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a body of at most RESPONSE_LIMIT bytes; past it, drains the rest and says so. */
function readBody(req: IncomingMessage, done: (body: string, tooLarge: boolean) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > RESPONSE_LIMIT) {
      tooLarge = true;
      chunks.length = 0;
    } else chunks.push(c);
  });
  req.on('end', () => done(tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge));
  req.on('error', () => {
    /* the runtime went away mid-request; nothing was accepted */
  });
}

/**
 * The error a caller sees for `…/error` and `init/error`: the runtime's JSON object as
 * sent (`errorMessage`, `errorType`, `stackTrace` or whatever it chose); when there is
 * none, one built from the `Lambda-Runtime-Function-Error-Type` header, as Lambda does.
 */
function errorBody(body: string, typeHeader: string | string[] | undefined): FunctionErrorBody {
  const type = (Array.isArray(typeHeader) ? typeHeader[0] : typeHeader) || 'Runtime.Unknown';
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as FunctionErrorBody;
  } catch {
    /* not JSON: build one */
  }
  return { errorType: type, errorMessage: body.trim() || 'Unknown application error occurred' };
}
