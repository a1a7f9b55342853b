/**
 * Repository rules for src/, checked on the TypeScript sources (not dist/):
 *  (a) imports point down the layer table only;
 *  (b) an import into another folder goes through that folder's index.ts;
 *  (c) src/runtime/** (the in-sandbox bootstrap) loads only Node built-ins, plus
 *      `import type` from common/protocol;
 *  (d) no source file is over MAX_LINES lines.
 * Imports are found with regular expressions, which is enough for this code base's style
 * (one import or re-export statement starting a line; literal dynamic imports).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers of src/, top-level folder → rank. A module may import only folders of a
 * strictly lower rank, or its own folder. `cli` sits on top and may import anything
 * (through index files). Folders of equal rank are peers and may not import each other.
 *
 *   cli → server → api → executions → {control, services, events, workflow} → invoke → pool → keepalive
 *       → sandbox → telemetry → queues → store → common
 *
 * common is the floor: it imports nothing else of src. telemetry is placed above store
 * because FunctionLogs is built on the store's LogStore port (a type-only import);
 * make them peers here if that dependency should go.
 * `runtime` is not a layer: it is compiled separately and runs inside the sandbox (rule c).
 * A new folder under src/ must be added here before it can be imported.
 */
const LAYERS: Readonly<Record<string, number>> = {
  cli: 100,
  server: 90,
  api: 80,
  gateway: 80,
  control: 70,
  services: 70,
  events: 70,
  workflow: 70,
  executions: 75,
  invoke: 60,
  pool: 50,
  keepalive: 45,
  sandbox: 40,
  telemetry: 30,
  queues: 25,
  objects: 25,
  store: 20,
  common: 10,
};

/** The folder whose modules may import every layer. */
const TOP = 'cli';
/** The folder that may import nothing else of src. */
const FLOOR = 'common';
/** Compiled and shipped apart from the server; see rule (c). */
const RUNTIME = 'runtime';
const MAX_LINES = 400;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = join(ROOT, 'src');

interface Import {
  /** Path of the importing file relative to the repo root, with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  typeOnly: boolean;
  /** Whether it is `import(...)` or `require(...)` rather than a static statement. */
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.c?ts$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string) => relative(ROOT, p).split(sep).join('/');
const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** `import … from '…'`, `export … from '…'`, `import '…'` at the start of a line (may span lines). */
const STATIC = /^[ \t]*(import|export)\s+(type\s+)?(?:([^'";()=]*?)\bfrom\s*)?['"]([^'"\n]+)['"]/gm;
/** `import('…')` and `require('…')` with a literal argument. */
const DYNAMIC = /\b(?:import|require)\(\s*['"]([^'"\n]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(STATIC)) {
    const clause = (m[3] ?? '').trim();
    // `import { type A, type B } from` is type-only too.
    const named = /^\{([\s\S]*)\}$/.exec(clause)?.[1];
    const allTypeNamed =
      named !== undefined &&
      named.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    out.push({
      file: rel(file),
      line: lineAt(text, m.index),
      specifier: m[4]!,
      typeOnly: m[2] !== undefined || allTypeNamed,
      dynamic: false,
    });
  }
  for (const m of text.matchAll(DYNAMIC)) {
    out.push({ file: rel(file), line: lineAt(text, m.index), specifier: m[1]!, typeOnly: false, dynamic: true });
  }
  return out;
}

/** The source file a relative specifier names (`./x.js` → `x.ts`), or undefined. */
function resolveSource(fromFile: string, specifier: string): string | undefined {
  const target = resolve(dirname(join(ROOT, fromFile)), specifier);
  const candidates = [
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.cjs$/, '.cts'),
    target.replace(/\.mjs$/, '.mts'),
    join(target, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Top-level folder of a path under src/ ('' for files directly in src/). */
function folderOf(srcPath: string): string {
  const parts = relative(SRC, srcPath).split(sep);
  return parts.length > 1 ? parts[0]! : '';
}

const isBuiltin = (s: string) => s.startsWith('node:') || builtinModules.includes(s);

const FILES = sourceFiles(SRC);
const IMPORTS = FILES.flatMap(importsOf);
/** Imports between files of src/, resolved. */
const INTERNAL = IMPORTS.filter((i) => i.specifier.startsWith('.')).map((i) => {
  const target = resolveSource(i.file, i.specifier);
  return { ...i, target, from: folderOf(join(ROOT, i.file)), to: target ? folderOf(target) : undefined };
});

const where = (i: Import) => `${i.file}:${i.line} imports '${i.specifier}'`;

function report(title: string, problems: string[]): void {
  assert.equal(problems.length, 0, `${title}:\n  ${problems.join('\n  ')}`);
}

test('the scan sees the source tree', () => {
  assert.ok(FILES.length > 20, `found only ${FILES.length} files under ${SRC}`);
  assert.ok(INTERNAL.length > 20, `found only ${INTERNAL.length} internal imports`);
  // The parser handles a multi-line import of the runtime's protocol types.
  assert.ok(
    INTERNAL.some((i) => i.file === 'src/runtime/node/bootstrap.cts' && i.specifier === '../../common/protocol.js' && i.typeOnly),
    'bootstrap.cts type import of common/protocol not found',
  );
});

test('every relative import resolves to a source file', () => {
  report(
    'Unresolvable imports',
    INTERNAL.filter((i) => !i.target).map(where),
  );
});

test('every folder of src/ is in the layer table (or is the runtime)', () => {
  const folders = new Set(FILES.map((f) => folderOf(f)));
  report(
    'Folders missing from LAYERS in test/repo/layering.test.ts',
    [...folders].filter((f) => f !== RUNTIME && !(f in LAYERS)).map((f) => (f === '' ? 'files directly in src/' : `src/${f}/`)),
  );
});

test('(a) imports point down the layers only', () => {
  const problems: string[] = [];
  for (const i of INTERNAL) {
    if (!i.target || i.to === undefined || i.from === RUNTIME) continue;
    if (i.to === RUNTIME) {
      problems.push(`${where(i)}: src/runtime is compiled apart and runs in the sandbox; nothing imports it`);
      continue;
    }
    if (i.from === i.to) continue;
    if (i.from === FLOOR) {
      problems.push(`${where(i)}: ${FLOOR} may not import anything else of src (it imports ${i.to})`);
      continue;
    }
    if (i.from === TOP) continue;
    const from = LAYERS[i.from];
    const to = LAYERS[i.to];
    if (from === undefined || to === undefined) continue; // reported by the table test
    if (to >= from) {
      const how = to === from ? 'a peer layer' : 'a higher layer';
      problems.push(`${where(i)}: ${i.from} (layer ${from}) may not import ${i.to} (${how}, layer ${to})`);
    }
  }
  report('Imports against the layer order (see LAYERS in test/repo/layering.test.ts)', problems);
});

test("(b) imports into another folder go through that folder's index.ts", () => {
  const problems: string[] = [];
  for (const i of INTERNAL) {
    if (!i.target || i.to === undefined || i.from === RUNTIME || i.to === RUNTIME || i.from === i.to) continue;
    const index = join(SRC, i.to, 'index.ts');
    if (i.target !== index) {
      const suggestion = relative(dirname(join(ROOT, i.file)), index).split(sep).join('/').replace(/\.ts$/, '.js');
      problems.push(`${where(i)} (${rel(i.target)}): import from '${suggestion}' instead`);
    }
  }
  report('Deep imports into another folder', problems);
});

test('(c) src/runtime imports only node: built-ins and `import type` from common/protocol', () => {
  const protocol = join(SRC, 'common', 'protocol.ts');
  const problems: string[] = [];
  for (const i of IMPORTS.filter((x) => x.file.startsWith(`src/${RUNTIME}/`))) {
    if (i.specifier.startsWith('.')) {
      const target = resolveSource(i.file, i.specifier);
      if (target === protocol && i.typeOnly && !i.dynamic) continue;
      problems.push(`${where(i)}: only \`import type\` from common/protocol is allowed here`);
    } else if (!isBuiltin(i.specifier)) {
      problems.push(`${where(i)}: only Node built-ins may be loaded by the runtime`);
    } else if (!i.specifier.startsWith('node:')) {
      problems.push(`${where(i)}: spell built-ins with the node: prefix`);
    }
  }
  report('Runtime imports', problems);
});

test(`(d) no file in src/ is over ${MAX_LINES} lines`, () => {
  const problems: string[] = [];
  for (const f of FILES) {
    const text = readFileSync(f, 'utf8');
    const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
    if (lines > MAX_LINES) problems.push(`${rel(f)}: ${lines} lines`);
  }
  report(`Files over ${MAX_LINES} lines (split them)`, problems);
});
