/**
 * Compatibility: dead-letter queues through `@aws-sdk/client-sqs` — RedrivePolicy with
 * maxReceiveCount, ListDeadLetterSourceQueues, and redrive with message move tasks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  ResourceNotFoundException,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { eventually, type Hearth, startTestHearth } from '../support/hearth.js';
import { rejectsWith, sqsClient } from '../support/sqs.js';

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

describe('SQS dead-letter queues through @aws-sdk/client-sqs', () => {
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

  it('moves a message to the DLQ after maxReceiveCount receives and redrives it back', async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'dead' }))).QueueUrl!;
    const src = (await sqs.send(new CreateQueueCommand({
      QueueName: 'work',
      Attributes: { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('dead'), maxReceiveCount: '2' }) },
    }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: src, AttributeNames: ['RedrivePolicy'] }));
    assert.deepEqual(JSON.parse(Attributes!.RedrivePolicy!), { deadLetterTargetArn: arn('dead'), maxReceiveCount: 2 });
    assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls?.map((u) => u.split('/').pop()), ['work']);

    await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison', MessageAttributes: { why: { DataType: 'String', StringValue: 'test' } } }));
    for (let i = 0; i < 2; i++) assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages?.length, 1);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages, undefined);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, VisibilityTimeout: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    assert.equal(dead.Messages?.[0]?.Body, 'poison');
    assert.equal(dead.Messages?.[0]?.MessageAttributes?.why?.StringValue, 'test');
    assert.equal(dead.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn, arn('work'));

    await rejectsWith(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('missing') })), ResourceNotFoundException, 404);
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('dead') }));
    assert.ok(TaskHandle);
    const done = await eventually(async () => {
      const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('dead') }));
      return Results?.[0]?.Status === 'COMPLETED' ? Results[0] : undefined;
    });
    assert.ok(done);
    assert.equal(done.ApproximateNumberOfMessagesMoved, 1);
    assert.equal(done.ApproximateNumberOfMessagesToMove, 1);
    assert.equal(done.SourceArn, arn('dead'));
    const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: src, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(back.Messages?.[0]?.Body, 'poison');
    assert.equal(back.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '1');
    await rejectsWith(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'nope' })), ResourceNotFoundException, 404);
  });

  it('refuses a RedrivePolicy whose dead-letter queue does not exist', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'lonely' }));
    await assert.rejects(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('ghost'), maxReceiveCount: 3 }) } })),
      (err: Error) => err.name === 'InvalidAttributeValue' && /does not exist/.test(err.message),
    );
  });
});
