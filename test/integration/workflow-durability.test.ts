/**
 * Standard executions survive SIGKILL: a Map of 50 Lambda tasks and a Wait are running
 * when the server is killed; a new server on the same data directory finishes both with
 * the right output, each task succeeded exactly once (a task cut off by the crash fails
 * with Lambda.ServiceException and is retried by the state's Retry), and the Wait ends on time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startServerProcess } from '../support/cli.js';
import { eventually, RUNTIME } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/states';
const ITEMS = 50;
const WAIT_S = 8;
const sfnAt = (url: string) => new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

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

describe('workflow executions survive SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-wf-durable-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes a Map of 50 tasks and a Wait after a crash, each task succeeding once', async () => {
    const first = await startServerProcess(['--port', '0', '--data-dir', dir]);
    const zip = await makeZip({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 250)); return { n: e.n * 2 }; };' });
    const created = await fetch(`${first.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: 'slowdouble', Runtime: RUNTIME, Handler: 'index.handler', Code: { ZipFile: zip.toString('base64') } }),
    });
    assert.equal(created.status, 201);
    // Four at a time, so the crash lands in the middle of the Map.
    await fetch(`${first.url}/2017-10-31/functions/slowdouble/concurrency`, { method: 'PUT', body: JSON.stringify({ ReservedConcurrentExecutions: 4 }) });
    let sfn = sfnAt(first.url);
    const mapDef = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          Iterator: {
            StartAt: 'Double',
            States: { Double: { Type: 'Task', Resource: 'slowdouble', Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxAttempts: 3 }], End: true } },
          },
          End: true,
        },
      },
    };
    const mapMachine = await sfn.send(new CreateStateMachineCommand({ name: 'crashmap', definition: JSON.stringify(mapDef), roleArn: ROLE }));
    const waitMachine = await sfn.send(new CreateStateMachineCommand({ name: 'crashwait', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: WAIT_S, Next: 'Done' }, Done: { Type: 'Pass', Result: 'waited', End: true } } }), roleArn: ROLE }));
    const items = Array.from({ length: ITEMS }, (_, n) => ({ n }));
    const map = await sfn.send(new StartExecutionCommand({ stateMachineArn: mapMachine.stateMachineArn, name: 'm1', input: JSON.stringify({ items }) }));
    const wait = await sfn.send(new StartExecutionCommand({ stateMachineArn: waitMachine.stateMachineArn, name: 'w1' }));
    const waitStarted = wait.startDate!.getTime();

    const s1 = sfn;
    const countDone = async () => (await history(s1, map.executionArn!)).filter((e) => e.type === 'TaskSucceeded').length;
    await eventually(async () => (await countDone()) >= 8, 60_000, 100);
    await first.kill('SIGKILL');
    // The history is read from the same database the killed server wrote; the crash came mid-Map.

    const second = await startServerProcess(['--port', '0', '--data-dir', dir]);
    try {
      sfn = sfnAt(second.url);
      const s2 = sfn;
      const atCrash = (await history(s2, map.executionArn!)).filter((e) => e.type === 'TaskSucceeded').length;
      assert.ok(atCrash < ITEMS, `the crash came mid-way (${atCrash} of ${ITEMS} tasks had succeeded)`);
      const finished = async (arn: string) => {
        const d = await s2.send(new DescribeExecutionCommand({ executionArn: arn }));
        return d.status === 'RUNNING' ? undefined : d;
      };
      const m = (await eventually(() => finished(map.executionArn!), 120_000, 200))!;
      assert.equal(m.status, 'SUCCEEDED');
      assert.deepEqual(JSON.parse(m.output!), items.map(({ n }) => ({ n: n * 2 })));
      const events = await history(sfn, map.executionArn!);
      const succeeded = events.filter((e) => e.type === 'TaskSucceeded').map((e) => (JSON.parse(e.taskSucceededEventDetails!.output!) as { n: number }).n);
      assert.deepEqual(succeeded.sort((a, b) => a - b), items.map(({ n }) => n * 2), 'each task succeeded exactly once');
      const failed = events.filter((e) => e.type === 'TaskFailed');
      for (const f of failed) assert.equal(f.taskFailedEventDetails!.error, 'Lambda.ServiceException');
      assert.ok(failed.length <= 4, `at most the 4 tasks in flight were cut off (${failed.length})`);
      assert.equal(events.filter((e) => e.type === 'TaskScheduled').length, ITEMS + failed.length, 'a task runs again only through its Retry');

      const w = (await eventually(() => finished(wait.executionArn!), 60_000, 100))!;
      assert.equal(w.status, 'SUCCEEDED');
      assert.equal(w.output, '"waited"');
      const waitExit = (await history(sfn, wait.executionArn!)).find((e) => e.type === 'WaitStateExited')!.timestamp!.getTime();
      assert.ok(waitExit - waitStarted >= WAIT_S * 1000, `the Wait did not end early (${waitExit - waitStarted} ms)`);
      assert.ok(waitExit - waitStarted < (WAIT_S + 5) * 1000, `the Wait ended on time (${waitExit - waitStarted} ms)`);
    } finally {
      await second.kill('SIGTERM');
    }
  });
});
