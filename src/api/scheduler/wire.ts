import type { ServerResponse } from 'node:http';
import { HearthError } from '../../common/index.js';
import type { Schedule, ScheduleGroup, Schedules } from '../../events/index.js';
import { type Handler, sendJson } from '../http.js';

/** What the Scheduler API handlers reach; wired in `server/`. */
export interface SchedulerDeps {
  schedules: Schedules;
}

/** Scheduler's error types and their status codes (restJson1: `x-amzn-ErrorType` + `Message`). */
export const SCHEDULER_ERRORS: Record<string, number> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  InternalServerException: 500,
};

/** Hearth's error codes as Scheduler names them. */
function schedulerCode(e: HearthError): string {
  switch (e.code) {
    case 'ResourceNotFoundException':
      return 'ResourceNotFoundException';
    case 'ResourceConflictException':
      return 'ConflictException';
    case 'TooManyRequestsException':
      return 'ThrottlingException';
    case 'ServiceException':
      return 'InternalServerException';
    default:
      return 'ValidationException';
  }
}

export function sendSchedulerError(res: ServerResponse, err: unknown): void {
  if (!(err instanceof HearthError)) console.error('hearth: internal error:', err);
  const e = err instanceof HearthError ? err : new HearthError('ServiceException', 'An internal error occurred.');
  const code = e.code === 'RequestTooLargeException' ? 'ValidationException' : schedulerCode(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, SCHEDULER_ERRORS[code]!, { Message: e.message }, { 'x-amzn-errortype': code });
}

/** Scheduler's errors are its own shapes, not Lambda's: each handler answers its failures itself. */
export function guarded(handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (err instanceof HearthError && err.code === 'RequestTooLargeException') req.raw.resume();
      sendSchedulerError(res, err);
    }
  };
}

/** restJson1 timestamps are epoch seconds. */
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function scheduleToWire(s: Schedule, schedules: Schedules) {
  const t = s.target;
  return {
    Arn: schedules.scheduleArn(s),
    GroupName: s.group,
    Name: s.name,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: s.timezone,
    StartDate: seconds(s.startDate),
    EndDate: seconds(s.endDate),
    Description: s.description,
    State: s.state,
    CreationDate: seconds(s.createdAt),
    LastModificationDate: seconds(s.modifiedAt),
    FlexibleTimeWindow: s.flexibleMinutes ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: s.flexibleMinutes } : { Mode: 'OFF' },
    Target: {
      Arn: t.arn,
      RoleArn: t.roleArn,
      Input: t.input,
      RetryPolicy: { MaximumEventAgeInSeconds: t.maximumEventAgeS, MaximumRetryAttempts: t.maximumRetryAttempts },
      DeadLetterConfig: t.deadLetterArn ? { Arn: t.deadLetterArn } : undefined,
    },
    ActionAfterCompletion: s.actionAfterCompletion,
  };
}

export function scheduleSummary(s: Schedule, schedules: Schedules) {
  return {
    Arn: schedules.scheduleArn(s),
    Name: s.name,
    GroupName: s.group,
    State: s.state,
    CreationDate: seconds(s.createdAt),
    LastModificationDate: seconds(s.modifiedAt),
    Target: { Arn: s.target.arn },
  };
}

export function groupToWire(g: ScheduleGroup, schedules: Schedules) {
  return { Arn: schedules.groupArn(g.name), Name: g.name, State: 'ACTIVE', CreationDate: seconds(g.createdAt), LastModificationDate: seconds(g.modifiedAt) };
}

/** MaxResults (1–100) and NextToken (an offset Hearth issued) of a List operation. */
export function page<T>(items: T[], query: URLSearchParams): { items: T[]; next?: string } {
  const raw = query.get('MaxResults');
  const max = raw === null ? 100 : Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw new HearthError('ValidationException', `1 validation error detected: Value '${raw}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`);
  const token = query.get('NextToken');
  const start = token === null ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) throw new HearthError('ValidationException', 'The NextToken is not valid.');
  const slice = items.slice(start, start + max);
  return { items: slice, next: start + max < items.length ? String(start + max) : undefined };
}
