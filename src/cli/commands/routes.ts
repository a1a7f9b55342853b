import type { Command } from 'commander';
import { CliError, type HearthClient } from '../client.js';

interface RouteView {
  RouteId: string;
  RouteKey: string;
  Target: string;
}

export function routeCommands(program: Command, client: () => HearthClient): void {
  const route = program.command('route').description('HTTP routes on the gateway port: METHOD /path → function or alias');

  route
    .command('add <method> <path> <target>')
    .description('route METHOD /path (segments: text, {param}, a last {proxy+}; method ANY for all) to NAME, NAME:ALIAS or NAME:VERSION')
    .action(async (method: string, path: string, target: string) => {
      const c = client();
      const r = await c.json<RouteView>('POST', '/hearth/v1/routes', { RouteKey: `${method} ${path}`, Target: target });
      const { GatewayUrl } = await c.json<{ GatewayUrl: string }>('GET', '/hearth/v1/routes');
      console.log(`added route ${r.RouteId}: ${r.RouteKey} → ${r.Target} (${GatewayUrl})`);
    });

  route
    .command('ls')
    .description('list the routes')
    .action(async () => {
      const { Items, GatewayUrl } = await client().json<{ Items: RouteView[]; GatewayUrl: string }>('GET', '/hearth/v1/routes');
      if (Items.length === 0) {
        console.log(`no routes (gateway ${GatewayUrl})`);
        return;
      }
      const width = Math.max(...Items.map((r) => r.RouteKey.length));
      for (const r of Items) console.log(`${r.RouteId}  ${r.RouteKey.padEnd(width)}  → ${r.Target}`);
    });

  route
    .command('rm <route...>')
    .description('remove a route, named by its id or by METHOD /path')
    .action(async (words: string[]) => {
      if (words.length > 2) throw new CliError('route rm expects a route id or METHOD /path');
      const idOrKey = words.join(' ');
      await client().json('DELETE', `/hearth/v1/routes/${encodeURIComponent(idOrKey)}`);
      console.log(`removed route ${idOrKey}`);
    });
}
