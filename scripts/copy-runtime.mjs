// Copies the runtimes that are not compiled (the Python bootstrap) next to the compiled
// Node bootstrap, so dist/rt/runtime/<family>/ holds everything an environment mounts.
// Custom runtimes (provided*) bring their own bootstrap: their runtime folder is empty.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const from = join('src', 'runtime', 'python');
const to = join('dist', 'rt', 'runtime', 'python');
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith('.py')) cpSync(join(from, name), join(to, name));
}
mkdirSync(join('dist', 'rt', 'runtime', 'provided'), { recursive: true });
// The KV client, compiled beside the bootstrap, also answers to `require('hearth-kv')`:
// NODE_PATH holds the runtime folder, and this package folder points at the file.
mkdirSync(join('dist', 'rt', 'runtime', 'node', 'hearth-kv'), { recursive: true });
writeFileSync(join('dist', 'rt', 'runtime', 'node', 'hearth-kv', 'package.json'), JSON.stringify({ name: 'hearth-kv', main: '../hearth-kv.cjs' }) + '\n');
