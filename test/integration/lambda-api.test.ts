import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFunction, deploy, type Hearth, invoke, RUNTIME, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

async function call(h: Hearth, method: string, path: string, body?: unknown) {
  const res = await fetch(h.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: text ? JSON.parse(text) : undefined };
}

describe('Lambda API', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth();
  });
  after(() => h.stop());

  it('rejects bad configuration with InvalidParameterValueException (400) and writes nothing', async () => {
    const files = { 'index.js': 'exports.handler = async () => 1;' };
    const cases: [string, Parameters<typeof createFunction>[1]][] = [
      ['memory below 128', { name: 'bad1', files, memory: 64 }],
      ['memory above 10240', { name: 'bad2', files, memory: 20000 }],
      ['timeout above 900', { name: 'bad3', files, timeout: 901 }],
      ['reserved variable', { name: 'bad4', files, env: { AWS_REGION: 'x' } }],
      ['variables over 4 KB', { name: 'bad5', files, env: { BIG: 'x'.repeat(4100) } }],
      ['handler file missing', { name: 'bad6', files, handler: 'missing.handler' }],
      ['invalid name', { name: 'bad name!', files }],
      ['ephemeral storage too small', { name: 'bad7', files, ephemeralStorage: 100 }],
    ];
    for (const [what, d] of cases) {
      const res = await createFunction(h, d);
      assert.equal(res.status, 400, what);
      assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidParameterValueException', what);
      const body = (await res.json()) as { message: string };
      assert.ok(body.message.length > 10, what);
    }
    const list = await call(h, 'GET', '/2015-03-31/functions');
    assert.equal(list.json.Functions.filter((f: { FunctionName: string }) => f.FunctionName.startsWith('bad')).length, 0);
  });

  it('rejects a zip-slip package with 400', async () => {
    // yazl refuses "../" names, so patch a same-length name into the archive bytes.
    const zip = await makeZip({ 'index.js': 'exports.handler = async () => 1;', 'xx/evil.js': 'bad' });
    const patched = Buffer.from(zip.toString('latin1').replaceAll('xx/evil.js', '../evil.js'), 'latin1');
    const res = await fetch(`${h.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: 'slip', Runtime: RUNTIME, Handler: 'index.handler', Role: 'r', Code: { ZipFile: patched.toString('base64') } }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidParameterValueException');
  });

  it('answers 404 ResourceNotFoundException, 409 ResourceConflictException, 413 RequestTooLargeException', async () => {
    const missing = await call(h, 'GET', '/2015-03-31/functions/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.type, 'ResourceNotFoundException');
    assert.match(missing.json.Message, /Function not found: arn:aws:lambda:/);
    assert.equal((await invoke(h, 'nope')).status, 404);

    await deploy(h, { name: 'dup', files: { 'index.js': 'exports.handler = async () => 1;' } });
    const dup = await createFunction(h, { name: 'dup', files: { 'index.js': 'exports.handler = async () => 1;' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.headers.get('x-amzn-errortype'), 'ResourceConflictException');

    const big = await invoke(h, 'dup', JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) }));
    assert.equal(big.status, 413);
    assert.equal(big.headers.get('x-amzn-errortype'), 'RequestTooLargeException');
  });

  it('pages through ListFunctions with MaxItems and Marker', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await deploy(h, { name: n, files: { 'index.js': 'exports.handler = async () => 1;' } });
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await call(h, 'GET', `/2015-03-31/functions?MaxItems=2${marker ? `&Marker=${marker}` : ''}`);
      assert.ok(page.json.Functions.length <= 2);
      names.push(...page.json.Functions.map((f: { FunctionName: string }) => f.FunctionName));
      marker = page.json.NextMarker;
      pages++;
    } while (marker);
    assert.ok(pages >= 2);
    assert.deepEqual(names, [...names].sort());
    for (const n of ['page-a', 'page-b', 'page-c']) assert.ok(names.includes(n));
    assert.equal(new Set(names).size, names.length);
  });

  it('keeps serving the previous code when a redeploy fails', async () => {
    await deploy(h, { name: 'stable', files: { 'index.js': `exports.handler = async () => 'v1';` } });
    assert.equal((await invoke(h, 'stable')).json, 'v1');
    const bad = await makeZip({ 'other.js': `exports.handler = async () => 'v2';` });
    const res = await call(h, 'PUT', '/2015-03-31/functions/stable/code', { ZipFile: bad.toString('base64') });
    assert.equal(res.status, 400);
    const corrupt = await call(h, 'PUT', '/2015-03-31/functions/stable/code', { ZipFile: Buffer.from('not a zip').toString('base64') });
    assert.equal(corrupt.status, 400);
    assert.equal((await invoke(h, 'stable')).json, 'v1');
  });

  it('answers DryRun with 204 without running the function', async () => {
    await deploy(h, { name: 'dry', files: { 'index.js': `exports.handler = async () => { throw new Error('ran'); };` } });
    const r = await invoke(h, 'dry', {}, { headers: { 'x-amz-invocation-type': 'DryRun' } });
    assert.equal(r.status, 204);
    assert.equal(h.pools.environments('dry').get('dry'), undefined, 'no environment was started');
  });

  it('updates configuration, and the next request sees it', async () => {
    await deploy(h, { name: 'cfg', files: { 'index.js': `exports.handler = async () => ({ mem: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, v: process.env.V });` } });
    assert.deepEqual((await invoke(h, 'cfg')).json, { mem: '128' });
    const res = await call(h, 'PUT', '/2015-03-31/functions/cfg/configuration', { MemorySize: 512, Environment: { Variables: { V: 'x' } } });
    assert.equal(res.status, 200);
    assert.equal(res.json.MemorySize, 512);
    assert.deepEqual((await invoke(h, 'cfg')).json, { mem: '512', v: 'x' });
    const refused = await call(h, 'PUT', '/2015-03-31/functions/cfg/configuration', { VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] } });
    assert.equal(refused.status, 400, 'unsupported settings are refused, not ignored');
  });

  it('deletes a function', async () => {
    await deploy(h, { name: 'gone', files: { 'index.js': `exports.handler = async () => 1;` } });
    assert.equal((await invoke(h, 'gone')).json, 1);
    assert.equal((await call(h, 'DELETE', '/2015-03-31/functions/gone')).status, 204);
    assert.equal((await invoke(h, 'gone')).status, 404);
  });

  it('throttles past the node-wide concurrency cap with 429 TooManyRequestsException', async () => {
    const small = await startTestHearth({ maxConcurrency: 1 });
    try {
      await deploy(small, { name: 'busy', files: { 'index.js': `exports.handler = async () => { await new Promise(r => setTimeout(r, 500)); return 1; };` } });
      const [a, b] = await Promise.all([invoke(small, 'busy'), new Promise((r) => setTimeout(r, 100)).then(() => invoke(small, 'busy'))]);
      assert.equal(a.status, 200);
      assert.equal(b.status, 429);
      assert.equal(b.headers.get('x-amzn-errortype'), 'TooManyRequestsException');
      assert.equal((b.json as { Reason: string }).Reason, 'ConcurrentInvocationLimitExceeded');
    } finally {
      await small.stop();
    }
  });
});
