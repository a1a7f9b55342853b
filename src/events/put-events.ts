import { ACCOUNT_ID, type Clock, requestId } from '../common/index.js';
import type { EventBuses, EventRule } from './event-buses.js';
import { isFunctionArn, type RuleTarget, targetPayload } from './rule-targets.js';

/** One PutEvents entry; `Time` in epoch milliseconds. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: number;
  EventBusName?: string;
}

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** A target's RetryPolicy as the asynchronous invocation of a function target applies it. */
export interface DeliveryLimits {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
}

/** Where matched events go. Implemented by the server's wiring over AsyncInvoker and QueueService. */
export interface BusDelivery {
  functionExists(functionArn: string): boolean;
  invokeAsync(functionArn: string, payload: string, limits: DeliveryLimits): void;
  /** Throws when the queue does not exist or refuses the message. */
  sendToQueue(queueArn: string, body: string, attributes?: Record<string, { DataType: string; StringValue: string }>): void;
  /** Runs `fn` so that every write it makes commits together, or none does. */
  atomically<T>(fn: () => T): T;
  report(message: string): void;
}

const missing = (name: string) => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` });

/**
 * PutEvents: each entry becomes EventBridge's envelope and goes to every target of every
 * enabled matching rule — a function target as an asynchronous invocation, a queue target
 * as a message. All of a request's deliveries are written in one transaction before it
 * answers, so an accepted event reaches its targets at least once, even across a crash.
 */
export class EventRouter {
  constructor(
    private readonly buses: EventBuses,
    private readonly delivery: BusDelivery,
    private readonly clock: Clock,
  ) {}

  putEvents(entries: PutEventsEntry[]): EntryResult[] {
    return this.delivery.atomically(() => entries.map((e) => this.one(e)));
  }

  /** A scheduled rule's tick: its event goes to the rule's targets, all written together. */
  fireScheduled(rule: EventRule, event: Record<string, unknown>): void {
    this.delivery.atomically(() => {
      for (const target of rule.Targets) this.deliver(rule, target, event);
    });
  }

  /** The envelope of an entry, or why the entry is refused. */
  envelope(e: PutEventsEntry): Record<string, unknown> | Exclude<EntryResult, { EventId: string }> {
    if (!e.Source) return missing('Source');
    if (!e.DetailType) return missing('DetailType');
    if (e.Detail === undefined) return missing('Detail');
    let detail: unknown;
    try {
      detail = JSON.parse(e.Detail);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    return {
      version: '0',
      id: requestId(),
      'detail-type': e.DetailType,
      source: e.Source,
      account: ACCOUNT_ID,
      time: new Date(e.Time ?? this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.buses.region,
      resources: e.Resources ?? [],
      detail,
    };
  }

  private one(e: PutEventsEntry): EntryResult {
    let bus: string;
    try {
      bus = this.buses.bus(e.EventBusName).Name;
    } catch (err) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: (err as Error).message };
    }
    const event = this.envelope(e);
    if ('ErrorCode' in event) return event as EntryResult;
    for (const rule of this.buses.matching(bus, event)) {
      for (const target of rule.Targets) this.deliver(rule, target, event);
    }
    return { EventId: event.id as string };
  }

  private deliver(rule: EventRule, t: RuleTarget, event: Record<string, unknown>): void {
    const payload = targetPayload(t, event);
    try {
      if (isFunctionArn(t.Arn)) {
        if (!this.delivery.functionExists(t.Arn)) throw Object.assign(new Error(`Function ${t.Arn} does not exist.`), { code: 'ResourceNotFoundException' });
        const r = t.RetryPolicy;
        this.delivery.invokeAsync(t.Arn, payload, { maximumRetryAttempts: r?.MaximumRetryAttempts, maximumEventAgeInSeconds: r?.MaximumEventAgeInSeconds });
      } else {
        this.delivery.sendToQueue(t.Arn, payload);
      }
    } catch (err) {
      this.deadLetter(rule, t, event, err as Error & { code?: string });
    }
  }

  /** EventBridge's dead-letter message: the event as the body, what failed in attributes. */
  private deadLetter(rule: EventRule, t: RuleTarget, event: Record<string, unknown>, err: Error & { code?: string }): void {
    const dlq = t.DeadLetterConfig?.Arn;
    const why = `event ${String(event.id)} of rule ${rule.Name} could not be delivered to ${t.Arn}: ${err.message}`;
    if (!dlq) {
      this.delivery.report(why);
      return;
    }
    const attr = (v: string) => ({ DataType: 'String', StringValue: v });
    try {
      this.delivery.sendToQueue(dlq, JSON.stringify(event), {
        RULE_ARN: attr(rule.Arn),
        TARGET_ARN: attr(t.Arn),
        ERROR_CODE: attr(err.code ?? 'SDK_CLIENT_ERROR'),
        ERROR_MESSAGE: attr(err.message.slice(0, 1024)),
      });
    } catch (e) {
      this.delivery.report(`${why}; its dead-letter queue ${dlq} refused it too: ${(e as Error).message}`);
    }
  }
}
