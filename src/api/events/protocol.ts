import type { ServerResponse } from 'node:http';
import { classifyError, sendAwsError, sendAwsJson } from '../aws-json.js';
import { type EventBuses, type EventRouter, EventsError, type EventsErrorCode } from '../../events/index.js';

export interface EventBridgeDeps {
  buses: EventBuses;
  eventRouter: EventRouter;
}

export type Input = Record<string, unknown>;
export type Operation = (input: Input, deps: EventBridgeDeps) => unknown;

export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Each EventBridge error type's HTTP status: EventBridge answers every caller mistake with 400. */
export const EVENTBRIDGE_ERRORS: Record<EventsErrorCode | 'InternalException', number> = {
  ResourceNotFoundException: 400,
  ResourceAlreadyExistsException: 400,
  ValidationException: 400,
  InvalidEventPatternException: 400,
  LimitExceededException: 400,
  UnknownOperationException: 400,
  InternalException: 500,
};

export function sendEventsJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  sendAwsJson(res, CONTENT_TYPE, status, body, headers);
}

/** AWS JSON 1.1's error: the type in `__type` (and `x-amzn-ErrorType`), the text in `message`. */
export function sendEventsError(res: ServerResponse, err: unknown, requestId: string): void {
  const [code, message] = classifyError<EventsErrorCode | 'InternalException'>(
    err,
    (e) => (e instanceof EventsError ? [e.code, e.message] : undefined),
    { callerMistake: 'ValidationException', internal: 'InternalException', service: 'EventBridge' },
  );
  sendAwsError(res, CONTENT_TYPE, EVENTBRIDGE_ERRORS[code], { __type: code, message }, { 'x-amzn-errortype': code, 'x-amzn-requestid': requestId });
}

const invalid = (message: string) => new EventsError('ValidationException', message);

// Input readers: the SDK sends the modelled JSON types; anything else is the caller's error.

export function str(input: Input, name: string): string;
export function str(input: Input, name: string, optional: true): string | undefined;
export function str(input: Input, name: string, optional = false): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw invalid(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof v !== 'string') throw invalid(`Value for parameter ${name} must be a string.`);
  return v;
}

export function list(input: Input, name: string): unknown[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(`Value for parameter ${name} must be a list.`);
  return v;
}

/** `Limit` (1–100) and `NextToken` of a List operation. */
export function page(input: Input): { after?: string; limit: number } {
  const limit = input.Limit ?? 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid(`1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`);
  const token = str(input, 'NextToken', true);
  return { after: token === undefined ? undefined : Buffer.from(token, 'base64url').toString('utf8'), limit };
}

/** The page and, when it is full, the token of the next one. */
export function paged<T>(items: T[], limit: number, key: (item: T) => string): { items: T[]; NextToken?: string } {
  const last = items[items.length - 1];
  return { items, ...(items.length === limit && last ? { NextToken: Buffer.from(key(last)).toString('base64url') } : {}) };
}

/** Refuses request members Hearth would otherwise drop. */
export function refuse(input: Input, names: string[], what: string): void {
  for (const n of names) {
    const v = input[n];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) throw invalid(`${n} is not supported by Hearth yet (${what}).`);
  }
}

export const seconds = (ms: number) => ms / 1000;
