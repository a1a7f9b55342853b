import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findPython } from '../../src/pool/index.js';
import { type Deploy, deploy, type Hearth, invoke, sleep, startTestHearth } from '../support/hearth.js';

const python = findPython();
const RUNTIME = python ? `python${python.version}` : 'python3';

interface LambdaPythonError {
  errorMessage: string;
  errorType: string;
  requestId: string;
  stackTrace: string[];
}

describe(`Python runtime (${RUNTIME})`, { skip: python ? false : 'python3 is not installed on this machine' }, () => {
  let h: Hearth;
  let cgroups = false;
  before(async () => {
    process.env.HEARTH_TEST_SERVER_SECRET = 'must-not-leak';
    h = await startTestHearth();
    cgroups = h.driver.name.includes('cgroup');
  });
  after(async () => {
    delete process.env.HEARTH_TEST_SERVER_SECRET;
    await h.stop();
  });

  const deployPy = (d: Omit<Deploy, 'runtime'>) => deploy(h, { runtime: RUNTIME, ...d });

  it('runs handlers in app.py and in a package module, Init once, then warm', async () => {
    const counter = `
inits = 0
inits += 1
calls = 0
def handler(event, context):
    global calls
    calls += 1
    return {"where": __name__, "inits": inits, "calls": calls}
`;
    await deployPy({ name: 'py-app', handler: 'app.handler', files: { 'app.py': counter } });
    await deployPy({ name: 'py-pkg', handler: 'pkg/mod.handler', files: { 'pkg/__init__.py': '', 'pkg/mod.py': counter } });
    await deployPy({ name: 'py-dotted', handler: 'pkg.mod.handler', files: { 'pkg/__init__.py': '', 'pkg/mod.py': counter } });

    const first = await invoke(h, 'py-app', {}, { log: true });
    assert.equal(first.status, 200);
    assert.equal(first.functionError, null);
    assert.deepEqual(first.json, { where: 'app', inits: 1, calls: 1 });
    assert.match(first.log!, /Init Duration/, 'cold start');
    const second = await invoke(h, 'py-app', {}, { log: true });
    assert.deepEqual(second.json, { where: 'app', inits: 1, calls: 2 }, 'same environment, module imported once');
    assert.doesNotMatch(second.log!, /Init Duration/, 'warm start');

    assert.deepEqual((await invoke(h, 'py-pkg')).json, { where: 'pkg.mod', inits: 1, calls: 1 });
    assert.deepEqual((await invoke(h, 'py-pkg')).json, { where: 'pkg.mod', inits: 1, calls: 2 });
    assert.deepEqual((await invoke(h, 'py-dotted')).json, { where: 'pkg.mod', inits: 1, calls: 1 });
  });

  it('round-trips the event and the result as JSON', async () => {
    await deployPy({
      name: 'py-echo',
      handler: 'app.handler',
      files: {
        'app.py': `
import decimal
def handler(event, context):
    kind = event.get("kind") if isinstance(event, dict) else None
    if kind == "none":
        return None
    if kind == "decimal":
        return {"d": decimal.Decimal("1.5"), "i": decimal.Decimal("3")}
    if kind == "unserializable":
        return {"s": {1, 2}}
    if kind == "bytes":
        return b"raw bytes"
    return {"echo": event, "type": type(event).__name__}
`,
      },
    });
    const event = { text: 'héllo ✓ "quoted"\n', n: 1.25, big: 12345678901234, list: [1, null, true, { a: [] }] };
    assert.deepEqual((await invoke(h, 'py-echo', event)).json, { echo: event, type: 'dict' });
    assert.deepEqual((await invoke(h, 'py-echo', [1, 2, 3])).json, { echo: [1, 2, 3], type: 'list' });
    assert.deepEqual((await invoke(h, 'py-echo', JSON.stringify('just a string'))).json, { echo: 'just a string', type: 'str' });
    const none = await invoke(h, 'py-echo', { kind: 'none' });
    assert.equal(none.body, 'null');
    assert.deepEqual((await invoke(h, 'py-echo', { kind: 'decimal' })).json, { d: 1.5, i: 3 });
    assert.equal((await invoke(h, 'py-echo', { kind: 'bytes' })).body, 'raw bytes');
    const bad = await invoke(h, 'py-echo', { kind: 'unserializable' });
    assert.equal(bad.functionError, 'Unhandled');
    const err = bad.json as LambdaPythonError;
    assert.equal(err.errorType, 'Runtime.MarshalError');
    assert.match(err.errorMessage, /^Unable to marshal response: Object of type set is not JSON serializable/);
  });

  it('passes the Lambda context object', async () => {
    await deployPy({
      name: 'py-ctx',
      handler: 'app.handler',
      memory: 256,
      timeout: 7,
      files: {
        'app.py': `
def handler(event, context):
    cc = context.client_context
    return {
        "aws_request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "invoked_function_arn": context.invoked_function_arn,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "remaining": context.get_remaining_time_in_millis(),
        "custom": cc.custom if cc else "no client context",
        "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
    }
`,
      },
    });
    const r = await invoke(h, 'py-ctx', {}, { headers: { 'x-amz-client-context': Buffer.from('{"custom":{"a":1}}').toString('base64') } });
    const c = r.json as Record<string, unknown>;
    assert.match(c.aws_request_id as string, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('x-amzn-requestid'), c.aws_request_id);
    assert.equal(c.function_name, 'py-ctx');
    assert.equal(c.function_version, '$LATEST');
    // A string, as Lambda's Python runtime gives it (awslambdaric reads it from the environment).
    assert.equal(c.memory_limit_in_mb, '256');
    assert.match(c.invoked_function_arn as string, /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:py-ctx$/);
    assert.equal(c.log_group_name, '/aws/lambda/py-ctx');
    assert.match(c.log_stream_name as string, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]+$/);
    assert.ok((c.remaining as number) > 6000 && (c.remaining as number) <= 7000, `remaining ${c.remaining}`);
    assert.deepEqual(c.custom, { a: 1 });
    assert.deepEqual(c.identity, [null, null]);
    const plain = (await invoke(h, 'py-ctx')).json as Record<string, unknown>;
    assert.equal(plain.custom, 'no client context');
  });

  it('returns exceptions as {errorMessage, errorType, requestId, stackTrace} with X-Amz-Function-Error', async () => {
    await deployPy({
      name: 'py-throws',
      handler: 'app.handler',
      files: {
        'app.py': `
class PaymentFailed(Exception):
    pass

def charge(card):
    raise PaymentFailed("card declined: " + card)

def handler(event, context):
    return charge(event["card"])
`,
      },
    });
    const r = await invoke(h, 'py-throws', { card: '4242' }, { log: true });
    assert.equal(r.status, 200);
    assert.equal(r.functionError, 'Unhandled');
    const e = r.json as LambdaPythonError;
    assert.deepEqual(Object.keys(e), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(e.errorType, 'PaymentFailed');
    assert.equal(e.errorMessage, 'card declined: 4242');
    assert.equal(e.requestId, r.headers.get('x-amzn-requestid'));
    // Lambda's traceback.format_list lines, from the handler's frame on (no bootstrap frames).
    assert.equal(e.stackTrace.length, 2);
    assert.match(e.stackTrace[0]!, /^ {2}File "[^"]*\/app\.py", line 9, in handler\n {4}return charge\(event\["card"\]\)\n$/);
    assert.match(e.stackTrace[1]!, /^ {2}File "[^"]*\/app\.py", line 6, in charge\n {4}raise PaymentFailed\("card declined: " \+ card\)\n$/);
    assert.match(r.log!, /\[ERROR\] PaymentFailed: card declined: 4242\nTraceback \(most recent call last\):\n {2}File ".*app\.py", line 9, in handler\n/);

    const missingKey = await invoke(h, 'py-throws', {});
    assert.equal((missingKey.json as LambdaPythonError).errorType, 'KeyError');
    assert.equal((missingKey.json as LambdaPythonError).errorMessage, "'card'");
  });

  it('captures print and logging per request, in Lambda\'s format', async () => {
    await deployPy({
      name: 'py-logs',
      handler: 'app.handler',
      files: {
        'app.py': `
import logging, sys
logger = logging.getLogger()
logger.setLevel(logging.INFO)
print("init says hi")
def handler(event, context):
    print("hello", event["n"])
    logger.info("info %d", event["n"])
    logging.getLogger("child").warning("careful %d", event["n"])
    sys.stderr.write("stderr %d\\n" % event["n"])
    sys.stdout.buffer.write(b"bytes %d\\n" % event["n"])
    return event["n"]
`,
      },
    });
    const first = await invoke(h, 'py-logs', { n: 1 }, { log: true });
    const second = await invoke(h, 'py-logs', { n: 2 }, { log: true });
    const id1 = first.headers.get('x-amzn-requestid')!;
    const id2 = second.headers.get('x-amzn-requestid')!;
    const lines1 = first.log!.trimEnd().split('\n');
    assert.ok(lines1.indexOf('init says hi') >= 0 && lines1.indexOf('init says hi') < lines1.indexOf(`START RequestId: ${id1} Version: $LATEST`), 'Init output comes before START');
    assert.ok(lines1.includes('hello 1'), 'print goes out raw');
    const ts = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    assert.ok(lines1.some((l) => new RegExp(`^\\[INFO\\]\\t${ts}\\t${id1}\\tinfo 1$`).test(l)), first.log);
    assert.ok(lines1.some((l) => new RegExp(`^\\[WARNING\\]\\t${ts}\\t${id1}\\tcareful 1$`).test(l)), first.log);
    assert.ok(lines1.includes('stderr 1'));
    assert.ok(lines1.includes('bytes 1'));
    assert.ok(lines1.includes(`END RequestId: ${id1}`));
    assert.match(lines1.at(-1)!, new RegExp(`^REPORT RequestId: ${id1}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms`));
    assert.doesNotMatch(second.log!, /hello 1|info 1|init says hi/, 'second request sees only its own output');
    assert.match(second.log!, new RegExp(`\\[INFO\\]\\t${ts}\\t${id2}\\tinfo 2\\n`));
    assert.match(second.log!, /\nhello 2\n/);
  });

  it('fails Init as Lambda does: ImportModuleError, HandlerNotFound, UserCodeSyntaxError', async () => {
    await deployPy({ name: 'py-import', handler: 'app.handler', files: { 'app.py': 'import not_installed_anywhere\ndef handler(e, c):\n    return 1\n' } });
    await deployPy({ name: 'py-nohandler', handler: 'app.nope', files: { 'app.py': 'def handler(e, c):\n    return 1\n' } });
    await deployPy({ name: 'py-syntax', handler: 'app.handler', files: { 'app.py': 'def handler(e, c)\n    return 1\n' } });
    await deployPy({ name: 'py-raises', handler: 'app.handler', files: { 'app.py': 'raise RuntimeError("no config")\n' } });

    const imp = await invoke(h, 'py-import', {}, { log: true });
    assert.equal(imp.functionError, 'Unhandled');
    assert.deepEqual(imp.json, {
      errorMessage: "Unable to import module 'app': No module named 'not_installed_anywhere'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    assert.match(imp.log!, /\[ERROR\] Runtime\.ImportModuleError: Unable to import module 'app'/);

    const missing = await invoke(h, 'py-nohandler');
    assert.deepEqual(missing.json, { errorMessage: "Handler 'nope' missing on module 'app'", errorType: 'Runtime.HandlerNotFound', requestId: '', stackTrace: [] });

    const syntax = (await invoke(h, 'py-syntax')).json as LambdaPythonError;
    assert.equal(syntax.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(syntax.errorMessage, /^Syntax error in module 'app': /);
    assert.match(syntax.stackTrace[0]!, /app\.py" Line 1\n/);

    const raises = (await invoke(h, 'py-raises')).json as LambdaPythonError;
    assert.equal(raises.errorType, 'RuntimeError');
    assert.equal(raises.errorMessage, 'no config');
    assert.match(raises.stackTrace.at(-1)!, /app\.py", line 1, in <module>/);

    // A failed Init leaves nothing behind: the next request tries a fresh environment.
    assert.equal((await invoke(h, 'py-nohandler')).functionError, 'Unhandled');
  });

  it('kills a request past its timeout, then cold-starts the next one', async () => {
    await deployPy({ name: 'py-slow', handler: 'app.handler', timeout: 1, files: { 'app.py': 'import time\ndef handler(e, c):\n    time.sleep(e.get("s", 0))\n    return "done"\n' } });
    const t0 = Date.now();
    const r = await invoke(h, 'py-slow', { s: 5 });
    const took = Date.now() - t0;
    assert.ok(took < 3000, `answered after ${took} ms`);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal((r.json as { errorType: string }).errorType, 'Sandbox.Timedout');
    assert.match((r.json as { errorMessage: string }).errorMessage, /Task timed out after 1\.00 seconds/);
    const next = await invoke(h, 'py-slow', {}, { log: true });
    assert.equal(next.json, 'done');
    assert.match(next.log!, /Init Duration/);
  });

  it('caps memory at the memory size: Runtime.OutOfMemory, and the next request runs', async (t) => {
    if (!cgroups) return t.skip('cgroup v1 is not usable here: the Python runtime has only an RLIMIT_DATA cap');
    await deployPy({
      name: 'py-hog',
      handler: 'app.handler',
      memory: 128,
      timeout: 30,
      files: { 'app.py': 'keep = []\ndef handler(e, c):\n    if not e.get("hog"):\n        return "ok"\n    for _ in range(300 // 8):\n        keep.append(b"\\x01" * (8 << 20))\n    return len(keep)\n' },
    });
    const r = await invoke(h, 'py-hog', { hog: true });
    assert.equal(r.functionError, 'Unhandled');
    assert.equal((r.json as { errorType: string }).errorType, 'Runtime.OutOfMemory');
    assert.equal((await invoke(h, 'py-hog')).json, 'ok');
  });

  it('freezes idle environments: a background thread does not run between requests', async () => {
    await deployPy({
      name: 'py-frozen',
      handler: 'app.handler',
      files: {
        'app.py': `
import threading, time
ticks = 0
def tick():
    global ticks
    while True:
        ticks += 1
        time.sleep(0.01)
threading.Thread(target=tick, daemon=True).start()
def handler(event, context):
    return ticks
`,
      },
    });
    await invoke(h, 'py-frozen');
    const before = (await invoke(h, 'py-frozen')).json as number;
    await sleep(600);
    const afterIdle = (await invoke(h, 'py-frozen')).json as number;
    // Unfrozen, 600 ms of 10 ms ticks would add ~60.
    assert.ok(afterIdle - before < 10, `ticks advanced by ${afterIdle - before} while idle`);
  });

  it("shows the function only its own variables and Lambda's, and not the channel", async () => {
    await deployPy({
      name: 'py-env',
      handler: 'app.handler',
      env: { GREETING: 'hi' },
      files: {
        'app.py': `
import os, sys
def handler(event, context):
    return {"env": dict(os.environ), "argv": sys.argv, "channelInherited": os.get_inheritable(3)}
`,
      },
    });
    const r = (await invoke(h, 'py-env')).json as { env: Record<string, string>; argv: string[]; channelInherited: boolean };
    const env = r.env;
    assert.equal(env.GREETING, 'hi');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'py-env');
    assert.equal(env.AWS_EXECUTION_ENV, `AWS_Lambda_${RUNTIME}`);
    assert.equal(env._HANDLER, 'app.handler');
    assert.equal(env.TZ, ':UTC');
    assert.ok(env.LAMBDA_TASK_ROOT);
    assert.equal(env.HEARTH_TEST_SERVER_SECRET, undefined, 'server variable leaked');
    assert.equal(env.NODE_CHANNEL_FD, undefined, 'channel variable visible to the function');
    assert.equal(env.NODE_CHANNEL_SERIALIZATION_MODE, undefined);
    assert.equal(env.PYTHONCOERCECLOCALE, undefined);
    assert.equal(env.LC_CTYPE, undefined, 'locale coercion leaked a variable');
    assert.equal(env.NODE_EXTRA_CA_CERTS, undefined);
    assert.equal(r.argv.length, 1, 'launcher options are not visible in sys.argv');
    assert.equal(r.channelInherited, false, 'programs the function runs do not get the channel');
  });

  it('reports sys.exit() in a handler as Runtime.ExitError, with the output so far', async () => {
    await deployPy({ name: 'py-exit', handler: 'app.handler', files: { 'app.py': 'import sys\ndef handler(e, c):\n    print("about to exit")\n    sys.exit(3)\n' } });
    const r = await invoke(h, 'py-exit', {}, { log: true });
    assert.equal(r.functionError, 'Unhandled');
    assert.equal((r.json as { errorType: string }).errorType, 'Runtime.ExitError');
    assert.match((r.json as { errorMessage: string }).errorMessage, /exit status 3/);
    assert.match(r.log!, /about to exit/);
  });
});
