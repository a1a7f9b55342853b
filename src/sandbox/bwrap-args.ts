import { existsSync, lstatSync } from 'node:fs';

export const TASK_ROOT = '/var/task';
export const RUNTIME_ROOT = '/var/runtime';
export const OPT_ROOT = '/opt';

/** Host paths the runtime needs to start (read-only): binaries, libraries, TLS roots. */
const SYSTEM_PATHS = ['/usr', '/etc/ssl', '/etc/ca-certificates', '/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/localtime'];

/**
 * Arguments for bubblewrap: own mount, PID, IPC and UTS namespaces, the code read-only
 * at /var/task, the runtime at /var/runtime, a private size-capped /tmp. The network
 * namespace stays shared so functions can call out and reach Hearth's own APIs.
 */
export function bwrapArgs(opts: {
  codeDir: string;
  runtimeDir: string;
  /** The merged layers, read-only at /opt (after the other binds: an interpreter under /opt would be hidden). */
  optDir?: string;
  ephemeralStorageMb: number;
  extraReadOnly: string[];
}): string[] {
  const args = ['--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', 'hearth'];
  for (const p of [...SYSTEM_PATHS, ...opts.extraReadOnly]) {
    if (existsSync(p)) args.push('--ro-bind', p, p);
  }
  // Merged-/usr systems have /bin, /lib… as symlinks into /usr.
  for (const link of ['/bin', '/sbin', '/lib', '/lib64', '/lib32']) {
    if (!existsSync(link)) continue;
    if (lstatSync(link).isSymbolicLink()) args.push('--symlink', `usr${link}`, link);
    else args.push('--ro-bind', link, link);
  }
  if (opts.optDir) args.push('--ro-bind', opts.optDir, OPT_ROOT);
  args.push(
    '--proc', '/proc',
    '--dev', '/dev',
    '--size', String(opts.ephemeralStorageMb * 1024 * 1024), '--tmpfs', '/tmp',
    '--ro-bind', opts.codeDir, TASK_ROOT,
    '--ro-bind', opts.runtimeDir, RUNTIME_ROOT,
    '--chdir', TASK_ROOT,
  );
  return args;
}
