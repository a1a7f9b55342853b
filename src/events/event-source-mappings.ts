import { randomUUID } from 'node:crypto';
import { type Clock, HearthError, invalid, notFound } from '../common/index.js';
import type { QueueService } from '../queues/index.js';
import type { Kv } from '../store/index.js';
import { type PollerDeps, SqsPoller } from './sqs-poller.js';

export interface EventSourceMapping {
  uuid: string;
  eventSourceArn: string;
  functionName: string;
  qualifier?: string;
  batchSize: number;
  batchingWindowS: number;
  enabled: boolean;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  /** Epoch ms. */
  lastModified: number;
}

/** The members of Create/UpdateEventSourceMapping Hearth reads; anything else set is refused. */
export interface MappingInput {
  FunctionName?: unknown;
  EventSourceArn?: unknown;
  BatchSize?: unknown;
  MaximumBatchingWindowInSeconds?: unknown;
  Enabled?: unknown;
  FunctionResponseTypes?: unknown;
  ScalingConfig?: { MaximumConcurrency?: unknown } | null;
  [other: string]: unknown;
}

export interface MappingChecks {
  /** Throws ResourceNotFoundException for a missing function or qualifier. */
  target(name: string, qualifier?: string): void;
  /** The function's timeout (s), which the queue's visibility timeout must cover. */
  timeoutOf(name: string, qualifier?: string): number;
  parseFunction(ref: string): { name: string; qualifier?: string };
}

const READ = new Set(['FunctionName', 'EventSourceArn', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'Enabled', 'FunctionResponseTypes', 'ScalingConfig']);
const DEFAULT_CONCURRENCY = 1000;
const key = (uuid: string) => `esm/${uuid}`;

function validation(value: unknown, field: string, constraint: string): HearthError {
  return new HearthError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

function integerIn(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validation(value, field, `Member must be an integer between ${min} and ${max}`);
  }
  return value;
}

/**
 * Event source mappings (queue → function): stored in the KV, each enabled one driven by
 * an SqsPoller. Only Hearth's SQS queues are sources for now; other sources are refused.
 */
export class EventSourceMappings {
  private readonly pollers = new Map<string, SqsPoller>();

  constructor(
    private readonly kv: Kv,
    private readonly queues: QueueService,
    private readonly checks: MappingChecks,
    private readonly deps: PollerDeps,
    private readonly clock: Clock,
  ) {}

  start(): void {
    for (const e of this.kv.list<EventSourceMapping>({ prefix: 'esm/' })) this.run(e.value);
  }

  stop(): void {
    for (const p of this.pollers.values()) p.stop();
    this.pollers.clear();
  }

  create(input: MappingInput): EventSourceMapping {
    if (typeof input.FunctionName !== 'string' || !input.FunctionName) throw invalid('FunctionName is required.');
    if (typeof input.EventSourceArn !== 'string' || !input.EventSourceArn) throw invalid('EventSourceArn is required for an SQS event source.');
    const ref = this.checks.parseFunction(input.FunctionName);
    const m = this.validate({
      uuid: randomUUID(),
      eventSourceArn: input.EventSourceArn,
      functionName: ref.name,
      qualifier: ref.qualifier,
      batchSize: 10,
      batchingWindowS: 0,
      enabled: true,
      reportBatchItemFailures: false,
      lastModified: this.clock.now(),
    }, input);
    if (this.list({ eventSourceArn: m.eventSourceArn }).some((o) => o.functionName === m.functionName && o.qualifier === m.qualifier)) {
      throw new HearthError('ResourceConflictException', `An event source mapping with SQS arn (" ${m.eventSourceArn} ") and function (" ${m.functionName} ") already exists. Please update or delete the existing mapping with UUID ${this.list({ eventSourceArn: m.eventSourceArn })[0]!.uuid}`);
    }
    this.kv.put(key(m.uuid), m);
    this.run(m);
    return m;
  }

  get(uuid: string): EventSourceMapping {
    const m = this.kv.get<EventSourceMapping>(key(uuid))?.value;
    if (!m) throw notFound(`The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${uuid})`);
    return m;
  }

  update(uuid: string, input: MappingInput): EventSourceMapping {
    const old = this.get(uuid);
    if (input.EventSourceArn !== undefined && input.EventSourceArn !== old.eventSourceArn) throw invalid('EventSourceArn cannot be changed: create a new mapping.');
    let base = old;
    if (typeof input.FunctionName === 'string' && input.FunctionName) {
      const ref = this.checks.parseFunction(input.FunctionName);
      base = { ...old, functionName: ref.name, qualifier: ref.qualifier };
    }
    const m = this.validate({ ...base, lastModified: this.clock.now() }, { ...input, EventSourceArn: undefined });
    this.kv.put(key(uuid), m);
    this.run(m);
    return m;
  }

  delete(uuid: string): EventSourceMapping {
    const m = this.get(uuid);
    this.pollers.get(uuid)?.stop();
    this.pollers.delete(uuid);
    this.kv.delete(key(uuid));
    return m;
  }

  list(filter: { eventSourceArn?: string; functionName?: string } = {}): EventSourceMapping[] {
    return this.kv
      .list<EventSourceMapping>({ prefix: 'esm/' })
      .map((e) => e.value)
      .filter((m) => (!filter.eventSourceArn || m.eventSourceArn === filter.eventSourceArn) && (!filter.functionName || m.functionName === filter.functionName));
  }

  /** Workers polling for a mapping right now (0 when disabled). */
  workers(uuid: string): number {
    return this.pollers.get(uuid)?.activeWorkers ?? 0;
  }

  /** A deleted function takes its mappings with it. */
  forgetFunction(name: string): void {
    for (const m of this.list({ functionName: name })) this.delete(m.uuid);
  }

  private validate(m: EventSourceMapping, input: MappingInput): EventSourceMapping {
    for (const [k, v] of Object.entries(input)) {
      if (!READ.has(k) && v !== undefined && v !== null) throw invalid(`${k} is not supported by Hearth for SQS event source mappings yet.`);
    }
    if (!m.eventSourceArn.startsWith('arn:aws:sqs:')) {
      throw invalid(`Event source ${m.eventSourceArn} is not supported by Hearth yet: only its SQS queues can be sources.`);
    }
    this.checks.target(m.functionName, m.qualifier);
    let queue;
    try {
      queue = this.queues.queue(m.eventSourceArn);
    } catch {
      throw invalid(`Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist: ${m.eventSourceArn}`);
    }
    const next = { ...m };
    if (input.BatchSize !== undefined) next.batchSize = integerIn(input.BatchSize, 1, 10_000, 'batchSize');
    if (input.MaximumBatchingWindowInSeconds !== undefined) next.batchingWindowS = integerIn(input.MaximumBatchingWindowInSeconds, 0, 300, 'maximumBatchingWindowInSeconds');
    if (input.Enabled !== undefined) {
      if (typeof input.Enabled !== 'boolean') throw invalid('Enabled must be true or false.');
      next.enabled = input.Enabled;
    }
    if (input.FunctionResponseTypes !== undefined) {
      const types = input.FunctionResponseTypes;
      if (!Array.isArray(types) || types.some((t) => t !== 'ReportBatchItemFailures')) throw invalid('FunctionResponseTypes may only contain ReportBatchItemFailures.');
      next.reportBatchItemFailures = types.length > 0;
    }
    if (input.ScalingConfig !== undefined) {
      const c = input.ScalingConfig?.MaximumConcurrency;
      next.maximumConcurrency = c === undefined || c === null ? undefined : integerIn(c, 2, 1000, 'scalingConfig.maximumConcurrency');
    }
    if (next.batchSize > 10 && next.batchingWindowS < 1) {
      throw invalid('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    }
    const timeout = this.checks.timeoutOf(next.functionName, next.qualifier);
    if (queue.settings.VisibilityTimeout < timeout) {
      throw invalid(`Queue visibility timeout: ${queue.settings.VisibilityTimeout} seconds is less than Function timeout: ${timeout} seconds`);
    }
    return next;
  }

  private run(m: EventSourceMapping): void {
    this.pollers.get(m.uuid)?.stop();
    this.pollers.delete(m.uuid);
    if (!m.enabled) return;
    const poller = new SqsPoller(
      {
        uuid: m.uuid,
        queueArn: m.eventSourceArn,
        functionName: m.functionName,
        qualifier: m.qualifier,
        batchSize: m.batchSize,
        batchingWindowS: m.batchingWindowS,
        reportBatchItemFailures: m.reportBatchItemFailures,
        maximumConcurrency: m.maximumConcurrency ?? DEFAULT_CONCURRENCY,
      },
      this.deps,
    );
    this.pollers.set(m.uuid, poller);
    poller.start();
  }
}
