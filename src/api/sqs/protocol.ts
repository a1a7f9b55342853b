import type { ServerResponse } from 'node:http';
import { ACCOUNT_ID } from '../../common/index.js';
import { classifyError, sendAwsError, sendAwsJson } from '../aws-json.js';
import { type MessageMoveTasks, QueueError, type QueueErrorCode, type QueueService } from '../../queues/index.js';

export interface SqsDeps {
  queues: QueueService;
  tasks: MessageMoveTasks;
}

export interface SqsContext extends SqsDeps {
  /** The Host header the client used: queue URLs are built on it, as LocalStack and ElasticMQ do. */
  host: string;
  /** Aborted when the client goes away (ends a long poll). */
  signal: AbortSignal;
}

export type Input = Record<string, unknown>;
export type Operation = (input: Input, ctx: SqsContext) => unknown;

export const CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * Each error's HTTP status and its code in `x-amzn-query-error` — the query-protocol
 * name the SDK's query-compatible JSON client maps to a typed exception.
 */
export const SQS_ERRORS: Record<QueueErrorCode | 'InternalError', [number, string]> = {
  QueueDoesNotExist: [400, 'AWS.SimpleQueueService.NonExistentQueue'],
  QueueNameExists: [400, 'QueueAlreadyExists'],
  ReceiptHandleIsInvalid: [404, 'ReceiptHandleIsInvalid'],
  MessageNotInflight: [400, 'AWS.SimpleQueueService.MessageNotInflight'],
  InvalidAttributeName: [400, 'InvalidAttributeName'],
  InvalidAttributeValue: [400, 'InvalidAttributeValue'],
  InvalidParameterValue: [400, 'InvalidParameterValue'],
  MissingParameter: [400, 'MissingParameter'],
  InvalidMessageContents: [400, 'InvalidMessageContents'],
  EmptyBatchRequest: [400, 'AWS.SimpleQueueService.EmptyBatchRequest'],
  TooManyEntriesInBatchRequest: [400, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest'],
  BatchEntryIdsNotDistinct: [400, 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct'],
  InvalidBatchEntryId: [400, 'AWS.SimpleQueueService.InvalidBatchEntryId'],
  BatchRequestTooLong: [400, 'AWS.SimpleQueueService.BatchRequestTooLong'],
  ResourceNotFoundException: [404, 'ResourceNotFoundException'],
  UnsupportedOperation: [400, 'AWS.SimpleQueueService.UnsupportedOperation'],
  InvalidAction: [400, 'InvalidAction'],
  InternalError: [500, 'InternalError'],
};

export const queueUrl = (host: string, name: string) => `http://${host}/${ACCOUNT_ID}/${name}`;

export function sendSqsJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  sendAwsJson(res, CONTENT_TYPE, status, body, headers);
}

/** SQS's JSON error: `__type` in the body, the query code and fault in `x-amzn-query-error`. */
export function sendSqsError(res: ServerResponse, err: unknown, requestId: string): void {
  const [code, message] = classifyError<QueueErrorCode | 'InternalError'>(
    err,
    (e) => (e instanceof QueueError ? [e.code, e.message] : undefined),
    { callerMistake: 'InvalidParameterValue', internal: 'InternalError', service: 'SQS' },
  );
  const [status, queryCode] = SQS_ERRORS[code];
  sendAwsError(res, CONTENT_TYPE, status, { __type: `com.amazonaws.sqs#${code}`, message }, {
    'x-amzn-query-error': `${queryCode};${status >= 500 ? 'Receiver' : 'Sender'}`,
    'x-amzn-requestid': requestId,
  });
}

// Input readers: the SDK sends the modelled JSON types; anything else is the caller's error.

export function str(input: Input, name: string): string;
export function str(input: Input, name: string, optional: true): string | undefined;
export function str(input: Input, name: string, optional = false): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw new QueueError('MissingParameter', `The request must contain the parameter ${name}.`);
  }
  if (typeof v !== 'string') throw new QueueError('InvalidParameterValue', `Value for parameter ${name} must be a string.`);
  return v;
}

export function int(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new QueueError('InvalidParameterValue', `Value ${JSON.stringify(v)} for parameter ${name} is invalid. Reason: must be an integer.`);
  return v;
}

export function strList(input: Input, name: string): string[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new QueueError('InvalidParameterValue', `Value for parameter ${name} must be a list of strings.`);
  return v as string[];
}

export function strMap(input: Input, name: string): Record<string, unknown> {
  const v = input[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new QueueError('InvalidParameterValue', `Value for parameter ${name} must be a map.`);
  return v as Record<string, unknown>;
}

/** The queue a request's QueueUrl names (its last path segment); QueueDoesNotExist otherwise. */
export const queueOf = (input: Input, ctx: SqsContext) => ctx.queues.queue(str(input, 'QueueUrl')).name;
