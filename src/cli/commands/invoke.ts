import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, fn, type HearthClient } from '../client.js';

export function invokeCommand(program: Command, client: () => HearthClient): void {
  program
    .command('invoke <name>')
    .description('invoke a function and print its result (exit code 1 on a function error)')
    .option('--data <json>', 'event as JSON', '{}')
    .option('--file <path>', 'read the event from a file')
    .option('--log', 'print the invocation log (last 4 KB) to stderr')
    .option('--async', 'queue the event (InvocationType Event) and print its request id; the function runs later')
    .action(async (name: string, o: { data: string; file?: string; log?: boolean; async?: boolean }) => {
      let payload = o.data;
      if (o.file) {
        try {
          payload = readFileSync(o.file, 'utf8');
        } catch (err) {
          throw new CliError(`cannot read ${o.file}: ${(err as Error).message}`);
        }
      }
      try {
        JSON.parse(payload);
      } catch {
        throw new CliError('the event is not valid JSON');
      }
      if (o.async) {
        if (o.log) throw new CliError('--log needs a synchronous invocation: an asynchronous one has no log yet');
        const res = await client().request('POST', `${fn(name)}/invocations`, payload, { 'x-amz-invocation-type': 'Event', 'content-type': 'application/json' });
        console.log(`queued ${name}: request id ${res.headers.get('x-amzn-requestid')}`);
        return;
      }
      const res = await client().request('POST', `${fn(name)}/invocations`, payload, { 'x-amz-log-type': o.log ? 'Tail' : 'None', 'content-type': 'application/json' });
      const body = await res.text();
      const log = res.headers.get('x-amz-log-result');
      if (o.log && log) process.stderr.write(Buffer.from(log, 'base64').toString('utf8'));
      process.stdout.write(body + '\n');
      if (res.headers.get('x-amz-function-error')) process.exitCode = 1;
    });
}
