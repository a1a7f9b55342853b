// Runs every compiled test file with node's test runner. Unit tests first (fast
// feedback), then the integration, compatibility and repository suites.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const suites = ['unit', 'repo', 'integration', 'compat'];
const files = suites.flatMap((s) => find(join('dist', 'test', s))).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
const env = { ...process.env };
// Timing-sensitive spawns must not pay for the CA bundle the machine may set.
delete env.NODE_EXTRA_CA_CERTS;
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=120000', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
