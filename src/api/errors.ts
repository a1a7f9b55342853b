import type { ServerResponse } from 'node:http';
import { HearthError, type HearthErrorCode } from '../common/index.js';
import { sendJson } from './http.js';

/** HTTP status of each error type, as the Lambda API documents them. */
export const STATUS: Record<HearthErrorCode, number> = {
  ResourceNotFoundException: 404,
  ProvisionedConcurrencyConfigNotFoundException: 404,
  InvalidParameterValueException: 400,
  ValidationException: 400,
  InvalidRequestContentException: 400,
  ResourceConflictException: 409,
  PreconditionFailedException: 412,
  ConditionalCheckFailedException: 409,
  RequestTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  TooManyRequestsException: 429,
  CodeStorageExceededException: 400,
  ServiceException: 500,
};

/**
 * Writes an error the way AWS services do: the type in `x-amzn-ErrorType` and a JSON
 * body with `Type` and the message (both spellings, as Lambda's models use both).
 */
export function sendError(res: ServerResponse, err: unknown, requestId: string): void {
  const e = err instanceof HearthError ? err : new HearthError('ServiceException', 'An internal error occurred.');
  if (!(err instanceof HearthError)) console.error('hearth: internal error:', err);
  const status = STATUS[e.code];
  const headers: Record<string, string> = { 'x-amzn-errortype': e.code, 'x-amzn-requestid': requestId };
  if (status === 429) headers['retry-after'] = '1';
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { Type: status >= 500 ? 'Service' : 'User', message: e.message, Message: e.message, ...e.extra }, headers);
}
