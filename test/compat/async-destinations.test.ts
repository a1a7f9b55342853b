/**
 * Asynchronous invocation delivering to Hearth's queues, observed through the real
 * `@aws-sdk/client-lambda` and `@aws-sdk/client-sqs`: a function's DeadLetterConfig
 * receives failed events with Lambda's message attributes; an OnSuccess queue receives
 * the invocation record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
  type Runtime,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

const HANDLER = `exports.handler = async (event) => { if (event.fail) throw new Error('no good: ' + event.n); return { echoed: event.n }; };`;

describe('asynchronous invocation into queues', () => {
  let h: Hearth;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  let dlqArn: string;
  let dlqUrl: string;
  let okUrl: string;
  const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

  async function receiveOne(url: string): Promise<Message> {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }));
    assert.equal(out.Messages?.length, 1);
    return out.Messages![0]!;
  }

  before(async () => {
    h = await startTestHearth({ asyncRetryDelaysMs: [100, 200] });
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'failed-events' }))).QueueUrl!;
    dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    okUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'succeeded' }))).QueueUrl!;
  });
  after(async () => {
    lambda.destroy();
    sqs.destroy();
    await h.stop();
  });

  it('DeadLetterConfig: refused for a queue that does not exist or an SNS topic; set, it shows in the configuration', async () => {
    const base = { Runtime: RUNTIME as Runtime, Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/x', Code: { ZipFile: await makeZip({ 'index.js': HANDLER }) } };
    await assert.rejects(
      lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'dl0', DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:000000000000:missing' } })),
      (e: Error) => e instanceof InvalidParameterValueException && /does not exist/.test(e.message),
    );
    await assert.rejects(
      lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'dl0', DeadLetterConfig: { TargetArn: 'arn:aws:sns:us-east-1:000000000000:topic' } })),
      (e: Error) => e instanceof InvalidParameterValueException,
    );
    await lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'flaky', DeadLetterConfig: { TargetArn: dlqArn } }));
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'flaky' }));
    assert.equal(cfg.DeadLetterConfig?.TargetArn, dlqArn);
  });

  it('a failed event lands in the dead-letter queue: the event as body, RequestID / ErrorCode / ErrorMessage attributes', async () => {
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'flaky', MaximumRetryAttempts: 1 }));
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from('{"fail":true,"n":42}') }));
    const m = await receiveOne(dlqUrl);
    assert.deepEqual(JSON.parse(m.Body!), { fail: true, n: 42 });
    assert.equal(m.MessageAttributes?.RequestID?.StringValue, out.$metadata.requestId);
    assert.equal(m.MessageAttributes?.ErrorCode?.DataType, 'Number');
    assert.equal(m.MessageAttributes?.ErrorCode?.StringValue, '200');
    assert.equal(m.MessageAttributes?.ErrorMessage?.StringValue, 'no good: 42');
  });

  it('OnSuccess to a queue receives the invocation record; removing the DLQ takes effect', async () => {
    const okArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: okUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'flaky', DestinationConfig: { OnSuccess: { Destination: okArn } } }));
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from('{"n":7}') }));
    const record = JSON.parse((await receiveOne(okUrl)).Body!);
    assert.equal(record.requestContext.requestId, out.$metadata.requestId);
    assert.equal(record.requestContext.condition, 'Success');
    assert.deepEqual(record.responsePayload, { echoed: 7 });

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'flaky', DeadLetterConfig: { TargetArn: '' } }));
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'flaky' }));
    assert.equal(cfg.DeadLetterConfig, undefined);
  });
});
