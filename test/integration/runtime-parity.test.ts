/**
 * Hearth's Node bootstrap talks to the server over a private IPC pipe; a custom runtime
 * talks the Lambda Runtime API. What a handler sees must not depend on which: this runs
 * the same handlers on the Node runtime and on `provided.al2023` with AWS's own runtime
 * interface client (the `aws-lambda-ric` package, which Lambda's managed Node runtimes
 * are built from) as the bootstrap, once with its native HTTP client and once with its
 * Node `http` client, and compares what comes back: results, context, errors, logs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deploy, type Hearth, invoke, type Invocation, RUNTIME, startTestHearth } from '../support/hearth.js';

const RIC_DIR = dirname(createRequire(import.meta.url).resolve('aws-lambda-ric/package.json'));
const RIC_FILES = ['package.json', 'bin/index.mjs', 'dist/index.mjs', 'dist/rapid-client.node'];

const HANDLERS = `
class PaymentFailedError extends Error {
  constructor(m) { super(m); this.name = 'PaymentFailedError'; }
}
class UnnamedError extends Error {}
exports.handler = async (event, context) => {
  console.log('hello', event.n, { nested: [1, 2] });
  console.info('info line');
  console.warn('warn line');
  console.error('error line', event.unicode);
  process.stdout.write('raw stdout line\\n');
  if (event.fail) throw new PaymentFailedError('card declined: ' + event.n);
  if (event.unnamed) throw Object.assign(new UnnamedError('no name of its own'), { code: 'E_UNNAMED', details: { a: 1 } });
  if (event.undef) return undefined;
  const remaining = context.getRemainingTimeInMillis();
  return {
    event,
    context: { ...context, remainingOk: remaining > 0 && remaining <= 5000, keys: Object.keys(context).sort() },
    env: {
      handler: process.env._HANDLER,
      name: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      taskRoot: process.env.LAMBDA_TASK_ROOT,
      tz: process.env.TZ,
      region: process.env.AWS_REGION,
      custom: process.env.CUSTOM,
      trace: process.env._X_AMZN_TRACE_ID ?? null,
    },
    cwd: process.cwd(),
  };
};
exports.callback = (event, context, callback) => {
  console.log('callback style', event.n);
  if (event.fail) return callback(new TypeError('bad input'));
  callback(null, { doubled: event.n * 2 });
};
`;

type Variant = { name: string; runtime: string; files: Record<string, string | Buffer>; env: Record<string, string> };

function variants(): Variant[] {
  const ric: Record<string, Buffer> = {};
  for (const f of RIC_FILES) ric[`node_modules/aws-lambda-ric/${f}`] = readFileSync(join(RIC_DIR, f));
  const bootstrap = `#!/bin/sh\nexec ${process.execPath} "$LAMBDA_TASK_ROOT/node_modules/aws-lambda-ric/bin/index.mjs" "$_HANDLER"\n`;
  return [
    { name: 'via-ipc', runtime: RUNTIME, files: { 'index.js': HANDLERS }, env: {} },
    { name: 'via-ric', runtime: 'provided.al2023', files: { 'index.js': HANDLERS, bootstrap, ...ric }, env: {} },
    {
      name: 'via-ric-http',
      runtime: 'provided.al2023',
      files: { 'index.js': HANDLERS, bootstrap, ...ric },
      env: { AWS_LAMBDA_NODEJS_USE_ALTERNATIVE_CLIENT_1: 'true' },
    },
  ];
}

/** What must be equal: the text with the function's name, request id, times and the runtime's own frames taken out. */
function normalize(text: string, name: string, requestId: string): string {
  return text
    .replaceAll(requestId, 'REQUEST-ID')
    .replaceAll(name, 'FUNCTION')
    .replace(/\[\$LATEST\][0-9a-f]+/g, '[$LATEST]ENV')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME');
}

/**
 * Stack frames of the function's own code. The runtime's frames differ by design, and so
 * does the name V8 gives the handler's frame after how the runtime calls it
 * (`exports.callback [as handler]`).
 */
const ownFrames = (trace: string[]) =>
  trace.filter((l, i) => i === 0 || (l.includes('index.js') && !l.includes('node_modules'))).map((l) => l.replace(/ \[as \w+\]/, ''));

/** The lines a request printed, between START and END. */
function requestLines(r: Invocation): string[] {
  const log = r.log ?? '';
  const body = log.slice(log.indexOf('START RequestId'), log.indexOf('END RequestId')).split('\n').slice(1, -1);
  return body.map((line) => {
    const m = /^(.*Invoke Error \t)(\{.*\})$/.exec(line);
    if (!m) return line;
    const e = JSON.parse(m[2]!) as { stack?: string[] };
    return m[1] + JSON.stringify({ ...e, stack: ownFrames(e.stack ?? []) });
  });
}

function view(v: Variant, r: Invocation) {
  const id = r.headers.get('x-amzn-requestid') ?? '';
  const payload = r.json as { trace?: string[] } | null;
  const result = payload && Array.isArray(payload.trace) ? { ...payload, trace: ownFrames(payload.trace) } : payload;
  return {
    status: r.status,
    functionError: r.functionError,
    result: JSON.parse(normalize(JSON.stringify(result), v.name, id)) as unknown,
    logs: requestLines(r).map((l) => normalize(l, v.name, id)),
    report: /^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d\d ms\t)?$/m.exec(r.log ?? '')?.[1] ? 'cold' : /^REPORT /m.test(r.log ?? '') ? 'warm' : 'none',
  };
}

describe('what a handler sees is the same over the private channel and over the Runtime API', () => {
  let h: Hearth;
  const all = variants();
  before(async () => {
    h = await startTestHearth();
    for (const v of all) {
      for (const handler of ['index.handler', 'index.callback']) {
        await deploy(h, {
          name: `${v.name}-${handler.slice(6)}`,
          runtime: v.runtime,
          handler,
          memory: 1024,
          timeout: 5,
          env: { CUSTOM: 'yes', ...v.env },
          files: v.files,
          modes: { bootstrap: 0o100755 },
        });
      }
    }
  });
  after(() => h.stop());

  async function runAll(fn: string, event: unknown, headers: Record<string, string> = {}) {
    const views = [];
    for (const v of all) {
      const name = `${v.name}-${fn}`;
      views.push(view({ ...v, name }, await invoke(h, name, event, { log: true, headers })));
    }
    return views;
  }

  it('events, context, variables, results and logs', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { user: 'u1' }, env: { platform: 'test' } })).toString('base64');
    const event = { n: 7, unicode: 'héllo ✓', list: [1, { deep: null }] };
    const [ipc, ...others] = await runAll('handler', event, { 'x-amz-client-context': clientContext });
    assert.equal(ipc!.functionError, null);
    assert.equal(ipc!.report, 'cold');
    const result = ipc!.result as { event: unknown; context: { keys: string[] }; cwd: string };
    assert.deepEqual(result.event, event);
    assert.ok(result.context.keys.includes('getRemainingTimeInMillis'));
    assert.ok(ipc!.logs.includes('TIME\tREQUEST-ID\tINFO\thello 7 { nested: [ 1, 2 ] }'), ipc!.logs.join('\n'));
    for (const other of others) assert.deepEqual(other, ipc);
    // Warm: same again, no Init Duration.
    const [ipc2, ...others2] = await runAll('handler', { n: 8 });
    assert.equal(ipc2!.report, 'warm');
    for (const other of others2) assert.deepEqual(other, ipc2);
  });

  it('thrown errors: payload, X-Amz-Function-Error and the Invoke Error log line', async () => {
    const [ipc, ...others] = await runAll('handler', { n: 3, fail: true });
    assert.equal(ipc!.functionError, 'Unhandled');
    assert.equal((ipc!.result as { errorType: string }).errorType, 'PaymentFailedError');
    assert.ok(ipc!.logs.some((l) => l.includes('ERROR\tInvoke Error \t{"errorType":"PaymentFailedError","errorMessage":"card declined: 3","name":"PaymentFailedError","stack":["PaymentFailedError: card declined: 3",')), ipc!.logs.join('\n'));
    for (const other of others) assert.deepEqual(other, ipc);
    // A subclass that sets no name is reported by its name ("Error"), not its class name.
    const [plain, ...plainOthers] = await runAll('handler', { unnamed: true });
    assert.equal((plain!.result as { errorType: string }).errorType, 'Error');
    assert.ok(plain!.logs.some((l) => l.includes('Invoke Error \t{"errorType":"Error","errorMessage":"no name of its own","code":"E_UNNAMED","details":{"a":1},"stack":')), plain!.logs.join('\n'));
    for (const other of plainOthers) assert.deepEqual(other, plain);
  });

  it('undefined results and callback handlers', async () => {
    const [ipc, ...others] = await runAll('handler', { undef: true });
    assert.equal(ipc!.result, null);
    for (const other of others) assert.deepEqual(other, ipc);
    const [cb, ...cbOthers] = await runAll('callback', { n: 21 });
    assert.deepEqual(cb!.result, { doubled: 42 });
    for (const other of cbOthers) assert.deepEqual(other, cb);
    const [cbErr, ...cbErrOthers] = await runAll('callback', { n: 1, fail: true });
    assert.equal((cbErr!.result as { errorType: string }).errorType, 'TypeError');
    for (const other of cbErrOthers) assert.deepEqual(other, cbErr);
  });
});
