#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { HearthError } from '../common/index.js';
import { CliError, HearthClient } from './client.js';
import { deployCommand } from './commands/deploy.js';
import { eventCommands } from './commands/events.js';
import { functionCommands } from './commands/functions.js';
import { invokeCommand } from './commands/invoke.js';
import { kvCommands } from './commands/kv.js';
import { layerCommands } from './commands/layers.js';
import { logsCommand } from './commands/logs.js';
import { objectCommands } from './commands/objects.js';
import { queueCommands } from './commands/queues.js';
import { routeCommands } from './commands/routes.js';
import { scheduleCommands } from './commands/schedules.js';
import { serverCommand } from './commands/server.js';
import { versionCommands } from './commands/versions.js';
import { workflowCommands } from './commands/workflows.js';

const program = new Command('hearth')
  .description('Hearth: run AWS-Lambda-style functions on your own machine')
  .option('--endpoint <url>', 'Hearth server URL (or HEARTH_ENDPOINT)')
  .exitOverride()
  .showHelpAfterError();

const client = () => new HearthClient((program.opts().endpoint as string | undefined) ?? process.env.HEARTH_ENDPOINT ?? 'http://127.0.0.1:9000');

serverCommand(program);
deployCommand(program, client);
invokeCommand(program, client);
functionCommands(program, client);
logsCommand(program, client);
versionCommands(program, client);
layerCommands(program, client);
queueCommands(program, client);
scheduleCommands(program, client);
eventCommands(program, client);
routeCommands(program, client);
kvCommands(program, client);
objectCommands(program, client);
workflowCommands(program, client);

// User errors are one line on stderr, never a stack trace.
program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
    return;
  }
  const known = err instanceof CliError || err instanceof HearthError;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`hearth: ${known ? message : `unexpected error: ${message}`}\n`);
  process.exitCode = 2;
});
