import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const DOC = new URL('../../../docs/errors.md', import.meta.url);

/**
 * The body rows of the table under `## HEADING` in docs/errors.md (up to the next `## `),
 * cells trimmed and without backticks. The header and separator rows are left out.
 */
export function errorTableRows(heading: string): string[][] {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf(`## ${heading}\n`);
  assert.ok(start >= 0, `docs/errors.md has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const table = text
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('|'));
  return table.slice(2).map((l) => l.slice(1, -1).split('|').map((c) => c.trim().replaceAll('`', '')));
}

/**
 * Checks that the table lists every error type the code raises, each with its HTTP status
 * (and any further columns `extra` names), and no type the code does not raise.
 */
export function assertErrorTable(
  heading: string,
  errors: Record<string, number>,
  columns: { code: number; status: number },
  extra: (code: string, row: string[]) => void = () => undefined,
): void {
  const rows = errorTableRows(heading);
  for (const [code, status] of Object.entries(errors)) {
    const row = rows.find((r) => r[columns.code] === code);
    assert.ok(row, `no row for ${code} in the ${heading} table`);
    assert.equal(row[columns.status], String(status), `status of ${code}`);
    extra(code, row);
  }
  assert.equal(rows.length, Object.keys(errors).length, `the ${heading} table has rows for types the code does not raise`);
}
