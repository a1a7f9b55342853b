import type { Command } from 'commander';
import type { HearthClient } from '../client.js';
import { collectList, readPackage } from '../options.js';

interface LayerVersion {
  LayerVersionArn: string;
  Version: number;
  Description?: string;
  CreatedDate: string;
  CompatibleRuntimes?: string[];
}

const layers = (name?: string) => `/2018-10-31/layers${name === undefined ? '' : `/${encodeURIComponent(name)}/versions`}`;
const row = (name: string, v: LayerVersion) => [name, String(v.Version), (v.CompatibleRuntimes ?? []).join(',') || '-', v.CreatedDate, v.Description ?? ''];

function print(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

export function layerCommands(program: Command, client: () => HearthClient): void {
  const layer = program.command('layer').description('publish and list layers (code shared by functions, mounted at /opt)');

  layer
    .command('publish <name> <path>')
    .description('publish a folder (zipped for you) or a zip as a new layer version; prints its ARN')
    .option('--runtime <runtime>', 'a compatible runtime (repeatable)', collectList)
    .option('--description <text>', 'description of the version')
    .option('--license <text>', 'license information')
    .action(async (name: string, path: string, o: { runtime?: string[]; description?: string; license?: string }) => {
      const zip = await readPackage(path);
      const v = await client().json<LayerVersion>('POST', layers(name), {
        Content: { ZipFile: zip.toString('base64') },
        CompatibleRuntimes: o.runtime,
        Description: o.description,
        LicenseInfo: o.license,
      });
      console.log(v.LayerVersionArn);
    });

  layer
    .command('ls [name]')
    .description("list layers with their latest version, or one layer's versions (newest first)")
    .action(async (name?: string) => {
      const c = client();
      const rows = [['NAME', 'VERSION', 'RUNTIMES', 'CREATED', 'DESCRIPTION']];
      let marker: string | undefined;
      do {
        const q = `?MaxItems=50${marker ? `&Marker=${encodeURIComponent(marker)}` : ''}`;
        if (name === undefined) {
          const page = await c.json<{ Layers: { LayerName: string; LatestMatchingVersion: LayerVersion }[]; NextMarker?: string }>('GET', layers() + q);
          for (const l of page.Layers) rows.push(row(l.LayerName, l.LatestMatchingVersion));
          marker = page.NextMarker;
        } else {
          const page = await c.json<{ LayerVersions: LayerVersion[]; NextMarker?: string }>('GET', layers(name) + q);
          for (const v of page.LayerVersions) rows.push(row(name, v));
          marker = page.NextMarker;
        }
      } while (marker);
      print(rows);
    });

  layer
    .command('rm <name> <version>')
    .description('delete a layer version (functions using it keep it)')
    .action(async (name: string, version: string) => {
      await client().request('DELETE', `${layers(name)}/${encodeURIComponent(version)}`);
      console.log(`deleted ${name}:${version}`);
    });
}
