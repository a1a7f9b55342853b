import type { Command } from 'commander';
import { CliError, fn, type HearthClient } from '../client.js';
import { integer } from '../options.js';

interface Summary {
  Name: string;
  GroupName: string;
  State: string;
  Target: { Arn: string };
}

interface Detail extends Summary {
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
}

const q = (group?: string) => (group ? `?groupName=${encodeURIComponent(group)}` : '');
const path = (name: string) => `/schedules/${encodeURIComponent(name)}`;

function print(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** `hearth schedule …`: EventBridge Scheduler schedules (also reachable with the AWS SDK). */
export function scheduleCommands(program: Command, client: () => HearthClient): void {
  const schedule = program.command('schedule').description('EventBridge Scheduler schedules: run a function on cron(...), rate(...) or at(...)');

  schedule
    .command('add <name> <expression> <function>')
    .description('create a schedule that invokes FUNCTION (asynchronously), e.g. hearth schedule add tidy "rate(5 minutes)" tidy-fn')
    .option('--input <json>', 'the event the function receives (default {})')
    .option('--timezone <zone>', 'IANA time zone the expression is evaluated in (default UTC)')
    .option('--group <group>', 'schedule group (default "default")')
    .option('--flexible-window <minutes>', 'fire at a random point up to this many minutes after each tick (1-1440)', integer('--flexible-window'))
    .option('--delete-after-completion', 'delete the schedule once it has no tick left (e.g. after an at() fires)')
    .action(async (name: string, expression: string, target: string, o: { input?: string; timezone?: string; group?: string; flexibleWindow?: number; deleteAfterCompletion?: boolean }) => {
      const c = client();
      const arn = target.startsWith('arn:') ? target : (await c.json<{ FunctionArn: string }>('GET', `${fn(target)}/configuration`)).FunctionArn;
      const created = await c.json<{ ScheduleArn: string }>('POST', path(name), {
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: o.timezone,
        GroupName: o.group,
        FlexibleTimeWindow: o.flexibleWindow ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: o.flexibleWindow } : { Mode: 'OFF' },
        Target: { Arn: arn, RoleArn: 'arn:aws:iam::000000000000:role/hearth-scheduler', Input: o.input },
        ActionAfterCompletion: o.deleteAfterCompletion ? 'DELETE' : 'NONE',
      });
      console.log(created.ScheduleArn);
    });

  schedule
    .command('next <name> [count]')
    .description('preview the next fire times (default 5)')
    .option('--group <group>', 'schedule group')
    .action(async (name: string, count: string | undefined, o: { group?: string }) => {
      const n = count === undefined ? 5 : Number(count);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new CliError('count must be an integer between 1 and 100');
      const group = o.group ? `&groupName=${encodeURIComponent(o.group)}` : '';
      const res = await client().json<{ Times: string[] }>('GET', `/hearth/v1/schedules/${encodeURIComponent(name)}/next?count=${n}${group}`);
      if (res.Times.length === 0) console.log('(no more fire times)');
      for (const t of res.Times) console.log(t);
    });

  schedule
    .command('run <name>')
    .description('fire the schedule now, once (its regular ticks are unchanged)')
    .option('--group <group>', 'schedule group')
    .action(async (name: string, o: { group?: string }) => {
      const res = await client().json<{ Target: string }>('POST', `/hearth/v1/schedules/${encodeURIComponent(name)}/run${q(o.group)}`);
      console.log(`fired ${name} → ${res.Target}`);
    });

  schedule
    .command('ls')
    .description('list schedules')
    .option('--group <group>', 'only this schedule group')
    .action(async (o: { group?: string }) => {
      const c = client();
      const all: Summary[] = [];
      let token: string | undefined;
      do {
        const query = new URLSearchParams({ ...(o.group ? { ScheduleGroup: o.group } : {}), ...(token ? { NextToken: token } : {}) });
        const page = await c.json<{ Schedules: Summary[]; NextToken?: string }>('GET', `/schedules?${query}`);
        all.push(...page.Schedules);
        token = page.NextToken;
      } while (token);
      if (all.length === 0) {
        console.log('no schedules');
        return;
      }
      const rows = [['NAME', 'GROUP', 'STATE', 'EXPRESSION', 'TARGET']];
      for (const s of all) {
        const d = await c.json<Detail>('GET', `${path(s.Name)}${q(s.GroupName)}`);
        const zone = d.ScheduleExpressionTimezone && d.ScheduleExpressionTimezone !== 'UTC' ? ` ${d.ScheduleExpressionTimezone}` : '';
        rows.push([s.Name, s.GroupName, s.State, d.ScheduleExpression + zone, s.Target.Arn]);
      }
      print(rows);
    });
}
