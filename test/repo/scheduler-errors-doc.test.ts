/**
 * Keeps the Scheduler section of docs/errors.md in step with the code: every error type
 * the Scheduler API writes (the keys of SCHEDULER_ERRORS) has a row with its status.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCHEDULER_ERRORS } from '../../src/api/index.js';

const DOC = new URL('../../../docs/errors.md', import.meta.url);

test('docs/errors.md lists every Scheduler error with its status', () => {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('## Scheduler errors');
  assert.ok(start >= 0, 'docs/errors.md has no "## Scheduler errors" section');
  const end = text.indexOf('\n## ', start + 1);
  const rows = text
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => /^\| \d{3} \|/.test(l))
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim().replaceAll('`', '')));
  const entries = Object.entries(SCHEDULER_ERRORS);
  assert.ok(entries.length >= 6);
  for (const [code, status] of entries) {
    // Columns: status, type, when.
    const row = rows.find((r) => r[1] === code);
    assert.ok(row, `no row for ${code} in the Scheduler errors table`);
    assert.equal(row[0], String(status), `status of ${code}`);
  }
  assert.equal(rows.length, entries.length, 'the table has rows for types the code does not raise');
});
