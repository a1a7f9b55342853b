/**
 * Compatibility: EventBridge Scheduler driven by the real, unmodified
 * `@aws-sdk/client-scheduler` against Hearth's main port: schedules and groups, and the
 * SDK's typed errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConflictException,
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  paginateListSchedules,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { deploy, type Hearth, startTestHearth } from '../support/hearth.js';
import { rejectsWith, sqsClient } from '../support/sqs.js';

const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:sched-target';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:sched-q';

describe('EventBridge Scheduler API through @aws-sdk/client-scheduler', () => {
  let h: Hearth;
  let client: SchedulerClient;
  before(async () => {
    h = await startTestHearth();
    client = new SchedulerClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await deploy(h, { name: 'sched-target', files: { 'index.js': 'exports.handler = async () => ({})' } });
    await sqsClient(h).send(new CreateQueueCommand({ QueueName: 'sched-q' }));
  });
  after(() => h.stop());

  it('creates, gets, updates, lists and deletes a schedule', async () => {
    const start = new Date(Date.now() + 3_600_000);
    const created = await client.send(
      new CreateScheduleCommand({
        Name: 'nightly',
        ScheduleExpression: 'cron(0 2 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        StartDate: start,
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 },
        Target: { Arn: FN, RoleArn: ROLE, Input: '{"job":"nightly"}', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 } },
        Description: 'the nightly job',
      }),
    );
    assert.equal(created.ScheduleArn, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/nightly');

    const got = await client.send(new GetScheduleCommand({ Name: 'nightly' }));
    assert.equal(got.Arn, created.ScheduleArn);
    assert.equal(got.GroupName, 'default');
    assert.equal(got.ScheduleExpression, 'cron(0 2 * * ? *)');
    assert.equal(got.ScheduleExpressionTimezone, 'Europe/Berlin');
    assert.equal(got.StartDate?.getTime(), Math.floor(start.getTime() / 1000) * 1000);
    assert.equal(got.State, 'ENABLED');
    assert.deepEqual(got.FlexibleTimeWindow, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 });
    assert.deepEqual(got.Target?.RetryPolicy, { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 });
    assert.equal(got.Target?.Input, '{"job":"nightly"}');
    assert.equal(got.ActionAfterCompletion, 'NONE');
    assert.ok(got.CreationDate instanceof Date);

    await client.send(new UpdateScheduleCommand({ Name: 'nightly', ScheduleExpression: 'rate(2 hours)', State: 'DISABLED', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: QUEUE, RoleArn: ROLE } }));
    const updated = await client.send(new GetScheduleCommand({ Name: 'nightly' }));
    assert.equal(updated.ScheduleExpression, 'rate(2 hours)');
    assert.equal(updated.State, 'DISABLED');
    assert.equal(updated.Target?.Arn, QUEUE);
    // UpdateSchedule replaces: what was left out is back to its default.
    assert.equal(updated.ScheduleExpressionTimezone, 'UTC');
    assert.deepEqual(updated.Target?.RetryPolicy, { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    assert.equal(updated.CreationDate?.getTime(), got.CreationDate?.getTime());

    const listed = await client.send(new ListSchedulesCommand({ NamePrefix: 'night' }));
    assert.deepEqual(listed.Schedules?.map((s) => [s.Name, s.GroupName, s.State, s.Target?.Arn]), [['nightly', 'default', 'DISABLED', QUEUE]]);
    const enabled = await client.send(new ListSchedulesCommand({ NamePrefix: 'night', State: 'ENABLED' }));
    assert.deepEqual(enabled.Schedules, []);

    await client.send(new DeleteScheduleCommand({ Name: 'nightly' }));
    await rejectsWith(client.send(new GetScheduleCommand({ Name: 'nightly' })), ResourceNotFoundException, 404, /nightly does not exist/);
  });

  it('pages ListSchedules with NextToken', async () => {
    for (let i = 0; i < 5; i++) await client.send(new CreateScheduleCommand({ Name: `page-${i}`, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: FN, RoleArn: ROLE } }));
    const names: string[] = [];
    for await (const p of paginateListSchedules({ client, pageSize: 2 }, { NamePrefix: 'page-' })) names.push(...(p.Schedules ?? []).map((s) => s.Name!));
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('schedule groups: create, get, list, schedules inside them, delete with their schedules', async () => {
    const g = await client.send(new CreateScheduleGroupCommand({ Name: 'reports' }));
    assert.equal(g.ScheduleGroupArn, 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/reports');
    const got = await client.send(new GetScheduleGroupCommand({ Name: 'reports' }));
    assert.equal(got.State, 'ACTIVE');
    const groups = await client.send(new ListScheduleGroupsCommand({}));
    assert.deepEqual(groups.ScheduleGroups?.map((x) => x.Name), ['default', 'reports']);

    await client.send(new CreateScheduleCommand({ Name: 'weekly', GroupName: 'reports', ScheduleExpression: 'cron(0 8 ? * MON *)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: FN, RoleArn: ROLE } }));
    // The same name may live in another group.
    await client.send(new CreateScheduleCommand({ Name: 'weekly', ScheduleExpression: 'cron(0 8 ? * MON *)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: FN, RoleArn: ROLE } }));
    const inGroup = await client.send(new GetScheduleCommand({ Name: 'weekly', GroupName: 'reports' }));
    assert.equal(inGroup.Arn, 'arn:aws:scheduler:us-east-1:000000000000:schedule/reports/weekly');
    const listed = await client.send(new ListSchedulesCommand({ GroupName: 'reports' }));
    assert.deepEqual(listed.Schedules?.map((s) => s.Arn), [inGroup.Arn]);

    await client.send(new DeleteScheduleGroupCommand({ Name: 'reports' }));
    await rejectsWith(client.send(new GetScheduleGroupCommand({ Name: 'reports' })), ResourceNotFoundException, 404);
    await rejectsWith(client.send(new GetScheduleCommand({ Name: 'weekly', GroupName: 'reports' })), ResourceNotFoundException, 404);
    assert.equal((await client.send(new GetScheduleCommand({ Name: 'weekly' }))).GroupName, 'default');
    await rejectsWith(client.send(new DeleteScheduleGroupCommand({ Name: 'default' })), ValidationException, 400);
  });

  it('answers with the typed errors', async () => {
    const base = { ScheduleExpression: 'rate(5 minutes)', FlexibleTimeWindow: { Mode: 'OFF' as const }, Target: { Arn: FN, RoleArn: ROLE } };
    await client.send(new CreateScheduleCommand({ Name: 'dup', ...base }));
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'dup', ...base })), ConflictException, 409, /already exists/);
    await client.send(new CreateScheduleGroupCommand({ Name: 'g-dup' }));
    await rejectsWith(client.send(new CreateScheduleGroupCommand({ Name: 'g-dup' })), ConflictException, 409);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'x', GroupName: 'nope', ...base })), ResourceNotFoundException, 404, /nope does not exist/);
    await rejectsWith(client.send(new UpdateScheduleCommand({ Name: 'missing', ...base })), ResourceNotFoundException, 404);
    await rejectsWith(client.send(new DeleteScheduleCommand({ Name: 'missing' })), ResourceNotFoundException, 404);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'bad-cron', ...base, ScheduleExpression: 'cron(0 10 * * MON *)' })), ValidationException, 400, /Invalid Schedule Expression/);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'bad-tz', ...base, ScheduleExpressionTimezone: 'Mars/Olympus' })), ValidationException, 400);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'bad-window', ...base, FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })), ValidationException, 400);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'bad-retry', ...base, Target: { ...base.Target, RetryPolicy: { MaximumRetryAttempts: 500 } } })), ValidationException, 400);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'no-fn', ...base, Target: { Arn: `${FN}-missing`, RoleArn: ROLE } })), ValidationException, 400, /does not exist/);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'no-dlq', ...base, Target: { ...base.Target, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:nope' } } })), ValidationException, 400, /does not exist/);
    // What Hearth cannot honour is refused, not ignored.
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'kms', ...base, KmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/k' })), ValidationException, 400, /not supported/);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'ecs', ...base, Target: { ...base.Target, EcsParameters: { TaskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/t' } } })), ValidationException, 400, /not supported/);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'sns', ...base, Target: { Arn: 'arn:aws:sns:us-east-1:000000000000:topic', RoleArn: ROLE } })), ValidationException, 400, /not supported/);
    await rejectsWith(client.send(new CreateScheduleCommand({ Name: 'past', ...base, StartDate: new Date(Date.now() - 3_600_000) })), ValidationException, 400, /StartDate/);
  });
});
