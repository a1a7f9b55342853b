import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { deploy, eventually, type Hearth, invoke, sleep, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

// A handler that reports which environment served it and how many requests it has seen.
const IDENTITY = `
const envId = Math.random().toString(36).slice(2);
let served = 0;
exports.handler = async (event) => {
  served++;
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  return { envId, served };
};`;

describe('execution environments', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ keepAliveMs: 60_000 });
  });
  after(() => h.stop());

  it('cold-starts once, then reuses the warm environment (Init runs once)', async () => {
    await deploy(h, { name: 'warm', files: { 'index.js': IDENTITY } });
    const first = await invoke(h, 'warm', {}, { log: true });
    const second = await invoke(h, 'warm', {}, { log: true });
    const a = first.json as { envId: string; served: number };
    const b = second.json as { envId: string; served: number };
    assert.equal(a.envId, b.envId, 'same environment');
    assert.deepEqual([a.served, b.served], [1, 2]);
    assert.match(first.log!, /Init Duration: \d+\.\d\d ms/);
    assert.doesNotMatch(second.log!, /Init Duration/);
  });

  it('serves N simultaneous requests with N environments, one request each', async () => {
    await deploy(h, { name: 'fanout', files: { 'index.js': IDENTITY } });
    const results = await Promise.all([1, 2, 3, 4].map(() => invoke(h, 'fanout', { sleepMs: 400 })));
    const ids = new Set(results.map((r) => (r.json as { envId: string }).envId));
    assert.equal(ids.size, 4);
    for (const r of results) assert.equal((r.json as { served: number }).served, 1);
    const counts = h.pools.environments('fanout').get('fanout')!;
    assert.equal(counts.idle, 4);
  });

  it('freezes idle environments: their timers do not run between requests', async () => {
    await deploy(h, {
      name: 'frozen',
      files: {
        'index.js': `
let ticks = 0;
setInterval(() => ticks++, 10);
exports.handler = async () => ticks;`,
      },
    });
    await invoke(h, 'frozen');
    const before = (await invoke(h, 'frozen')).json as number;
    await sleep(600);
    const afterIdle = (await invoke(h, 'frozen')).json as number;
    // Unfrozen, 600 ms of 10 ms ticks would add ~60.
    assert.ok(afterIdle - before < 10, `ticks advanced by ${afterIdle - before} while idle`);
  });

  it('retires old environments on redeploy: in-flight requests finish, the next request runs the new code', async () => {
    await deploy(h, { name: 'redeploy', files: { 'index.js': `exports.handler = async (e) => { await new Promise(r => setTimeout(r, e.sleepMs || 0)); return 'v1'; };` } });
    await invoke(h, 'redeploy');
    const inFlight = invoke(h, 'redeploy', { sleepMs: 500 });
    await sleep(100);
    const zip = await makeZip({ 'index.js': `exports.handler = async () => 'v2';` });
    const res = await fetch(`${h.url}/2015-03-31/functions/redeploy/code`, { method: 'PUT', body: JSON.stringify({ ZipFile: zip.toString('base64') }) });
    assert.equal(res.status, 200);
    const next = await invoke(h, 'redeploy', {}, { log: true });
    assert.equal(next.json, 'v2');
    assert.match(next.log!, /Init Duration/, 'new code cold-starts');
    assert.equal((await inFlight).json, 'v1', 'in-flight request finished on the old code');
    await eventually(() => h.pools.environments('redeploy').get('redeploy')?.retiring === 0);
  });

  it('kills an environment past its timeout and cold-starts the next request', async () => {
    await deploy(h, {
      name: 'slow',
      timeout: 1,
      files: { 'index.js': `let n = 0; exports.handler = async (e) => { n++; if (e.hang) await new Promise(r => setTimeout(r, 5000)); return n; };` },
    });
    const started = Date.now();
    const timedOut = await invoke(h, 'slow', { hang: true }, { log: true });
    const elapsed = Date.now() - started;
    assert.equal(timedOut.status, 200);
    assert.equal(timedOut.functionError, 'Unhandled');
    const err = timedOut.json as { errorType: string; errorMessage: string };
    assert.equal(err.errorType, 'Sandbox.Timedout');
    assert.match(err.errorMessage, /Task timed out after 1\.00 seconds/);
    assert.ok(elapsed >= 1000 && elapsed < 3000, `answered after ${elapsed} ms`);
    assert.match(timedOut.log!, /Task timed out after 1\.00 seconds/);
    const next = await invoke(h, 'slow', {}, { log: true });
    assert.equal(next.json, 1, 'a fresh environment served the next request');
    assert.match(next.log!, /Init Duration/);
  });

  it('reports process.exit and uncaught exceptions as Runtime.ExitError and discards the environment', async () => {
    await deploy(h, {
      name: 'crash',
      files: {
        'index.js': `
let n = 0;
exports.handler = async (e) => {
  n++;
  if (e.exit) process.exit(3);
  if (e.throwLater) { setTimeout(() => { throw new Error('boom'); }, 1); await new Promise(r => setTimeout(r, 1000)); }
  return n;
};`,
      },
    });
    const exited = await invoke(h, 'crash', { exit: true });
    assert.equal(exited.functionError, 'Unhandled');
    assert.deepEqual(exited.json && { type: (exited.json as { errorType: string }).errorType }, { type: 'Runtime.ExitError' });
    assert.match((exited.json as { errorMessage: string }).errorMessage, /Runtime exited with error: exit status 3/);
    assert.equal((await invoke(h, 'crash')).json, 1, 'fresh environment after the crash');
    const thrown = await invoke(h, 'crash', { throwLater: true }, { log: true });
    assert.equal((thrown.json as { errorType: string }).errorType, 'Runtime.ExitError');
    assert.match(thrown.log!, /Uncaught Exception.*boom/);
    assert.equal((await invoke(h, 'crash')).json, 1);
  });

  it('surfaces Init failures with Lambda error types and retries Init in a fresh environment', async () => {
    await deploy(h, { name: 'import-error', files: { 'index.js': `require('left-pad-not-installed'); exports.handler = async () => 1;` } });
    const first = await invoke(h, 'import-error');
    assert.equal(first.functionError, 'Unhandled');
    assert.equal((first.json as { errorType: string }).errorType, 'Runtime.ImportModuleError');
    assert.match((first.json as { errorMessage: string }).errorMessage, /left-pad-not-installed/);
    const again = await invoke(h, 'import-error', {}, { log: true });
    assert.equal((again.json as { errorType: string }).errorType, 'Runtime.ImportModuleError');
    assert.match(again.log!, /Init Duration/, 'Init ran again in a new environment');

    await deploy(h, { name: 'no-export', files: { 'index.js': `exports.other = async () => 1;` } });
    const missing = await invoke(h, 'no-export');
    assert.equal((missing.json as { errorType: string }).errorType, 'Runtime.HandlerNotFound');
    assert.equal((missing.json as { errorMessage: string }).errorMessage, 'index.handler is undefined or not exported');

    await deploy(h, { name: 'syntax', files: { 'index.js': `exports.handler = async () => {` } });
    assert.equal(((await invoke(h, 'syntax')).json as { errorType: string }).errorType, 'Runtime.UserCodeSyntaxError');
  });
});

describe('idle reclaim', () => {
  let h: Hearth;
  let hook: ReturnType<typeof createServer>;
  const hits: string[] = [];
  before(async () => {
    hook = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', () => ok()));
    h = await startTestHearth({ keepAliveMs: 1000, shutdownGraceMs: 2000 });
  });
  after(async () => {
    await h.stop();
    hook.close();
  });

  it('reclaims an idle environment after the keep-alive window, running its SIGTERM hook first', async () => {
    const port = (hook.address() as AddressInfo).port;
    await deploy(h, {
      name: 'reclaim',
      env: { HOOK: `http://127.0.0.1:${port}/sigterm` },
      files: {
        'index.js': `
const http = require('node:http');
const envId = Math.random().toString(36).slice(2);
process.on('SIGTERM', () => {
  http.get(process.env.HOOK + '?env=' + envId, () => process.exit(0));
});
exports.handler = async () => envId;`,
      },
    });
    const first = (await invoke(h, 'reclaim')).json as string;
    assert.equal((await invoke(h, 'reclaim')).json, first, 'warm within the window');
    await eventually(() => hits.includes(`/sigterm?env=${first}`), 5000);
    await eventually(() => (h.pools.environments('reclaim').get('reclaim')?.idle ?? 0) === 0);
    const next = await invoke(h, 'reclaim', {}, { log: true });
    assert.notEqual(next.json, first, 'a new environment after reclaim');
    assert.match(next.log!, /Init Duration/);
  });
});
