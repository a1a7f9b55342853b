import type { Command } from 'commander';
import { CliError, fn, type HearthClient } from '../client.js';

/** One EventBridge JSON 1.1 call. */
const eventBridge = <T>(client: HearthClient, operation: string, input: Record<string, unknown>) =>
  client.awsJson<T>(`AWSEvents.${operation}`, 'application/x-amz-json-1.1', input);

/** Refuses text that is not JSON before anything is sent, naming the option. */
function json(option: string, text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new CliError(`${option} is not valid JSON: ${text}`);
  }
  return text;
}

export function eventCommands(program: Command, client: () => HearthClient): void {
  const events = program.command('events').description('EventBridge event buses and rules (also reachable with @aws-sdk/client-eventbridge)');

  events
    .command('put')
    .description('put one event on a bus; prints its event id')
    .requiredOption('--source <source>', 'the event source, e.g. com.example.orders')
    .requiredOption('--detail-type <type>', 'the detail type, e.g. OrderPlaced')
    .requiredOption('--detail <json>', 'the detail, a JSON object')
    .option('--bus <name>', 'event bus name or ARN', 'default')
    .action(async (o: { source: string; detailType: string; detail: string; bus: string }) => {
      const out = await eventBridge<{ Entries: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] }>(client(), 'PutEvents', {
        Entries: [{ Source: o.source, DetailType: o.detailType, Detail: json('--detail', o.detail), EventBusName: o.bus }],
      });
      const entry = out.Entries[0];
      if (!entry?.EventId) throw new CliError(`${entry?.ErrorCode ?? 'error'}: ${entry?.ErrorMessage ?? 'the event was not accepted'}`);
      console.log(entry.EventId);
    });

  const rule = events.command('rule').description('rules: which events go to which functions');
  rule
    .command('add <name>')
    .description('create (or update) a rule with an event pattern and send its events to a function; prints the rule ARN')
    .requiredOption('--pattern <json>', 'the event pattern, e.g. \'{"source":["com.example.orders"]}\'')
    .requiredOption('--target <function>', 'the function that receives matching events (asynchronously)')
    .option('--bus <name>', 'event bus name or ARN', 'default')
    .action(async (name: string, o: { pattern: string; target: string; bus: string }) => {
      const c = client();
      const target = await c.json<{ Configuration: { FunctionArn: string } }>('GET', fn(o.target));
      const put = await eventBridge<{ RuleArn: string }>(c, 'PutRule', { Name: name, EventBusName: o.bus, EventPattern: json('--pattern', o.pattern) });
      await eventBridge(c, 'PutTargets', { Rule: name, EventBusName: o.bus, Targets: [{ Id: o.target.replace(/[^.\-_A-Za-z0-9]/g, '_').slice(0, 64), Arn: target.Configuration.FunctionArn }] });
      console.log(put.RuleArn);
    });
}
