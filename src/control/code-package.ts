/**
 * Deployment zips (function code plus node_modules): validation, extraction and packing.
 * A zip is hostile input: every path, symlink and size it declares is checked before anything
 * touches the disk, and real inflated bytes are counted during extraction because declared
 * sizes can lie.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { HearthError } from '../common/index.js';

export const ZIPPED_LIMIT = 50 * 1024 * 1024; // Lambda's direct-upload limit
export const UNZIPPED_LIMIT = 250 * 1024 * 1024; // Lambda's unzipped limit
const MAX_ENTRIES = 100_000;
const BOMB_RATIO = 1000;
const BOMB_MIN_BYTES = 1024 * 1024;
const MAX_LINK_TARGET = 4096; // PATH_MAX; anything longer is not a real symlink
const MAX_LINK_HOPS = 40; // Linux's own limit, so loops are caught the same way the kernel would
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const CORRUPT = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

export interface PackageInfo {
  sha256: string;
  zippedBytes: number;
  unzippedBytes: number;
  files: number;
}

export interface PackageLimits {
  /** Defaults to UNZIPPED_LIMIT. */
  unzippedLimit?: number;
  /** Bytes of the limit already taken (by layers), so code + layers share one budget. */
  alreadyUsedBytes?: number;
}

interface Item {
  name: string; // as stored, for messages
  path: string; // normalized, relative to the package root, '' for the root itself
  kind: 'file' | 'dir' | 'link';
  size: number;
  executable: boolean;
  target: string; // symlinks only
  raw: yauzl.Entry;
}

const invalid = (message: string) => new HearthError('InvalidParameterValueException', message);
const bad = (name: string, why: string) => invalid(`Invalid zip entry "${name}": ${why}`);

/** yauzl's own checks fire before ours; re-word them so users see one style of message. */
function fromYauzl(err: unknown): Error {
  if (err instanceof HearthError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const abs = /^absolute path: (.*)$/s.exec(msg);
  if (abs) return bad(abs[1] ?? '', 'absolute paths are not allowed');
  const rel = /^invalid relative path: (.*)$/s.exec(msg);
  if (rel) return bad(rel[1] ?? '', 'path escapes the package root');
  return invalid(CORRUPT);
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[a-zA-Z]:/.test(p);

function cleanPath(name: string): string {
  if (name.includes('\0')) throw bad(name, 'path contains a NUL byte');
  const p = name.replace(/\\/g, '/'); // Windows tools write backslashes; treat them as separators
  if (isAbsolute(p)) throw bad(name, 'absolute paths are not allowed');
  if (p.split('/').includes('..')) throw bad(name, 'path escapes the package root');
  const norm = path.posix.normalize(p).replace(/\/+$/, '');
  return norm === '.' ? '' : norm;
}

/** Resolves `target` as the kernel would inside the extracted tree; null if it ever leaves the root. */
function resolveInRoot(fromDir: string, target: string, links: Map<string, string>): string | null {
  const stack = fromDir ? fromDir.split('/') : [];
  const queue = target.split('/');
  let hops = 0;
  while (queue.length > 0) {
    const c = queue.shift() ?? '';
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (stack.length === 0) return null;
      stack.pop();
      continue;
    }
    stack.push(c);
    const next = links.get(stack.join('/'));
    if (next !== undefined) {
      // A lexical check is not enough: "b -> ." then "c -> b/.." escapes on disk.
      if (++hops > MAX_LINK_HOPS || isAbsolute(next)) return null;
      stack.pop();
      queue.unshift(...next.split('/'));
    }
  }
  return stack.join('/');
}

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function describe(zf: yauzl.ZipFile, e: yauzl.Entry): Promise<Item> {
  const name = e.fileName;
  const mode = (e.externalFileAttributes >>> 16) & 0xffff;
  const isDir = name.endsWith('/') || name.endsWith('\\');
  const item: Item = {
    name, path: cleanPath(name), kind: isDir ? 'dir' : (mode & S_IFMT) === S_IFLNK ? 'link' : 'file',
    size: isDir ? 0 : e.uncompressedSize, executable: (mode & 0o111) !== 0, target: '', raw: e,
  };
  if (item.kind === 'dir') return item;
  if (item.path === '') throw bad(name, 'not a valid file name');
  if (e.isEncrypted()) throw bad(name, 'encrypted entries are not supported');
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
    throw bad(name, `compression method ${e.compressionMethod} is not supported (use deflate)`);
  }
  if (e.uncompressedSize > BOMB_MIN_BYTES && e.uncompressedSize > BOMB_RATIO * e.compressedSize) {
    throw bad(name, `compression ratio is over ${BOMB_RATIO}:1, which looks like a zip bomb`);
  }
  if (item.kind === 'link') {
    if (e.uncompressedSize > MAX_LINK_TARGET) throw bad(name, 'symlink target is too long');
    const t = (await readAll(await zf.openReadStreamPromise(e))).toString('utf8');
    if (t === '' || t.includes('\0') || t.includes('\\')) throw bad(name, 'symlink target is not a valid path');
    if (isAbsolute(t)) throw bad(name, `symlink target "${t}" is absolute`);
    item.target = t;
  }
  return item;
}

/** Reads the central directory (and symlink targets). The caller must close the ZipFile. */
async function scan(zip: Buffer): Promise<{ zf: yauzl.ZipFile; items: Item[] }> {
  let zf: yauzl.ZipFile;
  try {
    zf = await yauzl.fromBufferPromise(zip, {
      lazyEntries: true, validateEntrySizes: true, strictFileNames: false, autoClose: false,
    });
  } catch (err) {
    throw fromYauzl(err);
  }
  try {
    if (zf.entryCount > MAX_ENTRIES) {
      throw invalid(`Zip file has ${zf.entryCount} entries; at most ${MAX_ENTRIES} are allowed.`);
    }
    const items: Item[] = [];
    for await (const e of zf.eachEntry()) items.push(await describe(zf, e));
    return { zf, items };
  } catch (err) {
    zf.close();
    throw fromYauzl(err);
  }
}

function linkMap(items: Item[]): Map<string, string> {
  return new Map(items.filter((i) => i.kind === 'link').map((i) => [i.path, i.target]));
}

function budget(opts: PackageLimits): { limit: number; tooBig: (n: number) => HearthError } {
  const max = opts.unzippedLimit ?? UNZIPPED_LIMIT;
  const used = opts.alreadyUsedBytes ?? 0;
  return {
    limit: max - used,
    tooBig: (n) => used > 0
      ? invalid(`Function code combined with layers exceeds the maximum allowed size of ${max} bytes. The actual size is ${n + used} bytes.`)
      : invalid(`Unzipped size must be smaller than ${max} bytes.`),
  };
}

function validate(zip: Buffer, items: Item[], opts: PackageLimits): PackageInfo {
  const { limit, tooBig } = budget(opts);
  let unzipped = 0;
  let files = 0;
  for (const i of items) {
    unzipped += i.size;
    if (i.kind !== 'dir') files++;
  }
  if (unzipped > limit) throw tooBig(unzipped);
  const links = linkMap(items);
  const linkCount = new Map<string, number>();
  for (const i of items) {
    // Extraction writes symlinks last and never through one, so nothing may live "under" a symlink.
    for (let d = dirOf(i.path); d !== ''; d = dirOf(d)) {
      if (links.has(d)) throw bad(i.name, `path goes through symlink "${d}"`);
    }
    if (links.has(i.path)) {
      const n = (linkCount.get(i.path) ?? 0) + 1;
      linkCount.set(i.path, n);
      if (n > 1 || i.kind !== 'link') throw bad(i.name, 'conflicts with a symlink of the same name');
    }
    if (i.kind === 'link' && resolveInRoot(dirOf(i.path), i.target, links) === null) {
      throw bad(i.name, `symlink target "${i.target}" resolves outside the package root`);
    }
  }
  return {
    sha256: createHash('sha256').update(zip).digest('hex'),
    zippedBytes: zip.length, unzippedBytes: unzipped, files,
  };
}

async function open(zip: Buffer, opts: PackageLimits) {
  if (zip.length > ZIPPED_LIMIT) throw invalid(`Zipped size must be smaller than ${ZIPPED_LIMIT} bytes.`);
  const { zf, items } = await scan(zip);
  try {
    return { zf, items, info: validate(zip, items, opts) };
  } catch (err) {
    zf.close();
    throw err;
  }
}

export async function inspectPackage(zip: Buffer, opts: PackageLimits = {}): Promise<PackageInfo> {
  const { zf, info } = await open(zip, opts);
  zf.close();
  return info;
}

export async function packageHasFile(zip: Buffer, relPaths: string[]): Promise<boolean> {
  const { zf, items } = await scan(zip);
  zf.close();
  const files = new Set(items.filter((i) => i.kind === 'file').map((i) => i.path));
  const links = linkMap(items);
  return relPaths.some((p) => {
    const rel = path.posix.normalize(p.replace(/\\/g, '/'));
    // A handler reached through a symlink loads fine at runtime, so it counts too.
    return files.has(rel) || (links.has(rel) && files.has(resolveInRoot(dirOf(rel), links.get(rel) ?? '', links) ?? '\0'));
  });
}

/** True when `relPath` is an executable file of the package, directly or through a symlink inside it. */
export async function packageHasExecutable(zip: Buffer, relPath: string): Promise<boolean> {
  const { zf, items } = await scan(zip);
  zf.close();
  const files = new Map(items.filter((i) => i.kind === 'file').map((i) => [i.path, i]));
  const links = linkMap(items);
  const rel = path.posix.normalize(relPath);
  const target = links.has(rel) ? resolveInRoot(dirOf(rel), links.get(rel) ?? '', links) : rel;
  return target !== null && files.get(target)?.executable === true;
}

function extractError(item: Item, err: unknown): Error {
  if (err instanceof HearthError) return err;
  const e = err as NodeJS.ErrnoException;
  if (/^too many bytes/.test(e.message)) return bad(item.name, 'inflates beyond its declared size');
  if (/^not enough bytes/.test(e.message)) return bad(item.name, 'is shorter than its declared size');
  if (e.code === 'EEXIST' || e.code === 'ENOTDIR' || e.code === 'EISDIR') {
    return bad(item.name, 'conflicts with another entry (a file where a directory is needed, or the reverse)');
  }
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return invalid(CORRUPT);
  return e;
}

async function writeAll(zf: yauzl.ZipFile, items: Item[], root: string, opts: PackageLimits): Promise<void> {
  const { limit, tooBig } = budget(opts);
  const dirs = new Set<string>(['']);
  const ensureDir = async (rel: string) => {
    await fs.mkdir(path.join(root, rel), { recursive: true });
    for (let d = rel; d !== '' && !dirs.has(d); d = dirOf(d)) dirs.add(d);
  };
  let total = 0;
  for (const it of items) {
    try {
      if (it.kind === 'dir') await ensureDir(it.path);
      if (it.kind !== 'file') continue;
      await ensureDir(dirOf(it.path));
      let written = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          written += chunk.length;
          total += chunk.length;
          if (written > it.size) return cb(bad(it.name, 'inflates beyond its declared size'));
          if (total > limit) return cb(tooBig(total));
          cb(null, chunk);
        },
      });
      const dest = path.join(root, it.path);
      const mode = it.executable ? 0o755 : 0o644;
      await pipeline(await zf.openReadStreamPromise(it.raw), counter, createWriteStream(dest, { mode }));
      await fs.chmod(dest, mode); // createWriteStream's mode is filtered by the umask
    } catch (err) {
      throw extractError(it, err);
    }
  }
  // Symlinks last, so no file write can be redirected through one.
  for (const it of items.filter((i) => i.kind === 'link')) {
    try {
      await ensureDir(dirOf(it.path));
      await fs.symlink(it.target, path.join(root, it.path));
    } catch (err) {
      throw extractError(it, err);
    }
  }
  for (const d of dirs) await fs.chmod(path.join(root, d), 0o755);
}

export async function extractPackage(zip: Buffer, destDir: string, opts: PackageLimits = {}): Promise<PackageInfo> {
  const dest = path.resolve(destDir);
  const exists = await fs.lstat(dest).then(() => true, () => false);
  if (exists) throw new Error(`extractPackage: ${dest} already exists`);
  const { zf, items, info } = await open(zip, opts);
  try {
    await fs.mkdir(path.dirname(dest), { recursive: true });
    // A sibling, so the final rename stays on one filesystem and is atomic.
    const tmp = await fs.mkdtemp(path.join(path.dirname(dest), `.${path.basename(dest)}.partial-`));
    try {
      await writeAll(zf, items, tmp, opts);
      await fs.rename(tmp, dest);
    } catch (err) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw err;
    }
  } finally {
    zf.close();
  }
  return info;
}

export async function zipDirectory(dir: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  // A fixed DOS-only timestamp (local-time fields, no UTC extra field) makes the bytes, and so
  // CodeSha256, depend only on content: redeploying unchanged code is recognisably unchanged.
  const common = { mtime: new Date(2000, 0, 1), forceDosTimestamp: true };
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
  done.catch(() => {}); // observed below; this only stops an early rejection counting as unhandled
  const walk = async (rel: string): Promise<void> => {
    const names = (await fs.readdir(path.join(dir, rel))).sort(); // code-unit order: locale-independent
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      const abs = path.join(dir, r);
      const st = await fs.lstat(abs);
      if (st.isSymbolicLink()) {
        zip.addBuffer(Buffer.from(await fs.readlink(abs)), r, { ...common, mode: 0o120777, compress: false });
      } else if (st.isDirectory()) {
        zip.addEmptyDirectory(r, { ...common, mode: 0o40755 });
        await walk(r);
      } else if (st.isFile()) {
        zip.addFile(abs, r, { ...common, mode: st.mode & 0o111 ? 0o100755 : 0o100644 });
      } // sockets, FIFOs and devices have no zip representation
    }
  };
  await walk('');
  zip.end();
  return done;
}
