import { readFileSync, statSync } from 'node:fs';
import { zipDirectory } from '../control/index.js';
import { CliError } from './client.js';

/** `--env K=V` may repeat; collects into a record. */
export function collectEnv(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError(`--env expects KEY=VALUE (got "${value}")`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

export function integer(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new CliError(`${name} expects an integer (got "${value}")`);
    return n;
  };
}

/** A repeatable option collected into a list. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A folder (zipped here) or a zip file, as the bytes to upload. */
export async function readPackage(path: string): Promise<Buffer> {
  try {
    return statSync(path).isDirectory() ? await zipDirectory(path) : readFileSync(path);
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
}
