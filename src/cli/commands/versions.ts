import type { Command } from 'commander';
import { CliError, fn, type HearthClient } from '../client.js';

interface VersionConfiguration {
  Version: string;
  Description: string;
  LastModified: string;
  CodeSha256: string;
}

interface AliasConfiguration {
  Name: string;
  FunctionVersion: string;
  Description: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}

/** `--weight V=W`: the additional version and its share of invocations. */
function weight(value: string): Record<string, number> {
  const m = /^([0-9]+)=([0-9.]+)$/.exec(value);
  const share = Number(m?.[2]);
  if (!m || !Number.isFinite(share) || share < 0 || share > 1) {
    throw new CliError(`--weight expects VERSION=WEIGHT with a weight from 0 to 1 (got "${value}")`);
  }
  return { [m[1]!]: share };
}

const describeAlias = (a: AliasConfiguration) => {
  const [extra] = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {});
  return `${a.Name} → ${a.FunctionVersion}${extra ? ` (version ${extra[0]} gets ${+(extra[1] * 100).toFixed(2)}%)` : ''}`;
};

export function versionCommands(program: Command, client: () => HearthClient): void {
  program
    .command('publish <name>')
    .description("publish $LATEST as a new version and print its number (the last one if nothing changed)")
    .option('--description <text>', 'description of the version')
    .action(async (name: string, o: { description?: string }) => {
      const v = await client().json<VersionConfiguration>('POST', `${fn(name)}/versions`, { Description: o.description });
      console.log(v.Version);
    });

  program
    .command('alias <name> <alias> <version>')
    .description('create or update an alias pointing at a version (invoke it as NAME:ALIAS)')
    .option('--weight <V=W>', 'also send a share W (0-1) of invocations to version V')
    .option('--description <text>', 'description of the alias')
    .action(async (name: string, alias: string, version: string, o: { weight?: string; description?: string }) => {
      const c = client();
      const RoutingConfig = { AdditionalVersionWeights: o.weight ? weight(o.weight) : {} };
      let created = true;
      let a: AliasConfiguration;
      try {
        a = await c.json<AliasConfiguration>('POST', `${fn(name)}/aliases`, { Name: alias, FunctionVersion: version, Description: o.description, RoutingConfig });
      } catch (err) {
        if (!(err instanceof CliError && err.message.startsWith('ResourceConflictException:'))) throw err;
        created = false;
        a = await c.json<AliasConfiguration>('PUT', `${fn(name)}/aliases/${encodeURIComponent(alias)}`, { FunctionVersion: version, Description: o.description, RoutingConfig });
      }
      console.log(`${created ? 'created' : 'updated'} alias ${describeAlias(a)}`);
    });

  program
    .command('versions <name>')
    .description("list a function's versions and aliases")
    .action(async (name: string) => {
      const c = client();
      let marker: string | undefined;
      do {
        const page = await c.json<{ Versions: VersionConfiguration[]; NextMarker?: string }>('GET', `${fn(name)}/versions?MaxItems=50${marker ? `&Marker=${encodeURIComponent(marker)}` : ''}`);
        for (const v of page.Versions) console.log(`${v.Version.padEnd(8)}  ${v.LastModified}  ${v.Description}`.trimEnd());
        marker = page.NextMarker;
      } while (marker);
      do {
        const page = await c.json<{ Aliases: AliasConfiguration[]; NextMarker?: string }>('GET', `${fn(name)}/aliases?MaxItems=50${marker ? `&Marker=${encodeURIComponent(marker)}` : ''}`);
        for (const a of page.Aliases) console.log(`alias ${describeAlias(a)}`);
        marker = page.NextMarker;
      } while (marker);
    });
}
