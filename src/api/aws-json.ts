import type { ServerResponse } from 'node:http';
import { HearthError } from '../common/index.js';

/** Writes one AWS JSON-protocol response (`application/x-amz-json-1.0` or `-1.1`). */
export function sendAwsJson(res: ServerResponse, contentType: string, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
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
