/**
 * Hearth's Node.js bootstrap: the first and only code the server starts inside an
 * environment. It runs Init once (loads the handler module) and then one Invoke per
 * message from the server, over the private IPC channel the server opened.
 *
 * It is compiled once to plain CommonJS and imports nothing but Node built-ins: it is
 * on the cold-start path, so no loader, no transpiler, no extra files.
 */
import type {
  EnvironmentMessage,
  FunctionErrorBody,
  InvokeMessage,
  LoadMessage,
  PingMessage,
  StandbyMessage,
} from '../../common/protocol.js';
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The channel variables belong to Hearth, not to the function: hide them from its code.
delete process.env.NODE_CHANNEL_FD;
delete process.env.NODE_CHANNEL_SERIALIZATION_MODE;

const send = process.send!.bind(process) as (m: EnvironmentMessage | StandbyMessage) => boolean;
// A generic environment is started before its function is known (pool/generic-pool.ts):
// the function's variables arrive with 'load', so everything read from them is read then.
const generic = process.env.HEARTH_GENERIC === '1';
let taskRoot = '';
let handlerSpec = '';
let functionName = '';
let functionVersion = '';
let memoryLimitInMB = '';
let logGroupName = '';
let logStreamName = '';

function readEnv(): void {
  taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  handlerSpec = process.env._HANDLER ?? '';
  functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? '';
  functionVersion = process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
  memoryLimitInMB = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128';
  logGroupName = process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '';
  logStreamName = process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '';
}

/**
 * The environment a plain start of this function would have had (see LoadMessage).
 * Unchanged variables are left alone: removing TZ, even for a moment, makes V8 re-detect
 * the host's time zone (~10 ms here).
 */
function applyLoad(m: LoadMessage): void {
  for (const name of m.unset) if (!(name in m.env)) delete process.env[name];
  for (const [name, value] of Object.entries(m.env)) if (process.env[name] !== value) process.env[name] = value;
}

// ---------------------------------------------------------------------------
// Log capture. Output is framed per request, as Lambda does, so it is collected here
// and shipped with the result: the server then gets it in order with the response.
let logBuffer: string[] = [];
let currentRequestId = 'undefined';

/**
 * With several requests at once in one environment (HEARTH_MAX_CONCURRENT_REQUESTS > 1)
 * output belongs to the request whose async context wrote it. Only then is
 * AsyncLocalStorage loaded: it costs on every await, and one request at a time needs none.
 */
interface RequestScope {
  id: string;
  logs: string[];
}
let scopes: { getStore(): RequestScope | undefined; run<T>(s: RequestScope, fn: () => T): T } | undefined;
const bufferFor = (): string[] => scopes?.getStore()?.logs ?? logBuffer;
const requestIdNow = (): string => scopes?.getStore()?.id ?? currentRequestId;

function capture(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  bufferFor().push(text);
  const done = typeof encoding === 'function' ? encoding : cb;
  if (typeof done === 'function') process.nextTick(done as () => void);
  return true;
}
process.stdout.write = capture as typeof process.stdout.write;
process.stderr.write = capture as typeof process.stderr.write;

import { format } from 'node:util';
function logLine(level: string, args: unknown[]): void {
  const text = format(...(args as [unknown, ...unknown[]]));
  bufferFor().push(`${new Date().toISOString()}\t${requestIdNow()}\t${level}\t${text}\n`);
}
console.log = (...a: unknown[]) => logLine('INFO', a);
console.info = (...a: unknown[]) => logLine('INFO', a);
console.warn = (...a: unknown[]) => logLine('WARN', a);
console.error = (...a: unknown[]) => logLine('ERROR', a);
console.debug = (...a: unknown[]) => logLine('DEBUG', a);
console.trace = (...a: unknown[]) => logLine('TRACE', a);

function takeLogs(): string {
  const text = logBuffer.join('');
  logBuffer = [];
  return text;
}

// ---------------------------------------------------------------------------
// Errors, shaped as Lambda's Node runtime shapes them.
function toErrorBody(err: unknown, fallbackType = 'Error'): FunctionErrorBody {
  if (err instanceof Error) {
    return {
      // As Lambda's runtime client: the error's name (a subclass that sets none is "Error").
      errorType: err.name || fallbackType,
      errorMessage: err.message,
      trace: (err.stack ?? '').split('\n'),
    };
  }
  if (typeof err === 'object' && err !== null) {
    const o = err as Record<string, unknown>;
    return {
      errorType: typeof o.errorType === 'string' ? o.errorType : typeof o.name === 'string' ? o.name : fallbackType,
      errorMessage: typeof o.errorMessage === 'string' ? o.errorMessage : typeof o.message === 'string' ? o.message : JSON.stringify(err),
      trace: [],
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

/**
 * The error as Lambda's Node runtime logs it on "Invoke Error": type, message, the
 * error's own enumerable properties, and its stack as `stack` (the response has `trace`).
 */
function errorLogRecord(err: unknown, body: FunctionErrorBody): object {
  if (!(err instanceof Error)) return body;
  const { trace, ...rest } = body;
  return { ...rest, code: (err as { code?: unknown }).code, ...err, stack: trace };
}

function namedError(errorType: string, message: string, cause?: unknown): FunctionErrorBody {
  const body = cause instanceof Error ? toErrorBody(cause) : { errorType, errorMessage: message, trace: [] };
  return { errorType, errorMessage: message, trace: body.trace ?? [] };
}

// Fatal errors outside a handler's promise: report as Lambda does, then exit so the
// server discards this environment (it turns the exit into Runtime.ExitError).
function fatal(label: string, err: unknown, code: number): void {
  const line = `${new Date().toISOString()}\t${requestIdNow()}\tERROR\t${label} \t${JSON.stringify(toErrorBody(err))}\n`;
  writeSync(2, line);
  process.exit(code);
}
process.on('uncaughtException', (err) => fatal('Uncaught Exception', err, 129));
process.on('unhandledRejection', (err) => fatal('Unhandled Promise Rejection', err, 128));

// ---------------------------------------------------------------------------
// Init: load the handler module once.
type Handler = (event: unknown, context: object, callback: (err?: unknown, result?: unknown) => void) => unknown;

function isEsm(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return JSON.parse(readFileSync(pkg, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === taskRoot || dir === dirname(dir)) return false;
  }
}

async function loadHandler(): Promise<Handler> {
  const dot = handlerSpec.lastIndexOf('.');
  const base = handlerSpec.slice(0, dot);
  const exportName = handlerSpec.slice(dot + 1);
  if (dot <= 0 || !exportName) {
    throw Object.assign(new Error(`Bad handler ${handlerSpec}`), { hearthType: 'Runtime.MalformedHandlerName' });
  }
  const file = ['.js', '.mjs', '.cjs'].map((ext) => join(taskRoot, base + ext)).find((f) => existsSync(f));
  if (!file) {
    throw Object.assign(new Error(`Cannot find module '${base}'\nRequire stack:\n- /var/runtime/bootstrap.js`), {
      hearthType: 'Runtime.ImportModuleError',
    });
  }
  let mod: Record<string, unknown>;
  try {
    mod = isEsm(file) ? await import(pathToFileURL(file).href) : require(file);
  } catch (err) {
    const type = err instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { hearthType: type });
  }
  let fn: unknown = mod[exportName];
  // An ESM namespace of a CommonJS module keeps its exports under `default`.
  if (fn === undefined && mod.default && typeof mod.default === 'object') {
    fn = (mod.default as Record<string, unknown>)[exportName];
  }
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${base}.${exportName} is undefined or not exported`), {
      hearthType: 'Runtime.HandlerNotFound',
    });
  }
  return fn as Handler;
}

// ---------------------------------------------------------------------------
// Invoke.

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function finish(msg: InvokeMessage, ok: boolean, value: unknown, scope: RequestScope | undefined): void {
  if (scope && scopes && scopes.getStore() !== scope) return scopes.run(scope, () => finish(msg, ok, value, scope));
  let body: string;
  if (ok) {
    try {
      body = value === undefined ? 'null' : JSON.stringify(value);
    } catch (err) {
      ok = false;
      value = err;
      body = '';
    }
  } else body = '';
  if (!ok) {
    const error = toErrorBody(value);
    logLine('ERROR', [`Invoke Error \t${JSON.stringify(errorLogRecord(value, error))}`]);
    body = JSON.stringify(error);
  }
  const logs = scope ? scope.logs.join('') : takeLogs();
  send({ t: 'result', id: msg.id, ok, body, logs, maxRssKb: process.resourceUsage().maxRSS });
  if (!scope) currentRequestId = 'undefined';
}

function invoke(handler: Handler, msg: InvokeMessage): void {
  if (scopes) {
    scopes.run({ id: msg.id, logs: [] }, () => invokeInScope(handler, msg));
    return;
  }
  currentRequestId = msg.id;
  invokeInScope(handler, msg);
}

function invokeInScope(handler: Handler, msg: InvokeMessage): void {
  // Held here: a callback settled from 'beforeExit' runs outside the request's async context.
  const scope = scopes?.getStore();
  if (msg.traceId) process.env._X_AMZN_TRACE_ID = msg.traceId;
  let settled = false;
  const context = {
    awsRequestId: msg.id,
    functionName,
    functionVersion,
    memoryLimitInMB,
    invokedFunctionArn: msg.invokedFunctionArn,
    logGroupName,
    logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    clientContext: parseJson(msg.clientContext),
    identity: parseJson(msg.cognitoIdentity),
    // Lambda's runtime client has it (set for tenant-isolated functions, which Hearth has not).
    tenantId: undefined,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadlineMs - Date.now()),
    succeed: (result: unknown) => settle(true, result),
    fail: (err: unknown) => settle(false, err),
    done: (err: unknown, result: unknown) => settle(err == null, err ?? result),
  };

  function settle(ok: boolean, value: unknown): void {
    if (settled) return;
    settled = true;
    finish(msg, ok, value, scope);
  }

  // Lambda's callback contract: with callbackWaitsForEmptyEventLoop the response waits
  // until the event loop has drained. The channel is unref'd meanwhile so it does not
  // count as pending work.
  function callback(err?: unknown, result?: unknown): void {
    if (settled) return;
    const ok = err == null;
    if (!context.callbackWaitsForEmptyEventLoop) return settle(ok, ok ? result : err);
    process.channel?.unref();
    process.once('beforeExit', () => {
      process.channel?.ref();
      settle(ok, ok ? result : err);
    });
  }

  let event: unknown;
  try {
    event = JSON.parse(msg.payload);
  } catch {
    event = msg.payload;
  }
  try {
    const returned = handler(event, context, callback) as { then?: unknown } | undefined;
    if (returned && typeof returned.then === 'function') {
      (returned as Promise<unknown>).then(
        (value) => settle(true, value),
        (err) => settle(false, err),
      );
    }
  } catch (err) {
    settle(false, err);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  readEnv();
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const type = (err as { hearthType?: string }).hearthType ?? 'Runtime.ImportModuleError';
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const error = namedError(type, type === 'Runtime.HandlerNotFound' ? (err as Error).message : message, err);
    logLine('ERROR', [`${type === 'Runtime.HandlerNotFound' ? 'Handler not found' : 'Init Error'} \t${JSON.stringify(error)}`]);
    send({ t: 'init-error', error, logs: takeLogs() });
    return;
  }
  if (Number(process.env.HEARTH_MAX_CONCURRENT_REQUESTS) > 1) {
    const hooks = require('node:async_hooks') as typeof import('node:async_hooks');
    scopes = new hooks.AsyncLocalStorage<RequestScope>();
  }
  process.on('message', (msg: InvokeMessage) => {
    if (msg.t === 'invoke') invoke(handler, msg);
  });
  send({ t: 'ready', initMs: performance.now() - started, logs: takeLogs() });
}

if (generic) {
  // Stays registered: dropping the channel's last listener would unref it mid-Init.
  let loaded = false;
  process.on('message', (m: LoadMessage | PingMessage) => {
    if (loaded) return;
    if (m.t === 'ping') send({ t: 'standby' });
    if (m.t !== 'load') return;
    loaded = true;
    applyLoad(m);
    void main();
  });
} else void main();
