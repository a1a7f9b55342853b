/**
 * Event source mappings (queue → function) on a real server, driven through the real
 * `@aws-sdk/client-lambda` and `@aws-sdk/client-sqs`: batches in Lambda's SQS event
 * format, deletion on success, redelivery and dead-lettering on failure, partial batch
 * responses computed by `@aws-lambda-powertools/batch` inside the handler, scaling bounded
 * by MaximumConcurrency, and refusals of what cannot take effect.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  type Runtime,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventually, type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { type Sink, startSink } from '../support/sink.js';
import { makeZip } from '../support/zip.js';

/** Reports each batch (its records) to $SINK; fails the whole batch when a body says so. */
const BATCH_HANDLER = `
  const http = require('node:http');
  exports.handler = async (event, context) => {
    await new Promise((resolve, reject) => {
      const req = http.request(process.env.SINK, { method: 'POST' }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.end(JSON.stringify({ id: context.awsRequestId, event }));
    });
    if (process.env.WORK_MS) await new Promise((r) => setTimeout(r, Number(process.env.WORK_MS)));
    if (event.Records.some((r) => r.body.includes('poison'))) throw new Error('poison in batch');
    return {};
  };`;

/** Powertools' partial batch response: records whose body contains "bad" fail alone. */
const POWERTOOLS_HANDLER = `
  const http = require('node:http');
  const { BatchProcessor, EventType, processPartialResponse } = require('@aws-lambda-powertools/batch');
  const processor = new BatchProcessor(EventType.SQS);
  const report = (payload) => new Promise((resolve) => {
    const req = http.request(process.env.SINK, { method: 'POST' }, (res) => { res.resume(); res.on('end', resolve); });
    req.end(JSON.stringify(payload));
  });
  const recordHandler = async (record) => {
    if (record.body.includes('bad')) throw new Error('bad record ' + record.messageId);
  };
  exports.handler = async (event, context) => {
    await report({ id: context.awsRequestId, event: { bodies: event.Records.map((r) => r.body) } });
    // Throws when every record failed (Powertools' FullBatchFailureError): a full retry.
    const response = await processPartialResponse(event, recordHandler, processor, { context });
    await report({ id: context.awsRequestId, event: { response } });
    return response;
  };`;

function packageFiles(pkg: string): Record<string, Buffer> {
  const root = join('node_modules', pkg);
  const out: Record<string, Buffer> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[join('node_modules', pkg, relative(root, p))] = readFileSync(p);
    }
  };
  walk(root);
  return out;
}

describe('event source mappings: SQS queue → function', () => {
  let h: Hearth;
  let sink: Sink;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

  async function queue(name: string, attributes: Record<string, string> = {}) {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    return { url, arn };
  }
  async function counts(url: string) {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
  }
  async function fn(name: string, code: string | Record<string, string | Buffer>, env: Record<string, string> = {}) {
    const files = typeof code === 'string' ? { 'index.js': code } : code;
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name,
      Runtime: RUNTIME as Runtime,
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/x',
      Timeout: 3,
      Environment: { Variables: { SINK: sink.url, ...env } },
      Code: { ZipFile: await makeZip(files) },
    }));
  }
  const batchesOf = (fnMarker: (e: Record<string, unknown>) => boolean) => sink.received.filter((r) => fnMarker(r.event));

  before(async () => {
    sink = await startSink();
    h = await startTestHearth();
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    lambda.destroy();
    sqs.destroy();
    await h.stop();
    await sink.close();
  });

  it('delivers batches in Lambda\'s SQS event format and deletes what succeeded', async () => {
    const q = await queue('orders', { VisibilityTimeout: '5' });
    await fn('consumer', BATCH_HANDLER);
    const m = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'consumer', EventSourceArn: q.arn, BatchSize: 5 }));
    assert.equal(m.$metadata.httpStatusCode, 202);
    assert.equal(m.BatchSize, 5);
    assert.match(m.UUID ?? '', /^[0-9a-f-]{36}$/);
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'first', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `order ${i}` })) }));
    const records = () => batchesOf((e) => Array.isArray(e.Records) && (e.Records as { eventSourceARN: string }[])[0]?.eventSourceARN === q.arn).flatMap((r) => r.event.Records as Record<string, any>[]);
    await eventually(() => new Set(records().map((r) => r.body)).size === 11, 15_000);
    for (const batch of batchesOf((e) => Array.isArray(e.Records))) assert.ok((batch.event.Records as unknown[]).length <= 5, 'BatchSize respected');
    const first = records().find((r) => r.body === 'first')!;
    assert.equal(first.eventSource, 'aws:sqs');
    assert.equal(first.eventSourceARN, q.arn);
    assert.equal(first.awsRegion, 'us-east-1');
    assert.equal(first.md5OfBody, createHash('md5').update('first').digest('hex'));
    assert.equal(first.attributes.ApproximateReceiveCount, '1');
    assert.match(first.attributes.SentTimestamp, /^\d{13}$/);
    assert.deepEqual(first.messageAttributes.kind, { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' });
    assert.ok(typeof first.receiptHandle === 'string' && typeof first.messageId === 'string');
    await eventually(async () => (await counts(q.url)) === 0, 5000);

    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }));
    assert.equal(got.State, 'Enabled');
    assert.equal(got.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:consumer');
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'consumer' }));
    assert.deepEqual(listed.EventSourceMappings?.map((x) => x.UUID), [m.UUID]);

    // Disabled: messages stay in the queue; enabled again: they are consumed.
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: false }));
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'while disabled' }));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await counts(q.url), 1);
    assert.ok(!records().some((r) => r.body === 'while disabled'));
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    await eventually(() => records().some((r) => r.body === 'while disabled'), 10_000);
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
    assert.equal(deleted.State, 'Deleting');
  });

  it('a failed batch comes back after the visibility timeout and moves to the DLQ after maxReceiveCount', async () => {
    const dlq = await queue('poison-dlq');
    const q = await queue('poisoned', { VisibilityTimeout: '3', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    await fn('fragile', BATCH_HANDLER);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fragile', EventSourceArn: q.arn, BatchSize: 1 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'poison pill' }));
    const received = await eventually(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }))).Messages?.[0], 20_000);
    assert.equal(received!.Body, 'poison pill');
    const attempts = batchesOf((e) => (e.Records as { body: string }[] | undefined)?.[0]?.body === 'poison pill');
    assert.equal(attempts.length, 2, 'invoked once per receive, twice in all');
    assert.deepEqual(attempts.map((a) => (a.event.Records as Record<string, any>[])[0]!.attributes.ApproximateReceiveCount), ['1', '2']);
  });

  it('ReportBatchItemFailures with @aws-lambda-powertools/batch: only the failed records come back', async () => {
    const q = await queue('partial', { VisibilityTimeout: '3' });
    const files: Record<string, string | Buffer> = { 'index.js': POWERTOOLS_HANDLER };
    for (const pkg of ['@aws-lambda-powertools/batch', '@aws-lambda-powertools/commons', '@aws/lambda-invoke-store', '@standard-schema/spec']) Object.assign(files, packageFiles(pkg));
    await fn('partial', files);
    // A batching window gathers all four into one batch.
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'partial', EventSourceArn: q.arn, BatchSize: 10, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: ['good 1', 'bad 1', 'good 2', 'bad 2'].map((b, i) => ({ Id: `e${i}`, MessageBody: b })) }));
    const runs = () => batchesOf((e) => Array.isArray(e.bodies)).map((r) => (r.event as { bodies: string[] }).bodies);
    const responses = () => batchesOf((e) => e.response !== undefined).map((r) => (r.event as { response: { batchItemFailures: { itemIdentifier: string }[] } }).response);
    await eventually(() => runs().length >= 2, 20_000);
    const [firstRun, secondRun] = runs();
    assert.deepEqual([...firstRun!].sort(), ['bad 1', 'bad 2', 'good 1', 'good 2']);
    assert.equal(responses()[0]!.batchItemFailures.length, 2, 'Powertools reported the two bad records');
    assert.deepEqual([...secondRun!].sort(), ['bad 1', 'bad 2'], 'only the failed records were delivered again');
  });

  it('pollers scale with the backlog up to MaximumConcurrency', async () => {
    const q = await queue('backlog', { VisibilityTimeout: '10' });
    await fn('slow', BATCH_HANDLER, { WORK_MS: '300' });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `a${i}`, MessageBody: `a ${i}` })) }));
    for (let b = 0; b < 7; b++) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `b${i}`, MessageBody: `b ${b} ${i}` })) }));
    }
    const m = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'slow', EventSourceArn: q.arn, BatchSize: 2, ScalingConfig: { MaximumConcurrency: 3 } }));
    let peakWorkers = 0;
    let peakBusy = 0;
    const sampler = setInterval(() => {
      peakWorkers = Math.max(peakWorkers, h.mappings.workers(m.UUID!));
      peakBusy = Math.max(peakBusy, h.pools.environments('slow').get('slow')?.busy ?? 0);
    }, 5);
    await eventually(async () => (await counts(q.url)) === 0, 30_000);
    clearInterval(sampler);
    assert.ok(peakWorkers >= 2, `scaled out (${peakWorkers} workers)`);
    assert.ok(peakWorkers <= 3 && peakBusy <= 3, `bounded by MaximumConcurrency 3 (workers ${peakWorkers}, busy ${peakBusy})`);
  });

  it('refuses what cannot take effect', async () => {
    const q = await queue('strict', { VisibilityTimeout: '2' });
    await fn('strictfn', BATCH_HANDLER);
    const create = (extra: Record<string, unknown>) => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'strictfn', EventSourceArn: q.arn, ...extra }));
    await assert.rejects(create({}), /visibility timeout: 2 seconds is less than Function timeout: 3 seconds/);
    const q2 = await queue('strict2', { VisibilityTimeout: '30' });
    const create2 = (extra: Record<string, unknown>) => lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'strictfn', EventSourceArn: q2.arn, ...extra }));
    await assert.rejects(create2({ BatchSize: 11 }), /batch window in seconds must be greater than 0/);
    await assert.rejects(create2({ FilterCriteria: { Filters: [{ Pattern: '{}' }] } }), /FilterCriteria is not supported/);
    await assert.rejects(create2({ ScalingConfig: { MaximumConcurrency: 1 } }), /maximumConcurrency/);
    await assert.rejects(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'strictfn', EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' })), /does not exist/);
    await assert.rejects(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'strictfn', EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })), /not supported by Hearth yet/);
    await assert.rejects(lambda.send(new GetEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000' })), (e: Error) => e.name === 'ResourceNotFoundException');
  });
});
