import { S3Error } from './errors.js';

export interface FilterRule {
  Name: string;
  Value: string;
}

interface BaseConfiguration {
  Id?: string;
  Events: string[];
  Filter?: { Key?: { FilterRules?: FilterRule[] } };
}

export interface LambdaConfiguration extends BaseConfiguration {
  LambdaFunctionArn: string;
}

export interface QueueConfiguration extends BaseConfiguration {
  QueueArn: string;
}

/** A bucket's notification configuration, in the shape of S3's XML elements. */
export interface NotificationConfiguration {
  LambdaFunctionConfigurations: LambdaConfiguration[];
  QueueConfigurations: QueueConfiguration[];
}

/** The events Hearth raises, as configurations name them. */
export const SUPPORTED_EVENTS = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
] as const;

export type StorageEventName = 'ObjectCreated:Put' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';

export interface DestinationChecks {
  functionExists(arn: string): boolean;
  queueExists(arn: string): boolean;
}

/** One place an event goes: a function (asynchronous invocation) or a queue. */
export interface Destination {
  kind: 'function' | 'queue';
  arn: string;
  configurationId: string;
}

/**
 * Checks a configuration as S3 does before storing it: known events, at most one prefix
 * and one suffix rule, destinations that exist. Fills in missing Ids.
 */
export function validateNotification(config: NotificationConfiguration, checks: DestinationChecks, newId: () => string): NotificationConfiguration {
  const bad: string[] = [];
  const check = (c: BaseConfiguration, arn: string, exists: boolean) => {
    if (c.Events.length === 0) throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    for (const e of c.Events) if (!(SUPPORTED_EVENTS as readonly string[]).includes(e)) throw new S3Error('InvalidArgument', `The event is not supported for notifications: ${e}`, { ArgumentName: e });
    const names = (c.Filter?.Key?.FilterRules ?? []).map((r) => r.Name.toLowerCase());
    if (names.some((n) => n !== 'prefix' && n !== 'suffix')) throw new S3Error('InvalidArgument', 'filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule.Name' });
    if (new Set(names).size !== names.length) throw new S3Error('InvalidArgument', 'Cannot specify more than one prefix or suffix rule in a filter.', { ArgumentName: 'FilterRule.Name' });
    if (!exists) bad.push(arn);
    c.Id ||= newId();
  };
  for (const c of config.LambdaFunctionConfigurations) check(c, c.LambdaFunctionArn, checks.functionExists(c.LambdaFunctionArn));
  for (const c of config.QueueConfigurations) check(c, c.QueueArn, checks.queueExists(c.QueueArn));
  if (bad.length > 0) {
    throw new S3Error('InvalidArgument', `Unable to validate the following destination configurations: ${bad.join(', ')}`, { ArgumentName: bad[0]!, ArgumentValue: 'The destination does not exist' });
  }
  return config;
}

/** The destinations of `eventName` on `key` under a bucket's configuration. */
export function destinationsFor(config: NotificationConfiguration | undefined, eventName: StorageEventName, key: string): Destination[] {
  if (!config) return [];
  const out: Destination[] = [];
  for (const c of config.LambdaFunctionConfigurations) if (matches(c, eventName, key)) out.push({ kind: 'function', arn: c.LambdaFunctionArn, configurationId: c.Id ?? '' });
  for (const c of config.QueueConfigurations) if (matches(c, eventName, key)) out.push({ kind: 'queue', arn: c.QueueArn, configurationId: c.Id ?? '' });
  return out;
}

function matches(c: BaseConfiguration, eventName: StorageEventName, key: string): boolean {
  const [group] = eventName.split(':');
  const eventOk = c.Events.some((e) => e === `s3:${eventName}` || e === `s3:${group}:*`);
  if (!eventOk) return false;
  for (const r of c.Filter?.Key?.FilterRules ?? []) {
    const name = r.Name.toLowerCase();
    if (name === 'prefix' && !key.startsWith(r.Value)) return false;
    if (name === 'suffix' && !key.endsWith(r.Value)) return false;
  }
  return true;
}
