/**
 * Compatibility: Hearth's object store driven by the real, unmodified `@aws-sdk/client-s3`
 * (path-style, on the main port): every operation Hearth implements, S3's errors as the
 * SDK's typed exceptions, a streamed (aws-chunked) upload, Range reads and multipart ETags.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type Hearth, startTestHearth } from '../support/hearth.js';
import { sqsClient } from '../support/sqs.js';

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

async function rejectsS3(p: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(p, (err: S3ServiceException) => {
    assert.ok(err instanceof S3ServiceException, `not an S3ServiceException: ${String(err)}`);
    assert.equal(err.name, name);
    assert.equal(err.$metadata.httpStatusCode, status);
    return true;
  });
}

describe('S3 through @aws-sdk/client-s3', () => {
  let h: Hearth;
  let s3: S3Client;
  before(async () => {
    h = await startTestHearth({ prewarm: 0 });
    s3 = new S3Client({ endpoint: h.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  });
  after(async () => {
    s3.destroy();
    await h.stop();
  });

  it('creates, heads, lists and deletes buckets, with S3 errors', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'beta' }));
    await rejectsS3(s3.send(new CreateBucketCommand({ Bucket: 'alpha' })), 'BucketAlreadyOwnedByYou', 409);
    await rejectsS3(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName', 400);
    const list = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(list.Buckets?.map((b) => b.Name), ['alpha', 'beta']);
    assert.ok(list.Buckets?.[0]?.CreationDate instanceof Date);
    await s3.send(new HeadBucketCommand({ Bucket: 'alpha' }));
    await rejectsS3(s3.send(new HeadBucketCommand({ Bucket: 'nope-bucket' })), 'NotFound', 404);
    await s3.send(new PutObjectCommand({ Bucket: 'beta', Key: 'k', Body: 'x' }));
    await rejectsS3(s3.send(new DeleteBucketCommand({ Bucket: 'beta' })), 'BucketNotEmpty', 409);
    await s3.send(new DeleteObjectCommand({ Bucket: 'beta', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'beta' }));
    await assert.rejects(s3.send(new DeleteBucketCommand({ Bucket: 'beta' })), NoSuchBucket);
  });

  it('puts, gets (whole and ranges), heads, copies and deletes objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objs' }));
    const body = 'The quick brown fox jumps over the lazy dog';
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objs', Key: 'dir/fox.txt', Body: body, ContentType: 'text/plain', Metadata: { colour: 'brown' } }));
    assert.equal(put.ETag, `"${md5(body)}"`, 'single-part ETag is the MD5 of the content');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/fox.txt' }));
    assert.equal(await got.Body?.transformToString(), body);
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLength, body.length);
    assert.deepEqual(got.Metadata, { colour: 'brown' });
    assert.equal(got.ETag, put.ETag);
    const part = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/fox.txt', Range: 'bytes=4-8' }));
    assert.equal(await part.Body?.transformToString(), 'quick');
    assert.equal(part.ContentRange, `bytes 4-8/${body.length}`);
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/fox.txt', Range: 'bytes=-3' }));
    assert.equal(await tail.Body?.transformToString(), 'dog');
    await rejectsS3(s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/fox.txt', Range: 'bytes=999-' })), 'InvalidRange', 416);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objs', Key: 'dir/fox.txt' }));
    assert.equal(head.ContentLength, body.length);
    assert.ok(head.LastModified instanceof Date);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'missing' })), NoSuchKey);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'objs', Key: 'missing' })), NotFound);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })), NoSuchBucket);

    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'objs', Key: 'copy.txt', CopySource: 'objs/dir/fox.txt' }));
    assert.equal(copy.CopyObjectResult?.ETag, put.ETag);
    const copied = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'copy.txt' }));
    assert.equal(await copied.Body?.transformToString(), body);
    assert.deepEqual(copied.Metadata, { colour: 'brown' }, 'COPY keeps the metadata');
    await s3.send(new CopyObjectCommand({ Bucket: 'objs', Key: 'copy2.txt', CopySource: 'objs/dir/fox.txt', MetadataDirective: 'REPLACE', Metadata: { colour: 'red' }, ContentType: 'text/x-fox' }));
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'objs', Key: 'copy2.txt' }));
    assert.deepEqual([replaced.Metadata, replaced.ContentType], [{ colour: 'red' }, 'text/x-fox']);
    await assert.rejects(s3.send(new CopyObjectCommand({ Bucket: 'objs', Key: 'c3', CopySource: 'objs/missing' })), NoSuchKey);

    await s3.send(new DeleteObjectCommand({ Bucket: 'objs', Key: 'copy2.txt' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objs', Key: 'copy2.txt' })); // absent: still 204, as S3
    const del = await s3.send(new DeleteObjectsCommand({ Bucket: 'objs', Delete: { Objects: [{ Key: 'copy.txt' }, { Key: 'dir/fox.txt' }, { Key: 'never' }] } }));
    assert.deepEqual(del.Deleted?.map((d) => d.Key).sort(), ['copy.txt', 'dir/fox.txt', 'never']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'objs' }));
    assert.equal(left.KeyCount, 0);
  });

  it('streams an upload of known length (aws-chunked with a CRC32 trailer) and round-trips binary bytes', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 255;
    await s3.send(new CreateBucketCommand({ Bucket: 'stream' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'stream', Key: 'bin', Body: Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), ContentLength: bytes.length }));
    assert.equal(put.ETag, `"${md5(bytes)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stream', Key: 'bin' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes));
  });

  it('lists with prefix, delimiter, max-keys and continuation tokens', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'c.txt', 'd/4.txt'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key, Body: Key }));
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    assert.deepEqual(top.Contents?.map((c) => c.Key), ['a.txt', 'c.txt']);
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['b/', 'd/']);
    assert.equal(top.KeyCount, 4);
    const under = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'b/', Delimiter: '/' }));
    assert.deepEqual(under.Contents?.map((c) => c.Key), ['b/1.txt', 'b/2.txt']);
    assert.deepEqual(under.CommonPrefixes?.map((p) => p.Prefix), ['b/c/']);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2, ContinuationToken: token, Delimiter: '/' }));
      pages++;
      seen.push(...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      assert.ok(page.IsTruncated ? token : true);
    } while (token);
    assert.equal(pages, 2);
    assert.deepEqual(seen.sort(), ['a.txt', 'b/', 'c.txt', 'd/']);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'b/2.txt' }));
    assert.deepEqual(after.Contents?.map((c) => c.Key), ['b/c/3.txt', 'c.txt', 'd/4.txt']);
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }));
    assert.equal(all.Contents?.[0]?.Size, 'a.txt'.length);
    assert.equal(all.Contents?.[0]?.ETag, `"${md5('a.txt')}"`);
  });

  it('multipart: upload, complete with the md5-of-md5s ETag, abort, errors', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'multi' }));
    const p1 = Buffer.alloc(5 * 1024 * 1024, 'a');
    const p2 = Buffer.from('the last part may be small');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'big', ContentType: 'application/x-big', Metadata: { m: '1' } }));
    assert.ok(UploadId);
    const e1 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'big', UploadId, PartNumber: 1, Body: p1 }));
    const e2 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'big', UploadId, PartNumber: 2, Body: p2 }));
    assert.equal(e1.ETag, `"${md5(p1)}"`);
    await rejectsS3(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: e2.ETag }, { PartNumber: 1, ETag: e1.ETag }] } })),
      'InvalidPartOrder',
      400,
    );
    await rejectsS3(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00"' }] } })), 'InvalidPart', 400);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1.ETag }, { PartNumber: 2, ETag: e2.ETag }] } }));
    const expected = createHash('md5').update(Buffer.concat([createHash('md5').update(p1).digest(), createHash('md5').update(p2).digest()])).digest('hex');
    assert.equal(done.ETag, `"${expected}-2"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big', Range: `bytes=${p1.length - 2}-${p1.length + 2}` }));
    assert.equal(await got.Body?.transformToString(), 'aathe');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'big' }));
    assert.deepEqual([head.ContentLength, head.ContentType, head.Metadata], [p1.length + p2.length, 'application/x-big', { m: '1' }]);

    const small = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'small' }));
    const s1 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, PartNumber: 1, Body: 'tiny' }));
    const s2 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, PartNumber: 2, Body: 'tiny' }));
    await rejectsS3(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.ETag }] } })),
      'EntityTooSmall',
      400,
    );
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId }));
    await assert.rejects(s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId })), NoSuchUpload);
    await assert.rejects(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: small.UploadId, PartNumber: 3, Body: 'x' })), NoSuchUpload);
  });

  it('stores and returns the notification configuration; refuses unknown destinations and events', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'notify' }));
    const sqs = sqsClient(h);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'notify-q' }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const QueueArn = attrs.Attributes!.QueueArn!;
    const empty = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify' }));
    assert.equal(empty.QueueConfigurations, undefined);
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notify',
        NotificationConfiguration: { QueueConfigurations: [{ Id: 'q1', QueueArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }] },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify' }));
    assert.deepEqual(got.QueueConfigurations, [{ Id: 'q1', QueueArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }]);
    await rejectsS3(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify', NotificationConfiguration: { QueueConfigurations: [{ QueueArn: `${QueueArn}-gone`, Events: ['s3:ObjectCreated:*'] }] } })),
      'InvalidArgument',
      400,
    );
    await rejectsS3(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify', NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ['s3:ObjectRestore:Post'] }] } })),
      'InvalidArgument',
      400,
    );
    await rejectsS3(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'notify', NotificationConfiguration: { TopicConfigurations: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Events: ['s3:ObjectCreated:*'] }] } })),
      'NotImplemented',
      501,
    );
    sqs.destroy();
  });

  it('leaves the Lambda API on the same port alone', async () => {
    const r = await fetch(`${h.url}/2015-03-31/functions`);
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(((await r.json()) as { Functions: unknown[] }).Functions));
    const unknown = await fetch(`${h.url}/hearth/v1/nothing-here`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });
});
