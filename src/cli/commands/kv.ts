import type { Command } from 'commander';
import { CliError, type HearthClient } from '../client.js';
import { integer } from '../options.js';

interface Item {
  key: string;
  value: unknown;
  version: number;
  expiresAt?: number;
}

const path = (table: string, key?: string) => `/hearth/v1/kv/${encodeURIComponent(table)}${key === undefined ? '' : `/${encodeURIComponent(key)}`}`;

function number(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new CliError(`${name} expects a number (got "${value}")`);
    return n;
  };
}

/** `hearth kv …`: the KV store's tables (docs: README, "The KV store"). */
export function kvCommands(program: Command, client: () => HearthClient): void {
  const kv = program.command('kv').description('read and write items of the KV store');

  kv.command('put <table> <key> <json>')
    .description('write an item (its value is JSON); prints its new version')
    .option('--ttl <seconds>', 'the item expires after this many seconds', number('--ttl'))
    .option('--if-version <n>', 'write only if the item is at this version', integer('--if-version'))
    .option('--if-absent', 'write only if there is no such item')
    .action(async (table: string, key: string, json: string, o: { ttl?: number; ifVersion?: number; ifAbsent?: boolean }) => {
      try {
        JSON.parse(json);
      } catch {
        throw new CliError(`the value must be JSON (got ${json}); quote a string as '"text"'`);
      }
      if (o.ifVersion !== undefined && o.ifAbsent) throw new CliError('use either --if-version or --if-absent, not both');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (o.ifVersion !== undefined) headers['if-match'] = String(o.ifVersion);
      if (o.ifAbsent) headers['if-none-match'] = '*';
      const query = o.ttl === undefined ? '' : `?ttl=${o.ttl}`;
      const item = (await (await client().request('PUT', path(table, key) + query, json, headers)).json()) as Item;
      console.log(`version ${item.version}${item.expiresAt ? ` expires ${new Date(item.expiresAt).toISOString()}` : ''}`);
    });

  kv.command('get <table> <key>')
    .description("print an item's JSON value")
    .option('--meta', 'print the version and expiry too (the whole item as JSON)')
    .action(async (table: string, key: string, o: { meta?: boolean }) => {
      const item = await client().json<Item>('GET', path(table, key));
      console.log(JSON.stringify(o.meta ? item : item.value));
    });

  kv.command('rm <table> <key>')
    .description('delete an item')
    .action(async (table: string, key: string) => {
      const { Deleted } = await client().json<{ Deleted: boolean }>('DELETE', path(table, key));
      console.log(Deleted ? 'deleted' : 'no such item');
    });

  kv.command('incr <table> <key>')
    .description('add to a numeric item atomically (absent counts as 0); prints the new value')
    .option('--by <n>', 'the amount to add', number('--by'), 1)
    .action(async (table: string, key: string, o: { by: number }) => {
      const item = await client().json<Item>('POST', `${path(table, key)}/incr`, { by: o.by });
      console.log(JSON.stringify(item.value));
    });

  kv.command('ls <table>')
    .description('list items in key order: KEY VERSION VALUE')
    .option('--prefix <p>', 'only keys starting with this')
    .action(async (table: string, o: { prefix?: string }) => {
      let next: string | undefined;
      do {
        const q = new URLSearchParams({ limit: '1000', ...(o.prefix ? { prefix: o.prefix } : {}), ...(next ? { next } : {}) });
        const page = await client().json<{ Items: Item[]; Next?: string }>('GET', `${path(table)}?${q}`);
        for (const item of page.Items) console.log(`${item.key}\t${item.version}\t${JSON.stringify(item.value)}`);
        next = page.Next;
      } while (next);
    });
}
