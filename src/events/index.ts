export { AsyncInvoker, type AsyncEvent, type AsyncInvokerOptions } from './async-invoker.js';
export { EventInvokeConfigs, DEFAULT_MAX_AGE_S, DEFAULT_RETRIES, type EventConfigChecks, type EventInvokeConfig, type EventInvokeConfigInput } from './event-invoke-config.js';
export { deadLetter, deliver, invocationRecord, type Condition, type DestinationSinks, type EventOutcome } from './destinations.js';
export { EventSourceMappings, type EventSourceMapping, type MappingChecks, type MappingInput } from './event-source-mappings.js';
export { SqsPoller, sqsRecord, failedItems, type PollerDeps, type PollerSettings } from './sqs-poller.js';
