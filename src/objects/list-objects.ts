import { S3Error } from './errors.js';

export interface ListEntry {
  key: string;
  size: number;
  etag: string;
  modified: number;
}

export interface ListV2Input {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  continuationToken?: string;
  startAfter?: string;
}

export interface ListV2Result {
  contents: ListEntry[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken?: string;
  keyCount: number;
}

/** Keys from `bound` on (strictly after it unless `inclusive`) in byte order, at most `limit`. */
export type KeysFrom = (bound: string, inclusive: boolean, limit: number) => ListEntry[];

/**
 * ListObjectsV2 over a sorted key source: keys under `prefix`, those with `delimiter`
 * after the prefix rolled up into one common prefix each; max-keys counts both. The
 * continuation token is opaque to clients: where the next page starts.
 */
export function listV2(keysFrom: KeysFrom, input: ListV2Input): ListV2Result {
  const prefix = input.prefix ?? '';
  const delimiter = input.delimiter ?? '';
  const maxKeys = input.maxKeys ?? 1000;
  let pos: Position = { bound: input.startAfter ?? '', inclusive: false };
  if (input.continuationToken !== undefined) pos = decodeToken(input.continuationToken);
  // Keys below the prefix cannot match: start the scan at the prefix.
  if (pos.bound < prefix) pos = { bound: prefix, inclusive: true };
  const contents: ListEntry[] = [];
  const commonPrefixes: string[] = [];
  let resume: Position | undefined;
  const batch = Math.min(Math.max(maxKeys, 1) + 1, 1001);
  outer: for (;;) {
    const rows = keysFrom(pos.bound, pos.inclusive, batch);
    for (const row of rows) {
      if (!row.key.startsWith(prefix)) break outer; // sorted: past every key under the prefix
      const cut = delimiter ? row.key.indexOf(delimiter, prefix.length) : -1;
      if (contents.length + commonPrefixes.length >= maxKeys) {
        resume = pos;
        break outer;
      }
      if (cut >= 0) {
        const item = row.key.slice(0, cut + delimiter.length);
        commonPrefixes.push(item);
        // Every key under this common prefix is rolled up into it: skip past them all.
        pos = { bound: skipPast(item), inclusive: true };
        continue outer;
      }
      contents.push(row);
      pos = { bound: row.key, inclusive: false };
    }
    if (rows.length < batch) break;
  }
  return {
    contents,
    commonPrefixes,
    isTruncated: resume !== undefined,
    nextContinuationToken: resume && encodeToken(resume),
    keyCount: contents.length + commonPrefixes.length,
  };
}

interface Position {
  bound: string;
  inclusive: boolean;
}

/** A lower bound past every key that starts with `p` (last character incremented). */
function skipPast(p: string): string {
  return p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1);
}

/** The opaque token: where the next page starts, `i`nclusive or e`x`clusive, base64url. */
export function encodeToken(pos: Position): string {
  return Buffer.from(`${pos.inclusive ? 'i' : 'x'}${pos.bound}`, 'utf8').toString('base64url');
}

export function decodeToken(token: string): Position {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (text[0] !== 'i' && text[0] !== 'x') throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  return { bound: text.slice(1), inclusive: text[0] === 'i' };
}
