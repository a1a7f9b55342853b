/**
 * Compatibility: reserved and provisioned concurrency and GetAccountSettings through the
 * real, unmodified `@aws-sdk/client-lambda`, against real environments.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  ListProvisionedConcurrencyConfigsCommand,
  ProvisionedConcurrencyConfigNotFoundException,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  ResourceNotFoundException,
  type Runtime,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { hearthCli } from '../support/cli.js';
import { eventually, type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

const HANDLER = `
  const initType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  exports.handler = async (event) => {
    if (event.ms) await new Promise((r) => setTimeout(r, event.ms));
    return { initType, version: process.env.AWS_LAMBDA_FUNCTION_VERSION };
  };`;

async function rejects<E extends Error>(p: Promise<unknown>, type: abstract new (...args: never[]) => E, message?: RegExp): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error).name}: ${(err as Error).message}`);
    if (message) assert.match(err.message, message);
    return err;
  }
  return assert.fail(`expected ${type.name}`);
}

const decode = (b?: Uint8Array) => JSON.parse(Buffer.from(b ?? []).toString('utf8'));

describe('concurrency through @aws-sdk/client-lambda', () => {
  let h: Hearth;
  let lambda: LambdaClient;
  before(async () => {
    // Short keep-alive: provisioned environments must outlive it.
    h = await startTestHearth({ maxConcurrency: 200, keepAliveMs: 300 });
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    for (const name of ['conc', 'prov']) {
      await lambda.send(new CreateFunctionCommand({
        FunctionName: name,
        Runtime: RUNTIME as Runtime,
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/x',
        Code: { ZipFile: await makeZip({ 'index.js': HANDLER }) },
      }));
    }
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
  });

  it('Put/Get/DeleteFunctionConcurrency, GetFunction and GetAccountSettings agree', async () => {
    assert.deepEqual((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }))).ReservedConcurrentExecutions, undefined);
    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 30 }));
    assert.equal(put.ReservedConcurrentExecutions, 30);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }))).ReservedConcurrentExecutions, 30);
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'conc' }))).Concurrency?.ReservedConcurrentExecutions, 30);
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit?.ConcurrentExecutions, 200);
    assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 170);
    assert.equal(settings.AccountUsage?.FunctionCount, 2);
    assert.ok((settings.AccountUsage?.TotalCodeSize ?? 0) > 0);

    await rejects(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 190 })), InvalidParameterValueException, /minimum value of \[20\]/);
    await rejects(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'nope', ReservedConcurrentExecutions: 1 })), ResourceNotFoundException);

    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 0 }));
    const throttled = await rejects(lambda.send(new InvokeCommand({ FunctionName: 'conc', Payload: Buffer.from('{}') })), TooManyRequestsException);
    assert.equal(throttled.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');

    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'conc' }));
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'conc' }))).Concurrency, undefined);
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'conc', Payload: Buffer.from('{}') }))).StatusCode, 200);
  });

  it('provisioned concurrency: IN_PROGRESS → READY, warm with no Init Duration, never reclaimed, spill-over to on-demand', async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'prov' }));
    await rejects(
      lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 })),
      InvalidParameterValueException,
      /unpublished function versions/,
    );
    const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: v1.Version, ProvisionedConcurrentExecutions: 2 }));
    assert.equal(put.$metadata.httpStatusCode, 202);
    assert.equal(put.RequestedProvisionedConcurrentExecutions, 2);
    assert.ok(put.Status === 'IN_PROGRESS' || put.Status === 'READY');

    const ready = await eventually(async () => {
      const got = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: v1.Version }));
      return got.Status === 'READY' ? got : undefined;
    }, 10_000);
    assert.equal(ready!.AllocatedProvisionedConcurrentExecutions, 2);
    assert.equal(ready!.AvailableProvisionedConcurrentExecutions, 2);

    // Longer than the keep-alive window: provisioned environments stay.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(h.pools.environments('prov').get('prov')?.provisioned, 2);

    const out = await lambda.send(new InvokeCommand({ FunctionName: 'prov', Qualifier: v1.Version, Payload: Buffer.from('{}'), LogType: 'Tail' }));
    assert.equal(decode(out.Payload).initType, 'provisioned-concurrency');
    const report = Buffer.from(out.LogResult ?? '', 'base64').toString();
    assert.match(report, /REPORT RequestId/);
    assert.doesNotMatch(report, /Init Duration/);

    // Three at once on two provisioned environments: one on-demand cold start.
    const three = await Promise.all([1, 2, 3].map(() => lambda.send(new InvokeCommand({ FunctionName: 'prov', Qualifier: v1.Version, Payload: Buffer.from('{"ms":400}') }))));
    const kinds = three.map((r) => decode(r.Payload).initType).sort();
    assert.deepEqual(kinds, ['on-demand', 'provisioned-concurrency', 'provisioned-concurrency']);

    const list = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'prov' }));
    assert.equal(list.ProvisionedConcurrencyConfigs?.length, 1);
    assert.match(list.ProvisionedConcurrencyConfigs?.[0]?.FunctionArn ?? '', /:function:prov:1$/);

    await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: v1.Version }));
    await rejects(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: v1.Version })), ProvisionedConcurrencyConfigNotFoundException);
    await eventually(() => (h.pools.environments('prov').get('prov')?.provisioned ?? 0) === 0, 5000);
  });

  it('provisioned concurrency on an alias follows the alias and is capped by reserved concurrency', async () => {
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'prov', Description: 'v2' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'prov', Name: 'live', FunctionVersion: v2.Version }));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'prov', ReservedConcurrentExecutions: 3 }));
    await rejects(
      lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: 'live', ProvisionedConcurrentExecutions: 4 })),
      InvalidParameterValueException,
      /reservedConcurrentExecution/,
    );
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: 'live', ProvisionedConcurrentExecutions: 1 }));
    await eventually(async () => {
      const got = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'prov', Qualifier: 'live' }));
      return got.Status === 'READY';
    }, 10_000);
    await rejects(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'prov', ReservedConcurrentExecutions: 0 })), InvalidParameterValueException, /provisioned concurrency/);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'prov', Qualifier: 'live', Payload: Buffer.from('{}') }));
    assert.deepEqual(decode(out.Payload), { initType: 'provisioned-concurrency', version: v2.Version });

    // Visible: environments by state and the limits, through the CLI and the native API.
    const ls = await hearthCli(['ls'], h.url);
    assert.equal(ls.code, 0, ls.stderr);
    const row = ls.stdout.split('\n').find((l) => l.startsWith('prov '));
    assert.match(row ?? '', /provisioned 1/);
    assert.match(row ?? '', /reserved 3, provisioned live 1\/1/);
    const get = await hearthCli(['get', 'prov'], h.url);
    const shown = JSON.parse(get.stdout) as { Environments: { provisioned: number }; Limits: { ReservedConcurrentExecutions: number; ProvisionedConcurrency: { Qualifier: string; Status: string }[] } };
    assert.equal(shown.Environments.provisioned, 1);
    assert.equal(shown.Limits.ReservedConcurrentExecutions, 3);
    assert.deepEqual(shown.Limits.ProvisionedConcurrency.map((p) => [p.Qualifier, p.Status]), [['live', 'READY']]);
  });
});
