import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { HearthError, type HearthErrorCode } from '../../../src/common/index.js';
import { sendError, STATUS } from '../../../src/api/errors.js';

test('STATUS maps every error type to the Lambda API status code', () => {
  const expected: Record<HearthErrorCode, number> = {
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
  assert.deepEqual(STATUS, expected);
});

interface Captured {
  status?: number;
  headers: Record<string, string | number>;
  body?: string;
  destroyed: boolean;
}

/** Just the parts of ServerResponse that sendError/sendJson use. */
function fakeResponse(headersSent = false): { res: ServerResponse; out: Captured } {
  const out: Captured = { headers: {}, destroyed: false };
  const res = {
    headersSent,
    writeHead(status: number, headers: Record<string, string | number>) {
      out.status = status;
      for (const [k, v] of Object.entries(headers)) out.headers[k.toLowerCase()] = v;
      return this;
    },
    end(text?: string) {
      out.body = text ?? '';
      return this;
    },
    destroy() {
      out.destroyed = true;
      return this;
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

test('sendError writes the type header, request id and a JSON body with both message spellings', () => {
  const { res, out } = fakeResponse();
  sendError(res, new HearthError('ResourceNotFoundException', 'Function not found: f'), 'req-1');
  assert.equal(out.status, 404);
  assert.equal(out.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  assert.equal(out.headers['x-amzn-requestid'], 'req-1');
  assert.equal(out.headers['content-type'], 'application/json');
  assert.equal(out.headers['content-length'], Buffer.byteLength(out.body ?? ''));
  assert.equal(out.headers['retry-after'], undefined);
  assert.deepEqual(JSON.parse(out.body ?? ''), { Type: 'User', message: 'Function not found: f', Message: 'Function not found: f' });
});

test('sendError includes the extra fields and Retry-After on throttles', () => {
  const { res, out } = fakeResponse();
  sendError(res, new HearthError('TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded' }), 'req-2');
  assert.equal(out.status, 429);
  assert.equal(out.headers['x-amzn-errortype'], 'TooManyRequestsException');
  assert.equal(out.headers['retry-after'], '1');
  assert.deepEqual(JSON.parse(out.body ?? ''), {
    Type: 'User',
    message: 'Rate Exceeded.',
    Message: 'Rate Exceeded.',
    Reason: 'ConcurrentInvocationLimitExceeded',
  });
});

test('sendError maps each code to its status', () => {
  for (const [code, status] of Object.entries(STATUS) as [HearthErrorCode, number][]) {
    const { res, out } = fakeResponse();
    sendError(res, new HearthError(code, 'm'), 'r');
    assert.equal(out.status, status, code);
    assert.equal(out.headers['x-amzn-errortype'], code);
    assert.equal(JSON.parse(out.body ?? '').Type, status >= 500 ? 'Service' : 'User', code);
  }
});

test('sendError hides non-Hearth errors behind a 500 ServiceException', (t) => {
  const logged: unknown[][] = [];
  t.mock.method(console, 'error', (...args: unknown[]) => logged.push(args));
  const { res, out } = fakeResponse();
  sendError(res, new Error('secret internal detail'), 'req-3');
  assert.equal(out.status, 500);
  assert.equal(out.headers['x-amzn-errortype'], 'ServiceException');
  const body = JSON.parse(out.body ?? '');
  assert.deepEqual(body, { Type: 'Service', message: 'An internal error occurred.', Message: 'An internal error occurred.' });
  assert.doesNotMatch(out.body ?? '', /secret/);
  assert.equal(logged.length, 1, 'the internal error is logged on the server');
});

test('sendError after headers were sent destroys the response instead of writing', () => {
  const { res, out } = fakeResponse(true);
  sendError(res, new HearthError('ServiceException', 'late'), 'r');
  assert.equal(out.destroyed, true);
  assert.equal(out.status, undefined);
  assert.equal(out.body, undefined);
});
