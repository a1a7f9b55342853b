import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { HearthError } from '../../../src/common/index.js';
import {
  ZIPPED_LIMIT, extractPackage, inspectPackage, packageHasFile, zipDirectory,
} from '../../../src/control/code-package.js';

const CORRUPT = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

interface Spec { name: string; data?: string | Buffer; mode?: number }

/** A well-formed zip via yazl; names ending in '/' are directories. */
function buildZip(specs: Spec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const s of specs) {
    if (s.name.endsWith('/')) zip.addEmptyDirectory(s.name, { mode: s.mode ?? 0o40755 });
    else zip.addBuffer(Buffer.from(s.data ?? ''), s.name, { mode: s.mode ?? 0o100644 });
  }
  zip.end();
  return collect(zip.outputStream);
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const link = (name: string, target: string): Spec => ({ name, data: target, mode: 0o120777 });

interface RawEntry { name: string; data: Buffer; method?: 0 | 8; declaredSize?: number; mode?: number }

/** Hand-written zip bytes, for what yazl refuses to produce: hostile names and lying sizes. */
function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.method ?? 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.method ?? 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

async function rejectsWith(p: Promise<unknown>, pattern: RegExp | string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof HearthError, `expected HearthError, got ${String(err)}`);
    assert.equal(err.code, 'InvalidParameterValueException');
    if (typeof pattern === 'string') assert.equal(err.message, pattern);
    else assert.match(err.message, pattern);
    return true;
  });
}

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-code-package-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const modeOf = async (p: string) => (await fs.lstat(p)).mode & 0o777;

test('a good package inspects and round-trips through extraction', async (t) => {
  const zip = await buildZip([
    { name: 'index.js', data: 'exports.handler = async () => 1;\n' },
    { name: 'bin/', mode: 0o40700 },
    { name: 'bin/run.sh', data: '#!/bin/sh\necho hi\n', mode: 0o100775 },
    { name: 'lib/util.js', data: 'module.exports = 2;\n', mode: 0o100600 },
    { name: 'empty/' },
    link('node_modules/.bin/run', '../../bin/run.sh'),
  ]);
  const info = await inspectPackage(zip);
  assert.deepEqual(info, {
    sha256: createHash('sha256').update(zip).digest('hex'),
    zippedBytes: zip.length,
    unzippedBytes: 33 + 18 + 20 + '../../bin/run.sh'.length,
    files: 4,
  });

  const dir = await tempDir(t);
  const dest = path.join(dir, 'code');
  assert.deepEqual(await extractPackage(zip, dest), info);
  assert.equal(await fs.readFile(path.join(dest, 'index.js'), 'utf8'), 'exports.handler = async () => 1;\n');
  assert.equal(await fs.readFile(path.join(dest, 'lib/util.js'), 'utf8'), 'module.exports = 2;\n');
  assert.equal(await modeOf(path.join(dest, 'index.js')), 0o644);
  assert.equal(await modeOf(path.join(dest, 'lib/util.js')), 0o644);
  assert.equal(await modeOf(path.join(dest, 'bin/run.sh')), 0o755);
  for (const d of ['', 'bin', 'lib', 'empty', 'node_modules', 'node_modules/.bin']) {
    assert.equal(await modeOf(path.join(dest, d)), 0o755, `mode of dir "${d}"`);
  }
  assert.equal(await fs.readlink(path.join(dest, 'node_modules/.bin/run')), '../../bin/run.sh');
  assert.equal(await fs.readFile(path.join(dest, 'node_modules/.bin/run'), 'utf8'), '#!/bin/sh\necho hi\n');
  assert.deepEqual(await fs.readdir(dir), ['code'], 'no temp dir left behind');

  await assert.rejects(extractPackage(zip, dest), /already exists/);
});

test('zip-slip entry names are rejected', async () => {
  const data = Buffer.from('evil');
  await rejectsWith(inspectPackage(rawZip([{ name: '../evil.js', data }])),
    'Invalid zip entry "../evil.js": path escapes the package root');
  await rejectsWith(inspectPackage(rawZip([{ name: 'a/../../evil.js', data }])), /"a\/..\/..\/evil.js": path escapes/);
  await rejectsWith(inspectPackage(rawZip([{ name: 'ok.js', data }, { name: '..\\..\\evil.js', data }])),
    /path escapes the package root/);
  await rejectsWith(packageHasFile(rawZip([{ name: '../evil.js', data }]), ['evil.js']), /path escapes/);
});

test('absolute entry paths are rejected', async () => {
  const data = Buffer.from('evil');
  await rejectsWith(inspectPackage(rawZip([{ name: '/etc/evil.js', data }])),
    'Invalid zip entry "/etc/evil.js": absolute paths are not allowed');
  await rejectsWith(inspectPackage(rawZip([{ name: 'C:/evil.js', data }])), /absolute paths are not allowed/);
});

test('symlinks that leave the package root are rejected', async (t) => {
  await rejectsWith(inspectPackage(await buildZip([link('passwd', '../../etc/passwd')])),
    'Invalid zip entry "passwd": symlink target "../../etc/passwd" resolves outside the package root');
  await rejectsWith(inspectPackage(await buildZip([link('a/b/up', '../../..')])), /resolves outside/);
  await rejectsWith(inspectPackage(await buildZip([link('passwd', '/etc/passwd')])), /symlink target "\/etc\/passwd" is absolute/);
  // Lexically "b/.." is the root, but b -> . makes it the root's parent on disk.
  await rejectsWith(inspectPackage(await buildZip([link('b', '.'), link('c', 'b/..')])), /"c": .*resolves outside/);
  // Writing a file through an in-root symlink could be chained into an escape; refuse it outright.
  await rejectsWith(inspectPackage(await buildZip([link('a', 'lib'), { name: 'a/x.js', data: 'x' }])),
    /"a\/x.js": path goes through symlink "a"/);
  await rejectsWith(inspectPackage(await buildZip([{ name: 'x', data: 'x' }, link('x', 'y')])), /conflicts with a symlink/);

  const dir = await tempDir(t);
  await rejectsWith(extractPackage(await buildZip([{ name: 'ok.js', data: 'x' }, link('passwd', '../../etc/passwd')]),
    path.join(dir, 'code')), /resolves outside/);
  assert.deepEqual(await fs.readdir(dir), []);
});

test('zips over the direct-upload limit are rejected before parsing', async () => {
  await rejectsWith(inspectPackage(Buffer.alloc(ZIPPED_LIMIT + 1)), `Zipped size must be smaller than ${ZIPPED_LIMIT} bytes.`);
});

test('declared unzipped size over the limit is rejected', async () => {
  const zip = await buildZip([{ name: 'a.js', data: 'a'.repeat(600) }, { name: 'b.js', data: 'b'.repeat(600) }]);
  assert.equal((await inspectPackage(zip, { unzippedLimit: 1200 })).unzippedBytes, 1200);
  await rejectsWith(inspectPackage(zip, { unzippedLimit: 1000 }), 'Unzipped size must be smaller than 1000 bytes.');
  await rejectsWith(inspectPackage(zip, { unzippedLimit: 2000, alreadyUsedBytes: 1000 }),
    /combined with layers exceeds the maximum allowed size of 2000 bytes. The actual size is 2200 bytes/);
});

test('zip bombs are rejected', async () => {
  const bomb = await buildZip([{ name: 'zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) }]);
  assert.ok(bomb.length < 25_000, `20 MB of zeros should deflate ~1000:1, got ${bomb.length} bytes`);
  await rejectsWith(inspectPackage(bomb), /"zeros.bin": compression ratio is over 1000:1/);
  // Highly compressible but small entries are normal (minified JS, lockfiles).
  await inspectPackage(await buildZip([{ name: 'small.bin', data: Buffer.alloc(1024 * 1024) }]));
});

test('an entry that inflates beyond its declared size fails extraction and leaves nothing', async (t) => {
  const zip = rawZip([
    { name: 'fine.js', data: Buffer.from('ok') },
    { name: 'liar.js', data: deflateRawSync(Buffer.alloc(100_000, 'a')), method: 8, declaredSize: 10 },
  ]);
  assert.equal((await inspectPackage(zip)).unzippedBytes, 12); // declared sizes are all inspect can see
  const dir = await tempDir(t);
  const dest = path.join(dir, 'code');
  await rejectsWith(extractPackage(zip, dest), 'Invalid zip entry "liar.js": inflates beyond its declared size');
  assert.deepEqual(await fs.readdir(dir), []);
});

test('corrupt zips are rejected with Lambda\'s wording', async () => {
  await rejectsWith(inspectPackage(Buffer.from('this is not a zip file at all')), CORRUPT);
  await rejectsWith(inspectPackage(Buffer.alloc(0)), CORRUPT);
  const good = await buildZip([{ name: 'index.js', data: 'x' }]);
  await rejectsWith(inspectPackage(good.subarray(0, good.length - 30)), CORRUPT);
  await rejectsWith(packageHasFile(Buffer.from('nope'), ['index.js']), CORRUPT);
});

test('packageHasFile finds regular files without extracting', async () => {
  const zip = await buildZip([
    { name: 'src/' },
    { name: 'src/index.js', data: 'x' },
    link('handler.mjs', 'src/index.js'),
    link('dangling.js', 'src/missing.js'),
  ]);
  assert.equal(await packageHasFile(zip, ['src/index.js']), true);
  assert.equal(await packageHasFile(zip, ['src/index.mjs', 'src/index.cjs', 'src/index.js']), true);
  assert.equal(await packageHasFile(zip, ['./src/index.js']), true);
  assert.equal(await packageHasFile(zip, ['src/index.mjs', 'src/index.cjs']), false);
  assert.equal(await packageHasFile(zip, ['src']), false);
  assert.equal(await packageHasFile(zip, ['handler.mjs']), true);
  assert.equal(await packageHasFile(zip, ['dangling.js']), false);
  assert.equal(await packageHasFile(zip, []), false);
});

test('zipDirectory packs a folder deterministically and round-trips', async (t) => {
  const dir = await tempDir(t);
  const src = path.join(dir, 'src');
  await fs.mkdir(path.join(src, 'node_modules/dep'), { recursive: true });
  await fs.mkdir(path.join(src, 'empty'));
  await fs.writeFile(path.join(src, 'index.mjs'), 'export const handler = async () => 1;\n');
  await fs.writeFile(path.join(src, 'node_modules/dep/index.js'), 'module.exports = 1;\n');
  await fs.writeFile(path.join(src, 'tool.sh'), '#!/bin/sh\n', { mode: 0o755 });
  await fs.chmod(path.join(src, 'tool.sh'), 0o755);
  await fs.symlink('node_modules/dep/index.js', path.join(src, 'dep.js'));

  const zip = await zipDirectory(src);
  assert.deepEqual(await zipDirectory(src), zip, 'same folder, same bytes');
  assert.equal(await packageHasFile(zip, ['index.mjs']), true);

  const out = path.join(dir, 'out');
  const info = await extractPackage(zip, out);
  assert.equal(info.files, 4);
  assert.equal(await fs.readFile(path.join(out, 'index.mjs'), 'utf8'), 'export const handler = async () => 1;\n');
  assert.equal(await fs.readFile(path.join(out, 'node_modules/dep/index.js'), 'utf8'), 'module.exports = 1;\n');
  assert.equal(await modeOf(path.join(out, 'tool.sh')), 0o755);
  assert.equal(await modeOf(path.join(out, 'index.mjs')), 0o644);
  assert.equal(await fs.readlink(path.join(out, 'dep.js')), 'node_modules/dep/index.js');
  assert.ok((await fs.stat(path.join(out, 'empty'))).isDirectory());
});
