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
