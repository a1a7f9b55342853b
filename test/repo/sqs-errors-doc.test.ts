/**
 * Keeps the SQS section of docs/errors.md in step with the code: every SQS error type
 * (the keys of SQS_ERRORS) has a row there with its HTTP status and query code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SQS_ERRORS } from '../../src/api/index.js';

const DOC = new URL('../../../docs/errors.md', import.meta.url);

test('docs/errors.md lists every SQS error with its status and query code', () => {
  const text = readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## SQS errors'));
  assert.ok(section.startsWith('## SQS errors'), 'docs/errors.md has no "## SQS errors" section');
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim().replaceAll('`', '')));
  const entries = Object.entries(SQS_ERRORS);
  assert.ok(entries.length > 10);
  for (const [code, [status, query]] of entries) {
    const row = rows.find((r) => r[0] === code);
    assert.ok(row, `no row for ${code} in the SQS errors table`);
    assert.equal(row[1], String(status), `status of ${code}`);
    assert.equal(row[2], query, `query code of ${code}`);
  }
  assert.equal(rows.length, entries.length, 'the table has rows for types the code does not raise');
});
