import type { Command } from 'commander';
import { fn, type HearthClient } from '../client.js';
import { collectEnv, collectList, integer } from '../options.js';

interface Configuration {
  FunctionName: string;
  Runtime: string;
  Handler: string;
  MemorySize: number;
  Timeout: number;
  LastModified: string;
  CodeSize: number;
  Environment?: { Variables?: Record<string, string> };
  Layers?: { Arn: string }[];
}

type Counts = Record<'initializing' | 'idle' | 'busy' | 'retiring' | 'provisioned', number>;

interface Limits {
  ConcurrentExecutions: number;
  MaxConcurrentRequests: number;
  ReservedConcurrentExecutions?: number;
  ProvisionedConcurrency: { Qualifier: string; Requested: number; Allocated: number; Status: string }[];
}

const describeEnvs = (c?: Counts) =>
  c ? `busy ${c.busy}, idle ${c.idle}, init ${c.initializing}${c.provisioned ? `, provisioned ${c.provisioned}` : ''}` : 'none';

function describeLimits(l?: Limits): string {
  if (!l) return '-';
  const parts: string[] = [];
  if (l.ReservedConcurrentExecutions !== undefined) parts.push(`reserved ${l.ReservedConcurrentExecutions}`);
  for (const p of l.ProvisionedConcurrency) parts.push(`provisioned ${p.Qualifier} ${p.Allocated}/${p.Requested}`);
  if (l.MaxConcurrentRequests > 1) parts.push(`${l.MaxConcurrentRequests} per environment`);
  return parts.join(', ') || '-';
}

export function functionCommands(program: Command, client: () => HearthClient): void {
  program
    .command('ls')
    .description('list functions with their environments')
    .action(async () => {
      const c = client();
      const envs = await c.json<{ Functions: Record<string, Counts>; Limits: Record<string, Limits> }>('GET', '/hearth/v1/environments');
      const rows: string[][] = [['NAME', 'RUNTIME', 'MEMORY', 'TIMEOUT', 'ENVIRONMENTS', 'LIMITS']];
      let marker: string | undefined;
      do {
        const page = await c.json<{ Functions: Configuration[]; NextMarker?: string }>('GET', `/2015-03-31/functions?MaxItems=50${marker ? `&Marker=${encodeURIComponent(marker)}` : ''}`);
        for (const f of page.Functions) {
          rows.push([f.FunctionName, f.Runtime, `${f.MemorySize} MB`, `${f.Timeout} s`, describeEnvs(envs.Functions[f.FunctionName]), describeLimits(envs.Limits[f.FunctionName])]);
        }
        marker = page.NextMarker;
      } while (marker);
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
    });

  program
    .command('get <name>')
    .description("show a function's configuration and environments")
    .action(async (name: string) => {
      const c = client();
      const f = await c.json<{ Configuration: Configuration }>('GET', fn(name));
      const envs = await c.json<{ Environments: Counts; Limits: Limits }>('GET', `/hearth/v1/functions/${encodeURIComponent(name)}/environments`);
      console.log(JSON.stringify({ ...f.Configuration, Environments: envs.Environments, Limits: envs.Limits }, null, 2));
    });

  program
    .command('rm <name>')
    .description('delete a function')
    .action(async (name: string) => {
      await client().request('DELETE', fn(name));
      console.log(`deleted ${name}`);
    });

  program
    .command('config <name>')
    .description("change a function's configuration")
    .option('--memory <mb>', 'memory in MB (128-10240)', integer('--memory'))
    .option('--timeout <s>', 'timeout in seconds (1-900)', integer('--timeout'))
    .option('--env <K=V>', 'replace the environment variables (repeatable)', collectEnv)
    .option('--handler <handler>', 'path/to/file.export')
    .option('--description <text>', 'description')
    .option('--layer <arn>', 'layer version ARN, in order (repeatable; replaces the layers)', collectList)
    .option('--no-layers', 'remove all layers')
    .option('--max-concurrent-requests <n>', 'requests one environment serves at once (Node.js, I/O-bound handlers; default 1)', integer('--max-concurrent-requests'))
    .action(async (name: string, o: { memory?: number; timeout?: number; env?: Record<string, string>; handler?: string; description?: string; layer?: string[]; layers: boolean; maxConcurrentRequests?: number }) => {
      const f = await client().json<Configuration>('PUT', `${fn(name)}/configuration`, {
        MemorySize: o.memory,
        Timeout: o.timeout,
        Handler: o.handler,
        Description: o.description,
        Layers: o.layers ? o.layer : [],
        MaxConcurrentRequests: o.maxConcurrentRequests,
        ...(o.env ? { Environment: { Variables: o.env } } : {}),
      });
      const layers = f.Layers?.length ? `, layers ${f.Layers.map((l) => l.Arn.split(':').slice(-2).join(':')).join(', ')}` : '';
      const perEnv = o.maxConcurrentRequests ? `, ${o.maxConcurrentRequests} requests per environment` : '';
      console.log(`updated ${f.FunctionName}: ${f.MemorySize} MB, ${f.Timeout} s, handler ${f.Handler}${layers}${perEnv}`);
    });
}
