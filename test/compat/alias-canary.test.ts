/**
 * Weighted alias routing measured on real invocations: 10,000 invokes of an alias with
 * AdditionalVersionWeights {"2": 0.1} over the HTTP API (Lambda's Invoke operation), counted by the
 * X-Amz-Executed-Version header, and weight shifts that leave the versions' warm
 * environments alone. The router's own pick statistics are in
 * test/unit/control/alias-routing.test.ts.
 */
import assert from 'node:assert/strict';
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { seededRandom, systemClock } from '../../src/common/index.js';
import { type Hearth, startHearth } from '../../src/server/index.js';
import { RUNTIME } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

const NAME = 'canary';
const ALIAS_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${NAME}:live`;
/** Requests in flight at once: enough to keep the server busy, few enough environments. */
const PARALLEL = 12;

/** Which code ran (tag), in which environment (envId), as which version. */
const source = (tag: string) => `
const envId = Math.random().toString(36).slice(2);
exports.handler = async (event, ctx) => ({ tag: ${JSON.stringify(tag)}, envId, version: ctx.functionVersion, arn: ctx.invokedFunctionArn });`;

interface Tally {
  byVersion: Record<string, number>;
  envs: Record<string, Set<string>>;
}

describe('a weighted alias over 10,000 real invocations', () => {
  let h: Hearth;
  let lambda: LambdaClient;
  const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });

  before(async () => {
    // Seeded: the routing draws are the same on every run (their order may differ).
    h = await startHearth({ port: 0, ephemeral: true }, systemClock, seededRandom(20240601));
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  });
  after(async () => {
    lambda.destroy();
    agent.destroy();
    await h.stop();
  });

  /**
   * A POST over a keep-alive connection. node:http rather than fetch or the SDK: about
   * half the client CPU per request, which matters for 10,000 of them on a small machine.
   */
  function post(path: string, body: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    const { hostname, port } = new URL(h.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: hostname, port, method: 'POST', path, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** `n` invocations of the alias, `parallel` at a time, each checked against the version it reports. */
  async function invokeAlias(n: number, parallel: number): Promise<Tally> {
    const tally: Tally = { byVersion: {}, envs: {} };
    let next = 0;
    const worker = async () => {
      while (next < n) {
        next++;
        const res = await post(`/2015-03-31/functions/${NAME}/invocations?Qualifier=live`, '{}');
        const body = res.body;
        assert.equal(res.status, 200, body);
        assert.equal(res.headers['x-amz-function-error'], undefined, body);
        const version = String(res.headers['x-amz-executed-version']);
        const reply = JSON.parse(body) as { tag: string; envId: string; version: string; arn: string };
        assert.equal(reply.version, version, 'the version reported is the one that ran');
        assert.equal(reply.tag, { '1': 'A', '2': 'B' }[version], `the code of version ${version}`);
        assert.equal(reply.arn, ALIAS_ARN);
        tally.byVersion[version] = (tally.byVersion[version] ?? 0) + 1;
        (tally.envs[version] ??= new Set()).add(reply.envId);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return tally;
  }

  const share = (t: Tally, version: string) => (t.byVersion[version] ?? 0) / Object.values(t.byVersion).reduce((a, b) => a + b, 0);
  const subset = (a: Set<string> | undefined, b: Set<string> | undefined) => [...(a ?? [])].every((x) => b?.has(x));

  it('sends 10% ± 1.5 points to version 2, and shifting the weights cold-starts neither version', async (t) => {
    const zip = async (tag: string) => new Uint8Array(await makeZip({ 'index.js': source(tag) }));
    await lambda.send(new CreateFunctionCommand({ FunctionName: NAME, Runtime: RUNTIME as never, Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/x', Code: { ZipFile: await zip('A') } }));
    await lambda.send(new PublishVersionCommand({ FunctionName: NAME }));
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: NAME, ZipFile: await zip('B') }));
    await lambda.send(new PublishVersionCommand({ FunctionName: NAME }));
    await lambda.send(new CreateAliasCommand({ FunctionName: NAME, Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));

    const started = performance.now();
    const canary = await invokeAlias(10_000, PARALLEL);
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`10,000 invokes, ${PARALLEL} in flight: ${seconds.toFixed(1)} s; version 2 ran ${canary.byVersion['2']}; environments v1 ${canary.envs['1']?.size}, v2 ${canary.envs['2']?.size}`);
    assert.deepEqual(Object.keys(canary.byVersion).sort(), ['1', '2'], 'only the alias’s two versions ran');
    assert.equal(canary.byVersion['1']! + canary.byVersion['2']!, 10_000);
    assert.ok(Math.abs(share(canary, '2') - 0.1) <= 0.015, `version 2 ran ${(share(canary, '2') * 100).toFixed(2)}% of 10,000 invocations`);
    assert.ok(canary.envs['1']!.size <= PARALLEL && canary.envs['2']!.size <= PARALLEL, 'environments are reused, never more than requests in flight');

    // Half the traffic to version 2: version 1 needs fewer environments, so none of its
    // requests may land on a new one.
    await lambda.send(new UpdateAliasCommand({ FunctionName: NAME, Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
    const half = await invokeAlias(2000, PARALLEL);
    assert.ok(Math.abs(share(half, '2') - 0.5) <= 0.05, `after the shift version 2 ran ${(share(half, '2') * 100).toFixed(1)}%`);
    assert.ok(subset(half.envs['1'], canary.envs['1']), 'version 1 ran only in the environments it had before the shift');

    // All traffic to version 2, one request at a time: it runs in an environment it
    // already had, and version 1's stay warm, idle, for a shift back.
    const v2Before = new Set([...canary.envs['2']!, ...half.envs['2']!]);
    const counts = () => h.pools.environments(NAME).get(NAME);
    const before = counts();
    await lambda.send(new UpdateAliasCommand({ FunctionName: NAME, Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
    const all = await invokeAlias(200, 1);
    assert.deepEqual(all.byVersion, { '2': 200 });
    assert.ok(subset(all.envs['2'], v2Before), 'version 2 was not cold-started either');
    assert.deepEqual(counts(), before, 'no environment was started or stopped by the shifts');
  });
});
