/**
 * A private network namespace per run: the run's process starts through `unshare`, brings up
 * its own `lo`, and everything captured there is the run's own traffic.
 */
import { execFile } from 'node:child_process';
import { findExecutable } from './which.js';

/** The command that starts a program in a new network namespace (plus a user namespace when not root). */
export function netnsPrefix(uid: number = process.getuid?.() ?? -1): string[] {
  const unshare = findExecutable('unshare') ?? 'unshare';
  return uid === 0 ? [unshare, '-n'] : [unshare, '--map-current-user', '--keep-caps', '-n'];
}

/** Buckets of the TCP connection table in a run's namespace (the kernel rounds to a power of 2). */
export const RUN_TCP_HASH_ENTRIES = 256;

/**
 * The command that runs `argv` in a new network namespace with its own small TCP connection
 * table. The table size of a namespace is set in the namespace that creates it
 * (`net.ipv4.tcp_child_ehash_entries`), so this makes one namespace, sets the size there and
 * makes the run's namespace inside it; reading /proc/net/tcp then takes microseconds instead
 * of walking the host-sized table. Where the setting does not exist the run still works, with
 * slower readings. Every step execs the next, so the run keeps the first process's pid.
 */
export function netnsCommand(argv: readonly string[], uid: number = process.getuid?.() ?? -1): string[] {
  const [unshare, ...flags] = netnsPrefix(uid);
  const script = `{ echo ${RUN_TCP_HASH_ENTRIES} > /proc/sys/net/ipv4/tcp_child_ehash_entries; } 2>/dev/null; exec "$0" -n "$@"`;
  return [unshare!, ...flags, '/bin/sh', '-c', script, unshare!, ...argv];
}

/** Brings up `lo` inside the current (new) network namespace. */
export function bringUpLoopback(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(findExecutable('ip') ?? 'ip', ['link', 'set', 'lo', 'up'], { timeout: 3000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`could not bring up lo: ${String(stderr).trim() || err.message}`));
      else resolve();
    });
  });
}
