/**
 * Hearth's per-environment concurrency extension (`hearth config NAME
 * --max-concurrent-requests N`): one Node.js environment serves several requests at once,
 * each with its own logs; the default stays one request per environment, and runtimes
 * that cannot serve concurrently refuse the setting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findPython } from '../../src/pool/index.js';
import { hearthCli } from '../support/cli.js';
import { createFunction, deploy, type Hearth, invoke, startTestHearth } from '../support/hearth.js';

const IO_BOUND = {
  'index.js': `
    let inFlight = 0, peak = 0;
    exports.handler = async (event, context) => {
      inFlight++; peak = Math.max(peak, inFlight);
      console.log('start', event.n);
      await new Promise((r) => setTimeout(r, 400));
      console.log('end', event.n);
      inFlight--;
      return { n: event.n, pid: process.pid, stream: context.logStreamName, peak, id: context.awsRequestId };
    };`,
};

describe('per-environment concurrency (Hearth extension)', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth();
  });
  after(() => h.stop());

  it('8 concurrent requests share one environment when it allows 8, each with its own log', async () => {
    await deploy(h, { name: 'shared', files: IO_BOUND });
    const cli = await hearthCli(['config', 'shared', '--max-concurrent-requests', '8'], h.url);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /8 requests per environment/);

    // One cold start first, so all 8 find the environment ready.
    assert.equal((await invoke(h, 'shared', { n: 0 })).status, 200);
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => invoke(h, 'shared', { n: i + 1 }, { log: true })));
    const elapsed = Date.now() - started;
    const bodies = results.map((r) => r.json as { n: number; stream: string; peak: number; id: string });
    assert.equal(new Set(bodies.map((b) => b.stream)).size, 1, 'one environment served all 8');
    assert.ok(Math.max(...bodies.map((b) => b.peak)) >= 2, 'the handler ran requests at the same time');
    assert.ok(elapsed < 8 * 400, `8 × 400 ms handlers took ${elapsed} ms: not serialised`);
    for (const [i, r] of results.entries()) {
      const log = r.log ?? '';
      assert.match(log, new RegExp(`\\tINFO\\tstart ${i + 1}\\n`));
      assert.match(log, new RegExp(`\\tINFO\\tend ${i + 1}\\n`));
      // Only its own lines, tagged with its own request id.
      const lines = log.split('\n').filter((l) => /\tINFO\t(start|end) /.test(l));
      assert.equal(lines.length, 2, log);
      for (const l of lines) assert.ok(l.includes(bodies[i]!.id), l);
    }
    const envs = h.pools.environments('shared').get('shared')!;
    assert.equal(envs.initializing + envs.idle + envs.busy, 1);
    const get = await hearthCli(['get', 'shared'], h.url);
    assert.match(get.stdout, /"MaxConcurrentRequests": 8/);
  });

  it('beyond the per-environment limit, a second environment starts', async () => {
    await deploy(h, { name: 'two', files: IO_BOUND });
    const res = await fetch(`${h.url}/2015-03-31/functions/two/configuration`, { method: 'PUT', body: JSON.stringify({ MaxConcurrentRequests: 2 }) });
    assert.equal(res.status, 200);
    await invoke(h, 'two', { n: 0 });
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => invoke(h, 'two', { n: i })));
    const streams = new Set(results.map((r) => (r.json as { stream: string }).stream));
    assert.ok(streams.size >= 2 && streams.size <= 3, `${streams.size} environments for 4 requests at 2 each`);
  });

  it('is refused loudly where it cannot take effect: out of range, or a runtime that serves one request at a time', async () => {
    await deploy(h, { name: 'range', files: IO_BOUND });
    for (const bad of [0, 1001, 2.5]) {
      const res = await fetch(`${h.url}/2015-03-31/functions/range/configuration`, { method: 'PUT', body: JSON.stringify({ MaxConcurrentRequests: bad }) });
      assert.equal(res.status, 400, String(bad));
      assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidParameterValueException');
    }
    const python = findPython();
    if (python) {
      const created = await createFunction(h, { name: 'py', runtime: `python${python.version}`, handler: 'app.handler', files: { 'app.py': 'def handler(e, c):\n  return 1\n' } });
      assert.equal(created.status, 201);
      const res = await fetch(`${h.url}/2015-03-31/functions/py/configuration`, { method: 'PUT', body: JSON.stringify({ MaxConcurrentRequests: 2 }) });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { message: string }).message, /needs a Node\.js runtime/);
    }
    const cli = await hearthCli(['config', 'range', '--max-concurrent-requests', '0'], h.url);
    assert.equal(cli.code, 2);
    assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
  });
});
