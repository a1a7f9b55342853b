import type { Command } from 'commander';
import { defaultCapacityMb, parseDuration, parseRetryDelays, parseScaleRate, startHearth } from '../../server/index.js';
import { invalid } from '../../common/index.js';
import { integer } from '../options.js';

export function serverCommand(program: Command): void {
  program
    .command('server')
    .description('run a Hearth node (embedded storage)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port of the API', integer('--port'), 9000)
    .option('--gateway-port <port>', 'port of the HTTP triggers: function URLs and routes (default 9001; 0 with --port 0)', integer('--gateway-port'))
    .option('--data-dir <dir>', 'where functions, code and logs are kept', './.hearth')
    .option('--ephemeral', 'use a throw-away data directory (tests, demos)')
    .option('--keep-alive <duration>', 'idle time before an environment is reclaimed (10m, 30s, or seconds)', '10m')
    .option('--keep-alive-policy <policy>', 'fixed (every idle environment kept --keep-alive) or adaptive (per-function idle-time histogram; pre-warms ahead of predicted calls; the default)', 'adaptive')
    .option('--max-concurrency <n>', 'node-wide cap on concurrent executions', integer('--max-concurrency'), 1000)
    .option('--capacity-mb <mb>', 'memory all environments together may use; idle ones are evicted (LRU) to make room', integer('--capacity-mb'), defaultCapacityMb())
    .option('--scale-rate <rate>', 'new environments per function per period, e.g. 1000/10s', '1000/10s')
    .option('--async-retry-delays <s,s>', 'seconds before retry 1 and 2 of a failed asynchronous invocation', '60,120')
    .option('--sandbox <mode>', 'auto (strongest available) or process', 'auto')
    .option('--prewarm <n>', 'pre-warmed generic environments per runtime and memory size (0 disables; default 2 where the sandbox allows)', integer('--prewarm'))
    .action(async (o: { host: string; port: number; gatewayPort?: number; dataDir: string; ephemeral?: boolean; keepAlive: string; keepAlivePolicy: string; maxConcurrency: number; capacityMb: number; scaleRate: string; asyncRetryDelays: string; sandbox: string; prewarm?: number }) => {
      const id = process.env.HEARTH_ACCESS_KEY_ID;
      const secret = process.env.HEARTH_SECRET_ACCESS_KEY;
      const hearth = await startHearth({
        host: o.host,
        port: o.port,
        gatewayPort: o.gatewayPort,
        dataDir: o.dataDir,
        ephemeral: Boolean(o.ephemeral),
        keepAliveMs: parseDuration(o.keepAlive),
        keepAlivePolicy: o.keepAlivePolicy,
        maxConcurrency: o.maxConcurrency,
        capacityMb: o.capacityMb,
        scaleRate: parseScaleRate(o.scaleRate),
        asyncRetryDelaysMs: parseRetryDelays(o.asyncRetryDelays),
        sandbox: sandboxMode(o.sandbox),
        prewarm: o.prewarm,
        credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined,
      });
      const missing = hearth.driver.missing.length ? ` — missing guarantees: ${hearth.driver.missing.join('; ')}` : '';
      console.log(`hearth: listening on ${hearth.url} (HTTP triggers on ${hearth.gatewayUrl}, data ${hearth.dataDir}, sandbox ${hearth.driver.name}${missing})`);
      const stop = () => {
        void hearth.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function sandboxMode(mode: string): 'auto' | 'process' {
  if (mode !== 'auto' && mode !== 'process') throw invalid(`--sandbox must be auto or process, not "${mode}".`);
  return mode;
}
