import type { InvokeResult } from '../invoke/index.js';

/** Why an event ended where it did (`requestContext.condition`). */
export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** Where records go: queues (the queue service) and functions (asynchronous invocation). */
export interface DestinationSinks {
  /** Sends one message to an SQS-style queue by ARN; throws when it does not exist. */
  sendToQueue(queueArn: string, body: string, attributes?: Record<string, { DataType: string; StringValue: string }>): void;
  /** Queues an asynchronous invocation of another function by ARN. */
  invokeAsync(functionArn: string, payload: string): void;
}

export interface EventOutcome {
  requestId: string;
  /** The function ARN qualified as invoked. */
  functionArn: string;
  condition: Condition;
  attempts: number;
  payload: string;
  /** The last attempt's result, when there was one. */
  result?: InvokeResult;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Lambda's invocation record, as destinations receive it. */
export function invocationRecord(o: EventOutcome, now: number): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: new Date(now).toISOString(),
    requestContext: { requestId: o.requestId, functionArn: o.functionArn, condition: o.condition, approximateInvokeCount: o.attempts },
    requestPayload: parse(o.payload),
    ...(o.result
      ? {
          responseContext: {
            statusCode: 200,
            executedVersion: o.result.executedVersion,
            ...(o.result.functionError ? { functionError: o.result.functionError } : {}),
          },
          responsePayload: parse(o.result.payload),
        }
      : {}),
  });
}

/** Delivers a record to one destination ARN: an SQS queue or a Lambda function. */
export function deliver(sinks: DestinationSinks, arn: string, record: string): void {
  if (arn.startsWith('arn:aws:sqs:')) sinks.sendToQueue(arn, record);
  else if (arn.startsWith('arn:aws:lambda:')) sinks.invokeAsync(arn, record);
  else throw new Error(`unsupported destination ${arn}`);
}

/**
 * The dead-letter message Lambda sends for a failed event: the original payload as the
 * body, what went wrong in message attributes.
 */
export function deadLetter(sinks: DestinationSinks, queueArn: string, o: EventOutcome): void {
  let message = o.condition === 'EventAgeExceeded' ? 'Event age exceeded' : 'Unhandled';
  if (o.result?.functionError) {
    const error = parse(o.result.payload) as { errorMessage?: string };
    if (typeof error?.errorMessage === 'string') message = error.errorMessage;
  }
  sinks.sendToQueue(queueArn, o.payload, {
    RequestID: { DataType: 'String', StringValue: o.requestId },
    ErrorCode: { DataType: 'Number', StringValue: '200' },
    ErrorMessage: { DataType: 'String', StringValue: message.slice(0, 1024) },
  });
}
