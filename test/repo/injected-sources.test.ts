/**
 * Time and chance are injected (`Clock`, `Random` in src/common) so tests can drive the
 * real policies. Only common/clock.ts and common/random.ts may read the wall clock or
 * Math.random in the server's layers; the CLI and the in-sandbox runtime are separate
 * programs and are not checked.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = join(ROOT, 'src');
const ALLOWED = new Set(['src/common/clock.ts', 'src/common/random.ts']);
const EXEMPT = ['src/cli/', 'src/runtime/'];
const SOURCES = /\b(Math\.random|Date\.now)\s*\(|\bnew Date\(\s*\)|\bperformance\.now\s*\(/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.c?ts$/.test(name) ? [p] : [];
  });
}

test('only common/clock.ts and common/random.ts read the clock or Math.random', () => {
  const problems: string[] = [];
  for (const f of files(SRC)) {
    const rel = relative(ROOT, f).split(sep).join('/');
    if (ALLOWED.has(rel) || EXEMPT.some((e) => rel.startsWith(e))) continue;
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(SOURCES)) problems.push(`${rel}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
  }
  assert.deepEqual(problems, [], 'inject a Clock or Random instead');
});
