import { QueueError } from './errors.js';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

/** A queue's settable attributes, typed. Stored as JSON in the queue's row. */
export interface QueueSettings {
  VisibilityTimeout: number;
  MessageRetentionPeriod: number;
  DelaySeconds: number;
  ReceiveMessageWaitTimeSeconds: number;
  MaximumMessageSize: number;
  RedrivePolicy?: RedrivePolicy;
  RedriveAllowPolicy?: RedriveAllowPolicy;
}

export const MAX_MESSAGE_BYTES = 1_048_576;
export const MAX_VISIBILITY_S = 43_200;
export const MAX_DELAY_S = 900;
export const MAX_WAIT_S = 20;

export const DEFAULT_SETTINGS: QueueSettings = {
  VisibilityTimeout: 30,
  MessageRetentionPeriod: 345_600,
  DelaySeconds: 0,
  ReceiveMessageWaitTimeSeconds: 0,
  MaximumMessageSize: MAX_MESSAGE_BYTES,
};

const RANGES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, MAX_VISIBILITY_S],
  MessageRetentionPeriod: [60, 1_209_600],
  DelaySeconds: [0, MAX_DELAY_S],
  ReceiveMessageWaitTimeSeconds: [0, MAX_WAIT_S],
  MaximumMessageSize: [1024, MAX_MESSAGE_BYTES],
};

/** Attributes SQS defines that Hearth does not implement: refused rather than ignored. */
const UNSUPPORTED: Record<string, string> = {
  FifoQueue: 'Hearth supports standard queues only; FIFO queues are not supported.',
  ContentBasedDeduplication: 'Hearth supports standard queues only; ContentBasedDeduplication is a FIFO attribute.',
  DeduplicationScope: 'Hearth supports standard queues only; DeduplicationScope is a FIFO attribute.',
  FifoThroughputLimit: 'Hearth supports standard queues only; FifoThroughputLimit is a FIFO attribute.',
  KmsMasterKeyId: 'Hearth does not encrypt queues with KMS; KmsMasterKeyId is not supported.',
  KmsDataKeyReusePeriodSeconds: 'Hearth does not encrypt queues with KMS; KmsDataKeyReusePeriodSeconds is not supported.',
  Policy: 'Hearth has no IAM; queue access policies (Policy) are not supported.',
};

export const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
  'SqsManagedSseEnabled',
] as const;

export const ALL_ATTRIBUTE_NAMES = new Set<string>([...Object.keys(RANGES), 'RedrivePolicy', 'RedriveAllowPolicy', ...READ_ONLY_ATTRIBUTES]);

const invalidValue = (name: string, reason?: string) =>
  new QueueError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`);

/**
 * Applies attribute strings (as SQS takes them) over `current`, validating each; throws
 * on the first bad one, so nothing half-applies. RedrivePolicy's target is checked for
 * existence by the caller, which knows the queues.
 */
export function applyAttributes(current: QueueSettings, attrs: Record<string, unknown>): QueueSettings {
  const next: QueueSettings = { ...current };
  for (const [name, raw] of Object.entries(attrs)) {
    if (name in UNSUPPORTED) throw new QueueError('UnsupportedOperation', UNSUPPORTED[name]!);
    if (typeof raw !== 'string') throw invalidValue(name, 'attribute values are strings.');
    if (name in RANGES) {
      const [lo, hi] = RANGES[name]!;
      const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!Number.isInteger(n) || n < lo || n > hi) throw invalidValue(name, `must be an integer from ${lo} to ${hi}.`);
      (next as unknown as Record<string, number>)[name] = n;
    } else if (name === 'RedrivePolicy') {
      if (raw === '') delete next.RedrivePolicy;
      else next.RedrivePolicy = parseRedrivePolicy(raw);
    } else if (name === 'RedriveAllowPolicy') {
      if (raw === '') delete next.RedriveAllowPolicy;
      else next.RedriveAllowPolicy = parseRedriveAllowPolicy(raw);
    } else if (name === 'SqsManagedSseEnabled') {
      // Hearth keeps messages in its local database unencrypted: "false" is the truth.
      if (raw !== 'false') throw new QueueError('UnsupportedOperation', 'Hearth does not encrypt queues; only SqsManagedSseEnabled=false is accepted.');
    } else {
      throw new QueueError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return next;
}

function parseJson(name: string, raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw invalidValue(name, 'not a JSON object.');
}

function parseRedrivePolicy(raw: string): RedrivePolicy {
  const v = parseJson('RedrivePolicy', raw);
  const target = v.deadLetterTargetArn;
  const count = Number(v.maxReceiveCount);
  if (typeof target !== 'string' || !target.startsWith('arn:')) throw invalidValue('RedrivePolicy', 'deadLetterTargetArn must be a queue ARN.');
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw invalidValue('RedrivePolicy', 'maxReceiveCount must be an integer from 1 to 1000.');
  const unknown = Object.keys(v).filter((k) => k !== 'deadLetterTargetArn' && k !== 'maxReceiveCount');
  if (unknown.length) throw invalidValue('RedrivePolicy', `unknown field ${unknown[0]}.`);
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}

function parseRedriveAllowPolicy(raw: string): RedriveAllowPolicy {
  const v = parseJson('RedriveAllowPolicy', raw);
  const permission = v.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalidValue('RedriveAllowPolicy', 'redrivePermission must be allowAll, denyAll or byQueue.');
  }
  const arns = v.sourceQueueArns;
  if (permission === 'byQueue') {
    if (!Array.isArray(arns) || arns.length < 1 || arns.length > 10 || !arns.every((a) => typeof a === 'string')) {
      throw invalidValue('RedriveAllowPolicy', 'byQueue needs sourceQueueArns: 1 to 10 queue ARNs.');
    }
    return { redrivePermission: permission, sourceQueueArns: arns as string[] };
  }
  if (arns !== undefined) throw invalidValue('RedriveAllowPolicy', 'sourceQueueArns is allowed only with redrivePermission byQueue.');
  return { redrivePermission: permission };
}

/** The settable attributes as SQS returns them: every value a string. */
export function settingsToAttributes(s: QueueSettings): Record<string, string> {
  const out: Record<string, string> = {
    VisibilityTimeout: String(s.VisibilityTimeout),
    MessageRetentionPeriod: String(s.MessageRetentionPeriod),
    DelaySeconds: String(s.DelaySeconds),
    ReceiveMessageWaitTimeSeconds: String(s.ReceiveMessageWaitTimeSeconds),
    MaximumMessageSize: String(s.MaximumMessageSize),
  };
  if (s.RedrivePolicy) out.RedrivePolicy = JSON.stringify(s.RedrivePolicy);
  if (s.RedriveAllowPolicy) out.RedriveAllowPolicy = JSON.stringify(s.RedriveAllowPolicy);
  return out;
}
