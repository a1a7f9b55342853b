/**
 * Compatibility: Hearth's queues driven by the real, unmodified `@aws-sdk/client-sqs`
 * (SQS JSON protocol on the Lambda port): queue and message operations, checksums, and
 * typed errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAttributeName,
  InvalidBatchEntryId,
  ListQueuesCommand,
  paginateListQueues,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  SQSServiceException,
  TooManyEntriesInBatchRequest,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';
import { md5OfAttributes } from '../../src/queues/index.js';
import { type Hearth, startTestHearth } from '../support/hearth.js';
import { rejectsWith, sqsClient } from '../support/sqs.js';

/** A generic SQS error (no modelled exception class), identified by its name. */
async function rejectsNamed(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SQSServiceException, `expected an SQSServiceException, got ${String(err)}`);
    assert.equal(err.name, name);
    assert.equal(err.$metadata.httpStatusCode, 400);
    if (message) assert.match(err.message, message);
    return;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

describe('SQS through @aws-sdk/client-sqs', () => {
  let h: Hearth;
  let sqs: SQSClient;
  before(async () => {
    h = await startTestHearth();
    sqs = sqsClient(h);
  });
  after(async () => {
    sqs.destroy();
    await h.stop();
  });

  it('creates, finds, lists and deletes queues', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '45' } }));
    const host = new URL(h.url).host;
    assert.equal(QueueUrl, `http://${host}/000000000000/orders`);
    // Same attributes: the same queue. Different ones: QueueNameExists.
    assert.equal((await sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '45' } }))).QueueUrl, QueueUrl);
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '46' } })), QueueNameExists, 400);
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl, QueueUrl);
    await rejectsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), QueueDoesNotExist, 400, /does not exist/);

    for (const n of ['orders-a', 'orders-b', 'other']) await sqs.send(new CreateQueueCommand({ QueueName: n }));
    const prefixed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'orders' }));
    assert.deepEqual(prefixed.QueueUrls?.map((u) => u.split('/').pop()), ['orders', 'orders-a', 'orders-b']);
    const names: string[] = [];
    for await (const page of paginateListQueues({ client: sqs, pageSize: 2 }, {})) {
      assert.ok((page.QueueUrls?.length ?? 0) <= 2);
      names.push(...(page.QueueUrls ?? []).map((u) => u.split('/').pop()!));
    }
    assert.deepEqual(names, ['orders', 'orders-a', 'orders-b', 'other']);

    await sqs.send(new DeleteQueueCommand({ QueueUrl: `${h.url}/000000000000/other` }));
    await rejectsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'other' })), QueueDoesNotExist, 400);
    await rejectsWith(sqs.send(new DeleteQueueCommand({ QueueUrl: `${h.url}/000000000000/other` })), QueueDoesNotExist, 400);
  });

  it('gets and sets queue attributes, and refuses unknown and unsupported ones', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'attrs' }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '5', ReceiveMessageWaitTimeSeconds: '2', MessageRetentionPeriod: '600' } }));
    const { Attributes: all } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.equal(all?.QueueArn, 'arn:aws:sqs:us-east-1:000000000000:attrs');
    assert.equal(all?.DelaySeconds, '5');
    assert.equal(all?.ReceiveMessageWaitTimeSeconds, '2');
    assert.equal(all?.MessageRetentionPeriod, '600');
    assert.equal(all?.VisibilityTimeout, '30');
    assert.equal(all?.MaximumMessageSize, '1048576');
    assert.equal(all?.ApproximateNumberOfMessages, '0');
    assert.match(all?.CreatedTimestamp ?? '', /^\d{10}$/);
    const { Attributes: some } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['DelaySeconds', 'ApproximateNumberOfMessagesDelayed'] }));
    assert.deepEqual(some, { DelaySeconds: '5', ApproximateNumberOfMessagesDelayed: '0' });

    await rejectsWith(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Bogus' as 'All'] })), InvalidAttributeName, 400, /Bogus/);
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Bogus: '1' } as Record<string, string> })), InvalidAttributeName, 400);
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: 'fifo.fifo', Attributes: { FifoQueue: 'true' } })), UnsupportedOperation, 400, /FIFO/);
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } })), UnsupportedOperation, 400, /KMS/);
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'a' } })), UnsupportedOperation, 400, /tags/);
    await rejectsNamed(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })), 'InvalidParameterValue', /MessageGroupId/);
  });

  it('sends with attributes and receives with matching checksums and system attributes', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'msgs' }));
    const MessageAttributes = {
      kind: { DataType: 'String', StringValue: 'order' },
      amount: { DataType: 'Number', StringValue: '12.5' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    };
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'héllo ✓', MessageAttributes }));
    assert.ok(sent.MessageId);
    assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes({ ...MessageAttributes, blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) } }));

    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    assert.equal(Messages?.length, 1);
    const m = Messages[0]!;
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, 'héllo ✓');
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(m.MessageAttributes?.kind?.StringValue, 'order');
    assert.deepEqual([...(m.MessageAttributes?.blob?.BinaryValue ?? [])], [0, 1, 2, 255]);
    assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
    assert.equal(m.Attributes?.SenderId, '000000000000');
    assert.ok(Math.abs(Number(m.Attributes?.SentTimestamp) - Date.now()) < 60_000);

    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    assert.deepEqual(Attributes, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }))).Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
    await rejectsWith(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' })), ReceiptHandleIsInvalid, 404);
  });

  it('accepts a 1 MiB message and refuses a larger one', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'big' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_048_576) }));
    await rejectsNamed(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_048_577) })), 'InvalidParameterValue', /shorter than 1048576/);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(Messages?.[0]?.Body?.length, 1_048_576);
  });

  it('sends, changes visibility and deletes in batches with per-entry failures', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'batch' }));
    const sent = await sqs.send(new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: 'a', MessageBody: 'one' },
        { Id: 'b', MessageBody: 'two', DelaySeconds: 0 },
        { Id: 'c', MessageBody: 'bad', DelaySeconds: 901 },
      ],
    }));
    assert.deepEqual(sent.Successful?.map((s) => s.Id), ['a', 'b']);
    assert.equal(sent.Failed?.[0]?.Id, 'c');
    assert.equal(sent.Failed?.[0]?.Code, 'InvalidParameterValue');
    assert.equal(sent.Failed?.[0]?.SenderFault, true);

    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })), EmptyBatchRequest, 400);
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })) })), TooManyEntriesInBatchRequest, 400);
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] })), BatchEntryIdsNotDistinct, 400);
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'bad id!', MessageBody: '1' }] })), InvalidBatchEntryId, 400);

    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(Messages.map((m) => m.Body).sort(), ['one', 'two']);
    const vis = await sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl,
      Entries: [{ Id: 'v1', ReceiptHandle: Messages[0]!.ReceiptHandle, VisibilityTimeout: 0 }, { Id: 'v2', ReceiptHandle: 'junk', VisibilityTimeout: 0 }],
    }));
    assert.deepEqual(vis.Successful?.map((s) => s.Id), ['v1']);
    assert.equal(vis.Failed?.[0]?.Code, 'ReceiptHandleIsInvalid');
    // v1 is visible again at once; the other stays hidden.
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(again.Messages?.map((m) => m.MessageId), [Messages[0]!.MessageId]);

    const del = await sqs.send(new DeleteMessageBatchCommand({
      QueueUrl,
      Entries: [{ Id: 'd1', ReceiptHandle: again.Messages![0]!.ReceiptHandle }, { Id: 'd2', ReceiptHandle: Messages[1]!.ReceiptHandle }, { Id: 'd3', ReceiptHandle: 'junk' }],
    }));
    assert.deepEqual(del.Successful?.map((s) => s.Id), ['d1', 'd2']);
    assert.equal(del.Failed?.[0]?.Code, 'ReceiptHandleIsInvalid');
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.equal(Attributes?.ApproximateNumberOfMessages, '0');
    assert.equal(Attributes?.ApproximateNumberOfMessagesNotVisible, '0');
  });

  it('hides received messages for their visibility timeout and redelivers after it', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'vis' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    assert.equal(first.Messages?.length, 1);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 3, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(second.Messages?.[0]?.MessageId, first.Messages![0]!.MessageId);
    assert.equal(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.length, 1);
    await rejectsNamed(sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })), 'InvalidParameterValue', /MaxNumberOfMessages/);
    await rejectsNamed(sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 })), 'InvalidParameterValue', /WaitTimeSeconds/);
  });

  it('long-polls: a waiting receive returns as soon as a message is sent', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'poll' }));
    const started = Date.now();
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
    await new Promise((ok) => setTimeout(ok, 300));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'ping' }));
    const { Messages } = await waiting;
    const took = Date.now() - started;
    assert.equal(Messages?.[0]?.Body, 'ping');
    assert.ok(took >= 250 && took < 5000, `long poll took ${took} ms`);
    const emptyStart = Date.now();
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages, undefined);
    assert.ok(Date.now() - emptyStart >= 900, 'an empty long poll waits its WaitTimeSeconds');
  });

  it('purges a queue', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'purge' }));
    for (let i = 0; i < 5; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `p${i}` }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages, '0');
  });

  it('answers an unimplemented operation with a clear error, and leaves the Lambda routes alone', async () => {
    const res = await fetch(h.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.TagQueue', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-query-error'), 'InvalidAction;Sender');
    const body = (await res.json()) as { __type: string; message: string };
    assert.equal(body.__type, 'com.amazonaws.sqs#InvalidAction');
    assert.match(body.message, /TagQueue/);
    const lambda = await fetch(`${h.url}/2015-03-31/functions/`);
    assert.equal(lambda.status, 200);
  });
});
