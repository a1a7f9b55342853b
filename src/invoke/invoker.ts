import { type Clock, type InvokeMessage, requestId as newRequestId } from '../common/index.js';
import { type FunctionImage, InitError, type PoolManager } from '../pool/index.js';
import type { FunctionLogs } from '../telemetry/index.js';
import { ConcurrencyLedger, type Reservations } from './concurrency-ledger.js';
import { endLine, reportLine, startLine } from './report.js';

/** Lambda's synchronous payload limit, request and response (6 MB). */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;

export interface InvokeRequest {
  image: FunctionImage;
  /** The ARN as the caller named it (qualified or not): context.invokedFunctionArn. */
  invokedArn: string;
  payload: string;
  clientContext?: string;
  traceId?: string;
  /** An asynchronous event keeps its request id through every attempt (Lambda does). */
  requestId?: string;
}

export interface InvokeResult {
  requestId: string;
  /** The function's result, or Lambda's error JSON when `functionError` is set. */
  payload: string;
  functionError?: 'Unhandled';
  executedVersion: string;
  /** The whole log of this invocation (START … REPORT). */
  log: string;
  cold: boolean;
  durationMs: number;
  initMs?: number;
}

export interface InvokerOptions {
  /** Node-wide cap on concurrent executions (Lambda's account concurrency). */
  maxConcurrency: number;
  /** Reserved concurrency per function; none when absent. */
  reservations?: Reservations;
}

const noReservations: Reservations = { reservedFor: () => undefined, totalReserved: () => 0 };

/**
 * The invoke path: admit (concurrency) → place (warm or cold environment) → run under
 * the function's timeout → frame the log and report. Every ending becomes a result;
 * only admission problems throw.
 */
export class Invoker {
  readonly ledger: ConcurrencyLedger;

  constructor(
    private readonly pools: PoolManager,
    private readonly logs: FunctionLogs,
    private readonly clock: Clock,
    options: InvokerOptions,
  ) {
    this.ledger = new ConcurrencyLedger(options.maxConcurrency, options.reservations ?? noReservations);
  }

  get concurrentExecutions(): number {
    return this.ledger.concurrentExecutions;
  }

  async invoke(req: InvokeRequest): Promise<InvokeResult> {
    const leave = this.ledger.enter(req.image.name);
    try {
      return await this.run(req);
    } finally {
      leave();
    }
  }

  private async run(req: InvokeRequest): Promise<InvokeResult> {
    const { image } = req;
    const id = req.requestId ?? newRequestId();
    const started = this.clock.monotonic();
    const pool = this.pools.pool(image);
    const head = startLine(id, image.version);

    let placement;
    try {
      placement = await pool.acquire();
    } catch (err) {
      if (!(err instanceof InitError)) throw err;
      // Init failed: the caller gets the init error, the next request a fresh environment.
      const durationMs = this.clock.monotonic() - started;
      const log = err.logs + head + endLine(id) + reportLine({ requestId: id, durationMs, memoryMb: image.memoryMb, maxMemoryUsedMb: 0, initMs: err.initMs, status: 'error' });
      return this.finish(image, { requestId: id, payload: JSON.stringify(err.error), functionError: 'Unhandled', executedVersion: image.version, log, cold: true, durationMs });
    }

    const { env, cold } = placement;
    // A provisioned environment's Init output leads its first request's log, as a cold one's does.
    const initLogs = env.takeInitLogs();
    const msg: InvokeMessage = {
      t: 'invoke',
      id,
      payload: req.payload,
      deadlineMs: this.clock.now() + image.timeoutS * 1000,
      invokedFunctionArn: req.invokedArn,
      clientContext: req.clientContext,
      traceId: req.traceId,
    };
    const invokeStarted = this.clock.monotonic();
    const outcome = await env.invoke(msg, image.timeoutS * 1000);
    const durationMs = this.clock.monotonic() - invokeStarted;
    const initMs = cold ? env.initMs : undefined;
    const report = (maxRssKb: number, status?: 'timeout' | 'error') =>
      reportLine({ requestId: id, durationMs, memoryMb: image.memoryMb, maxMemoryUsedMb: Math.ceil(maxRssKb / 1024), initMs, status });

    let payload: string;
    let functionError: 'Unhandled' | undefined;
    let tail: string;
    if (outcome.kind === 'result') {
      pool.release(env);
      payload = outcome.body;
      if (!outcome.ok) functionError = 'Unhandled';
      if (outcome.ok && Buffer.byteLength(payload) > SYNC_PAYLOAD_LIMIT) {
        functionError = 'Unhandled';
        payload = JSON.stringify({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${SYNC_PAYLOAD_LIMIT} bytes).`,
        });
      }
      tail = outcome.logs + endLine(id) + report(outcome.maxRssKb);
    } else if (outcome.kind === 'timeout') {
      const seconds = image.timeoutS.toFixed(2);
      const when = new Date(this.clock.now()).toISOString();
      functionError = 'Unhandled';
      payload = JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${id} Error: Task timed out after ${seconds} seconds` });
      tail = outcome.logs + `${when} ${id} Task timed out after ${seconds} seconds\n` + endLine(id) + report(0, 'timeout');
    } else {
      functionError = 'Unhandled';
      payload = JSON.stringify(outcome.error);
      tail = outcome.logs + `RequestId: ${id} ${outcome.error.errorMessage.replace(`RequestId: ${id} `, '')}\n` + endLine(id) + report(0, 'error');
    }
    const log = initLogs + head + tail;
    return this.finish(image, {
      requestId: id,
      payload,
      functionError,
      executedVersion: image.version,
      log,
      cold,
      durationMs: this.clock.monotonic() - started,
      initMs,
    });
  }

  private finish(image: FunctionImage, result: InvokeResult): InvokeResult {
    this.logs.append(image.name, result.log);
    return result;
  }
}
