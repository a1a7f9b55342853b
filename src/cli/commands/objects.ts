import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { CliError, type HearthClient } from '../client.js';

/** One S3 REST call (path-style, unsigned: the server routes it by its bucket path). */
async function s3(client: HearthClient, method: string, path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${client.endpoint}${path}`, { method, ...init });
  } catch {
    throw new CliError(`cannot reach Hearth at ${client.endpoint} (is \`hearth server\` running? set --endpoint or HEARTH_ENDPOINT)`);
  }
  if (res.status >= 400) {
    const text = method === 'HEAD' ? '' : await res.text();
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${res.status}`;
    const message = unescape(/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '');
    throw new CliError(`${code}: ${message}`.replace(/: $/, ''));
  }
  return res;
}

const unescape = (t: string) => t.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
const all = (xml: string, re: RegExp) => [...xml.matchAll(re)].map((m) => unescape(m[1]!));

/** `BUCKET/KEY` → the request path, each key segment percent-encoded. */
function objectPath(ref: string, needKey: boolean): { bucket: string; key: string; path: string } {
  const slash = ref.indexOf('/');
  const bucket = slash < 0 ? ref : ref.slice(0, slash);
  const key = slash < 0 ? '' : ref.slice(slash + 1);
  if (!bucket || (needKey && !key)) throw new CliError(`expected BUCKET/KEY, got "${ref}"`);
  return { bucket, key, path: `/${encodeURIComponent(bucket)}${key ? `/${key.split('/').map(encodeURIComponent).join('/')}` : ''}` };
}

export function objectCommands(program: Command, client: () => HearthClient): void {
  const bucket = program.command('bucket').description('S3-compatible buckets (also reachable with the AWS SDK, path-style)');
  bucket
    .command('create <name>')
    .description('create a bucket')
    .action(async (name: string) => {
      await s3(client(), 'PUT', `/${encodeURIComponent(name)}`);
      console.log(name);
    });
  bucket
    .command('ls')
    .description('list buckets with their creation time')
    .action(async () => {
      const xml = await (await s3(client(), 'GET', '/')).text();
      const names = all(xml, /<Name>([^<]*)<\/Name>/g);
      const dates = all(xml, /<CreationDate>([^<]*)<\/CreationDate>/g);
      names.forEach((n, i) => console.log(`${dates[i]}  ${n}`));
    });
  bucket
    .command('rm <name>')
    .description('delete an empty bucket')
    .action(async (name: string) => {
      await s3(client(), 'DELETE', `/${encodeURIComponent(name)}`);
    });

  const obj = program.command('obj').description('objects in buckets: put, get, ls, rm BUCKET/KEY');
  obj
    .command('put <ref> <file>')
    .description('upload a file (streamed; "-" reads stdin) to BUCKET/KEY; prints the ETag')
    .option('--content-type <type>', 'the Content-Type to store')
    .action(async (ref: string, file: string, o: { contentType?: string }) => {
      const { path } = objectPath(ref, true);
      const headers: Record<string, string> = {};
      if (o.contentType) headers['content-type'] = o.contentType;
      if (file !== '-') headers['content-length'] = String(statSync(file).size);
      const body = Readable.toWeb(file === '-' ? process.stdin : createReadStream(file)) as ReadableStream;
      const res = await s3(client(), 'PUT', path, { body, headers, duplex: 'half' } as RequestInit);
      console.log(res.headers.get('etag'));
    });
  obj
    .command('get <ref> [file]')
    .description('download BUCKET/KEY to a file, or to stdout')
    .action(async (ref: string, file?: string) => {
      const res = await s3(client(), 'GET', objectPath(ref, true).path);
      await pipeline(Readable.fromWeb(res.body as never), file ? createWriteStream(file) : process.stdout);
    });
  obj
    .command('ls <ref>')
    .description('list BUCKET[/PREFIX]: size, last modified, key; "/"-delimited folders as PRE')
    .option('-r, --recursive', 'list every key under the prefix, no folders')
    .action(async (ref: string, o: { recursive?: boolean }) => {
      const { bucket, key } = objectPath(ref, false);
      let token: string | undefined;
      do {
        const q = new URLSearchParams({ 'list-type': '2', prefix: key });
        if (!o.recursive) q.set('delimiter', '/');
        if (token) q.set('continuation-token', token);
        const xml = await (await s3(client(), 'GET', `/${encodeURIComponent(bucket)}?${q}`)).text();
        for (const p of all(xml, /<CommonPrefixes><Prefix>([^<]*)<\/Prefix><\/CommonPrefixes>/g)) console.log(`${'PRE'.padStart(12)}  ${''.padEnd(24)}  ${p}`);
        for (const c of xml.matchAll(/<Contents><Key>([^<]*)<\/Key><LastModified>([^<]*)<\/LastModified><ETag>[^<]*<\/ETag><Size>(\d+)<\/Size>/g)) {
          console.log(`${c[3]!.padStart(12)}  ${c[2]!.padEnd(24)}  ${unescape(c[1]!)}`);
        }
        token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1];
      } while (token);
    });
  obj
    .command('rm <ref>')
    .description('delete BUCKET/KEY')
    .action(async (ref: string) => {
      await s3(client(), 'DELETE', objectPath(ref, true).path);
    });
}
