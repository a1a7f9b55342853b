/**
 * Compatibility: Lambda layers driven by the real, unmodified `@aws-sdk/client-lambda`:
 * every layer operation, a function's `Layers`, and their errors.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  InvalidParameterValueException,
  LambdaClient,
  type LayersListItem,
  type LayerVersionsListItem,
  ListLayersCommand,
  ListLayerVersionsCommand,
  paginateListLayers,
  paginateListLayerVersions,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/sdk-test';
const ARN = 'arn:aws:lambda:us-east-1:000000000000:layer';

const client = (h: Hearth) => new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const zipOf = async (files: Record<string, string>) => new Uint8Array(await makeZip(files));
const handlerZip = () => zipOf({ 'index.js': 'exports.handler = async () => 1;' });

async function rejectsWith<E extends Error & { $metadata: { httpStatusCode?: number } }>(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
  status: number,
  message?: RegExp,
): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.equal(err.$metadata.httpStatusCode, status);
    if (message) assert.match(err.message, message);
    return;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

describe('Lambda layers through @aws-sdk/client-lambda', () => {
  let h: Hearth;
  let lambda: LambdaClient;
  before(async () => {
    h = await startTestHearth();
    lambda = client(h);
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
  });

  const publish = async (name: string, files: Record<string, string>, extra: { runtimes?: string[]; description?: string } = {}) =>
    lambda.send(
      new PublishLayerVersionCommand({
        LayerName: name,
        Content: { ZipFile: await zipOf(files) },
        Description: extra.description,
        CompatibleRuntimes: extra.runtimes as never,
      }),
    );

  it('PublishLayerVersion numbers versions 1, 2, … and answers 201 with the content', async () => {
    const zip = await zipOf({ 'nodejs/node_modules/a/index.js': 'module.exports = 1;' });
    const v1 = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'sdk-pub',
        Content: { ZipFile: zip },
        Description: 'first',
        CompatibleRuntimes: [RUNTIME as never, 'python3.12'],
        CompatibleArchitectures: ['x86_64'],
        LicenseInfo: 'MIT',
      }),
    );
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.LayerArn, `${ARN}:sdk-pub`);
    assert.equal(v1.LayerVersionArn, `${ARN}:sdk-pub:1`);
    assert.equal(v1.Version, 1);
    assert.equal(v1.Description, 'first');
    assert.deepEqual(v1.CompatibleRuntimes, [RUNTIME, 'python3.12']);
    assert.deepEqual(v1.CompatibleArchitectures, ['x86_64']);
    assert.equal(v1.LicenseInfo, 'MIT');
    assert.match(v1.CreatedDate!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.equal(v1.Content?.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(v1.Content?.CodeSize, zip.length);
    const download = await fetch(v1.Content!.Location!);
    assert.equal(download.status, 200);
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), zip, 'Location serves the zip');

    const v2 = await publish('sdk-pub', { 'b.txt': 'b' });
    assert.equal(v2.Version, 2);
    assert.equal(v2.Description, '');
    // The layer's ARN names the layer too.
    const v3 = await publish(`${ARN}:sdk-pub`, { 'c.txt': 'c' });
    assert.equal(v3.LayerVersionArn, `${ARN}:sdk-pub:3`);
  });

  it('PublishLayerVersion refuses a bad zip, S3 content and an over-size package', async () => {
    const bad = new TextEncoder().encode('not a zip');
    await rejectsWith(lambda.send(new PublishLayerVersionCommand({ LayerName: 'sdk-bad', Content: { ZipFile: bad } })), InvalidParameterValueException, 400);
    await rejectsWith(
      lambda.send(new PublishLayerVersionCommand({ LayerName: 'sdk-bad', Content: { S3Bucket: 'b', S3Key: 'k' } })),
      InvalidParameterValueException,
      400,
    );
    const small = await startTestHearth({ unzippedLimitBytes: 1000 });
    try {
      await rejectsWith(
        client(small).send(new PublishLayerVersionCommand({ LayerName: 'big', Content: { ZipFile: await zipOf({ 'x.txt': 'x'.repeat(1001) }) } })),
        InvalidParameterValueException,
        400,
        /Unzipped size must be smaller than 1000 bytes/,
      );
    } finally {
      await small.stop();
    }
    await rejectsWith(lambda.send(new GetLayerVersionCommand({ LayerName: 'sdk-bad', VersionNumber: 1 })), ResourceNotFoundException, 404);
  });

  it('GetLayerVersion and GetLayerVersionByArn; ResourceNotFoundException for what does not exist', async () => {
    const v = await publish('sdk-get', { 'python/m.py': 'X = 1' }, { description: 'get me' });
    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'sdk-get', VersionNumber: v.Version }));
    assert.equal(got.LayerVersionArn, v.LayerVersionArn);
    assert.equal(got.Description, 'get me');
    assert.deepEqual(got.Content, v.Content);
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: v.LayerVersionArn }));
    assert.equal(byArn.LayerArn, `${ARN}:sdk-get`);
    assert.equal(byArn.Version, v.Version);

    await rejectsWith(lambda.send(new GetLayerVersionCommand({ LayerName: 'sdk-get', VersionNumber: 99 })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new GetLayerVersionCommand({ LayerName: 'sdk-no-such-layer', VersionNumber: 1 })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new GetLayerVersionByArnCommand({ Arn: `${ARN}:sdk-no-such-layer:1` })), ResourceNotFoundException, 404);
    await rejectsWith(
      lambda.send(new GetLayerVersionByArnCommand({ Arn: 'arn:aws:lambda:eu-west-1:000000000000:layer:sdk-get:1' })),
      ResourceNotFoundException,
      404,
      /does not exist/,
    );
  });

  it('ListLayerVersions lists newest first, filters by runtime and pages', async () => {
    for (let i = 1; i <= 5; i++) await publish('sdk-lv', { 'f.txt': String(i) }, { runtimes: i % 2 ? [RUNTIME] : ['python3.12'] });
    const all = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'sdk-lv' }));
    assert.deepEqual(all.LayerVersions?.map((v) => v.Version), [5, 4, 3, 2, 1]);
    assert.equal(all.NextMarker, undefined);
    const node = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'sdk-lv', CompatibleRuntime: RUNTIME as never }));
    assert.deepEqual(node.LayerVersions?.map((v) => v.Version), [5, 3, 1]);

    const paged: LayerVersionsListItem[] = [];
    let pages = 0;
    for await (const page of paginateListLayerVersions({ client: lambda, pageSize: 2 }, { LayerName: 'sdk-lv' })) {
      pages++;
      paged.push(...(page.LayerVersions ?? []));
    }
    assert.equal(pages, 3);
    assert.deepEqual(paged.map((v) => v.LayerVersionArn), [5, 4, 3, 2, 1].map((n) => `${ARN}:sdk-lv:${n}`));
    const none = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'sdk-never-published' }));
    assert.deepEqual(none.LayerVersions, []);
  });

  it('ListLayers gives each layer with its latest matching version, and pages', async () => {
    await publish('sdk-ll-a', { 'a.txt': '1' }, { runtimes: [RUNTIME] });
    await publish('sdk-ll-a', { 'a.txt': '2' }, { runtimes: ['python3.12'] });
    await publish('sdk-ll-b', { 'b.txt': '1' }, { runtimes: ['python3.12'] });
    const out = await lambda.send(new ListLayersCommand({}));
    const a = out.Layers?.find((l) => l.LayerName === 'sdk-ll-a');
    assert.equal(a?.LayerArn, `${ARN}:sdk-ll-a`);
    assert.equal(a?.LatestMatchingVersion?.Version, 2);
    const names = out.Layers?.map((l) => l.LayerName) ?? [];
    assert.deepEqual(names, [...names].sort(), 'sorted by name');

    const node = await lambda.send(new ListLayersCommand({ CompatibleRuntime: RUNTIME as never }));
    const nodeA = node.Layers?.find((l) => l.LayerName === 'sdk-ll-a');
    assert.equal(nodeA?.LatestMatchingVersion?.Version, 1, 'the newest version for that runtime');
    assert.equal(nodeA?.LatestMatchingVersion?.LayerVersionArn, `${ARN}:sdk-ll-a:1`);
    assert.ok(!node.Layers?.some((l) => l.LayerName === 'sdk-ll-b'), 'layers with no matching version are left out');

    const paged: LayersListItem[] = [];
    for await (const page of paginateListLayers({ client: lambda, pageSize: 1 }, {})) paged.push(...(page.Layers ?? []));
    assert.deepEqual(paged.map((l) => l.LayerName), names);
  });

  it('DeleteLayerVersion answers 204 (also for a missing version) and never frees the number', async () => {
    await publish('sdk-del', { 'a.txt': '1' });
    await publish('sdk-del', { 'a.txt': '2' });
    const out = await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'sdk-del', VersionNumber: 2 }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetLayerVersionCommand({ LayerName: 'sdk-del', VersionNumber: 2 })), ResourceNotFoundException, 404);
    assert.equal((await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'sdk-del', VersionNumber: 2 }))).$metadata.httpStatusCode, 204);
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'sdk-del', VersionNumber: 1 }));
    assert.deepEqual((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'sdk-del' }))).LayerVersions, []);
    assert.ok(!(await lambda.send(new ListLayersCommand({}))).Layers?.some((l) => l.LayerName === 'sdk-del'));
    assert.equal((await publish('sdk-del', { 'a.txt': '3' })).Version, 3);
  });

  it('a function takes up to 5 layers, reports them, and published versions keep theirs', async () => {
    const arns: string[] = [];
    for (let i = 0; i < 6; i++) arns.push((await publish(`sdk-fl-${i}`, { [`f${i}.txt`]: String(i) })).LayerVersionArn!);
    const base = { Runtime: RUNTIME as never, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await handlerZip() } };

    const created = await lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-fl', Layers: arns.slice(0, 2) }));
    const sizes = await Promise.all(arns.slice(0, 2).map(async (arn) => (await lambda.send(new GetLayerVersionByArnCommand({ Arn: arn }))).Content?.CodeSize));
    assert.deepEqual(created.Layers, arns.slice(0, 2).map((Arn, i) => ({ Arn, CodeSize: sizes[i] })));
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-fl' }))).Configuration?.Layers?.map((l) => l.Arn), arns.slice(0, 2));
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'sdk-fl' }));
    assert.deepEqual(v1.Layers?.map((l) => l.Arn), arns.slice(0, 2));

    const five = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fl', Layers: arns.slice(1, 6) }));
    assert.deepEqual(five.Layers?.map((l) => l.Arn), arns.slice(1, 6));
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'sdk-fl' }));
    assert.equal(v2.Version, '2', 'a change of layers alone is a new version');
    const old = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-fl', Qualifier: '1' }));
    assert.deepEqual(old.Layers?.map((l) => l.Arn), arns.slice(0, 2), 'version 1 keeps its layers');

    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fl', Layers: arns })),
      InvalidParameterValueException,
      400,
      /more than 5 layers/,
    );
    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fl', Layers: [`${ARN}:sdk-no-such-layer:1`] })),
      InvalidParameterValueException,
      400,
      /does not exist/,
    );
    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fl', Layers: [`${ARN}:sdk-fl-0:7`] })),
      InvalidParameterValueException,
      400,
    );
    const second = (await publish('sdk-fl-0', { 'again.txt': '1' })).LayerVersionArn!;
    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fl', Layers: [arns[0]!, second] })),
      InvalidParameterValueException,
      400,
      /same layer/,
    );
    await rejectsWith(
      lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-fl-bad', Layers: [`${ARN}:sdk-no-such-layer:1`] })),
      InvalidParameterValueException,
      400,
    );
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-fl-bad' })), ResourceNotFoundException, 404);
    const unchanged = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-fl' }));
    assert.equal(unchanged.RevisionId, five.RevisionId, 'refused updates wrote nothing');

    // Deleting a layer version leaves the functions that use it as they were.
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'sdk-fl-1', VersionNumber: 1 }));
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-fl' }));
    assert.deepEqual(after.Layers?.map((l) => l.Arn), arns.slice(1, 6));
    const other = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fl', MemorySize: 256 }));
    assert.deepEqual(other.Layers?.map((l) => l.Arn), arns.slice(1, 6), 'other updates keep the layers');

    const cleared = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-fl', Layers: [] }));
    assert.equal(cleared.Layers, undefined);
  });

  it('counts layers in the unzipped size limit of a function', async () => {
    const small = await startTestHearth({ unzippedLimitBytes: 4000 });
    const sdk = client(small);
    try {
      const layer = await sdk.send(new PublishLayerVersionCommand({ LayerName: 'half', Content: { ZipFile: await zipOf({ 'a.txt': 'a'.repeat(2500) }) } }));
      const code = (extra: number) => zipOf({ 'index.js': 'exports.handler = async () => 1;', 'pad.txt': 'p'.repeat(extra) });
      const base = { Runtime: RUNTIME as never, Handler: 'index.handler', Role: ROLE };
      const combined = /Function code combined with layers exceeds the maximum allowed size of 4000 bytes/;

      await rejectsWith(
        sdk.send(new CreateFunctionCommand({ ...base, FunctionName: 'too-big', Code: { ZipFile: await code(2000) }, Layers: [layer.LayerVersionArn!] })),
        InvalidParameterValueException,
        400,
        combined,
      );
      await sdk.send(new CreateFunctionCommand({ ...base, FunctionName: 'fits', Code: { ZipFile: await code(1000) }, Layers: [layer.LayerVersionArn!] }));
      await rejectsWith(sdk.send(new UpdateFunctionCodeCommand({ FunctionName: 'fits', ZipFile: await code(2000) })), InvalidParameterValueException, 400, combined);
      await rejectsWith(
        sdk.send(new UpdateFunctionCodeCommand({ FunctionName: 'fits', ZipFile: await code(2000), DryRun: true })),
        InvalidParameterValueException,
        400,
        combined,
      );

      await sdk.send(new CreateFunctionCommand({ ...base, FunctionName: 'plain', Code: { ZipFile: await code(2000) } }));
      await rejectsWith(
        sdk.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'plain', Layers: [layer.LayerVersionArn!] })),
        InvalidParameterValueException,
        400,
        combined,
      );
      assert.equal((await sdk.send(new GetFunctionConfigurationCommand({ FunctionName: 'plain' }))).Layers, undefined);
    } finally {
      sdk.destroy();
      await small.stop();
    }
  });
});
