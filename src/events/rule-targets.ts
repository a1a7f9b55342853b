import { invalidInput } from './bus-errors.js';

/** A rule target as PutTargets takes it and ListTargetsByRule returns it. */
export interface RuleTarget {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
  RoleArn?: string;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
}

const ID = /^[\.\-_A-Za-z0-9]{1,64}$/;
const FUNCTION_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;
const QUEUE_ARN = /^arn:aws:sqs:[^:]*:[^:]*:[^:]+$/;
/** `$`, `$.a.b`, `$.list[0]`: the JSONPath subset Hearth evaluates. */
const PATH = /^\$(\.[A-Za-z0-9_\-]+|\[\d+\])*$/;
const KNOWN = new Set(['Id', 'Arn', 'Input', 'InputPath', 'RoleArn', 'RetryPolicy', 'DeadLetterConfig']);

export const isFunctionArn = (arn: string) => FUNCTION_ARN.test(arn);
export const isQueueArn = (arn: string) => QUEUE_ARN.test(arn);

/**
 * Checks one target as given: what Hearth cannot honour is refused here, loudly, rather
 * than stored and ignored.
 */
export function checkTarget(t: RuleTarget, checks: { queueExists(arn: string): boolean }): void {
  for (const key of Object.keys(t)) {
    if (!KNOWN.has(key)) throw invalidInput(`Target ${t.Id}: ${key} is not supported by Hearth yet (supported: Input, InputPath, RetryPolicy, DeadLetterConfig).`);
  }
  if (typeof t.Id !== 'string' || !ID.test(t.Id)) throw invalidInput(`Target Id ${String(t.Id)} is not valid: 1–64 letters, digits and . - _.`);
  if (typeof t.Arn !== 'string' || !(isFunctionArn(t.Arn) || isQueueArn(t.Arn))) {
    throw invalidInput(`Target ${t.Id}: ${String(t.Arn)} is not a target Hearth delivers to yet: use a Lambda function or an SQS queue ARN.`);
  }
  if (t.Input !== undefined && t.InputPath !== undefined) throw invalidInput(`Target ${t.Id}: only one of Input, InputPath, or InputTransformer must be provided.`);
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      throw invalidInput(`Target ${t.Id}: Input is not valid JSON text.`);
    }
  }
  if (t.InputPath !== undefined && !PATH.test(t.InputPath)) throw invalidInput(`Target ${t.Id}: InputPath ${t.InputPath} is not a JSONPath Hearth evaluates ($, $.field.field, $.list[0]).`);
  const retry = t.RetryPolicy;
  if (retry) {
    if (isQueueArn(t.Arn)) throw invalidInput(`Target ${t.Id}: RetryPolicy on an SQS target is not supported by Hearth: the message is written before PutEvents answers, so there is no later delivery to retry.`);
    const n = retry.MaximumRetryAttempts;
    if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n <= 185)) throw invalidInput(`Target ${t.Id}: RetryPolicy.MaximumRetryAttempts must be an integer from 0 to 185.`);
    const age = retry.MaximumEventAgeInSeconds;
    if (age !== undefined && !(Number.isInteger(age) && age >= 60 && age <= 86_400)) throw invalidInput(`Target ${t.Id}: RetryPolicy.MaximumEventAgeInSeconds must be an integer from 60 to 86400.`);
  }
  const dlq = t.DeadLetterConfig?.Arn;
  if (t.DeadLetterConfig && dlq === undefined) throw invalidInput(`Target ${t.Id}: DeadLetterConfig needs an Arn.`);
  if (dlq !== undefined && (!isQueueArn(dlq) || !checks.queueExists(dlq))) throw invalidInput(`Target ${t.Id}: the dead-letter queue ${dlq} is not an existing SQS queue of Hearth's.`);
}

/** What the target receives: the event, the constant Input, or the part InputPath selects. */
export function targetPayload(t: RuleTarget, event: Record<string, unknown>): string {
  if (t.Input !== undefined) return t.Input;
  if (t.InputPath === undefined) return JSON.stringify(event);
  let value: unknown = event;
  for (const step of t.InputPath.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? []) {
    if (value === null || typeof value !== 'object') {
      value = undefined;
      break;
    }
    value = step.startsWith('.') ? (value as Record<string, unknown>)[step.slice(1)] : (value as unknown[])[Number(step.slice(1, -1))];
  }
  return JSON.stringify(value ?? null);
}
