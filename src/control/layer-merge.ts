/**
 * A function's layers as one folder: each layer's unpacked content laid over the previous
 * ones in order (a later layer wins on a path both have), as Lambda extracts them into
 * /opt. Files are hard links into the unpacked layers, so a merge costs no file copies.
 * The folder is named by the layers' content and built atomically (a temporary sibling,
 * then a rename): once it exists it is complete, and it never changes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** The name of the merged folder of these layer packages (content SHA-256s, in order). */
export function mergedName(layerShas: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(layerShas)).digest('hex');
}

/** Builds `dest` from `layerDirs` in order, unless it already exists. */
export async function buildMerged(dest: string, layerDirs: readonly string[]): Promise<void> {
  if (await exists(dest)) return;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const tmp = await fs.mkdtemp(path.join(path.dirname(dest), `.${path.basename(dest)}.partial-`));
  try {
    for (const dir of layerDirs) await overlay(dir, tmp);
    await fs.chmod(tmp, 0o755);
    await fs.rename(tmp, dest);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    // Another request built the same folder meanwhile: it is the same content.
    if (await exists(dest)) return;
    throw err;
  }
}

/** Lays the tree at `src` over `dest` (both real directories). */
async function overlay(src: string, dest: string): Promise<void> {
  for (const entry of await fs.readdir(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    const to = path.join(dest, entry.name);
    const there = await fs.lstat(to).catch(() => undefined);
    if (entry.isDirectory()) {
      // Merge into a directory an earlier layer made; anything else at that path is replaced.
      if (there && !there.isDirectory()) await fs.rm(to, { recursive: true, force: true });
      if (!there?.isDirectory()) await fs.mkdir(to, { mode: 0o755 });
      await overlay(from, to);
      continue;
    }
    if (there) await fs.rm(to, { recursive: true, force: true });
    if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(from), to);
    else if (entry.isFile()) await linkOrCopy(from, to);
  }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to);
  } catch {
    // Another filesystem, or hard links refused: a copy has the same content.
    await fs.copyFile(from, to);
    await fs.chmod(to, (await fs.stat(from)).mode & 0o777);
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(() => true, () => false);
}
