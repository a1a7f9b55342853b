/**
 * Pre-warmed generic environments on a real server with real sandboxed processes: a cold
 * start takes one (no spawn on the request path) and the function cannot tell — same
 * variables, context, working directory and module resolution as a plain start, layers
 * at /opt, the memory cap. Each generic environment serves one function only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, eventually, type Hearth, invoke, publishLayer, RUNTIME, startTestHearth } from '../support/hearth.js';

/** Waits until the pool holds `n` ready generic environments of `memoryMb`. */
function poolReady(h: Hearth, memoryMb: number, n = 1): Promise<boolean> {
  return eventually(() => (h.generic?.counts().get(`${RUNTIME}/${memoryMb}`)?.ready ?? 0) >= n, 15_000);
}

/** Everything a handler can see of its start, as JSON. */
const PROBE = `
const Module = require('node:module');
exports.handler = async (event, context) => {
  const { getRemainingTimeInMillis, succeed, fail, done, ...ctx } = context;
  let layer;
  try { layer = require('probe-lib'); } catch (e) { layer = e.code; }
  return {
    env: process.env,
    ctx,
    cwd: process.cwd(),
    paths: module.paths,
    globalPaths: Module.globalPaths,
    resolved: require.resolve('./index.js'),
    layer,
    argv: process.argv,
    execArgv: process.execArgv,
    heapMb: Math.round(require('node:v8').getHeapStatistics().heap_size_limit / 1048576),
    tmp: require('node:fs').readdirSync('/tmp'),
    task: require('node:fs').readdirSync('/var/task').sort(),
  };
};`;

type Probe = { env: Record<string, string>; ctx: Record<string, unknown>; [k: string]: unknown };

/**
 * Drops what differs between any two cold starts (ids, the environment id in the stream
 * name) and between two servers (their URL, and the function credential each derives from
 * its own secret) — after checking those are what that server injects.
 */
function comparable(p: Probe, server: Hearth): Probe {
  const { AWS_LAMBDA_LOG_STREAM_NAME, AWS_ENDPOINT_URL, HEARTH_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...env } = p.env;
  assert.equal(AWS_ENDPOINT_URL, server.url);
  assert.equal(HEARTH_ENDPOINT, server.url);
  assert.match(String(AWS_ACCESS_KEY_ID), /^HF[0-9A-F]{18}$/);
  assert.ok(String(AWS_SECRET_ACCESS_KEY).length >= 32);
  const { awsRequestId, logStreamName, ...ctx } = p.ctx;
  assert.match(String(AWS_LAMBDA_LOG_STREAM_NAME), /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]+$/);
  assert.equal(logStreamName, AWS_LAMBDA_LOG_STREAM_NAME);
  assert.ok(awsRequestId);
  return { ...p, env, ctx };
}

describe('pre-warmed generic environments', () => {
  let h: Hearth;
  let plain: Hearth;
  let supported = false;
  before(async () => {
    plain = await startTestHearth({ prewarm: 0 });
    supported = Boolean(plain.driver.prewarmable);
    h = await startTestHearth(supported ? { prewarm: 2 } : {});
  });
  after(async () => {
    await h.stop();
    await plain.stop();
  });

  it('serves a cold start from a generic environment and reports its Init Duration', async (t) => {
    if (!supported) return t.skip('needs bubblewrap and cgroup v1');
    await poolReady(h, 128, 2);
    const hits = h.generic!.stats.hits;
    await deploy(h, { name: 'warm-one', files: { 'index.js': `console.log('init ran'); exports.handler = async (e) => ({ echo: e });` } });
    const r = await invoke(h, 'warm-one', { x: 1 }, { log: true });
    assert.equal(r.functionError, null, r.body);
    assert.deepEqual(r.json, { echo: { x: 1 } });
    assert.equal(h.generic!.stats.hits, hits + 1, 'the cold start took a generic environment');
    assert.match(r.log ?? '', /Init Duration: \d+\.\d+ ms/);
    assert.match(r.log ?? '', /init ran/);
    // Warm afterwards, as any environment.
    const again = await invoke(h, 'warm-one', { x: 2 }, { log: true });
    assert.deepEqual(again.json, { echo: { x: 2 } });
    assert.doesNotMatch(again.log ?? '', /Init Duration/);
  });

  it('shows the handler the same variables, context, paths and layers as a plain start', async (t) => {
    if (!supported) return t.skip('needs bubblewrap and cgroup v1');
    const deployBoth = async (server: Hearth) => {
      const layer = await publishLayer(server, 'probe-lib', { 'nodejs/node_modules/probe-lib/index.js': `module.exports = 'from layer';` });
      await deploy(server, { name: 'probe', env: { GREETING: 'hi', EMPTY: '' }, layers: [layer], files: { 'index.js': PROBE, 'lib/x.js': '' } });
    };
    await deployBoth(plain);
    await deployBoth(h);
    await poolReady(h, 128);
    const hits = h.generic!.stats.hits;
    const viaGeneric = (await invoke(h, 'probe')).json as Probe;
    assert.equal(h.generic!.stats.hits, hits + 1);
    const viaSpawn = (await invoke(plain, 'probe')).json as Probe;
    assert.equal(viaGeneric.layer, 'from layer');
    assert.equal(viaGeneric.env.GREETING, 'hi');
    assert.equal(viaGeneric.env.HEARTH_GENERIC, undefined);
    assert.equal(viaGeneric.env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
    assert.deepEqual(viaGeneric.task, ['index.js', 'lib']);
    // Beyond the server's URL and credential, only the region could differ; both use the default.
    assert.deepEqual(comparable(viaGeneric, h), comparable(viaSpawn, plain));
  });

  it('keeps the memory cap: a function over its memory gets Runtime.OutOfMemory', async (t) => {
    if (!supported) return t.skip('needs bubblewrap and cgroup v1');
    await poolReady(h, 128);
    const hits = h.generic!.stats.hits;
    await deploy(h, {
      name: 'hog',
      timeout: 30,
      files: { 'index.js': `const keep = []; exports.handler = async (e) => { if (!e.hog) return 'ok'; for (let i = 0; i < 64; i++) keep.push(Buffer.alloc(8 << 20, 1)); return keep.length; };` },
    });
    const r = await invoke(h, 'hog', { hog: true });
    assert.equal(h.generic!.stats.hits, hits + 1);
    assert.equal((r.json as { errorType: string }).errorType, 'Runtime.OutOfMemory', r.body);
    assert.equal((await invoke(h, 'hog')).json, 'ok');
  });

  it('sizes the V8 heap from the function memory (a tier per memory size)', async (t) => {
    if (!supported) return t.skip('needs bubblewrap and cgroup v1');
    const heap = `exports.handler = async () => require('node:v8').getHeapStatistics().heap_size_limit / 1048576;`;
    await deploy(h, { name: 'heap-1024-a', memory: 1024, files: { 'index.js': heap } });
    const first = (await invoke(h, 'heap-1024-a')).json as number;
    await poolReady(h, 1024);
    const hits = h.generic!.stats.hits;
    await deploy(h, { name: 'heap-1024-b', memory: 1024, files: { 'index.js': heap } });
    const second = (await invoke(h, 'heap-1024-b')).json as number;
    assert.equal(h.generic!.stats.hits, hits + 1);
    assert.equal(second, first, 'the same heap limit as a plain start of that size');
  });

  it('never gives two functions the same environment', async (t) => {
    if (!supported) return t.skip('needs bubblewrap and cgroup v1');
    await poolReady(h, 128, 2);
    const who = (name: string) => `exports.handler = async () => ({ me: '${name}', stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME, files: require('fs').readdirSync('/var/task') });`;
    await deploy(h, { name: 'one', files: { 'index.js': who('one'), 'one.txt': '1' } });
    await deploy(h, { name: 'two', files: { 'index.js': who('two'), 'two.txt': '2' } });
    const [a, b] = await Promise.all([invoke(h, 'one'), invoke(h, 'two')]);
    const one = a.json as { me: string; stream: string; files: string[] };
    const two = b.json as { me: string; stream: string; files: string[] };
    assert.equal(one.me, 'one');
    assert.equal(two.me, 'two');
    assert.notEqual(one.stream.split(']')[1], two.stream.split(']')[1], 'different environments');
    assert.deepEqual(one.files.sort(), ['index.js', 'one.txt']);
    assert.deepEqual(two.files.sort(), ['index.js', 'two.txt']);
  });

  it('starts plainly when the function needs more /tmp or sets a start-up variable', async (t) => {
    if (!supported) return t.skip('needs bubblewrap and cgroup v1');
    await poolReady(h, 128);
    const before = { ...h.generic!.stats };
    const files = { 'index.js': `exports.handler = async () => process.env.NODE_OPTIONS ?? 'none';` };
    await deploy(h, { name: 'big-tmp', ephemeralStorage: 1024, files });
    await deploy(h, { name: 'node-opts', env: { NODE_OPTIONS: '--no-deprecation' }, files });
    assert.equal((await invoke(h, 'big-tmp')).json, 'none');
    assert.equal((await invoke(h, 'node-opts')).json, '--no-deprecation');
    assert.deepEqual(h.generic!.stats, before, 'neither took nor missed a generic environment');
  });

  it('--prewarm 0 disables the pool; cold starts spawn', async () => {
    assert.equal(plain.generic, undefined);
    await deploy(plain, { name: 'plain-cold', files: { 'index.js': `exports.handler = async () => 'ok';` } });
    assert.equal((await invoke(plain, 'plain-cold')).json, 'ok');
  });

  it('refuses --prewarm where the sandbox cannot pre-warm', async () => {
    await assert.rejects(startTestHearth({ sandbox: 'process', prewarm: 2 }), /--prewarm 2 needs bubblewrap/);
    await assert.rejects(startTestHearth({ prewarm: -1 }), /--prewarm must be an integer/);
  });

  it('kills its generic environments at shutdown', async (t) => {
    if (!supported) return t.skip('needs bubblewrap and cgroup v1');
    const s = await startTestHearth({ prewarm: 1 });
    await poolReady(s, 128);
    await s.stop();
    assert.equal(s.generic!.reservedMb(), 0);
    assert.deepEqual([...s.generic!.counts()], []);
  });
});
