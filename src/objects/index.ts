export { BlobFiles, type ExtraDigest, type WrittenBlob } from './blob-files.js';
export { S3Error, S3_ERRORS, noSuchBucket, noSuchKey, type S3ErrorCode } from './errors.js';
export { listV2, type KeysFrom, type ListEntry, type ListV2Input, type ListV2Result } from './list-objects.js';
export { MultipartUploads, MIN_PART_BYTES, MAX_PARTS } from './multipart.js';
export { ObjectStore, MAX_PUT_BYTES, type ObjectMeta, type Requester, type StorageEventSink, type WriteOptions } from './object-store.js';
export { destinationsFor, validateNotification, SUPPORTED_EVENTS, type Destination, type DestinationChecks, type FilterRule, type LambdaConfiguration, type NotificationConfiguration, type QueueConfiguration, type StorageEventName } from './notifications.js';
export { eventKey, sequencer, storageEventMessage, type StorageChange } from './storage-event.js';
