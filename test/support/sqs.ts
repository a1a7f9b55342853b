import assert from 'node:assert/strict';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Hearth } from './hearth.js';

/** The real SDK client, pointed at a test server. */
export const sqsClient = (h: Hearth) => new SQSClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

/** Fails unless `p` rejects with the SDK's typed exception `type` and HTTP `status`. */
export async function rejectsWith(p: Promise<unknown>, type: abstract new (...args: never[]) => Error, status: number, message?: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.equal((err as unknown as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode, status);
    if (message) assert.match(err.message, message);
    return;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

