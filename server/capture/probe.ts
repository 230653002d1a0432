/**
 * Decides once, at start-up, how runs capture packets:
 * - `netns`: each run gets a private network namespace, and a tiny capture there works;
 * - `loopback`: no private namespace, but tcpdump captures on the host's `lo` (runs filter by port);
 * - `none`: no capture; `reason` says why in plain words and `fix` is the command that enables it.
 * `SOCKET_LAB_CAPTURE=netns|loopback|none` forces a method without probing.
 */
import { spawn } from 'node:child_process';
import type { CaptureInfo } from '../contract/trace.js';
import { netnsCommand } from './netns.js';
import { PROBE_SCRIPT } from './probe-script.js';
import { findTcpdump } from './tcpdump.js';
import { findExecutable } from './which.js';

const PROBE_TIMEOUT_MS = 8000;

interface ProbeResult {
  ok: boolean;
  stage?: string;
  message?: string;
}

/** Runs the probe script (optionally behind a command prefix) and reads its one-line answer. */
function runProbeScript(inNetns: boolean, tcpdump: string, ip: string): Promise<ProbeResult> {
  const command = [process.execPath, '-e', PROBE_SCRIPT, tcpdump, ip];
  const argv = inNetns ? netnsCommand(command) : command;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      killGroup(proc.pid);
      finish({ ok: false, stage: 'timeout', message: 'the capture check did not finish in time' });
    }, PROBE_TIMEOUT_MS);
    proc.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    proc.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    proc.on('error', (err) => finish({ ok: false, stage: 'spawn', message: err.message }));
    proc.on('close', (code) => {
      killGroup(proc.pid);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as ProbeResult;
        if (typeof parsed.ok === 'boolean') return finish(parsed);
      } catch {
        // fall through: the prefix (unshare) itself failed
      }
      finish({ ok: false, stage: 'spawn', message: stderr.trim() || `exited with code ${code}` });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function noCapture(reason: string, fix?: string): CaptureInfo {
  return fix === undefined ? { available: false, method: 'none', reason } : { available: false, method: 'none', reason, fix };
}

/** A forced method from SOCKET_LAB_CAPTURE, or null. */
function forcedMethod(env: NodeJS.ProcessEnv): CaptureInfo | null {
  const value = env.SOCKET_LAB_CAPTURE?.trim();
  if (value === 'none') {
    return noCapture('Packet capture is turned off (SOCKET_LAB_CAPTURE=none).', 'unset SOCKET_LAB_CAPTURE');
  }
  if (value === 'netns' || value === 'loopback') return { available: true, method: value };
  return null;
}

export async function probeCapture(env: NodeJS.ProcessEnv = process.env): Promise<CaptureInfo> {
  const forced = forcedMethod(env);
  if (forced) return forced;

  const sudo = isRoot() ? '' : 'sudo ';
  const tcpdump = findTcpdump(env);
  if (!tcpdump) {
    return noCapture('tcpdump is not installed, so packets cannot be captured.', `${sudo}apt-get install -y tcpdump`);
  }

  const ip = findExecutable('ip', env);
  let netnsProblem: string;
  if (ip) {
    const netns = await runProbeScript(true, tcpdump, ip);
    if (netns.ok) return { available: true, method: 'netns' };
    netnsProblem = netns.message ?? 'unknown problem';
  } else {
    netnsProblem = 'the `ip` command (iproute2) is not installed';
  }

  const loopback = await runProbeScript(false, tcpdump, '-');
  if (loopback.ok) {
    return {
      available: true,
      method: 'loopback',
      reason: `Runs cannot get a private network namespace (${oneLine(netnsProblem)}), so packets are captured on the host's loopback, filtered by the run's ports.`,
    };
  }

  const message = oneLine(loopback.message ?? 'unknown problem');
  const refused = /permission|not permitted|EPERM|EACCES/i.test(message);
  if (refused) {
    const fix = isRoot()
      ? 'docker run --cap-add=NET_RAW --cap-add=NET_ADMIN ...'
      : `sudo setcap cap_net_raw,cap_net_admin=eip ${tcpdump}`;
    return noCapture(`tcpdump is not allowed to capture on the loopback interface (${message}).`, fix);
  }
  return noCapture(`tcpdump could not capture on the loopback interface (${message}).`);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
