import type { ServerResponse } from 'node:http';
import { HearthError } from '../common/index.js';
import type { Request, Router } from './http.js';

/** Writes one AWS JSON-protocol response (`application/x-amz-json-1.0` or `-1.1`). */
export function sendAwsJson(res: ServerResponse, contentType: string, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes an AWS JSON-protocol error; a response already under way is cut instead. */
export function sendAwsError(res: ServerResponse, contentType: string, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendAwsJson(res, contentType, status, body, headers);
}

/** One AWS JSON-protocol service on `POST /`, recognised by its X-Amz-Target prefix. */
export interface JsonProtocolService {
  prefix: string;
  handle(req: Request, res: ServerResponse): Promise<void>;
}

/**
 * The main port's `POST /`: SQS, EventBridge and Step Functions share it, and X-Amz-Target
 * says which one a request is for. A request naming none goes to `fallback`, which answers
 * it with its own error.
 */
export function addJsonProtocolRoute(router: Router, services: JsonProtocolService[], fallback: JsonProtocolService): void {
  router.add({
    method: 'POST',
    path: '/',
    handler: (req, res) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      return (services.find((s) => target.startsWith(s.prefix)) ?? fallback).handle(req, res);
    },
  });
}

/**
 * Turns what a JSON-protocol operation threw into its service's error code and message:
 * the service's own errors as they are; the shared body reader's (HearthError: limits,
 * malformed JSON) as the caller's mistake; anything else as an internal error, logged.
 */
export function classifyError<C extends string>(
  err: unknown,
  own: (err: unknown) => [C, string] | undefined,
  codes: { callerMistake: C; internal: C; service: string },
): [C, string] {
  const mine = own(err);
  if (mine) return mine;
  if (err instanceof HearthError) return [codes.callerMistake, err.message];
  console.error(`hearth: internal error (${codes.service}):`, err);
  return [codes.internal, 'An internal error occurred.'];
}

/**
 * The operation an AWS JSON-protocol request names in `X-Amz-Target` (after `prefix`) and
 * its body, which must be a JSON object. `fail` makes the service's own error:
 * `unknown` for an operation it does not have, `invalid` for a body it cannot read.
 */
export async function readAwsJsonRequest<O>(
  req: Request,
  prefix: string,
  operations: Record<string, O>,
  limit: number,
  fail: (kind: 'unknown' | 'invalid', message: string) => Error,
): Promise<{ op: O; input: Record<string, unknown> }> {
  const name = String(req.headers['x-amz-target']).slice(prefix.length);
  const op = Object.hasOwn(operations, name) ? operations[name] : undefined;
  if (!op) {
    req.raw.resume();
    throw fail('unknown', `Hearth does not implement ${prefix}${name}.`);
  }
  const raw = await req.body(limit);
  let input: unknown;
  try {
    input = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw fail('invalid', 'The request body is not valid JSON.');
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw fail('invalid', 'The request body must be a JSON object.');
  return { op, input: input as Record<string, unknown> };
}
