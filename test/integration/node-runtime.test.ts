import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, type Hearth, invoke, startTestHearth } from '../support/hearth.js';

describe('Node.js runtime', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth();
  });
  after(() => h.stop());

  it('loads CommonJS, .mjs, .cjs and "type": "module" handlers', async () => {
    await deploy(h, { name: 'cjs', files: { 'index.js': `exports.handler = async (e) => ({ cjs: e.x });` } });
    await deploy(h, { name: 'mjs', handler: 'src/app.handler', files: { 'src/app.mjs': `export const handler = async (e) => ({ mjs: e.x });` } });
    await deploy(h, { name: 'dotcjs', handler: 'lib.handler', files: { 'lib.cjs': `module.exports.handler = async (e) => ({ dotcjs: e.x });` } });
    await deploy(h, {
      name: 'esm-js',
      files: { 'package.json': '{"type":"module"}', 'index.js': `import { hello } from './dep.js'; export async function handler(e) { return { esm: hello(e.x) }; }`, 'dep.js': `export const hello = (x) => 'hello ' + x;` },
    });
    assert.deepEqual((await invoke(h, 'cjs', { x: 1 })).json, { cjs: 1 });
    assert.deepEqual((await invoke(h, 'mjs', { x: 2 })).json, { mjs: 2 });
    assert.deepEqual((await invoke(h, 'dotcjs', { x: 3 })).json, { dotcjs: 3 });
    assert.deepEqual((await invoke(h, 'esm-js', { x: 4 })).json, { esm: 'hello 4' });
  });

  it('supports callback handlers, with and without callbackWaitsForEmptyEventLoop', async () => {
    await deploy(h, {
      name: 'callback',
      files: {
        'index.js': `
exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = event.wait;
  const started = Date.now();
  globalThis.started = started;
  setTimeout(() => { globalThis.pendingDone = Date.now(); }, 300);
  if (event.fail) return callback(new TypeError('bad input'));
  callback(null, { ok: true });
};`,
      },
    });
    let t0 = Date.now();
    assert.deepEqual((await invoke(h, 'callback', { wait: true })).json, { ok: true });
    assert.ok(Date.now() - t0 >= 280, 'waited for the event loop to drain');
    t0 = Date.now();
    assert.deepEqual((await invoke(h, 'callback', { wait: false })).json, { ok: true });
    assert.ok(Date.now() - t0 < 250, 'answered before the pending timer');
    const failed = await invoke(h, 'callback', { wait: false, fail: true });
    assert.equal(failed.functionError, 'Unhandled');
    const err = failed.json as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(err.errorType, 'TypeError');
    assert.equal(err.errorMessage, 'bad input');
    assert.ok(Array.isArray(err.trace) && err.trace[0]!.startsWith('TypeError: bad input'));
  });

  it('passes the Lambda context object', async () => {
    await deploy(h, {
      name: 'ctx',
      memory: 256,
      timeout: 7,
      files: {
        'index.js': `
exports.handler = async (event, context) => ({
  awsRequestId: context.awsRequestId,
  functionName: context.functionName,
  functionVersion: context.functionVersion,
  memoryLimitInMB: context.memoryLimitInMB,
  invokedFunctionArn: context.invokedFunctionArn,
  logGroupName: context.logGroupName,
  logStreamName: context.logStreamName,
  remaining: context.getRemainingTimeInMillis(),
  callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
  clientContext: context.clientContext,
});`,
      },
    });
    const r = await invoke(h, 'ctx', {}, { headers: { 'x-amz-client-context': Buffer.from('{"custom":{"a":1}}').toString('base64') } });
    const c = r.json as Record<string, unknown>;
    assert.match(c.awsRequestId as string, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('x-amzn-requestid'), c.awsRequestId);
    assert.equal(c.functionName, 'ctx');
    assert.equal(c.functionVersion, '$LATEST');
    assert.equal(c.memoryLimitInMB, '256');
    assert.match(c.invokedFunctionArn as string, /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:ctx$/);
    assert.equal(c.logGroupName, '/aws/lambda/ctx');
    assert.match(c.logStreamName as string, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]+$/);
    assert.ok((c.remaining as number) > 6000 && (c.remaining as number) <= 7000);
    assert.equal(c.callbackWaitsForEmptyEventLoop, true);
    assert.deepEqual(c.clientContext, { custom: { a: 1 } });
  });

  it('returns handler errors as {errorType, errorMessage, trace} with X-Amz-Function-Error: Unhandled', async () => {
    await deploy(h, { name: 'throws', files: { 'index.js': `class PaymentFailedError extends Error { constructor(m) { super(m); this.name = 'PaymentFailedError'; } }
exports.handler = async () => { throw new PaymentFailedError('card declined'); };` } });
    const r = await invoke(h, 'throws');
    assert.equal(r.status, 200);
    assert.equal(r.functionError, 'Unhandled');
    const e = r.json as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(e.errorType, 'PaymentFailedError');
    assert.equal(e.errorMessage, 'card declined');
    assert.ok(e.trace.length > 1);
  });

  it('captures console output per request, framed by START, END and REPORT', async () => {
    await deploy(h, { name: 'logger', files: { 'index.js': `console.log('init says hi'); exports.handler = async (e) => { console.log('hello', e.n); console.error('oops', e.n); process.stdout.write('raw ' + e.n + '\\n'); return e.n; };` } });
    const first = await invoke(h, 'logger', { n: 1 }, { log: true });
    const second = await invoke(h, 'logger', { n: 2 }, { log: true });
    const id1 = first.headers.get('x-amzn-requestid')!;
    const id2 = second.headers.get('x-amzn-requestid')!;
    const lines1 = first.log!.trimEnd().split('\n');
    assert.match(first.log!, /init says hi/);
    assert.ok(lines1.some((l) => l === `START RequestId: ${id1} Version: $LATEST`));
    assert.ok(lines1.some((l) => new RegExp(`^\\S+Z\\t${id1}\\tINFO\\thello 1$`).test(l)));
    assert.ok(lines1.some((l) => new RegExp(`^\\S+Z\\t${id1}\\tERROR\\toops 1$`).test(l)));
    assert.ok(lines1.includes('raw 1'));
    assert.ok(lines1.includes(`END RequestId: ${id1}`));
    assert.match(lines1.at(-1)!, new RegExp(`^REPORT RequestId: ${id1}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms`));
    assert.doesNotMatch(second.log!, /hello 1|init says hi/, 'second request sees only its own output');
    assert.match(second.log!, new RegExp(`${id2}\\tINFO\\thello 2`));

    const logs = await fetch(`${h.url}/hearth/v1/functions/logger/logs`).then((r) => r.json() as Promise<{ records: { text: string }[] }>);
    const all = logs.records.map((r) => r.text).join('');
    assert.match(all, new RegExp(`START RequestId: ${id1}[\\s\\S]*REPORT RequestId: ${id1}[\\s\\S]*START RequestId: ${id2}`));
  });
});
