import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, type Hearth, invoke, startTestHearth } from '../support/hearth.js';

describe('environment resources and isolation', () => {
  let h: Hearth;
  let namespaced = false;
  let cgroups = false;
  before(async () => {
    process.env.HEARTH_TEST_SERVER_SECRET = 'must-not-leak';
    h = await startTestHearth();
    namespaced = h.driver.name.startsWith('namespaces');
    cgroups = h.driver.name.includes('cgroup');
  });
  after(async () => {
    delete process.env.HEARTH_TEST_SERVER_SECRET;
    await h.stop();
  });

  it("shows the function only its own variables and Lambda's standard ones", async () => {
    await deploy(h, { name: 'vars', memory: 256, env: { GREETING: 'hi' }, files: { 'index.js': `exports.handler = async () => process.env;` } });
    const env = (await invoke(h, 'vars')).json as Record<string, string>;
    assert.equal(env.GREETING, 'hi');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'vars');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(env._HANDLER, 'index.handler');
    assert.equal(env.TZ, ':UTC');
    assert.ok(env.AWS_REGION);
    assert.ok(env.LAMBDA_TASK_ROOT);
    assert.equal(env.HEARTH_TEST_SERVER_SECRET, undefined, 'server variable leaked');
    assert.equal(env.NODE_CHANNEL_FD, undefined, 'channel variable visible to the function');
    assert.equal(env.NODE_EXTRA_CA_CERTS, undefined);
    assert.equal(env.NODE_OPTIONS, undefined);
  });

  it('lays out the filesystem as Lambda does: read-only /var/task, private /tmp per environment', async (t) => {
    if (!namespaced) return t.skip('bubblewrap is not installed: the plain-process driver has no private /tmp');
    await deploy(h, {
      name: 'fs',
      files: {
        'index.js': `
const fs = require('node:fs');
const me = Math.random().toString(36).slice(2);
exports.handler = async (e) => {
  let readOnly = false;
  try { fs.writeFileSync('/var/task/x', '1'); } catch (err) { readOnly = err.code === 'EROFS'; }
  fs.writeFileSync('/tmp/x', me);
  await new Promise((r) => setTimeout(r, e.waitMs));
  return { me, seen: fs.readFileSync('/tmp/x', 'utf8'), taskRoot: process.env.LAMBDA_TASK_ROOT, cwd: process.cwd(), readOnly };
};`,
      },
    });
    const [a, b] = await Promise.all([invoke(h, 'fs', { waitMs: 300 }), invoke(h, 'fs', { waitMs: 300 })]);
    for (const r of [a, b]) {
      const v = r.json as { me: string; seen: string; taskRoot: string; cwd: string; readOnly: boolean };
      assert.equal(v.seen, v.me, 'each environment sees only its own /tmp/x');
      assert.equal(v.taskRoot, '/var/task');
      assert.equal(v.cwd, '/var/task');
      assert.equal(v.readOnly, true);
    }
    assert.notEqual((a.json as { me: string }).me, (b.json as { me: string }).me);
  });

  it('caps the V8 heap at the memory size: Runtime.OutOfMemory, and the server stays up', async () => {
    await deploy(h, {
      name: 'heap-hog',
      memory: 128,
      timeout: 30,
      files: { 'index.js': `exports.handler = async (e) => { if (!e.hog) return 'ok'; const a = []; for (;;) a.push(new Array(1e5).fill(Math.random())); };` },
    });
    const r = await invoke(h, 'heap-hog', { hog: true });
    assert.equal(r.functionError, 'Unhandled');
    assert.equal((r.json as { errorType: string }).errorType, 'Runtime.OutOfMemory');
    assert.equal((await invoke(h, 'heap-hog')).json, 'ok');
  });

  it('sizes the V8 heap from the memory setting', async () => {
    const heap = `exports.handler = async () => require('node:v8').getHeapStatistics().heap_size_limit / 1048576;`;
    await deploy(h, { name: 'heap-small', memory: 128, files: { 'index.js': heap } });
    await deploy(h, { name: 'heap-large', memory: 1769, files: { 'index.js': heap } });
    const small = (await invoke(h, 'heap-small')).json as number;
    const large = (await invoke(h, 'heap-large')).json as number;
    // Node's default on this machine would be ~1/4 of physical memory for both.
    assert.ok(small < 300, `128 MB function has a ${small} MB heap limit`);
    assert.ok(large > small && large < 1769, `1769 MB function has a ${large} MB heap limit`);
  });

  it('caps memory outside the V8 heap at the OS level (cgroup)', async (t) => {
    if (!cgroups) return t.skip('cgroup v1 is not usable here: only the V8 heap is capped');
    await deploy(h, {
      name: 'buffer-hog',
      memory: 128,
      timeout: 30,
      files: { 'index.js': `const keep = []; exports.handler = async (e) => { if (!e.hog) return 'ok'; for (let i = 0; i < 64; i++) keep.push(Buffer.alloc(8 << 20, 1)); return keep.length; };` },
    });
    const r = await invoke(h, 'buffer-hog', { hog: true });
    assert.equal((r.json as { errorType: string }).errorType, 'Runtime.OutOfMemory');
    assert.equal((await invoke(h, 'buffer-hog')).json, 'ok');
  });

  it('gives an environment memory/1,769 of one CPU (measured)', async (t) => {
    if (!cgroups) return t.skip('cgroup v1 is not usable here: no CPU share');
    const spin = `exports.handler = async () => {
  const start = Date.now(); const cpu0 = process.cpuUsage();
  while (Date.now() - start < 1500) {}
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / (Date.now() - start);
};`;
    await deploy(h, { name: 'quarter-cpu', memory: 442, timeout: 10, files: { 'index.js': spin } });
    await deploy(h, { name: 'full-cpu', memory: 1769, timeout: 10, files: { 'index.js': spin } });
    const quarter = (await invoke(h, 'quarter-cpu')).json as number;
    const full = (await invoke(h, 'full-cpu')).json as number;
    assert.ok(quarter > 0.15 && quarter < 0.35, `442 MB got ${quarter.toFixed(2)} of a CPU, expected ~0.25`);
    assert.ok(full > 0.7, `1769 MB got ${full.toFixed(2)} of a CPU, expected ~1`);
  });
});
