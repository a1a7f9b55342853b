import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

interface Entry {
  rel: string;
  kind: 'dir' | 'file' | 'symlink';
  mode: number;
}

/** Host folders of one generic environment: bound read-only at /var/task and /opt from its start. */
export interface Slot {
  task: string;
  opt: string;
}

/**
 * The code folders of pre-warmed generic environments. A bind mount shows its folder's
 * live contents, so an environment started with an empty slot at /var/task sees the
 * function's code as soon as the host fills the slot. Filling hard-links the unpacked,
 * content-addressed tree (same filesystem: one link per file, no data copied; the links
 * share the read-only originals' inodes). Unpacked trees never change, so each one is
 * listed once and the listing reused.
 */
export class Slots {
  private readonly listings = new Map<string, Entry[]>();
  private copy = false;

  /** `root` must be on the filesystem of the unpacked code, else filling copies. */
  constructor(private readonly root: string) {}

  /** Removes slots left by an earlier server and makes the root. */
  reset(): void {
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
  }

  create(id: string): Slot {
    const slot = { task: join(this.root, id, 'task'), opt: join(this.root, id, 'opt') };
    mkdirSync(slot.task, { recursive: true });
    mkdirSync(slot.opt, { recursive: true });
    return slot;
  }

  /** Files and folders under `source` (what filling a slot from it costs). */
  entries(source: string): number {
    return this.listing(source).length;
  }

  /** Makes `dir` (an empty slot folder) hold the tree of `source`, with its modes. */
  fill(dir: string, source: string): void {
    chmodSync(dir, lstatSync(source).mode & 0o7777);
    for (const e of this.listing(source)) {
      const from = join(source, e.rel);
      const to = join(dir, e.rel);
      if (e.kind === 'dir') {
        mkdirSync(to);
        chmodSync(to, e.mode);
      } else if (!this.copy) {
        try {
          linkSync(from, to);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
          this.copy = true;
          this.copyEntry(e, from, to);
        }
      } else this.copyEntry(e, from, to);
    }
  }

  remove(id: string): void {
    rmSync(join(this.root, id), { recursive: true, force: true });
  }

  private copyEntry(e: Entry, from: string, to: string): void {
    if (e.kind === 'symlink') symlinkSync(readlinkSync(from), to);
    else {
      copyFileSync(from, to);
      chmodSync(to, e.mode);
    }
  }

  private listing(source: string): Entry[] {
    let entries = this.listings.get(source);
    if (!entries) {
      entries = [];
      walk(source, '', entries);
      this.listings.set(source, entries);
    }
    return entries;
  }
}

/** Parents before children, so filling can create folders in order. */
function walk(root: string, rel: string, out: Entry[]): void {
  for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    const mode = lstatSync(join(root, r)).mode & 0o7777;
    if (d.isDirectory()) {
      out.push({ rel: r, kind: 'dir', mode });
      walk(root, r, out);
    } else out.push({ rel: r, kind: d.isSymbolicLink() ? 'symlink' : 'file', mode });
  }
}
