/**
 * The object store's pure parts and its SQLite metadata: ListObjectsV2 paging with a
 * delimiter, the S3 event message field by field, notification filters and validation,
 * the sequencer, and the store's writes with the deliveries they record.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { BlobFiles, destinationsFor, type ListEntry, listV2, ObjectStore, S3Error, sequencer, storageEventMessage, validateNotification } from '../../../src/objects/index.js';
import { openDatabase } from '../../../src/store/index.js';

const entries = (keys: string[]): ListEntry[] => keys.sort().map((key) => ({ key, size: 1, etag: 'e', modified: 0 }));
const source = (keys: string[]) => {
  const all = entries(keys);
  return (bound: string, inclusive: boolean, limit: number) => all.filter((e) => (inclusive ? e.key >= bound : e.key > bound)).slice(0, limit);
};

describe('listV2', () => {
  const keys = ['a', 'b/1', 'b/2', 'b/c/3', 'ba', 'c/4', 'd'];
  it('rolls keys up into common prefixes and counts both against max-keys', () => {
    const r = listV2(source(keys), { delimiter: '/' });
    assert.deepEqual(r.contents.map((c) => c.key), ['a', 'ba', 'd']);
    assert.deepEqual(r.commonPrefixes, ['b/', 'c/']);
    assert.equal(r.keyCount, 5);
    assert.equal(r.isTruncated, false);
  });
  it('pages with continuation tokens without repeating or losing an item', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = listV2(source(keys), { delimiter: '/', maxKeys: 1, continuationToken: token });
      seen.push(...r.contents.map((c) => c.key), ...r.commonPrefixes);
      token = r.nextContinuationToken;
      assert.equal(r.isTruncated, token !== undefined);
      pages++;
    } while (token);
    assert.deepEqual(seen, ['a', 'b/', 'ba', 'c/', 'd']);
    assert.equal(pages, 5);
  });
  it('applies prefix and start-after, and refuses a forged token', () => {
    assert.deepEqual(listV2(source(keys), { prefix: 'b/', delimiter: '/' }).commonPrefixes, ['b/c/']);
    assert.deepEqual(listV2(source(keys), { prefix: 'b' }).contents.map((c) => c.key), ['b/1', 'b/2', 'b/c/3', 'ba']);
    assert.deepEqual(listV2(source(keys), { startAfter: 'b/c/3' }).contents.map((c) => c.key), ['ba', 'c/4', 'd']);
    assert.throws(() => listV2(source(keys), { continuationToken: '!!' }), (e: S3Error) => e.code === 'InvalidArgument');
  });
});

describe('S3 event message', () => {
  it('has the fields of S3 event version 2.1, key URL-encoded', () => {
    const m = storageEventMessage({ bucket: 'photos', key: 'holiday/red flower(1).jpg', eventName: 'ObjectCreated:Put', time: Date.UTC(2024, 0, 2, 3, 4, 5, 6), size: 1024, etag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: sequencer(255), requestId: 'REQ', sourceIp: '127.0.0.1' }, 'cfg', 'us-west-2');
    assert.deepEqual(m, {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-west-2',
          eventTime: '2024-01-02T03:04:05.006Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'HEARTH' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'REQ' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'cfg',
            bucket: { name: 'photos', ownerIdentity: { principalId: 'HEARTH' }, arn: 'arn:aws:s3:::photos' },
            object: { key: 'holiday/red+flower%281%29.jpg', size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0000000000000000FF' },
          },
        },
      ],
    });
  });
  it('sequencers compare in write order', () => {
    assert.ok(sequencer(9) < sequencer(10) && sequencer(255) < sequencer(4096));
  });
});

describe('notification configuration', () => {
  const checks = { functionExists: (a: string) => a.endsWith(':fn'), queueExists: (a: string) => a.endsWith(':q') };
  const config = () => ({
    LambdaFunctionConfigurations: [{ LambdaFunctionArn: 'arn:aws:lambda:us-east-1:0:function:fn', Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }],
    QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:0:q', Events: ['s3:ObjectRemoved:*'] }],
  });
  it('matches events by name, wildcard, prefix and suffix', () => {
    const c = validateNotification(config(), checks, () => 'generated');
    assert.equal(c.QueueConfigurations[0]!.Id, 'generated');
    assert.deepEqual(destinationsFor(c, 'ObjectCreated:Put', 'in/x.csv').map((d) => d.kind), ['function']);
    assert.deepEqual(destinationsFor(c, 'ObjectCreated:Copy', 'in/x.csv'), []);
    assert.deepEqual(destinationsFor(c, 'ObjectCreated:Put', 'in/x.txt'), []);
    assert.deepEqual(destinationsFor(c, 'ObjectCreated:Put', 'out/x.csv'), []);
    assert.deepEqual(destinationsFor(c, 'ObjectRemoved:Delete', 'anything').map((d) => d.arn), ['arn:aws:sqs:us-east-1:0:q']);
  });
  it('refuses unknown events, repeated rules and missing destinations', () => {
    const bad = (mutate: (c: ReturnType<typeof config>) => void) => {
      const c = config();
      mutate(c);
      assert.throws(() => validateNotification(c, checks, () => 'id'), (e: S3Error) => e.code === 'InvalidArgument');
    };
    bad((c) => (c.QueueConfigurations[0]!.Events = ['s3:ObjectTagging:*']));
    bad((c) => c.LambdaFunctionConfigurations[0]!.Filter.Key.FilterRules.push({ Name: 'prefix', Value: 'x' }));
    bad((c) => (c.QueueConfigurations[0]!.QueueArn = 'arn:aws:sqs:us-east-1:0:missing'));
  });
});

describe('ObjectStore', () => {
  it('records each write and removal with its deliveries, and frees unused blobs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-objects-'));
    try {
      const db = openDatabase(join(dir, 'db'));
      const delivered: string[] = [];
      let now = 1000;
      const store = new ObjectStore(db, new BlobFiles(join(dir, 'blobs')), { now: () => now++, monotonic: () => 0, setTimer: () => ({ cancel() {} }) }, 'us-east-1', {
        functionExists: () => true,
        queueExists: () => true,
        deliver: (d, message) => delivered.push(`${d.arn} ${(JSON.parse(message) as { Records: { eventName: string }[] }).Records[0]!.eventName}`),
      });
      store.createBucket('bkt');
      store.putNotification('bkt', { LambdaFunctionConfigurations: [{ LambdaFunctionArn: 'fn', Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }], QueueConfigurations: [] });
      const who = { requestId: 'r', sourceIp: '::1' };
      const m = await store.putObject('bkt', 'k', Readable.from([Buffer.from('hello')]), { contentType: 'text/plain', metadata: { a: 'b' } }, who);
      assert.deepEqual([m.size, m.etag, m.contentType], [5, '5d41402abc4b2a76b9719d911017c592', 'text/plain']);
      await assert.rejects(store.putObject('bkt', 'bad', Readable.from([Buffer.from('x')]), { contentMd5: 'AAAA' }, who), (e: S3Error) => e.code === 'BadDigest');
      assert.deepEqual(store.head('bkt', 'k').metadata, { a: 'b' });
      store.deleteObject('bkt', 'k', who);
      assert.throws(() => store.head('bkt', 'k'), (e: S3Error) => e.code === 'NoSuchKey');
      assert.deepEqual(delivered, ['fn ObjectCreated:Put', 'fn ObjectRemoved:Delete']);
      assert.deepEqual(readdirSync(join(dir, 'blobs')).filter((f) => f !== 'tmp'), [], 'no blob is left without an object');
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
