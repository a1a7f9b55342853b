/**
 * Keeps the S3 section of docs/errors.md in step with the code: every S3 error code (the
 * keys of S3_ERRORS) has a row there with its HTTP status, and no row names another.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { S3_ERRORS } from '../../src/api/index.js';

const DOC = new URL('../../../docs/errors.md', import.meta.url);

test('docs/errors.md lists every S3 error with its status', () => {
  const text = readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## S3 errors'));
  assert.ok(section.startsWith('## S3 errors'), 'docs/errors.md has no "## S3 errors" section');
  const end = section.indexOf('\n## ', 1);
  const rows = (end < 0 ? section : section.slice(0, end))
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim().replaceAll('`', '')));
  const entries = Object.entries(S3_ERRORS);
  assert.ok(entries.length > 10);
  for (const [code, status] of entries) {
    const row = rows.find((r) => r[0] === code);
    assert.ok(row, `no row for ${code} in the S3 errors table`);
    assert.equal(row[1], String(status), `status of ${code}`);
  }
  assert.equal(rows.length, entries.length, 'the table has rows for codes the code does not raise');
});
