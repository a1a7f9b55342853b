import type { Command } from 'commander';
import { parseDuration, startHearth } from '../../server/index.js';
import { integer } from '../options.js';

export function serverCommand(program: Command): void {
  program
    .command('server')
    .description('run a Hearth node (embedded storage)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port of the API', integer('--port'), 9000)
    .option('--data-dir <dir>', 'where functions, code and logs are kept', './.hearth')
    .option('--ephemeral', 'use a throw-away data directory (tests, demos)')
    .option('--keep-alive <duration>', 'idle time before an environment is reclaimed (10m, 30s, or seconds)', '10m')
    .option('--max-concurrency <n>', 'node-wide cap on concurrent executions', integer('--max-concurrency'), 1000)
    .option('--sandbox <mode>', 'auto (strongest available) or process', 'auto')
    .option('--prewarm <n>', 'pre-warmed generic environments per runtime and memory size (0 disables; default 2 where the sandbox allows)', integer('--prewarm'))
    .action(async (o: { host: string; port: number; dataDir: string; ephemeral?: boolean; keepAlive: string; maxConcurrency: number; sandbox: string; prewarm?: number }) => {
      const id = process.env.HEARTH_ACCESS_KEY_ID;
      const secret = process.env.HEARTH_SECRET_ACCESS_KEY;
      const hearth = await startHearth({
        host: o.host,
        port: o.port,
        dataDir: o.dataDir,
        ephemeral: Boolean(o.ephemeral),
        keepAliveMs: parseDuration(o.keepAlive),
        maxConcurrency: o.maxConcurrency,
        sandbox: o.sandbox === 'process' ? 'process' : 'auto',
        prewarm: o.prewarm,
        credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined,
      });
      const missing = hearth.driver.missing.length ? ` — missing guarantees: ${hearth.driver.missing.join('; ')}` : '';
      console.log(`hearth: listening on ${hearth.url} (data ${hearth.dataDir}, sandbox ${hearth.driver.name}${missing})`);
      const stop = () => {
        void hearth.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
