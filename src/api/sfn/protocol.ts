import type { ServerResponse } from 'node:http';
import { classifyError, sendAwsError, sendAwsJson } from '../aws-json.js';
import { SfnError, type SfnErrorCode } from '../../executions/index.js';

export const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Each Step Functions error type's HTTP status: every caller mistake is a 400. */
export const SFN_ERRORS: Record<SfnErrorCode | 'InternalError', number> = {
  StateMachineDoesNotExist: 400,
  StateMachineAlreadyExists: 400,
  StateMachineTypeNotSupported: 400,
  ExecutionDoesNotExist: 400,
  ExecutionAlreadyExists: 400,
  InvalidDefinition: 400,
  InvalidArn: 400,
  InvalidName: 400,
  InvalidExecutionInput: 400,
  InvalidToken: 400,
  ValidationException: 400,
  UnknownOperationException: 400,
  InternalError: 500,
};

export function sendSfnJson(res: ServerResponse, body: unknown, id: string): void {
  sendAwsJson(res, CONTENT_TYPE, 200, body, { 'x-amzn-requestid': id });
}

/** AWS JSON 1.0's error: the type in `__type` and `x-amzn-ErrorType`, the text in `message`. */
export function sendSfnError(res: ServerResponse, err: unknown, id: string): void {
  const [code, message] = classifyError<SfnErrorCode | 'InternalError'>(
    err,
    (e) => (e instanceof SfnError ? [e.code, e.message] : undefined),
    { callerMistake: 'ValidationException', internal: 'InternalError', service: 'Step Functions' },
  );
  sendAwsError(res, CONTENT_TYPE, SFN_ERRORS[code], { __type: code, message }, { 'x-amzn-errortype': code, 'x-amzn-requestid': id });
}

export type Input = Record<string, unknown>;

export function str(input: Input, name: string): string;
export function str(input: Input, name: string, optional: true): string | undefined;
export function str(input: Input, name: string, optional = false): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw new SfnError('ValidationException', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof v !== 'string') throw new SfnError('ValidationException', `Value for parameter ${name} must be a string.`);
  return v;
}

/** `maxResults` (0 = default 100, at most 1000) and the opaque `nextToken` (an offset). */
export function page<T>(input: Input, items: T[]): { items: T[]; nextToken?: string } {
  const max = input.maxResults === undefined || input.maxResults === 0 ? 100 : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 0 || max > 1000) throw new SfnError('ValidationException', `Value '${String(input.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  const start = input.nextToken === undefined ? 0 : Number(Buffer.from(String(input.nextToken), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0) throw new SfnError('InvalidToken', `Invalid Token: '${String(input.nextToken)}'`);
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, nextToken: Buffer.from(String(start + max)).toString('base64url') } : { items: slice };
}

/** JSON 1.0 timestamps are epoch seconds. */
export const seconds = (ms: number) => ms / 1000;
