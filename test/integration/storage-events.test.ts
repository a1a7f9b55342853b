/**
 * Storage events end to end: a bucket's notification configuration sends S3's event
 * messages to a function (asynchronous invocation, observed through the sink) and to a
 * queue, filtered by prefix and suffix; and a write that answered success still produces
 * its event after the server is killed with SIGKILL right after it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startServerProcess } from '../support/cli.js';
import { deploy, eventually, type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { REPORTING_HANDLER, type Sink, startSink } from '../support/sink.js';
import { sqsClient } from '../support/sqs.js';
import { makeZip } from '../support/zip.js';

const client = (url: string) => new S3Client({ endpoint: url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const FN_ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
type S3Record = { eventName: string; s3: { configurationId: string; bucket: { name: string; arn: string }; object: { key: string; size?: number; eTag?: string; sequencer: string } } };

describe('storage events', () => {
  let h: Hearth | undefined;
  let sink: Sink | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'hearth-s3-durable-'));
  after(async () => {
    await h?.stop();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers matching object events to a function and a queue in S3 event format', async () => {
    sink = await startSink();
    h = await startTestHearth({ prewarm: 0 });
    await deploy(h, { name: 'on-upload', files: REPORTING_HANDLER, env: { SINK: sink.url } });
    const s3 = client(h.url);
    const sqs = sqsClient(h);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'removed' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'uploads',
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [{ Id: 'csv-in', LambdaFunctionArn: FN_ARN('on-upload'), Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }],
          QueueConfigurations: [{ Id: 'gone', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:removed', Events: ['s3:ObjectRemoved:Delete'] }],
        },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'in/a b.csv', Body: 'x,y\n1,2\n' }));
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'in/skip.txt', Body: 'no' })); // suffix does not match
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'other/b.csv', Body: 'no' })); // prefix does not match
    await s3.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'in/copy.csv', CopySource: 'uploads/in/a b.csv' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'in/a b.csv' }));

    const s = sink;
    await eventually(() => s.received.length >= 2, 60_000, 50);
    const records = s.received.map((r) => (r.event as { Records: S3Record[] }).Records[0]!).sort((a, b) => a.s3.object.sequencer.localeCompare(b.s3.object.sequencer));
    assert.deepEqual(records.map((r) => [r.eventName, r.s3.object.key]), [['ObjectCreated:Put', 'in/a+b.csv'], ['ObjectCreated:Copy', 'in/copy.csv']]);
    const first = records[0]!;
    assert.equal(first.s3.configurationId, 'csv-in');
    assert.deepEqual(first.s3.bucket, { name: 'uploads', ownerIdentity: { principalId: 'HEARTH' }, arn: 'arn:aws:s3:::uploads' });
    assert.equal(first.s3.object.size, 8);
    assert.equal(`"${first.s3.object.eTag}"`, put.ETag);
    assert.ok(records[0]!.s3.object.sequencer < records[1]!.s3.object.sequencer, 'sequencers increase');

    const got = await eventually(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages, 30_000, 50);
    assert.ok(got);
    const removed = (JSON.parse(got[0]!.Body!) as { Records: S3Record[] }).Records[0]!;
    assert.equal(removed.eventName, 'ObjectRemoved:Delete');
    assert.deepEqual(Object.keys(removed.s3.object), ['key', 'sequencer'], 'a removal has no size or eTag');
    assert.equal(removed.s3.object.key, 'in/a+b.csv');
    assert.equal(removed.s3.configurationId, 'gone');
    assert.equal(s.received.length, 2, 'nothing else reached the function');
    s3.destroy();
    sqs.destroy();
  });

  it('a PutObject that answered produces its event after a SIGKILL right after it', async () => {
    const local = await startSink();
    const first = await startServerProcess(['--port', '0', '--data-dir', dir, '--prewarm', '0']);
    const zip = await makeZip(REPORTING_HANDLER);
    const created = await fetch(`${first.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: 'held', Runtime: RUNTIME, Handler: 'index.handler', Environment: { Variables: { SINK: local.url } }, Code: { ZipFile: zip.toString('base64') } }),
    });
    assert.equal(created.status, 201);
    // Held at zero concurrency: the event cannot run before the crash, only be stored.
    const held = await fetch(`${first.url}/2017-10-31/functions/held/concurrency`, { method: 'PUT', body: JSON.stringify({ ReservedConcurrentExecutions: 0 }) });
    assert.equal(held.status, 200);
    const s3 = client(first.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'durable' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'durable', NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: FN_ARN('held'), Events: ['s3:ObjectCreated:Put'] }] } }));
    await s3.send(new PutObjectCommand({ Bucket: 'durable', Key: 'kept.txt', Body: 'survives' }));
    s3.destroy();
    await first.kill('SIGKILL');
    assert.equal(local.received.length, 0, 'nothing ran before the crash');

    const second = await startServerProcess(['--port', '0', '--data-dir', dir, '--prewarm', '0']);
    try {
      const released = await fetch(`${second.url}/2017-10-31/functions/held/concurrency`, { method: 'DELETE' });
      assert.equal(released.status, 204);
      await eventually(() => local.received.length >= 1, 120_000, 100);
      const r = (local.received[0]!.event as { Records: S3Record[] }).Records[0]!;
      assert.deepEqual([r.eventName, r.s3.bucket.name, r.s3.object.key, r.s3.object.size], ['ObjectCreated:Put', 'durable', 'kept.txt', 8]);
      const obj = await fetch(`${second.url}/durable/kept.txt`);
      assert.equal(await obj.text(), 'survives', 'the object survived too');
    } finally {
      await second.kill('SIGTERM');
      await local.close();
    }
  });
});
