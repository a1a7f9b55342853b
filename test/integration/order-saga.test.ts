/**
 * The order saga example (examples/order-saga) on a real server with the real
 * @aws-sdk/client-sfn: its functions and definition as shipped, run along each path —
 * success, declined payment (cancelled, never charged), out of stock (charged, refunded
 * once, cancelled), invalid order (rejected before payment) — checking the outcome and,
 * through the history, which tasks ran. Then the same example driven only by the CLI, as
 * its README does: `hearth deploy`, `hearth wf create/start --wait/history/ls`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CreateStateMachineCommand, DescribeExecutionCommand, type DescribeExecutionOutput, GetExecutionHistoryCommand, type HistoryEvent, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { hearthCli } from '../support/cli.js';
import { deploy, eventually, type Hearth, startTestHearth } from '../support/hearth.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/order-saga/', import.meta.url));
const FUNCTIONS = `${EXAMPLE}functions/`;
// The function names the definition's Resources use, and the file each one's handler is in.
const SAGA_FUNCTIONS: Record<string, string> = { 'order-validate': 'validate', 'order-pay': 'pay', 'order-inventory': 'inventory', 'order-refund': 'refund', 'order-cancel': 'cancel' };
const ORDER = { orderId: 'o-1', items: [{ sku: 'book', qty: 2 }], amount: 42, card: '4242' };

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    out.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** The Task states entered, in order: which steps of the saga ran. */
const tasksRun = (events: HistoryEvent[]) => events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails!.name);

describe('order saga example through @aws-sdk/client-sfn', () => {
  let h: Hearth;
  let sfn: SFNClient;
  let stateMachineArn: string;
  before(async () => {
    h = await startTestHearth();
    sfn = new SFNClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const files = Object.fromEntries(readdirSync(FUNCTIONS).map((f) => [f, readFileSync(FUNCTIONS + f)]));
    for (const [name, file] of Object.entries(SAGA_FUNCTIONS)) await deploy(h, { name, files, handler: `${file}.handler` });
    const definition = readFileSync(`${EXAMPLE}definition.json`, 'utf8');
    ({ stateMachineArn } = (await sfn.send(new CreateStateMachineCommand({ name: 'order-saga', definition, roleArn: 'arn:aws:iam::000000000000:role/states' }))) as { stateMachineArn: string });
  });
  after(() => h.stop());

  async function run(name: string, input: object): Promise<{ done: DescribeExecutionOutput; events: HistoryEvent[] }> {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    const done = await eventually(async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    }, 30_000);
    return { done: done!, events: await history(sfn, executionArn!) };
  }

  it('confirms a valid order: charged, stock reserved, no compensation', async () => {
    const { done, events } = await run('ok', ORDER);
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output!), {
      orderId: 'o-1',
      status: 'confirmed',
      payment: { chargeId: 'ch_o-1', amount: 42, status: 'charged' },
      inventory: { reserved: [{ sku: 'book', qty: 2 }] },
    });
    assert.deepEqual(tasksRun(events), ['ValidateOrder', 'ProcessPayment', 'UpdateInventory']);
    assert.equal(events.filter((e) => e.type === 'TaskSucceeded').length, 3);
  });

  it('cancels the order when the payment is declined, without charging or refunding', async () => {
    const { done, events } = await run('declined', { ...ORDER, card: 'declined' });
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'OrderCancelled');
    assert.deepEqual(JSON.parse(done.cause!), { orderId: 'o-1', status: 'cancelled', reason: 'PaymentDeclined', payment: null });
    assert.deepEqual(tasksRun(events), ['ValidateOrder', 'ProcessPayment', 'CancelOrder']);
    const failed = events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails!.error);
    // A declined card is a business answer, not a transient fault: no Retry runs it again.
    assert.deepEqual(failed, ['PaymentDeclined']);
  });

  it('refunds the charge exactly once and cancels the order when the stock is missing', async () => {
    const { done, events } = await run('no-stock', { ...ORDER, items: [{ sku: 'book' }, { sku: 'out-of-stock' }] });
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'OrderCancelled');
    assert.deepEqual(JSON.parse(done.cause!), {
      orderId: 'o-1',
      status: 'cancelled',
      reason: 'OutOfStock',
      payment: { chargeId: 'ch_o-1', amount: 42, status: 'refunded', refundId: 're_o-1' },
    });
    assert.deepEqual(tasksRun(events), ['ValidateOrder', 'ProcessPayment', 'UpdateInventory', 'RefundPayment', 'CancelOrder']);
    assert.deepEqual(events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails!.error), ['OutOfStock']);
  });

  it('rejects an invalid order before any payment', async () => {
    const { done, events } = await run('invalid', { ...ORDER, items: [] });
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'OrderRejected');
    assert.match(done.cause!, /at least one item/);
    assert.deepEqual(tasksRun(events), ['ValidateOrder']);
  });
});

describe('order saga example through the hearth wf CLI', () => {
  let h: Hearth;
  const cli = (...args: string[]) => hearthCli(args, h.url);
  before(async () => {
    h = await startTestHearth();
    for (const [name, file] of Object.entries(SAGA_FUNCTIONS)) {
      const r = await cli('deploy', FUNCTIONS, '--name', name, '--handler', `${file}.handler`);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(() => h.stop());

  it('creates (then updates) the machine, runs it with --wait, prints its history', async () => {
    const created = await cli('wf', 'create', 'order-saga', `${EXAMPLE}definition.json`);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'arn:aws:states:us-east-1:000000000000:stateMachine:order-saga');
    // A second create of the same name updates the definition in place.
    const again = await cli('wf', 'create', 'order-saga', `${EXAMPLE}definition.json`);
    assert.deepEqual([again.code, again.stdout], [0, created.stdout]);
    const ls = await cli('wf', 'ls');
    assert.match(ls.stdout, /^order-saga {2}STANDARD {2}arn:aws:states:us-east-1:000000000000:stateMachine:order-saga$/m);

    const ok = await cli('wf', 'start', 'order-saga', '--name', 'ok', '--input', JSON.stringify(ORDER), '--wait');
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { orderId: 'o-1', status: 'confirmed', payment: { chargeId: 'ch_o-1', amount: 42, status: 'charged' }, inventory: { reserved: [{ sku: 'book', qty: 2 }] } });
    assert.equal(ok.stderr.trim(), 'arn:aws:states:us-east-1:000000000000:execution:order-saga:ok');

    const noStock = await cli('wf', 'start', 'order-saga', '--name', 'no-stock', '--input', JSON.stringify({ ...ORDER, items: [{ sku: 'out-of-stock' }] }), '--wait');
    assert.equal(noStock.code, 1);
    assert.equal(noStock.stdout, '');
    assert.match(noStock.stderr, /^hearth: execution FAILED: OrderCancelled: .*"status":"refunded"/m);

    const hist = await cli('wf', 'history', 'order-saga:no-stock');
    assert.equal(hist.code, 0, hist.stderr);
    const lines = hist.stdout.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    assert.deepEqual(lines[0], ['1', 'ExecutionStarted']);
    assert.deepEqual(lines.filter((l) => l[1] === 'TaskStateEntered').map((l) => l[2]), ['ValidateOrder', 'ProcessPayment', 'UpdateInventory', 'RefundPayment', 'CancelOrder']);
    assert.ok(lines.some((l) => l[1] === 'TaskFailed' && l[2]!.startsWith('OutOfStock: ')), hist.stdout);
    assert.deepEqual(lines.at(-1)!.slice(1, 2), ['ExecutionFailed']);
    assert.match(lines.at(-1)![2]!, /^OrderCancelled: /);
    assert.deepEqual(lines.map((l) => Number(l[0])), lines.map((_, i) => i + 1));
  });

  it('prints one line naming the problem for an invalid definition, a missing machine or bad input', async () => {
    const bad = await cli('wf', 'create', 'broken', `${FUNCTIONS}../README.md`);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^hearth: .*README\.md is not valid JSON: .*\n$/);
    const dir = mkdtempSync(join(tmpdir(), 'hearth-wf-cli-'));
    try {
      writeFileSync(join(dir, 'def.json'), JSON.stringify({ StartAt: 'Missing', States: { Go: { Type: 'Pass', End: true } } }));
      const invalid = await cli('wf', 'create', 'broken', join(dir, 'def.json'));
      assert.equal(invalid.code, 2);
      assert.match(invalid.stderr, /^hearth: InvalidDefinition: .*Missing.*\n$/);
      assert.equal(invalid.stderr.split('\n').length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const missing = await cli('wf', 'start', 'nope', '--wait');
    assert.deepEqual([missing.code, missing.stderr], [2, 'hearth: StateMachineDoesNotExist: no state machine named nope (see `hearth wf ls`)\n']);
    const badInput = await cli('wf', 'start', 'order-saga', '--input', '{oops');
    assert.deepEqual([badInput.code, badInput.stderr], [2, 'hearth: --input is not valid JSON: {oops\n']);
  });
});
