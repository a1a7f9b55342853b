import { type Clock, HearthError, invalid, notFound } from '../common/index.js';
import type { Kv } from '../store/index.js';

/** Lambda's asynchronous invocation settings of one function version or alias. */
export interface EventInvokeConfig {
  name: string;
  /** `$LATEST`, a version number or an alias. */
  qualifier: string;
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
  onSuccess?: string;
  onFailure?: string;
  /** Epoch ms. */
  lastModified: number;
}

export interface EventInvokeConfigInput {
  MaximumRetryAttempts?: unknown;
  MaximumEventAgeInSeconds?: unknown;
  DestinationConfig?: { OnSuccess?: { Destination?: unknown }; OnFailure?: { Destination?: unknown } };
}

/** What the settings need to know about the rest of Hearth (wired in server/). */
export interface EventConfigChecks {
  /** Throws ResourceNotFoundException when the function or qualifier does not exist. */
  target(name: string, qualifier: string): void;
  /** Throws InvalidParameterValueException when a destination cannot receive records. */
  destination(arn: string): void;
}

export const DEFAULT_RETRIES = 2;
export const DEFAULT_MAX_AGE_S = 21_600;

const key = (name: string, qualifier: string) => `eventinvoke/${name}/${qualifier}`;

function validation(value: unknown, field: string, constraint: string): HearthError {
  return new HearthError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

function integerIn(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validation(value, field, 'Member must be an integer');
  if (value < min) throw validation(value, field, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validation(value, field, `Member must have value less than or equal to ${max}`);
  return value;
}

/**
 * PutFunctionEventInvokeConfig and friends: stored per function and qualifier, read by
 * the asynchronous invoker at each attempt (so a change applies to queued events too).
 */
export class EventInvokeConfigs {
  constructor(
    private readonly kv: Kv,
    private readonly checks: EventConfigChecks,
    private readonly clock: Clock,
  ) {}

  /** Put replaces the configuration; update (`merge`) keeps what the request leaves out. */
  put(name: string, qualifier: string | null, input: EventInvokeConfigInput, merge: boolean): EventInvokeConfig {
    const q = qualifier ?? '$LATEST';
    this.checks.target(name, q);
    const old = this.kv.get<EventInvokeConfig>(key(name, q))?.value;
    if (merge && !old) throw notFound(`The function ${name} doesn't have an EventInvokeConfig`);
    const base = merge && old ? old : undefined;
    const d = input.DestinationConfig;
    const dest = (given: { Destination?: unknown } | undefined, kept: string | undefined, field: string) => {
      if (given === undefined) return kept;
      if (given.Destination === undefined || given.Destination === null || given.Destination === '') return undefined;
      if (typeof given.Destination !== 'string') throw invalid(`${field} must be an ARN.`);
      this.checks.destination(given.Destination);
      return given.Destination;
    };
    const config: EventInvokeConfig = {
      name,
      qualifier: q,
      maximumRetryAttempts:
        input.MaximumRetryAttempts === undefined ? (base?.maximumRetryAttempts ?? DEFAULT_RETRIES) : integerIn(input.MaximumRetryAttempts, 0, 2, 'maximumRetryAttempts'),
      maximumEventAgeInSeconds:
        input.MaximumEventAgeInSeconds === undefined
          ? (base?.maximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S)
          : integerIn(input.MaximumEventAgeInSeconds, 60, 21_600, 'maximumEventAgeInSeconds'),
      onSuccess: dest(d?.OnSuccess, base?.onSuccess, 'DestinationConfig.OnSuccess.Destination'),
      onFailure: dest(d?.OnFailure, base?.onFailure, 'DestinationConfig.OnFailure.Destination'),
      lastModified: this.clock.now(),
    };
    this.kv.put(key(name, q), config);
    return config;
  }

  get(name: string, qualifier: string | null): EventInvokeConfig {
    const q = qualifier ?? '$LATEST';
    this.checks.target(name, q);
    const config = this.kv.get<EventInvokeConfig>(key(name, q))?.value;
    if (!config) throw notFound(`The function ${name} doesn't have an EventInvokeConfig`);
    return config;
  }

  /** The settings an event invoked through `qualifier` runs with (Lambda's defaults without any). */
  effective(name: string, qualifier: string | undefined): Omit<EventInvokeConfig, 'lastModified'> {
    const q = qualifier ?? '$LATEST';
    return this.kv.get<EventInvokeConfig>(key(name, q))?.value ?? { name, qualifier: q, maximumRetryAttempts: DEFAULT_RETRIES, maximumEventAgeInSeconds: DEFAULT_MAX_AGE_S };
  }

  list(name: string): EventInvokeConfig[] {
    this.checks.target(name, '$LATEST');
    return this.kv.list<EventInvokeConfig>({ prefix: `eventinvoke/${name}/` }).map((e) => e.value);
  }

  delete(name: string, qualifier: string | null): void {
    const q = qualifier ?? '$LATEST';
    this.checks.target(name, q);
    if (!this.kv.delete(key(name, q))) throw notFound(`The function ${name} doesn't have an EventInvokeConfig`);
  }

  /** A deleted function (or version, or alias) takes its settings with it. */
  forget(name: string, qualifier?: string): void {
    const prefix = qualifier === undefined ? `eventinvoke/${name}/` : key(name, qualifier);
    for (const e of this.kv.list({ prefix })) {
      if (qualifier === undefined || e.key === prefix) this.kv.delete(e.key);
    }
  }
}
