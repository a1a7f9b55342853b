/**
 * Keeps docs/errors.md in step with the code: every error type the API can answer with
 * (the keys of STATUS) has a table row there showing its HTTP status.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { STATUS } from '../../src/api/errors.js';

// Compiled to dist/test/repo/: the repository root is three levels up.
const DOC = new URL('../../../docs/errors.md', import.meta.url);

/** Markdown table rows of the document, as trimmed cells with backticks removed. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|') && line.endsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replaceAll('`', '')),
    );
}

describe('docs/errors.md', () => {
  const rows = tableRows(readFileSync(DOC, 'utf8'));

  it('has a table row for every error type in STATUS, with its HTTP status', () => {
    const entries = Object.entries(STATUS);
    assert.ok(entries.length > 0);
    for (const [code, status] of entries) {
      const row = rows.find((cells) => cells.includes(code));
      assert.ok(row, `docs/errors.md has no table row for ${code}`);
      assert.ok(row.includes(String(status)), `the row for ${code} in docs/errors.md does not show its status ${status}: | ${row.join(' | ')} |`);
    }
  });

  it('shows no other status for those error types anywhere in its tables', () => {
    for (const cells of rows) {
      const code = cells[0] as keyof typeof STATUS;
      if (!Object.hasOwn(STATUS, code)) continue;
      const statuses = cells.filter((cell) => /^\d{3}$/.test(cell));
      assert.deepEqual(statuses, [String(STATUS[code])], `row for ${code}: | ${cells.join(' | ')} |`);
    }
  });
});
