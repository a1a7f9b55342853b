import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Who is at the other end of a loopback TCP connection, told by the kernel rather than
 * by anything the client sends. Environments share the network namespace, so any of
 * them can reach any loopback port; this is how a Runtime API endpoint tells its own
 * environment's connections from everyone else's.
 */

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
/** 127.0.0.1 as /proc/net/tcp prints it (the address's bytes as a native integer). */
const LOOPBACK = new Set(['0100007F', '7F000001']);

/**
 * The inode of the client's socket of an accepted connection: the row of
 * `/proc/net/tcp` whose local end is 127.0.0.1:`clientPort` and whose remote end is
 * 127.0.0.1:`serverPort`. Undefined when there is none (the client went away).
 */
export function clientSocketInode(clientPort: number, serverPort: number, table = readTcpTable()): string | undefined {
  const local = `:${hexPort(clientPort)}`;
  const remotePort = hexPort(serverPort);
  for (const line of table.split('\n')) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    const f = line.trim().split(/\s+/);
    const [l, r, inode] = [f[1], f[2], f[9]];
    if (!l || !r || !inode || inode === '0' || !l.endsWith(local)) continue;
    const [rAddr, rPort] = r.split(':');
    const [lAddr] = l.split(':');
    if (rPort === remotePort && LOOPBACK.has(rAddr ?? '') && LOOPBACK.has(lAddr ?? '')) return inode;
  }
  return undefined;
}

function readTcpTable(): string {
  try {
    return readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return '';
  }
}

/** True when one of `pids` has the socket `inode` among its open file descriptors. */
export function heldByAny(inode: string, pids: readonly number[]): boolean {
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited meanwhile
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return true;
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return false;
}

/**
 * True when the connection from 127.0.0.1:`clientPort` to our 127.0.0.1:`serverPort`
 * was opened by one of `pids` (its socket is among their descriptors). Fails closed: an
 * unreadable table or a vanished client is "not owned".
 */
export function connectionOwnedBy(clientPort: number, serverPort: number, pids: readonly number[]): boolean {
  const inode = clientSocketInode(clientPort, serverPort);
  return inode !== undefined && heldByAny(inode, pids);
}

/** Peak resident memory of a set of processes, in KiB (their VmHWM, summed). */
export function peakRssKb(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (/^Name:\s*bwrap$/m.test(status)) continue; // the sandbox's own wrapper
      total += Number(/^VmHWM:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      /* exited meanwhile */
    }
  }
  return total;
}
