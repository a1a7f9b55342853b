/**
 * Compatibility: Step Functions driven by the real, unmodified `@aws-sdk/client-sfn`
 * (AWS JSON 1.0 on the main port): every operation Hearth implements, the typed errors,
 * and Lambda tasks in their three Resource forms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { deploy, eventually, type Hearth, startTestHearth } from '../support/hearth.js';

const ROLE = 'arn:aws:iam::000000000000:role/states';
// StartSyncExecution's model adds the `sync-` host prefix; a local endpoint has no such host.
const client = (h: Hearth) => new SFNClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, disableHostPrefix: true });

const definition = (resource: string, params?: object) =>
  JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, ...(params ? { Parameters: params } : {}), End: true } } });

describe('Step Functions through @aws-sdk/client-sfn', () => {
  let h: Hearth;
  let sfn: SFNClient;
  before(async () => {
    h = await startTestHearth();
    sfn = client(h);
    await deploy(h, { name: 'double', files: { 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new TypeError("no"); return { n: e.n * 2 }; };' } });
  });
  after(() => h.stop());

  it('creates, describes, updates, lists and deletes state machines, with typed errors', async () => {
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'crud', definition: definition('double'), roleArn: ROLE }));
    assert.equal(created.stateMachineArn, 'arn:aws:states:us-east-1:000000000000:stateMachine:crud');
    assert.ok(created.creationDate instanceof Date);
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    assert.deepEqual([d.name, d.status, d.type, d.roleArn, d.definition], ['crud', 'ACTIVE', 'STANDARD', ROLE, definition('double')]);
    await assert.rejects(sfn.send(new CreateStateMachineCommand({ name: 'crud', definition: definition('other'), roleArn: ROLE })), StateMachineAlreadyExists);
    await assert.rejects(sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: '{"StartAt":"X","States":{}}', roleArn: ROLE })), (e: Error) => e instanceof InvalidDefinition && /X/.test(e.message));
    await assert.rejects(sfn.send(new CreateStateMachineCommand({ name: 'sqs', definition: definition('arn:aws:states:::sqs:sendMessage'), roleArn: ROLE })), InvalidDefinition);
    const upd = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: definition('arn:aws:lambda:us-east-1:000000000000:function:double') }));
    assert.ok(upd.updateDate instanceof Date);
    const list = await sfn.send(new ListStateMachinesCommand({}));
    assert.ok(list.stateMachines?.some((m) => m.name === 'crud' && m.type === 'STANDARD'));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    await assert.rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })), StateMachineDoesNotExist);
    await assert.rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:lambda:us-east-1:000000000000:function:x' })), InvalidArn);
  });

  it('runs standard executions with each Resource form and reports them as Step Functions does', async () => {
    const forms: [string, string, object | undefined, unknown][] = [
      ['byname', 'double', undefined, { n: 42 }],
      ['byarn', 'arn:aws:lambda:us-east-1:000000000000:function:double', undefined, { n: 42 }],
      ['integration', 'arn:aws:states:::lambda:invoke', { FunctionName: 'double', 'Payload.$': '$' }, 42],
    ];
    for (const [name, resource, params, expected] of forms) {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: definition(resource, params), roleArn: ROLE }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run1', input: '{"n":21}' }));
      assert.equal(executionArn, `arn:aws:states:us-east-1:000000000000:execution:${name}:run1`);
      const done = await eventually(async () => {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return d.status === 'RUNNING' ? undefined : d;
      }, 20_000);
      assert.equal(done!.status, 'SUCCEEDED');
      const out = JSON.parse(done!.output!) as { n?: number; Payload?: { n: number } };
      assert.equal(params ? out.Payload!.n : out.n, expected === 42 ? 42 : (expected as { n: number }).n);
      const hist = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const types = hist.events!.map((e) => e.type);
      assert.deepEqual(types, ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
      assert.deepEqual(hist.events!.map((e) => e.id), [1, 2, 3, 4, 5, 6]);
      assert.equal(hist.events![0]!.executionStartedEventDetails?.input, '{"n":21}');
      assert.equal(hist.events![2]!.taskScheduledEventDetails?.resourceType, 'lambda');
      assert.ok(hist.events![0]!.timestamp instanceof Date);
      await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run1', input: '{"n":1}' })), ExecutionAlreadyExists);
      const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
      assert.deepEqual(listed.executions!.map((e) => e.name), ['run1']);
    }
  });

  it('fails a task with the function errorType and stops a waiting execution', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'failing', definition: definition('double'), roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"fail":true}' }));
    const done = await eventually(async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    }, 20_000);
    assert.equal(done!.status, 'FAILED');
    assert.equal(done!.error, 'TypeError');
    const waiting = await sfn.send(new CreateStateMachineCommand({ name: 'waiting', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }), roleArn: ROLE }));
    const exec = await sfn.send(new StartExecutionCommand({ stateMachineArn: waiting.stateMachineArn }));
    const stop = await sfn.send(new StopExecutionCommand({ executionArn: exec.executionArn, error: 'Manual', cause: 'test' }));
    assert.ok(stop.stopDate instanceof Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: exec.executionArn }));
    assert.deepEqual([d.status, d.error, d.cause], ['ABORTED', 'Manual', 'test']);
    const hist = await sfn.send(new GetExecutionHistoryCommand({ executionArn: exec.executionArn, reverseOrder: true, maxResults: 1 }));
    assert.equal(hist.events![0]!.type, 'ExecutionAborted');
    assert.ok(hist.nextToken);
    await assert.rejects(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:waiting:nope' })), ExecutionDoesNotExist);
  });

  it('runs express machines synchronously and refuses StartSyncExecution on standard ones', async () => {
    const express = await sfn.send(new CreateStateMachineCommand({ name: 'quick', type: 'EXPRESS', definition: definition('double'), roleArn: ROLE }));
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express.stateMachineArn, input: '{"n":5}' }));
    assert.equal(r.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(r.output!), { n: 10 });
    assert.match(r.executionArn!, /^arn:aws:states:us-east-1:000000000000:express:quick:/);
    const failed = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express.stateMachineArn, input: '{"fail":true}' }));
    assert.deepEqual([failed.status, failed.error], ['FAILED', 'TypeError']);
    const standard = await sfn.send(new CreateStateMachineCommand({ name: 'slow', definition: definition('double'), roleArn: ROLE }));
    await assert.rejects(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard.stateMachineArn })), StateMachineTypeNotSupported);
  });
});
