import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID, type Clock, HearthError } from '../common/index.js';
import type { Kv } from '../store/index.js';
import { parseExpression } from './schedule-expression.js';
import type { Scheduler } from './scheduler.js';

/** The event EventBridge sends a scheduled rule's targets. */
export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

interface RuleState {
  /** Where a rate counts from: the first registration. */
  anchor: number;
  lastTick?: number;
}

const key = (ruleArn: string) => `schedrule/${ruleArn}`;

/**
 * The hook for EventBridge rules with a ScheduleExpression: `register(ruleArn, expression,
 * fire)` when a rule is created, enabled or changed (and for each stored enabled rule at
 * server start), `unregister(ruleArn)` when it is disabled or deleted. Rules evaluate in
 * UTC. The last fired tick is kept per rule, so a restart neither repeats a tick nor loses
 * the ones missed (they fire once). The tick is recorded before `fire` runs: a crash
 * inside `fire` loses that one event rather than sending it twice.
 */
export class ScheduledRules {
  constructor(
    private readonly kv: Kv,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly region: string,
  ) {}

  /** Throws ValidationException for an expression EventBridge rules do not accept. */
  static check(expression: string): void {
    const e = parseExpression(expression);
    if (e.kind === 'at') throw new HearthError('ValidationException', 'Parameter ScheduleExpression is not valid.');
  }

  /** The same check, for callers that hold an instance. */
  check(expression: string): void {
    ScheduledRules.check(expression);
  }

  register(ruleArn: string, expression: string, fire: (event: ScheduledEvent) => void): void {
    ScheduledRules.check(expression);
    const stored = this.kv.get<RuleState>(key(ruleArn))?.value;
    const state: RuleState = stored ?? { anchor: this.clock.now() };
    if (!stored) this.kv.put(key(ruleArn), state);
    const plan = { expression: parseExpression(expression), zone: 'UTC', anchor: state.anchor, flexMs: 0, lastTick: state.lastTick, notBefore: stored ? undefined : state.anchor };
    this.scheduler.set(`rule:${ruleArn}`, plan, (tick) => {
      const current = this.kv.get<RuleState>(key(ruleArn))?.value ?? state;
      this.kv.put(key(ruleArn), { ...current, lastTick: tick });
      fire(scheduledEvent(ruleArn, tick, this.region));
    });
  }

  /** Stops the rule's ticks; `forget` also drops its last tick (the rule was deleted). */
  unregister(ruleArn: string, forget = false): void {
    this.scheduler.remove(`rule:${ruleArn}`);
    if (forget) this.kv.delete(key(ruleArn));
  }
}

export function scheduledEvent(ruleArn: string, tick: number, region: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT_ID,
    // EventBridge writes whole seconds: 2015-10-08T16:53:06Z.
    time: new Date(Math.floor(tick / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    region,
    resources: [ruleArn],
    detail: {},
  };
}
