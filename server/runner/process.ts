/**
 * A run's process: started (in its own process group and, with `netns` capture, in its own
 * network namespace), and ended with its whole group.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { netnsCommand } from '../capture/netns.js';
import type { CaptureMethod } from '../contract/trace.js';
import { childScriptPath } from './child-path.js';

export type RunProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** Starts a run's process for this capture method. Throws when it cannot be spawned at all. */
export function spawnRunProcess(method: CaptureMethod): RunProcess {
  const script = childScriptPath();
  const argv = method === 'netns' ? netnsCommand([process.execPath, script]) : [process.execPath, script];
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => undefined);
  return child;
}

/** Whether the process has neither exited nor failed to start. */
export function isRunning(child: RunProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

function groupExists(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the process group and waits (bounded) until none of its processes is left. */
export async function endGroup(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  killGroup(pid);
  for (let waited = 0; groupExists(pid) && waited < 3000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
