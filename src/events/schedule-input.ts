import { HearthError } from '../common/index.js';
import { checkTimeZone, parseExpression } from './schedule-expression.js';

/** A schedule as stored (KV `sched/GROUP/NAME`). Times are epoch ms. */
export interface Schedule {
  name: string;
  group: string;
  expression: string;
  timezone: string;
  startDate?: number;
  endDate?: number;
  description?: string;
  state: 'ENABLED' | 'DISABLED';
  flexibleMinutes?: number;
  target: ScheduleTarget;
  actionAfterCompletion: 'NONE' | 'DELETE';
  createdAt: number;
  modifiedAt: number;
  /** The last tick fired: a restart neither repeats it nor loses the ones after it. */
  lastTick?: number;
  /** Ticks up to here are not due: set when an update or a re-enable must not replay the past. */
  notBefore?: number;
}

export interface ScheduleTarget {
  arn: string;
  roleArn: string;
  input?: string;
  maximumEventAgeS: number;
  maximumRetryAttempts: number;
  deadLetterArn?: string;
}

/** CreateSchedule/UpdateSchedule's body as the SDK sends it (dates in epoch seconds). */
export interface ScheduleInput {
  ScheduleExpression?: unknown;
  ScheduleExpressionTimezone?: unknown;
  StartDate?: unknown;
  EndDate?: unknown;
  Description?: unknown;
  State?: unknown;
  GroupName?: unknown;
  FlexibleTimeWindow?: { Mode?: unknown; MaximumWindowInMinutes?: unknown } | null;
  Target?: Record<string, unknown> | null;
  ActionAfterCompletion?: unknown;
  KmsKeyArn?: unknown;
  ClientToken?: unknown;
  [other: string]: unknown;
}

/** What the server checks about a target: that the function or queue exists. */
export interface TargetChecks {
  functionExists(arn: string): boolean;
  queueExists(arn: string): boolean;
}

export const DEFAULT_MAX_AGE_S = 86_400;
export const DEFAULT_RETRIES = 185;
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;
const TARGET_KEYS = new Set(['Arn', 'RoleArn', 'Input', 'RetryPolicy', 'DeadLetterConfig']);
const INPUT_KEYS = new Set(['ScheduleExpression', 'ScheduleExpressionTimezone', 'StartDate', 'EndDate', 'Description', 'State', 'GroupName', 'FlexibleTimeWindow', 'Target', 'ActionAfterCompletion', 'KmsKeyArn', 'ClientToken', 'Name']);

export function validation(value: unknown, field: string, constraint: string): HearthError {
  const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return new HearthError('ValidationException', `1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) throw validation(value, field, 'Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+ and have length between 1 and 64');
  return value;
}

function intIn(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw validation(value, field, `Member must have value between ${min} and ${max}`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (!allowed.includes(value as T)) throw validation(value, field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return value as T;
}

function date(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw validation(value, field, 'Member must be a timestamp');
  // Scheduler keeps whole seconds.
  return Math.floor(value) * 1000;
}

function refuse(what: string): HearthError {
  return new HearthError('ValidationException', `${what} is not supported by Hearth yet.`);
}

/**
 * Turns a Create/UpdateSchedule body into a stored schedule, or throws ValidationException.
 * Every member either takes effect or is refused: Hearth delivers to its own functions and
 * queues only, so templated parameters of other targets, KMS keys and FIFO groups are refused.
 */
export function scheduleFromInput(name: string, group: string, input: ScheduleInput, checks: TargetChecks, now: number, createdAt = now): Schedule {
  for (const k of Object.keys(input)) if (!INPUT_KEYS.has(k) && input[k] !== undefined) throw refuse(`The member ${k}`);
  if (input.KmsKeyArn !== undefined && input.KmsKeyArn !== null) throw refuse('KmsKeyArn (customer managed keys)');
  const expressionText = input.ScheduleExpression;
  if (typeof expressionText !== 'string' || expressionText.length < 1 || expressionText.length > 256) throw validation(expressionText, 'scheduleExpression', 'Member must have length between 1 and 256');
  parseExpression(expressionText);
  const timezone = input.ScheduleExpressionTimezone ?? 'UTC';
  if (typeof timezone !== 'string') throw validation(timezone, 'scheduleExpressionTimezone', 'Member must be a string');
  checkTimeZone(timezone);
  const startDate = date(input.StartDate, 'startDate');
  const endDate = date(input.EndDate, 'endDate');
  if (startDate !== undefined && startDate < now - 5 * 60_000) throw new HearthError('ValidationException', 'The StartDate you specify cannot be earlier than 5 minutes prior to the current time.');
  if (endDate !== undefined && endDate <= now) throw new HearthError('ValidationException', 'The EndDate you specify cannot be earlier than the current time.');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) throw new HearthError('ValidationException', 'The EndDate must be after the StartDate.');
  if (input.Description !== undefined && (typeof input.Description !== 'string' || input.Description.length > 512)) throw validation(input.Description, 'description', 'Member must have length less than or equal to 512');

  const ftw = input.FlexibleTimeWindow;
  if (!ftw || typeof ftw !== 'object') throw validation(ftw, 'flexibleTimeWindow', 'Member must not be null');
  const mode = oneOf(ftw.Mode, ['OFF', 'FLEXIBLE'] as const, 'flexibleTimeWindow.mode', 'OFF');
  if (ftw.Mode === undefined) throw validation(undefined, 'flexibleTimeWindow.mode', 'Member must not be null');
  let flexibleMinutes: number | undefined;
  if (mode === 'FLEXIBLE') flexibleMinutes = intIn(ftw.MaximumWindowInMinutes, 1, 1440, 'flexibleTimeWindow.maximumWindowInMinutes');
  else if (ftw.MaximumWindowInMinutes !== undefined && ftw.MaximumWindowInMinutes !== null) throw new HearthError('ValidationException', 'MaximumWindowInMinutes is only allowed when Mode is FLEXIBLE.');

  return {
    name,
    group,
    expression: expressionText,
    timezone,
    startDate,
    endDate,
    description: input.Description as string | undefined,
    state: oneOf(input.State, ['ENABLED', 'DISABLED'] as const, 'state', 'ENABLED'),
    flexibleMinutes,
    target: targetFromInput(input.Target, checks),
    actionAfterCompletion: oneOf(input.ActionAfterCompletion, ['NONE', 'DELETE'] as const, 'actionAfterCompletion', 'NONE'),
    createdAt,
    modifiedAt: now,
  };
}

function targetFromInput(t: ScheduleInput['Target'], checks: TargetChecks): ScheduleTarget {
  if (!t || typeof t !== 'object') throw validation(t, 'target', 'Member must not be null');
  for (const k of Object.keys(t)) if (!TARGET_KEYS.has(k) && t[k] !== undefined && t[k] !== null) throw refuse(`Target.${k}`);
  const arn = t.Arn;
  if (typeof arn !== 'string' || arn.length < 1 || arn.length > 1600) throw validation(arn, 'target.arn', 'Member must have length between 1 and 1600');
  if (typeof t.RoleArn !== 'string' || t.RoleArn.length < 1) throw validation(t.RoleArn, 'target.roleArn', 'Member must have length between 1 and 1600');
  if (arn.startsWith('arn:aws:lambda:')) {
    if (!checks.functionExists(arn)) throw new HearthError('ValidationException', `The target function ${arn} does not exist.`);
  } else if (SQS_ARN.test(arn)) {
    if (arn.endsWith('.fifo')) throw refuse('A FIFO queue target');
    if (!checks.queueExists(arn)) throw new HearthError('ValidationException', `The target queue ${arn} does not exist.`);
  } else {
    throw refuse(`Target ${arn}: use a Lambda function or an SQS queue of this Hearth; the target`);
  }
  if (t.Input !== undefined && (typeof t.Input !== 'string' || t.Input.length < 1 || t.Input.length > 8192)) throw validation(t.Input, 'target.input', 'Member must have length between 1 and 8192');
  const rp = (t.RetryPolicy ?? {}) as { MaximumEventAgeInSeconds?: unknown; MaximumRetryAttempts?: unknown };
  const dlc = t.DeadLetterConfig as { Arn?: unknown } | undefined | null;
  let deadLetterArn: string | undefined;
  if (dlc && dlc.Arn !== undefined) {
    if (typeof dlc.Arn !== 'string' || !SQS_ARN.test(dlc.Arn)) throw validation(dlc.Arn, 'target.deadLetterConfig.arn', 'Member must satisfy regular expression pattern: arn:aws(-[a-z]+)?:sqs:[a-z0-9\\-]+:\\d{12}:[a-zA-Z0-9\\-_]+');
    if (!checks.queueExists(dlc.Arn)) throw new HearthError('ValidationException', `The dead-letter queue ${dlc.Arn} does not exist.`);
    deadLetterArn = dlc.Arn;
  }
  return {
    arn,
    roleArn: t.RoleArn,
    input: t.Input as string | undefined,
    maximumEventAgeS: rp.MaximumEventAgeInSeconds === undefined ? DEFAULT_MAX_AGE_S : intIn(rp.MaximumEventAgeInSeconds, 60, 86_400, 'target.retryPolicy.maximumEventAgeInSeconds'),
    maximumRetryAttempts: rp.MaximumRetryAttempts === undefined ? DEFAULT_RETRIES : intIn(rp.MaximumRetryAttempts, 0, 185, 'target.retryPolicy.maximumRetryAttempts'),
    deadLetterArn,
  };
}
