import type { Command } from 'commander';
import type { HearthClient } from '../client.js';
import { collectEnv, collectList, integer, readPackage } from '../options.js';

interface DeployOptions {
  name: string;
  handler: string;
  runtime: string;
  memory?: number;
  timeout?: number;
  env?: Record<string, string>;
  description?: string;
  layer?: string[];
}

export function deployCommand(program: Command, client: () => HearthClient): void {
  program
    .command('deploy <path>')
    .description('create or update a function from a folder (zipped for you) or a zip')
    .requiredOption('--name <name>', 'function name')
    .option('--handler <handler>', 'path/to/file.export', 'index.handler')
    .option('--runtime <runtime>', 'runtime', `nodejs${process.versions.node.split('.')[0]}.x`)
    .option('--memory <mb>', 'memory in MB (128-10240)', integer('--memory'))
    .option('--timeout <s>', 'timeout in seconds (1-900)', integer('--timeout'))
    .option('--env <K=V>', 'environment variable (repeatable)', collectEnv)
    .option('--description <text>', 'description')
    .option('--layer <arn>', 'layer version ARN, in order (repeatable; replaces the layers)', collectList)
    .action(async (path: string, o: DeployOptions) => {
      const zip = await readPackage(path);
      const res = await client().request('POST', '/hearth/v1/deploy', {
        FunctionName: o.name,
        ZipFile: zip.toString('base64'),
        Runtime: o.runtime,
        Handler: o.handler,
        MemorySize: o.memory,
        Timeout: o.timeout,
        Description: o.description,
        Layers: o.layer,
        ...(o.env ? { Environment: { Variables: o.env } } : {}),
      });
      const fn = (await res.json()) as { FunctionName: string; CodeSha256: string };
      console.log(`${res.status === 201 ? 'created' : 'updated'} ${fn.FunctionName} (code ${fn.CodeSha256}, ${(zip.length / 1024).toFixed(1)} KiB)`);
    });
}
