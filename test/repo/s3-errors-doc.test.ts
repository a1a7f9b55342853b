/**
 * Keeps the S3 section of docs/errors.md in step with the code: every S3 error code (the
 * keys of S3_ERRORS) has a row there with its HTTP status, and no row names another.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { S3_ERRORS } from '../../src/api/index.js';
import { assertErrorTable } from '../support/errors-doc.js';

test('docs/errors.md lists every S3 error with its status', () => {
  assert.ok(Object.keys(S3_ERRORS).length > 10);
  assertErrorTable('S3 errors', S3_ERRORS, { code: 0, status: 1 });
});
