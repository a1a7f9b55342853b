import type { Command } from 'commander';
import { parseDuration } from '../../server/index.js';
import type { HearthClient } from '../client.js';

interface LogRecord {
  id: number;
  time: number;
  text: string;
}

export function logsCommand(program: Command, client: () => HearthClient): void {
  program
    .command('logs <name>')
    .description("print a function's logs")
    .option('--since <duration>', 'only logs newer than this (10m, 1h, seconds)')
    .option('--follow', 'keep printing new logs')
    .action(async (name: string, o: { since?: string; follow?: boolean }) => {
      const c = client();
      const since = o.since ? Date.now() - parseDuration(o.since) : 0;
      let after = 0;
      for (;;) {
        const { records } = await c.json<{ records: LogRecord[] }>('GET', `/hearth/v1/functions/${encodeURIComponent(name)}/logs?since=${since}&after=${after}`);
        for (const r of records) {
          process.stdout.write(r.text.endsWith('\n') ? r.text : r.text + '\n');
          after = r.id;
        }
        if (!o.follow) return;
        await new Promise((ok) => setTimeout(ok, 500));
      }
    });
}
