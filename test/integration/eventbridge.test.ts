/**
 * Event buses on a real server: one PutEvents entry reaches every matching rule's targets
 * — a function (asynchronous invocation, seen through the sink) and a queue — with
 * EventBridge's envelope; Input and InputPath shape what targets get; a target's
 * RetryPolicy bounds the function's retries; undeliverable events go to the target's
 * dead-letter queue; the `hearth events` CLI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { hearthCli } from '../support/cli.js';
import { deploy, eventually, type Hearth, startTestHearth } from '../support/hearth.js';
import { REPORTING_HANDLER, type Sink, startSink } from '../support/sink.js';
import { sqsClient } from '../support/sqs.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:';
const Q = 'arn:aws:sqs:us-east-1:000000000000:';

describe('event buses and rules, end to end', () => {
  let h: Hearth;
  let sink: Sink;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  const urls: Record<string, string> = {};
  const receive = async (queue: string) => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls[queue], MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageAttributeNames: ['All'] }))).Messages ?? [];

  before(async () => {
    sink = await startSink();
    h = await startTestHearth({ asyncRetryDelaysMs: [300, 600] });
    await deploy(h, { name: 'listener', files: REPORTING_HANDLER, env: { SINK: sink.url } });
    eb = new EventBridgeClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    sqs = sqsClient(h);
    for (const name of ['orders-q', 'eb-dlq']) urls[name] = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  });
  after(async () => {
    eb.destroy();
    sqs.destroy();
    await h.stop();
    await sink.close();
  });

  it('delivers one event to a function and a queue through two matching rules, with the envelope', async () => {
    await eb.send(new PutRuleCommand({ Name: 'to-fn', EventPattern: JSON.stringify({ source: ['shop'], detail: { total: [{ numeric: ['>=', 100] }] } }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-fn', Targets: [{ Id: 'listener', Arn: `${FN}listener` }] }));
    await eb.send(new PutRuleCommand({ Name: 'to-queue', EventPattern: JSON.stringify({ 'detail-type': [{ prefix: 'Order' }] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-queue', Targets: [{ Id: 'q', Arn: `${Q}orders-q` }] }));
    await eb.send(new PutRuleCommand({ Name: 'no-match', EventPattern: JSON.stringify({ source: ['elsewhere'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'no-match', Targets: [{ Id: 'listener', Arn: `${FN}listener`, Input: '{"wrong":true}' }] }));

    const before = Date.now();
    const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"total": 120, "items": ["a"]}', Resources: ['arn:aws:shop:order/1'] }] }));
    assert.equal(out.FailedEntryCount, 0);
    const id = out.Entries![0]!.EventId!;

    await eventually(() => sink.received.some((r) => (r.event as { id?: string }).id === id), 15_000);
    const got = sink.received.filter((r) => (r.event as { id?: string }).id === id);
    assert.equal(got.length, 1, 'one delivery to the function');
    const fromQueue = await receive('orders-q');
    assert.equal(fromQueue.length, 1, 'one message in the queue');
    for (const event of [got[0]!.event, JSON.parse(fromQueue[0]!.Body!) as Record<string, unknown>]) {
      assert.equal(event.version, '0');
      assert.equal(event.id, id);
      assert.equal(event['detail-type'], 'OrderPlaced');
      assert.equal(event.source, 'shop');
      assert.equal(event.account, '000000000000');
      assert.match(String(event.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(Math.abs(Date.parse(String(event.time)) - before) < 60_000);
      assert.equal(event.region, 'us-east-1');
      assert.deepEqual(event.resources, ['arn:aws:shop:order/1']);
      assert.deepEqual(event.detail, { total: 120, items: ['a'] });
      assert.deepEqual(Object.keys(event).sort(), ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
    }
    assert.equal(sink.received.some((r) => (r.event as { wrong?: boolean }).wrong), false, 'the rule that does not match sends nothing');
  });

  it('Input and InputPath shape what the target receives; a disabled rule sends nothing', async () => {
    await eb.send(new PutRuleCommand({ Name: 'shaped', EventPattern: JSON.stringify({ source: ['shaping'] }) }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'shaped',
        Targets: [
          { Id: 'const', Arn: `${FN}listener`, Input: '{"n":"constant"}' },
          { Id: 'path', Arn: `${FN}listener`, InputPath: '$.detail.inner' },
        ],
      }),
    );
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'shaping', DetailType: 't', Detail: '{"inner": {"n": "from-path"}}' }] }));
    await eventually(() => ['constant', 'from-path'].every((n) => sink.received.some((r) => r.event.n === n)), 15_000);
    assert.deepEqual(sink.received.find((r) => r.event.n === 'from-path')!.event, { n: 'from-path' });

    await eb.send(new PutRuleCommand({ Name: 'off', State: 'DISABLED', EventPattern: JSON.stringify({ source: ['quiet'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'off', Targets: [{ Id: 'q', Arn: `${Q}orders-q` }] }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'quiet', DetailType: 'x', Detail: '{}' }] }));
    assert.equal((await receive('orders-q')).length, 0);
  });

  it("a target's RetryPolicy bounds the retries of a failing function; the function's own config applies otherwise", async () => {
    await eb.send(new PutRuleCommand({ Name: 'failing', EventPattern: JSON.stringify({ source: ['fail'] }) }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'failing',
        Targets: [
          { Id: 'no-retries', Arn: `${FN}listener`, Input: '{"fail":true,"n":"retry-0"}', RetryPolicy: { MaximumRetryAttempts: 0 } },
          { Id: 'default', Arn: `${FN}listener`, Input: '{"fail":true,"n":"retry-default"}' },
        ],
      }),
    );
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'fail', DetailType: 'x', Detail: '{}' }] }));
    const runs = (n: string) => sink.received.filter((r) => r.event.n === n).length;
    await eventually(() => runs('retry-default') === 3, 20_000);
    await eventually(() => h.async.backlog('listener') === 0, 10_000);
    assert.equal(runs('retry-0'), 1);
  });

  it("sends an event it cannot deliver to the target's dead-letter queue, with EventBridge's attributes", async () => {
    await eb.send(new PutRuleCommand({ Name: 'ghostly', EventPattern: JSON.stringify({ source: ['ghost'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'ghostly', Targets: [{ Id: 'ghost', Arn: `${FN}ghost`, DeadLetterConfig: { Arn: `${Q}eb-dlq` } }] }));
    const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'ghost', DetailType: 'x', Detail: '{"k":1}' }] }));
    const msgs = await receive('eb-dlq');
    assert.equal(msgs.length, 1);
    assert.equal((JSON.parse(msgs[0]!.Body!) as { id: string }).id, out.Entries![0]!.EventId);
    const attrs = msgs[0]!.MessageAttributes!;
    assert.equal(attrs.RULE_ARN?.StringValue, 'arn:aws:events:us-east-1:000000000000:rule/ghostly');
    assert.equal(attrs.TARGET_ARN?.StringValue, `${FN}ghost`);
    assert.equal(attrs.ERROR_CODE?.StringValue, 'ResourceNotFoundException');
  });

  it('hearth events rule add and hearth events put', async () => {
    const add = await hearthCli(['events', 'rule', 'add', 'cli-rule', '--pattern', '{"source":["cli"]}', '--target', 'listener'], h.url);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout.trim(), 'arn:aws:events:us-east-1:000000000000:rule/cli-rule');
    const put = await hearthCli(['events', 'put', '--source', 'cli', '--detail-type', 'Hello', '--detail', '{"n":"via-cli"}'], h.url);
    assert.equal(put.code, 0, put.stderr);
    const id = put.stdout.trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    await eventually(() => sink.received.some((r) => (r.event as { id?: string }).id === id), 15_000);

    const badPattern = await hearthCli(['events', 'rule', 'add', 'x', '--pattern', '{"source":"cli"}', '--target', 'listener'], h.url);
    assert.equal(badPattern.code, 2);
    assert.equal(badPattern.stderr.trim().split('\n').length, 1);
    assert.match(badPattern.stderr, /^hearth: InvalidEventPatternException: Event pattern is not valid/);
    const noFunction = await hearthCli(['events', 'rule', 'add', 'x', '--pattern', '{"source":["cli"]}', '--target', 'nope'], h.url);
    assert.equal(noFunction.code, 2);
    assert.match(noFunction.stderr, /^hearth: ResourceNotFoundException/);
    const badDetail = await hearthCli(['events', 'put', '--source', 'cli', '--detail-type', 'x', '--detail', 'nope'], h.url);
    assert.equal(badDetail.code, 2);
    assert.equal(badDetail.stderr.trim(), 'hearth: --detail is not valid JSON: nope');
  });
});
