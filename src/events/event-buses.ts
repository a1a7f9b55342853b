import { ACCOUNT_ID, type Clock } from '../common/index.js';
import type { Kv } from '../store/index.js';
import { EventsError, invalidInput } from './bus-errors.js';
import { compilePattern, type EventPattern } from './event-pattern.js';
import { checkTarget, type RuleTarget } from './rule-targets.js';

export interface EventBus {
  Name: string;
  Arn: string;
  Description?: string;
  /** Epoch milliseconds. */
  CreationTime: number;
  LastModifiedTime: number;
}

export type RuleState = 'ENABLED' | 'DISABLED';

export interface EventRule {
  Name: string;
  Arn: string;
  EventBusName: string;
  /** Exactly one of EventPattern and ScheduleExpression is set. */
  EventPattern?: string;
  ScheduleExpression?: string;
  State: RuleState;
  Description?: string;
  RoleArn?: string;
  Targets: RuleTarget[];
}

export interface RuleInput {
  Name: string;
  EventBusName?: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State?: string;
  Description?: string;
  RoleArn?: string;
}

/** The Scheduler's hook for rules with a ScheduleExpression (`ScheduledRules`). */
export interface RuleScheduler {
  /** Throws for an expression rules do not accept. */
  check(expression: string): void;
  register(ruleArn: string, expression: string, fire: (event: Record<string, unknown>) => void): void;
  unregister(ruleArn: string, forget?: boolean): void;
}

export interface TargetFailure {
  TargetId: string;
  ErrorCode: string;
  ErrorMessage: string;
}

export interface BusChecks {
  /** Whether an SQS queue of Hearth's exists (dead-letter queues are checked up front). */
  queueExists(arn: string): boolean;
}

const NAME = /^[\.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[\/\.\-_A-Za-z0-9]{1,256}$/;
/** EventBridge's quota of targets per rule. */
const MAX_TARGETS = 5;
export const DEFAULT_BUS = 'default';

const busKey = (name: string) => `eventbridge/bus/${name}`;
// ':' cannot occur in bus names (which may hold '/'), so one bus's prefix never lists another's rules.
const ruleKey = (bus: string, name: string) => `eventbridge/rule/${bus}:${name}`;
const notFound = (what: string) => new EventsError('ResourceNotFoundException', what);

/**
 * Event buses, their rules and each rule's targets, stored in the KV. The `default` bus
 * always exists. Patterns are validated when stored and compiled once per text.
 */
export class EventBuses {
  private readonly compiled = new Map<string, EventPattern>();
  private scheduler?: RuleScheduler;
  private fire?: (rule: EventRule, event: Record<string, unknown>) => void;

  constructor(
    private readonly kv: Kv,
    private readonly clock: Clock,
    readonly region: string,
    private readonly checks: BusChecks,
  ) {
    if (!kv.get(busKey(DEFAULT_BUS))) this.store(DEFAULT_BUS, undefined);
  }

  busArn = (name: string) => `arn:aws:events:${this.region}:${ACCOUNT_ID}:event-bus/${name}`;
  ruleArn = (bus: string, name: string) => `arn:aws:events:${this.region}:${ACCOUNT_ID}:rule/${bus === DEFAULT_BUS ? '' : `${bus}/`}${name}`;

  /** A bus by name or ARN (absent = `default`); ResourceNotFoundException otherwise. */
  bus(nameOrArn?: string): EventBus {
    const name = this.busName(nameOrArn);
    const bus = this.kv.get<EventBus>(busKey(name))?.value;
    if (!bus) throw notFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  busName(nameOrArn?: string): string {
    if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
    const m = /^arn:aws:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
    return m ? m[1]! : nameOrArn;
  }

  createBus(name: string, description?: string): EventBus {
    if (!BUS_NAME.test(name) || name.startsWith('aws.')) throw invalidInput(`Event bus name ${name} is not valid: 1–256 letters, digits and . - _ /, not starting with aws.`);
    if (this.kv.get(busKey(name))) throw new EventsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    return this.store(name, description);
  }

  private store(name: string, description: string | undefined): EventBus {
    const now = this.clock.now();
    const bus: EventBus = { Name: name, Arn: this.busArn(name), ...(description ? { Description: description } : {}), CreationTime: now, LastModifiedTime: now };
    this.kv.put(busKey(name), bus);
    return bus;
  }

  /** Deleting a bus that does not exist succeeds, as in EventBridge; its rules go with it. */
  deleteBus(name: string): void {
    if (name === DEFAULT_BUS) throw invalidInput('Cannot delete event bus default.');
    for (const r of this.kv.list<EventRule>({ prefix: ruleKey(name, '') })) {
      this.kv.delete(r.key);
      if (r.value.ScheduleExpression !== undefined) this.scheduler?.unregister(r.value.Arn, true);
    }
    this.kv.delete(busKey(name));
  }

  listBuses(prefix = '', after?: string, limit = 100): EventBus[] {
    return this.kv.list<EventBus>({ prefix: busKey(prefix), after: after && busKey(after), limit }).map((e) => e.value);
  }

  /** Creates or updates a rule; targets are kept on update. */
  putRule(input: RuleInput): EventRule {
    const bus = this.bus(input.EventBusName).Name;
    if (!NAME.test(input.Name)) throw invalidInput(`Rule name ${input.Name} is not valid: 1–64 letters, digits and . - _.`);
    if (input.EventPattern === undefined && input.ScheduleExpression === undefined) throw invalidInput('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (input.EventPattern !== undefined && input.ScheduleExpression !== undefined) throw invalidInput('Hearth takes either EventPattern or ScheduleExpression on a rule, not both yet.');
    if (input.EventPattern !== undefined) this.pattern(input.EventPattern);
    if (input.ScheduleExpression !== undefined) {
      if (bus !== DEFAULT_BUS) throw invalidInput('ScheduleExpression is supported only on the default event bus.');
      if (!this.scheduler) throw invalidInput('ScheduleExpression is not supported by this server: no scheduler is wired.');
      this.scheduler.check(input.ScheduleExpression);
    }
    const state = input.State ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') throw invalidInput(`State ${state} is not supported by Hearth: use ENABLED or DISABLED.`);
    const old = this.kv.get<EventRule>(ruleKey(bus, input.Name))?.value;
    const rule: EventRule = {
      Name: input.Name,
      Arn: this.ruleArn(bus, input.Name),
      EventBusName: bus,
      ...(input.EventPattern !== undefined ? { EventPattern: input.EventPattern } : { ScheduleExpression: input.ScheduleExpression }),
      State: state,
      ...(input.Description ? { Description: input.Description } : {}),
      ...(input.RoleArn ? { RoleArn: input.RoleArn } : {}),
      Targets: old?.Targets ?? [],
    };
    this.kv.put(ruleKey(bus, input.Name), rule);
    if (old?.ScheduleExpression !== undefined && rule.ScheduleExpression === undefined) this.scheduler?.unregister(rule.Arn, true);
    this.reschedule(rule);
    return rule;
  }

  rule(busName: string | undefined, name: string): EventRule {
    const bus = this.bus(busName).Name;
    const rule = this.kv.get<EventRule>(ruleKey(bus, name))?.value;
    if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }

  listRules(busName: string | undefined, prefix = '', after?: string, limit = 100): EventRule[] {
    const bus = this.bus(busName).Name;
    return this.kv.list<EventRule>({ prefix: ruleKey(bus, prefix), after: after && ruleKey(bus, after), limit }).map((e) => e.value);
  }

  setState(busName: string | undefined, name: string, state: RuleState): void {
    const rule = { ...this.rule(busName, name), State: state };
    this.kv.put(ruleKey(rule.EventBusName, name), rule);
    this.reschedule(rule);
  }

  /** A rule with targets cannot be deleted (EventBridge's rule) unless forced; a missing rule is a no-op. */
  deleteRule(busName: string | undefined, name: string, force: boolean): void {
    const bus = this.bus(busName).Name;
    const rule = this.kv.get<EventRule>(ruleKey(bus, name))?.value;
    if (!rule) return;
    if (rule.Targets.length > 0 && !force) throw invalidInput("Rule can't be deleted since it has targets.");
    this.kv.delete(ruleKey(bus, name));
    if (rule.ScheduleExpression !== undefined) this.scheduler?.unregister(rule.Arn, true);
  }

  putTargets(busName: string | undefined, name: string, targets: RuleTarget[]): TargetFailure[] {
    const rule = this.rule(busName, name);
    for (const t of targets) checkTarget(t, this.checks);
    const byId = new Map(rule.Targets.map((t) => [t.Id, t]));
    for (const t of targets) byId.set(t.Id, t);
    if (byId.size > MAX_TARGETS) throw new EventsError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${MAX_TARGETS} targets per rule).`);
    this.kv.put(ruleKey(rule.EventBusName, name), { ...rule, Targets: [...byId.values()] });
    return [];
  }

  removeTargets(busName: string | undefined, name: string, ids: string[]): void {
    const rule = this.rule(busName, name);
    this.kv.put(ruleKey(rule.EventBusName, name), { ...rule, Targets: rule.Targets.filter((t) => !ids.includes(t.Id)) });
  }

  /** The enabled rules of a bus whose pattern matches the event. */
  matching(bus: string, event: unknown): EventRule[] {
    return this.kv
      .list<EventRule>({ prefix: ruleKey(bus, '') })
      .map((e) => e.value)
      .filter((r) => r.State === 'ENABLED' && r.EventPattern !== undefined && this.pattern(r.EventPattern).matches(event));
  }

  /**
   * Connects scheduled rules to the Scheduler: every stored enabled one is registered now,
   * later ones as they are put or enabled; `fire` delivers a tick's event to the rule.
   */
  attachScheduler(scheduler: RuleScheduler, fire: (rule: EventRule, event: Record<string, unknown>) => void): void {
    this.scheduler = scheduler;
    this.fire = fire;
    for (const { value } of this.kv.list<EventRule>({ prefix: ruleKey(DEFAULT_BUS, '') })) this.reschedule(value);
  }

  private reschedule(rule: EventRule): void {
    const { scheduler, fire } = this;
    if (!scheduler || !fire || rule.ScheduleExpression === undefined) return;
    if (rule.State !== 'ENABLED') {
      // Forgotten, not paused: EventBridge does not catch up ticks a disabled rule missed.
      scheduler.unregister(rule.Arn, true);
      return;
    }
    // The targets are read at each tick, so PutTargets after PutRule applies to the next one.
    scheduler.register(rule.Arn, rule.ScheduleExpression, (event) => {
      const current = this.kv.get<EventRule>(ruleKey(rule.EventBusName, rule.Name))?.value;
      if (current?.State === 'ENABLED') fire(current, event);
    });
  }

  /** Validates (InvalidEventPatternException) and caches a pattern. */
  pattern(text: string): EventPattern {
    let p = this.compiled.get(text);
    if (!p) {
      p = compilePattern(text);
      if (this.compiled.size > 10_000) this.compiled.clear();
      this.compiled.set(text, p);
    }
    return p;
  }
}
