import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { bundlePackages } from '../support/bundle.js';
import { type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

/**
 * §4 of "State services": a function reaches Hearth's services with no configuration.
 * The server here enforces credentials (as on a non-loopback address), so every call a
 * function makes is accepted only because of the credential Hearth injected.
 */
describe('reaching state from a function', () => {
  let h: Hearth;
  let lambda: LambdaClient;
  const admin = { accessKeyId: 'hearth-admin', secretAccessKey: 'admin-secret' };

  before(async () => {
    h = await startTestHearth({ credentials: admin, prewarm: 0 });
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: admin });
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
  });

  async function fn(name: string, files: Record<string, string | Buffer>, env?: Record<string, string>) {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name,
      Runtime: RUNTIME as never,
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/test',
      Timeout: 60,
      MemorySize: 512,
      Environment: env && { Variables: env },
      Code: { ZipFile: await makeZip(files) },
    }));
  }
  async function call(name: string, event: unknown = {}) {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    const payload = JSON.parse(Buffer.from(out.Payload ?? []).toString() || 'null') as Record<string, unknown>;
    assert.equal(out.FunctionError, undefined, `function failed: ${JSON.stringify(payload)}`);
    return payload;
  }

  it("injects Hearth's endpoint and a per-function credential, which the API accepts and a function cannot override", async () => {
    const probe = `exports.handler = async () => ({ endpoint: process.env.AWS_ENDPOINT_URL, hearth: process.env.HEARTH_ENDPOINT, key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY });`;
    await fn('probe-a', { 'index.js': probe });
    await fn('probe-b', { 'index.js': probe });
    const a = await call('probe-a');
    const b = await call('probe-b');
    assert.equal(a.endpoint, h.url);
    assert.equal(a.hearth, h.url);
    assert.match(String(a.key), /^HF[0-9A-F]{18}$/);
    assert.ok(typeof a.secret === 'string' && a.secret.length >= 32);
    assert.notEqual(a.key, b.key, 'each function has its own credential');
    assert.notEqual(a.secret, b.secret);
    const signed = (key: string) => fetch(`${h.url}/hearth/v1/kv/t/k`, { headers: { authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/hearth/aws4_request, SignedHeaders=host, Signature=0` } });
    assert.equal((await signed(String(a.key))).status, 404, "a function's key id is accepted (the item is absent)");
    assert.equal((await signed('HF000000000000000000')).status, 403, 'an unknown key id is not');
    await assert.rejects(
      fn('override', { 'index.js': probe }, { AWS_ENDPOINT_URL: 'http://elsewhere' }),
      (err: Error) => err.name === 'InvalidParameterValueException' && /AWS_ENDPOINT_URL/.test(err.message),
    );
  });

  it('@aws-sdk/client-sqs inside a function sends to Hearth with no configuration', async () => {
    h.queues.create('from-function');
    const code = `
const { SQSClient, GetQueueUrlCommand, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'from-function' }));
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: event.body }));
  return { messageId: sent.MessageId };
};`;
    await fn('sqs-sender', { 'index.js': code, ...bundlePackages('@aws-sdk/client-sqs') });
    const out = await call('sqs-sender', { body: 'hello from a function' });
    assert.ok(out.messageId);
    const [message] = await h.queues.receive('from-function', { max: 1, waitMs: 1000 });
    assert.equal(message?.body, 'hello from a function');
  });

  it('@aws-sdk/client-s3 inside a function writes to Hearth with no configuration', async () => {
    const code = `
const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async (event) => {
  await s3.send(new CreateBucketCommand({ Bucket: 'from-function' }));
  const put = await s3.send(new PutObjectCommand({ Bucket: 'from-function', Key: 'notes/hello.txt', Body: event.body, ContentType: 'text/plain' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'from-function', Key: 'notes/hello.txt' }));
  return { etag: put.ETag, body: await got.Body.transformToString() };
};`;
    await fn('s3-writer', { 'index.js': code, ...bundlePackages('@aws-sdk/client-s3') });
    const out = await call('s3-writer', { body: 'written by a function' });
    assert.equal(out.body, 'written by a function');
    assert.match(String(out.etag), /^"[0-9a-f]{32}"$/);
  });

  it('hearth-kv inside a function needs no configuration or bundling', async () => {
    const code = `
const { HearthKv } = require('hearth-kv');
const kv = new HearthKv();
exports.handler = async () => {
  const put = await kv.put('from-fn', 'greeting', { hello: 'world' }, { ttl: 300 });
  const hits = await kv.incr('from-fn', 'hits', 2);
  const page = await kv.list('from-fn', { prefix: 'g' });
  return { version: put.version, hits: hits.value, keys: page.items.map((i) => i.key), missing: await kv.get('from-fn', 'nope') ?? null };
};`;
    await fn('kv-user', { 'index.js': code });
    assert.deepEqual(await call('kv-user'), { version: 1, hits: 2, keys: ['greeting'], missing: null });
    assert.deepEqual(h.kvTables.get('from-fn', 'greeting')?.value, { hello: 'world' });
  });
});
