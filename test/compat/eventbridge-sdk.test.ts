/**
 * Compatibility: Hearth's event buses driven by the real, unmodified
 * `@aws-sdk/client-eventbridge` (AWS JSON 1.1 on the main port): every operation Hearth
 * implements, typed errors, and delivery of a PutEvents entry to a queue target.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type Hearth, startTestHearth } from '../support/hearth.js';
import { rejectsWith, sqsClient } from '../support/sqs.js';

const eb = (h: Hearth) => new EventBridgeClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

/** A generic EventBridge error (no modelled class, e.g. ValidationException), by name and status. */
async function rejectsNamed(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('EventBridge API through @aws-sdk/client-eventbridge', () => {
  let h: Hearth;
  let client: EventBridgeClient;
  before(async () => {
    h = await startTestHearth();
    client = eb(h);
  });
  after(async () => {
    client.destroy();
    await h.stop();
  });

  it('has the default bus from the start, and creates, describes, lists and deletes buses', async () => {
    const def = await client.send(new DescribeEventBusCommand({}));
    assert.equal(def.Name, 'default');
    assert.equal(def.Arn, 'arn:aws:events:us-east-1:000000000000:event-bus/default');
    assert.ok(def.CreationTime instanceof Date);

    const created = await client.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }));
    assert.equal(created.EventBusArn, 'arn:aws:events:us-east-1:000000000000:event-bus/orders');
    await rejectsWith(client.send(new CreateEventBusCommand({ Name: 'orders' })), ResourceAlreadyExistsException, 400, /already exists/);
    const described = await client.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
    assert.equal(described.Description, 'order events');

    const all = await client.send(new ListEventBusesCommand({}));
    assert.deepEqual(all.EventBuses?.map((b) => b.Name), ['default', 'orders']);
    const some = await client.send(new ListEventBusesCommand({ NamePrefix: 'ord' }));
    assert.deepEqual(some.EventBuses?.map((b) => b.Name), ['orders']);
    const first = await client.send(new ListEventBusesCommand({ Limit: 1 }));
    assert.equal(first.EventBuses?.length, 1);
    const rest = await client.send(new ListEventBusesCommand({ Limit: 1, NextToken: first.NextToken }));
    assert.deepEqual(rest.EventBuses?.map((b) => b.Name), ['orders']);

    await rejectsNamed(client.send(new CreateEventBusCommand({ Name: 'x', KmsKeyIdentifier: 'k' })), 'ValidationException', /KmsKeyIdentifier is not supported/);
    await rejectsNamed(client.send(new DeleteEventBusCommand({ Name: 'default' })), 'ValidationException', /Cannot delete event bus default/);
    await client.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await client.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await rejectsWith(client.send(new DescribeEventBusCommand({ Name: 'orders' })), ResourceNotFoundException, 400, /Event bus orders does not exist/);
  });

  it('puts, describes, lists, disables, enables and deletes rules', async () => {
    const pattern = JSON.stringify({ source: ['app.shop'] });
    const put = await client.send(new PutRuleCommand({ Name: 'shop', EventPattern: pattern, Description: 'd' }));
    assert.equal(put.RuleArn, 'arn:aws:events:us-east-1:000000000000:rule/shop');
    const rule = await client.send(new DescribeRuleCommand({ Name: 'shop' }));
    assert.deepEqual({ ...rule, $metadata: undefined }, {
      $metadata: undefined,
      Name: 'shop',
      Arn: put.RuleArn,
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'd',
      EventBusName: 'default',
    });
    await client.send(new PutRuleCommand({ Name: 'shop-2', EventPattern: pattern, State: 'DISABLED' }));
    const listed = await client.send(new ListRulesCommand({ NamePrefix: 'shop' }));
    assert.deepEqual(listed.Rules?.map((r) => [r.Name, r.State]), [['shop', 'ENABLED'], ['shop-2', 'DISABLED']]);

    await client.send(new DisableRuleCommand({ Name: 'shop' }));
    assert.equal((await client.send(new DescribeRuleCommand({ Name: 'shop' }))).State, 'DISABLED');
    await client.send(new EnableRuleCommand({ Name: 'shop' }));
    assert.equal((await client.send(new DescribeRuleCommand({ Name: 'shop' }))).State, 'ENABLED');

    await rejectsWith(client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "not-an-array"}' })), InvalidEventPatternException, 400, /Event pattern is not valid/);
    const tick = await client.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 minute)' }));
    const described = await client.send(new DescribeRuleCommand({ Name: 'tick' }));
    assert.deepEqual([described.Arn, described.ScheduleExpression, described.EventPattern], [tick.RuleArn, 'rate(1 minute)', undefined]);
    await client.send(new DeleteRuleCommand({ Name: 'tick' }));
    await rejectsNamed(client.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'every minute' })), 'ValidationException');
    await rejectsWith(client.send(new DescribeRuleCommand({ Name: 'nope' })), ResourceNotFoundException, 400, /Rule nope does not exist on EventBus default/);
    await rejectsWith(client.send(new PutRuleCommand({ Name: 'r', EventBusName: 'nobus', EventPattern: pattern })), ResourceNotFoundException, 400);

    await client.send(new DeleteRuleCommand({ Name: 'shop-2' }));
    await client.send(new DeleteRuleCommand({ Name: 'shop-2' }));
    await rejectsWith(client.send(new DescribeRuleCommand({ Name: 'shop-2' })), ResourceNotFoundException, 400);
  });

  it('puts, lists and removes targets; refuses what it cannot honour', async () => {
    const q = await sqsClient(h).send(new CreateQueueCommand({ QueueName: 'eb-dlq' }));
    assert.ok(q.QueueUrl);
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:eb-dlq';
    await client.send(new PutRuleCommand({ Name: 't', EventPattern: '{"source":["x"]}' }));
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
    const put = await client.send(
      new PutTargetsCommand({
        Rule: 't',
        Targets: [
          { Id: 'a', Arn: fn, InputPath: '$.detail', RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: dlq } },
          { Id: 'b', Arn: dlq, Input: '{"constant":true}' },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: 't' }));
    assert.deepEqual(listed.Targets?.map((t) => [t.Id, t.Arn, t.InputPath, t.Input, t.RetryPolicy?.MaximumRetryAttempts, t.DeadLetterConfig?.Arn]), [
      ['a', fn, '$.detail', undefined, 0, dlq],
      ['b', dlq, undefined, '{"constant":true}', undefined, undefined],
    ]);
    const paged = await client.send(new ListTargetsByRuleCommand({ Rule: 't', Limit: 1 }));
    const next = await client.send(new ListTargetsByRuleCommand({ Rule: 't', Limit: 1, NextToken: paged.NextToken }));
    assert.deepEqual([paged.Targets?.[0]?.Id, next.Targets?.[0]?.Id, next.NextToken], ['a', 'b', undefined]);

    await rejectsNamed(client.send(new PutTargetsCommand({ Rule: 't', Targets: [{ Id: 'c', Arn: fn, InputTransformer: { InputTemplate: '"x"' } }] })), 'ValidationException', /InputTransformer is not supported/);
    await rejectsNamed(client.send(new PutTargetsCommand({ Rule: 't', Targets: [{ Id: 'c', Arn: 'arn:aws:sns:us-east-1:000000000000:topic' }] })), 'ValidationException', /use a Lambda function or an SQS queue ARN/);
    await rejectsNamed(client.send(new PutTargetsCommand({ Rule: 't', Targets: [{ Id: 'c', Arn: fn, Input: '{}', InputPath: '$' }] })), 'ValidationException', /only one of Input, InputPath/);
    await rejectsNamed(client.send(new PutTargetsCommand({ Rule: 't', Targets: [{ Id: 'c', Arn: fn, RetryPolicy: { MaximumRetryAttempts: 186 } }] })), 'ValidationException', /0 to 185/);
    await rejectsNamed(client.send(new PutTargetsCommand({ Rule: 't', Targets: [{ Id: 'c', Arn: fn, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:missing' } }] })), 'ValidationException', /dead-letter queue/);
    const many = ['c', 'd', 'e', 'f'].map((Id) => ({ Id, Arn: fn }));
    await rejectsWith(client.send(new PutTargetsCommand({ Rule: 't', Targets: many })), LimitExceededException, 400);
    await rejectsWith(client.send(new PutTargetsCommand({ Rule: 'none', Targets: [{ Id: 'a', Arn: fn }] })), ResourceNotFoundException, 400);

    await rejectsNamed(client.send(new DeleteRuleCommand({ Name: 't' })), 'ValidationException', /has targets/);
    const removed = await client.send(new RemoveTargetsCommand({ Rule: 't', Ids: ['a', 'b'] }));
    assert.equal(removed.FailedEntryCount, 0);
    assert.deepEqual((await client.send(new ListTargetsByRuleCommand({ Rule: 't' }))).Targets, []);
    await client.send(new DeleteRuleCommand({ Name: 't' }));
  });

  it('PutEvents answers per entry and delivers the envelope to a queue target', async () => {
    const sqs = sqsClient(h);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'eb-target' }));
    await client.send(new CreateEventBusCommand({ Name: 'app' }));
    await client.send(new PutRuleCommand({ Name: 'paid', EventBusName: 'app', EventPattern: JSON.stringify({ 'detail-type': ['OrderPaid'], detail: { amount: [{ numeric: ['>', 10] }] } }) }));
    await client.send(new PutTargetsCommand({ Rule: 'paid', EventBusName: 'app', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:eb-target' }] }));
    const time = new Date('2026-01-02T03:04:05Z');
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'app', Source: 'shop', DetailType: 'OrderPaid', Detail: '{"amount": 42}', Resources: ['arn:x'], Time: time },
          { EventBusName: 'app', Source: 'shop', DetailType: 'OrderPaid', Detail: '{"amount": 5}' },
          { EventBusName: 'app', DetailType: 'OrderPaid', Detail: '{}' },
          { EventBusName: 'app', Source: 'shop', DetailType: 'OrderPaid', Detail: 'not json' },
          { EventBusName: 'nobus', Source: 'shop', DetailType: 'OrderPaid', Detail: '{}' },
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 3);
    assert.match(out.Entries?.[0]?.EventId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(out.Entries?.[1]?.EventId);
    assert.deepEqual(out.Entries?.slice(2).map((e) => e.ErrorCode), ['InvalidArgument', 'MalformedDetail', 'ResourceNotFoundException']);
    assert.match(out.Entries?.[2]?.ErrorMessage ?? '', /Source is a required argument/);

    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    assert.equal(got.Messages?.length, 1, 'only the matching event is delivered');
    const event = JSON.parse(got.Messages![0]!.Body!) as Record<string, unknown>;
    assert.deepEqual(event, {
      version: '0',
      id: out.Entries![0]!.EventId,
      'detail-type': 'OrderPaid',
      source: 'shop',
      account: '000000000000',
      time: '2026-01-02T03:04:05Z',
      region: 'us-east-1',
      resources: ['arn:x'],
      detail: { amount: 42 },
    });
    await rejectsNamed(client.send(new PutEventsCommand({ Entries: [] })), 'ValidationException');
  });

  it('TestEventPattern matches through the API and refuses bad patterns', async () => {
    const event = JSON.stringify({ id: '1', account: '1', source: 'a', time: '2020-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 't', detail: { n: 3 } });
    const yes = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":["<",5]}]}}', Event: event }));
    const no = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",5]}]}}', Event: event }));
    assert.deepEqual([yes.Result, no.Result], [true, false]);
    await rejectsWith(client.send(new TestEventPatternCommand({ EventPattern: '{"a":[{"wat":1}]}', Event: event })), InvalidEventPatternException, 400, /Unrecognized match type wat/);
    await rejectsNamed(client.send(new TestEventPatternCommand({ EventPattern: '{}', Event: '{"source":"a"}' })), 'ValidationException', /mandatory field/);
  });
});
