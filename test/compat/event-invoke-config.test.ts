/**
 * Compatibility: asynchronous invocation and its settings through the real, unmodified
 * `@aws-sdk/client-lambda`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  ResourceNotFoundException,
  type Runtime,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { eventually, type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { REPORTING_HANDLER, type Sink, startSink } from '../support/sink.js';
import { makeZip } from '../support/zip.js';

describe('asynchronous invocation through @aws-sdk/client-lambda', () => {
  let h: Hearth;
  let sink: Sink;
  let lambda: LambdaClient;
  before(async () => {
    sink = await startSink();
    h = await startTestHearth();
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'async',
      Runtime: RUNTIME as Runtime,
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/x',
      Environment: { Variables: { SINK: sink.url } },
      Code: { ZipFile: await makeZip(REPORTING_HANDLER) },
    }));
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
    await sink.close();
  });

  it('InvokeCommand with InvocationType Event answers 202 and the function runs', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'async', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }));
    assert.equal(out.StatusCode, 202);
    const id = out.$metadata.requestId;
    assert.ok(id);
    await eventually(() => sink.received.some((r) => r.id === id), 10_000);
  });

  it('Put, Get, Update, List and Delete FunctionEventInvokeConfig', async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'async' }));
    const put = await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'async',
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:async' } },
    }));
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.equal(put.MaximumEventAgeInSeconds, 21_600);
    assert.equal(put.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:async:$LATEST');
    assert.ok(put.LastModified instanceof Date && Math.abs(put.LastModified.getTime() - Date.now()) < 60_000);
    assert.equal(put.DestinationConfig?.OnFailure?.Destination, 'arn:aws:lambda:us-east-1:000000000000:function:async');

    const updated = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'async', MaximumEventAgeInSeconds: 120 }));
    assert.equal(updated.MaximumRetryAttempts, 1, 'update keeps what it does not name');
    assert.equal(updated.MaximumEventAgeInSeconds, 120);
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async' }));
    assert.equal(got.MaximumEventAgeInSeconds, 120);

    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async', Qualifier: v1.Version, MaximumRetryAttempts: 0 }));
    const list = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'async' }));
    assert.deepEqual(list.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn).sort(), [
      'arn:aws:lambda:us-east-1:000000000000:function:async:$LATEST',
      `arn:aws:lambda:us-east-1:000000000000:function:async:${v1.Version}`,
    ]);

    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'async' }));
    await assert.rejects(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async' })), (err: Error) => err instanceof ResourceNotFoundException);
    await assert.rejects(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'async', MaximumRetryAttempts: 0 })), (err: Error) => err instanceof ResourceNotFoundException);
  });
});
