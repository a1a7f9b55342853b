import type { StorageEventName } from './notifications.js';

/** What changed, as recorded with the metadata change that caused it. */
export interface StorageChange {
  bucket: string;
  key: string;
  eventName: StorageEventName;
  /** Epoch milliseconds of the change. */
  time: number;
  /** Absent for removals, as in S3's messages. */
  size?: number;
  etag?: string;
  sequencer: string;
  requestId: string;
  sourceIp: string;
}

/** The principal S3 names in messages; Hearth has one account and no IAM users. */
const PRINCIPAL = 'HEARTH';

/**
 * One S3 event message (`{"Records":[…]}`, eventVersion 2.1) for one change and one
 * matching configuration, field for field as S3 sends it.
 */
export function storageEventMessage(change: StorageChange, configurationId: string, region: string): { Records: Record<string, unknown>[] } {
  const object: Record<string, unknown> = { key: eventKey(change.key) };
  if (change.size !== undefined) object.size = change.size;
  if (change.etag !== undefined) object.eTag = change.etag;
  object.sequencer = change.sequencer;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: new Date(change.time).toISOString(),
        eventName: change.eventName,
        userIdentity: { principalId: PRINCIPAL },
        requestParameters: { sourceIPAddress: change.sourceIp },
        responseElements: { 'x-amz-request-id': change.requestId, 'x-amz-id-2': change.requestId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: { name: change.bucket, ownerIdentity: { principalId: PRINCIPAL }, arn: `arn:aws:s3:::${change.bucket}` },
          object,
        },
      },
    ],
  };
}

/**
 * S3 URL-encodes the key in event messages the way HTML forms do: a space becomes `+`,
 * `/` stays as is, other reserved characters are percent-encoded.
 */
export function eventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/** S3's sequencer: a hexadecimal string; later changes compare greater (fixed width). */
export function sequencer(n: number): string {
  return n.toString(16).toUpperCase().padStart(18, '0');
}
