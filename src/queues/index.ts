export { QueueService, type SendInput, type SentMessage, type ReceiveOptions, type ReceivedMessage, type QueueCounts } from './queue-service.js';
export { MessageMoveTasks, type MoveTask, type MoveTaskStatus } from './move-tasks.js';
export { QueueError, type QueueErrorCode } from './errors.js';
export type { QueueRow } from './queue-store.js';
export { md5Hex, md5OfAttributes, selectAttributes, type MessageAttributes, type MessageAttributeValue } from './messages.js';
export { ALL_ATTRIBUTE_NAMES, MAX_MESSAGE_BYTES, MAX_WAIT_S, type QueueSettings } from './attributes.js';
export type { MessageListener } from './waiters.js';
