/**
 * Looking at processes in tests, straight from /proc: who is in a process group, who is whose
 * child, who is still running. Zombies (exited, not yet reaped) count as gone.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  /** The executable's name as the kernel keeps it (at most 15 characters). */
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
}

/** One process from /proc/<pid>/stat, or null when it does not exist. */
export function processInfo(pid: number): ProcessInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const rest = stat.slice(close + 2).split(' ');
  return { pid, comm: stat.slice(open + 1, close), state: rest[0] ?? '', ppid: Number(rest[1]), pgid: Number(rest[2]) };
}

/** The process's command line, arguments joined by spaces ('' when it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every process that has not exited. */
export function runningProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = processInfo(Number(name));
    if (info && info.state !== 'Z' && info.state !== 'X') found.push(info);
  }
  return found;
}

export function isRunning(pid: number): boolean {
  const info = processInfo(pid);
  return info !== null && info.state !== 'Z' && info.state !== 'X';
}

/** The running members of process group `pgid`. */
export function groupMembers(pgid: number): ProcessInfo[] {
  return runningProcesses().filter((p) => p.pgid === pgid);
}

/** The running children of `ppid`. */
export function childrenOf(ppid: number): ProcessInfo[] {
  return runningProcesses().filter((p) => p.ppid === ppid);
}

/** Polls `check` every 25 ms until it returns something truthy or `timeoutMs` passes; returns its last answer. */
export async function waitFor<T>(check: () => T, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends `signal` (SIGKILL unless told), ignoring a process that is gone already. */
export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
