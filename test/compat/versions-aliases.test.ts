/**
 * Compatibility: versions and aliases driven by the real, unmodified AWS SDK for
 * JavaScript v3 — PublishVersion, ListVersionsByFunction, qualifiers on Invoke /
 * GetFunction / GetFunctionConfiguration / DeleteFunction, alias CRUD and errors.
 * Weighted routing through an alias, over 10,000 invocations: alias-canary.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  paginateListAliases,
  paginateListFunctions,
  paginateListVersionsByFunction,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { type Hearth, startHearth } from '../../src/server/index.js';
import { makeZip } from '../support/zip.js';

const RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
const ROLE = 'arn:aws:iam::000000000000:role/sdk-test';
const ARN = (name: string, qualifier?: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}${qualifier ? `:${qualifier}` : ''}`;

/** A handler that says which code it is, which environment ran it and what Lambda told it. */
const source = (tag: string) => `
const envId = Math.random().toString(36).slice(2);
exports.handler = async (event, ctx) => ({
  tag: ${JSON.stringify(tag)}, envId, version: ctx.functionVersion, envVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  arn: ctx.invokedFunctionArn, greeting: process.env.GREETING ?? null,
});`;
const codeZip = async (tag: string) => new Uint8Array(await makeZip({ 'index.js': source(tag) }));
const sha256Base64 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

interface Reply {
  tag: string;
  envId: string;
  version: string;
  envVersion: string;
  arn: string;
  greeting: string | null;
}

async function rejectsWith<E extends Error & { $metadata: { httpStatusCode?: number } }>(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
  status: number,
  message?: RegExp,
  name?: string,
): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.equal(err.$metadata.httpStatusCode, status, err.message);
    if (name) assert.equal(err.name, name);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

describe('versions and aliases through @aws-sdk/client-lambda', () => {
  let h: Hearth;
  let lambda: LambdaClient;

  const create = (name: string, tag: string, extra: { publish?: boolean } = {}) =>
    codeZip(tag).then((zip) =>
      lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: RUNTIME as never, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, Publish: extra.publish })),
    );
  const updateCode = async (name: string, tag: string, publish?: boolean) =>
    lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await codeZip(tag), Publish: publish }));
  const publish = (name: string, extra: { CodeSha256?: string; RevisionId?: string; Description?: string } = {}) =>
    lambda.send(new PublishVersionCommand({ FunctionName: name, ...extra }));
  const call = async (name: string, qualifier?: string) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    return { out, reply: JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) as Reply };
  };
  const versionsOf = async (name: string) => {
    const seen: string[] = [];
    for await (const page of paginateListVersionsByFunction({ client: lambda, pageSize: 50 }, { FunctionName: name })) {
      seen.push(...(page.Versions ?? []).map((v) => v.Version ?? '?'));
    }
    return seen;
  };

  before(async () => {
    h = await startHearth({ port: 0, ephemeral: true });
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
  });

  it('PublishVersion snapshots $LATEST as 1, 2, …; an unchanged $LATEST publishes nothing new; numbers are never reused', async () => {
    const created = await create('v-pub', 'A');
    const v1 = await publish('v-pub', { Description: 'first' });
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, ARN('v-pub', '1'));
    assert.equal(v1.FunctionName, 'v-pub');
    assert.equal(v1.CodeSha256, created.CodeSha256);
    assert.equal(v1.Description, 'first');
    assert.equal(v1.Runtime, RUNTIME);
    assert.ok(v1.RevisionId && v1.RevisionId !== created.RevisionId, 'a version has its own RevisionId');

    const again = await publish('v-pub');
    assert.equal(again.Version, '1', 'nothing changed: the existing version comes back');
    assert.equal(again.RevisionId, v1.RevisionId);
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'v-pub' }));
    assert.equal(latest.Version, '$LATEST');
    assert.equal(latest.RevisionId, created.RevisionId, 'publishing does not change $LATEST');

    const updated = await updateCode('v-pub', 'B');
    await rejectsWith(publish('v-pub', { CodeSha256: created.CodeSha256 }), InvalidParameterValueException, 400, /CodeSHA256 \(.+\) is different from current CodeSHA256 in \$LATEST/);
    await rejectsWith(publish('v-pub', { RevisionId: created.RevisionId }), PreconditionFailedException, 412, /Revision Id provided does not match/);
    assert.deepEqual(await versionsOf('v-pub'), ['$LATEST', '1'], 'failed preconditions publish nothing');
    const v2 = await publish('v-pub', { CodeSha256: updated.CodeSha256, RevisionId: updated.RevisionId });
    assert.equal(v2.Version, '2');
    assert.equal(v2.CodeSha256, updated.CodeSha256);

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'v-pub', Qualifier: '2' }));
    const v3 = await publish('v-pub');
    assert.equal(v3.Version, '3', 'a deleted version’s number is not reused');
    assert.equal((await call('v-pub', '1')).reply.tag, 'A');
    assert.equal((await call('v-pub', '3')).reply.tag, 'B');
    await rejectsWith(publish('v-nope'), ResourceNotFoundException, 404);
  });

  it('CreateFunction and UpdateFunctionCode with Publish answer with the new version', async () => {
    const created = await create('v-autopub', 'A', { publish: true });
    assert.equal(created.Version, '1');
    assert.equal(created.FunctionArn, ARN('v-autopub', '1'));
    const updated = await updateCode('v-autopub', 'B', true);
    assert.equal(updated.Version, '2');
    assert.equal((await call('v-autopub', '1')).reply.tag, 'A');
    assert.equal((await call('v-autopub', '2')).reply.tag, 'B');
  });

  it('ListVersionsByFunction lists $LATEST first, then versions ascending, in pages', async () => {
    await create('v-list', 'A');
    for (const n of ['1', '2', '3']) {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'v-list', Environment: { Variables: { GREETING: `g${n}` } } }));
      await publish('v-list');
    }
    const first = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'v-list', MaxItems: 2 }));
    assert.deepEqual(first.Versions?.map((v) => v.Version), ['$LATEST', '1']);
    assert.deepEqual(first.Versions?.map((v) => v.FunctionArn), [ARN('v-list', '$LATEST'), ARN('v-list', '1')]);
    assert.ok(first.NextMarker, 'a NextMarker while more remain');
    const second = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'v-list', MaxItems: 2, Marker: first.NextMarker }));
    assert.deepEqual(second.Versions?.map((v) => v.Version), ['2', '3']);
    assert.equal(second.NextMarker, undefined);
    assert.deepEqual(second.Versions?.map((v) => v.Environment?.Variables?.GREETING), ['g2', 'g3'], 'each version keeps its configuration');

    const walked: string[] = [];
    let pages = 0;
    for await (const page of paginateListVersionsByFunction({ client: lambda, pageSize: 1 }, { FunctionName: 'v-list' })) {
      pages++;
      walked.push(...(page.Versions ?? []).map((v) => v.Version ?? '?'));
    }
    assert.deepEqual(walked, ['$LATEST', '1', '2', '3']);
    assert.ok(pages >= 4);
    await rejectsWith(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'v-list', MaxItems: 0 })), InvalidParameterValueException, 400);
    await rejectsWith(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'v-nope' })), ResourceNotFoundException, 404);

    // ListFunctions with FunctionVersion ALL includes every version, qualified.
    const all: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 2 }, { FunctionVersion: 'ALL' })) {
      all.push(...(page.Functions ?? []).filter((f) => f.FunctionName === 'v-list').map((f) => f.FunctionArn ?? '?'));
    }
    assert.deepEqual(all, ['$LATEST', '1', '2', '3'].map((v) => ARN('v-list', v)));
  });

  it('Qualifier on Invoke, GetFunction and GetFunctionConfiguration: a version, an alias, name:qualifier or a qualified ARN', async () => {
    const createdZip = await codeZip('A');
    await create('v-qual', 'A');
    await publish('v-qual');
    const latest = await updateCode('v-qual', 'B');
    await lambda.send(new CreateAliasCommand({ FunctionName: 'v-qual', Name: 'live', FunctionVersion: '1' }));

    for (const [name, qualifier] of [['v-qual', '1'], ['v-qual:1', undefined], [ARN('v-qual', '1'), undefined], ['000000000000:function:v-qual:1', undefined], ['v-qual', 'live'], [ARN('v-qual', 'live'), undefined]] as const) {
      const { out, reply } = await call(name, qualifier);
      assert.equal(reply.tag, 'A', `${name} ${qualifier ?? ''}`);
      assert.equal(out.ExecutedVersion, '1');
    }
    const plain = await call('v-qual');
    assert.equal(plain.reply.tag, 'B');
    assert.equal(plain.out.ExecutedVersion, '$LATEST');

    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'v-qual', Qualifier: '1' }));
    assert.equal(got.Configuration?.Version, '1');
    assert.equal(got.Configuration?.FunctionArn, ARN('v-qual', '1'));
    assert.equal(got.Configuration?.CodeSha256, sha256Base64(createdZip));
    const download = await fetch(got.Code?.Location ?? '');
    assert.equal(sha256Base64(new Uint8Array(await download.arrayBuffer())), sha256Base64(createdZip), 'Code.Location serves that version’s package');

    const viaAlias = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'v-qual:live' }));
    assert.equal(viaAlias.Version, '1');
    assert.equal(viaAlias.FunctionArn, ARN('v-qual', 'live'));
    const unqualified = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'v-qual' }));
    assert.equal(unqualified.Version, '$LATEST');
    assert.equal(unqualified.FunctionArn, ARN('v-qual'));
    assert.equal(unqualified.CodeSha256, latest.CodeSha256);

    for (const q of ['9', 'nope']) {
      await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'v-qual', Qualifier: q })), ResourceNotFoundException, 404, new RegExp(`Function not found: ${ARN('v-qual', q)}`));
      await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'v-qual', Qualifier: q })), ResourceNotFoundException, 404);
      await rejectsWith(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `v-qual:${q}` })), ResourceNotFoundException, 404);
    }
    // Published versions are immutable.
    await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'v-qual:1', MemorySize: 256 })), InvalidParameterValueException, 400);
    await rejectsWith(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: ARN('v-qual', 'live'), ZipFile: createdZip })), InvalidParameterValueException, 400);
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'v-qual', Qualifier: '1' }))).MemorySize, 128);
  });

  it('each version runs in its own environments; redeploying $LATEST retires only $LATEST’s', async () => {
    await create('v-envs', 'A');
    await publish('v-envs');
    const v1 = await call('v-envs', '1');
    const l1 = await call('v-envs');
    assert.equal(v1.reply.version, '1');
    assert.equal(v1.reply.envVersion, '1', 'AWS_LAMBDA_FUNCTION_VERSION');
    assert.equal(l1.reply.version, '$LATEST');
    assert.notEqual(v1.reply.envId, l1.reply.envId, 'separate environments');

    await updateCode('v-envs', 'B');
    const v1After = await call('v-envs', '1');
    const l1After = await call('v-envs');
    assert.equal(v1After.reply.tag, 'A');
    assert.equal(v1After.reply.envId, v1.reply.envId, 'version 1 stayed warm through the redeploy');
    assert.equal(l1After.reply.tag, 'B');
    assert.notEqual(l1After.reply.envId, l1.reply.envId, '$LATEST cold-started on the new code');
  });

  it('DeleteFunction with a Qualifier deletes that version; without one, the function with all its versions and aliases', async () => {
    await create('v-del', 'A');
    await publish('v-del');
    await updateCode('v-del', 'B');
    await publish('v-del');
    await lambda.send(new CreateAliasCommand({ FunctionName: 'v-del', Name: 'live', FunctionVersion: '2' }));

    const del = (Qualifier?: string) => lambda.send(new DeleteFunctionCommand({ FunctionName: 'v-del', Qualifier }));
    await rejectsWith(del('2'), ResourceConflictException, 409, /Unable to delete version because the following aliases reference it: \[live\]/);
    await rejectsWith(del('$LATEST'), InvalidParameterValueException, 400, /\$LATEST version cannot be deleted without deleting the function/);
    await rejectsWith(del('live'), InvalidParameterValueException, 400);
    await rejectsWith(del('7'), ResourceNotFoundException, 404);
    await call('v-del', '1'); // an environment of version 1, retired by the delete
    assert.equal((await del('1')).$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'v-del', Qualifier: '1' })), ResourceNotFoundException, 404);
    assert.deepEqual(await versionsOf('v-del'), ['$LATEST', '2']);
    assert.equal((await call('v-del', 'live')).reply.tag, 'B');

    assert.equal((await del()).$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'v-del', Qualifier: '2' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'v-del:live' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new GetAliasCommand({ FunctionName: 'v-del', Name: 'live' })), ResourceNotFoundException, 404);

    // A new function of the same name starts from nothing.
    await create('v-del', 'C');
    assert.deepEqual(await versionsOf('v-del'), ['$LATEST']);
    assert.deepEqual((await lambda.send(new ListAliasesCommand({ FunctionName: 'v-del' }))).Aliases, []);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'v-del', Qualifier: 'live' })), ResourceNotFoundException, 404);
  });

  it('CreateAlias, GetAlias, UpdateAlias (RevisionId), ListAliases (FunctionVersion, paging) and DeleteAlias', async () => {
    await create('v-alias', 'A');
    for (const tag of ['B', 'C']) {
      await publish('v-alias');
      await updateCode('v-alias', tag);
    }
    await publish('v-alias'); // versions 1 (A), 2 (B), 3 (C)

    const live = await lambda.send(new CreateAliasCommand({ FunctionName: 'v-alias', Name: 'live', FunctionVersion: '1', Description: 'prod' }));
    assert.equal(live.$metadata.httpStatusCode, 201);
    assert.equal(live.AliasArn, ARN('v-alias', 'live'));
    assert.equal(live.Name, 'live');
    assert.equal(live.FunctionVersion, '1');
    assert.equal(live.Description, 'prod');
    assert.equal(live.RoutingConfig, undefined);
    assert.ok(live.RevisionId);
    const canary = await lambda.send(
      new CreateAliasCommand({ FunctionName: ARN('v-alias'), Name: 'canary', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '3': 0.25 } } }),
    );
    assert.deepEqual(canary.RoutingConfig, { AdditionalVersionWeights: { '3': 0.25 } });
    assert.equal(canary.Description, '');
    const dev = await lambda.send(new CreateAliasCommand({ FunctionName: 'v-alias', Name: 'dev', FunctionVersion: '$LATEST' }));
    assert.equal(dev.FunctionVersion, '$LATEST');
    assert.equal((await call('v-alias', 'dev')).out.ExecutedVersion, '$LATEST');

    const { $metadata: _a, ...gotFields } = await lambda.send(new GetAliasCommand({ FunctionName: 'v-alias', Name: 'live' }));
    const { $metadata: _b, ...liveFields } = live;
    assert.deepEqual(gotFields, liveFields);

    const moved = await lambda.send(new UpdateAliasCommand({ FunctionName: 'v-alias', Name: 'live', FunctionVersion: '2', RevisionId: live.RevisionId }));
    assert.equal(moved.FunctionVersion, '2');
    assert.equal(moved.Description, 'prod', 'members not given are kept');
    assert.notEqual(moved.RevisionId, live.RevisionId);
    await rejectsWith(
      lambda.send(new UpdateAliasCommand({ FunctionName: 'v-alias', Name: 'live', FunctionVersion: '1', RevisionId: live.RevisionId })),
      PreconditionFailedException,
      412,
    );
    const split = await lambda.send(new UpdateAliasCommand({ FunctionName: 'v-alias', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '3': 0.5 } } }));
    assert.deepEqual(split.RoutingConfig, { AdditionalVersionWeights: { '3': 0.5 } });
    const unsplit = await lambda.send(new UpdateAliasCommand({ FunctionName: 'v-alias', Name: 'live', RoutingConfig: { AdditionalVersionWeights: {} } }));
    assert.equal(unsplit.RoutingConfig, undefined, 'an empty RoutingConfig removes the routing');
    assert.equal(unsplit.FunctionVersion, '2');
    await rejectsWith(lambda.send(new UpdateAliasCommand({ FunctionName: 'v-alias', Name: 'ghost', FunctionVersion: '1' })), ResourceNotFoundException, 404);

    const names = async (FunctionVersion?: string) => (await lambda.send(new ListAliasesCommand({ FunctionName: 'v-alias', FunctionVersion }))).Aliases?.map((a) => a.Name);
    assert.deepEqual(await names(), ['canary', 'dev', 'live']);
    assert.deepEqual(await names('2'), ['canary', 'live']);
    assert.deepEqual(await names('3'), ['canary'], 'an alias routing some traffic to a version lists under it');
    assert.deepEqual(await names('$LATEST'), ['dev']);
    const paged: string[] = [];
    let pages = 0;
    for await (const page of paginateListAliases({ client: lambda, pageSize: 1 }, { FunctionName: 'v-alias' })) {
      pages++;
      paged.push(...(page.Aliases ?? []).map((a) => a.Name ?? '?'));
    }
    assert.deepEqual(paged, ['canary', 'dev', 'live']);
    assert.ok(pages >= 3);
    const firstPage = await lambda.send(new ListAliasesCommand({ FunctionName: 'v-alias', MaxItems: 2 }));
    assert.equal(firstPage.Aliases?.length, 2);
    assert.equal(firstPage.NextMarker, 'dev');

    const gone = await lambda.send(new DeleteAliasCommand({ FunctionName: 'v-alias', Name: 'dev' }));
    assert.equal(gone.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetAliasCommand({ FunctionName: 'v-alias', Name: 'dev' })), ResourceNotFoundException, 404, /Cannot find alias arn: .*:function:v-alias:dev/);
    await rejectsWith(lambda.send(new DeleteAliasCommand({ FunctionName: 'v-alias', Name: 'dev' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'v-alias', Qualifier: 'dev' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new ListAliasesCommand({ FunctionName: 'v-nope' })), ResourceNotFoundException, 404);
  });

  it('refuses aliases Lambda refuses, and writes nothing', async () => {
    await create('v-bad', 'A');
    await publish('v-bad');
    await updateCode('v-bad', 'B');
    await publish('v-bad');
    await lambda.send(new CreateAliasCommand({ FunctionName: 'v-bad', Name: 'live', FunctionVersion: '1' }));
    const alias = (Name: string, FunctionVersion: string, weights?: Record<string, number>) =>
      lambda.send(new CreateAliasCommand({ FunctionName: 'v-bad', Name, FunctionVersion, RoutingConfig: weights ? { AdditionalVersionWeights: weights } : undefined }));

    const validation = (p: Promise<unknown>, field: RegExp) => rejectsWith(p, LambdaServiceException, 400, field, 'ValidationException');
    await validation(alias('$LATEST', '1'), /at 'name' failed to satisfy constraint/);
    await validation(alias('123', '1'), /at 'name'/);
    await validation(alias('a.b', '1'), /at 'name'/);
    await validation(alias('x'.repeat(129), '1'), /at 'name'/);
    await validation(alias('ok', 'one'), /at 'functionVersion'/);
    await validation(alias('ok', '1', { '2': 1.5 }), /routingConfig\.additionalVersionWeights/);
    await validation(alias('ok', '1', { '2': -0.1 }), /routingConfig\.additionalVersionWeights/);
    await validation(alias('ok', '1', { latest: 0.1 }), /routingConfig\.additionalVersionWeights/);
    await rejectsWith(alias('ok', '9'), ResourceNotFoundException, 404, new RegExp(`Function not found: ${ARN('v-bad', '9')}`));
    await rejectsWith(alias('ok', '1', { '9': 0.1 }), ResourceNotFoundException, 404);
    await rejectsWith(alias('live', '2'), ResourceConflictException, 409, new RegExp(`Alias already exists: ${ARN('v-bad', 'live')}`));
    await rejectsWith(alias('ok', '1', { '2': 0.1, '3': 0.1 }), InvalidParameterValueException, 400, /cannot be greater than 1/);
    await rejectsWith(alias('ok', '1', { '1': 0.1 }), InvalidParameterValueException, 400, /already included in routing configuration/);
    await rejectsWith(alias('ok', '$LATEST', { '1': 0.1 }), InvalidParameterValueException, 400, /\$LATEST is not supported for an alias pointing to more than 1 version/);
    await rejectsWith(lambda.send(new CreateAliasCommand({ FunctionName: 'v-nope', Name: 'ok', FunctionVersion: '1' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new UpdateAliasCommand({ FunctionName: 'v-bad', Name: 'live', FunctionVersion: '9' })), ResourceNotFoundException, 404);
    await rejectsWith(
      lambda.send(new UpdateAliasCommand({ FunctionName: 'v-bad', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '1': 0.2 } } })),
      InvalidParameterValueException,
      400,
    );
    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: 'v-bad' }));
    assert.deepEqual(listed.Aliases?.map((a) => [a.Name, a.FunctionVersion, a.RoutingConfig]), [['live', '1', undefined]]);
  });

  it('Invoke through an alias reports the version that ran, and the function sees the alias ARN and its version number', async () => {
    await create('v-ctx', 'A');
    await publish('v-ctx');
    await lambda.send(new CreateAliasCommand({ FunctionName: 'v-ctx', Name: 'live', FunctionVersion: '1' }));

    const out = await lambda.send(new InvokeCommand({ FunctionName: 'v-ctx', Qualifier: 'live', LogType: 'Tail' }));
    assert.equal(out.ExecutedVersion, '1');
    const reply = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Reply;
    assert.equal(reply.arn, ARN('v-ctx', 'live'), 'context.invokedFunctionArn is the ARN as invoked');
    assert.equal(reply.version, '1', 'context.functionVersion');
    assert.equal(reply.envVersion, '1', 'AWS_LAMBDA_FUNCTION_VERSION');
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    assert.match(log, /^START RequestId: [0-9a-f-]+ Version: 1$/m);

    assert.equal((await call(ARN('v-ctx', 'live'))).reply.arn, ARN('v-ctx', 'live'));
    assert.equal((await call('v-ctx', '1')).reply.arn, ARN('v-ctx', '1'));
    assert.equal((await call('v-ctx')).reply.arn, ARN('v-ctx'));
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'v-ctx', Qualifier: 'live', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
    assert.equal(dry.ExecutedVersion, '1');
  });
});
