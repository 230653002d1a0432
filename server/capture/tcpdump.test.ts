/**
 * A capture never outlives the process that started it: the kernel kills tcpdump when that
 * process dies (through `setpriv --pdeathsig`), and the `exit` hook kills it when the process
 * exits without stopping it. Each case starts tcpdump from a small Node process of its own and
 * follows that tcpdump by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';
import type { CaptureInfo } from '../contract/trace.js';
import { isRunning, processInfo, waitFor } from '../runner/test-processes.js';
import { ensureRunnerBuilt } from '../runner/vitest-global-setup.js';
import { probeCapture } from './probe.js';
import { findSetpriv, findTcpdump, loopbackTxPackets, parseTcpdumpInfo, tcpdumpCommand } from './tcpdump.js';
import { needs } from '../setup/expected-tools.js';

let capture: CaptureInfo;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

const holders: ChildProcess[] = [];
const tcpdumps: number[] = [];
afterEach(() => {
  for (const holder of holders.splice(0)) holder.kill('SIGKILL');
  for (const pid of tcpdumps.splice(0)) if (processInfo(pid)?.comm === 'tcpdump' && isRunning(pid)) process.kill(pid, 'SIGKILL');
});

/**
 * Starts a Node process that starts a capture on the host's `lo` (for a port nobody uses, so it
 * sees nothing), prints tcpdump's pid, then does `then`: 'wait' or 'exit' (process.exit(0)
 * without stopping the capture). Resolves with that process and tcpdump's pid.
 */
async function startHolder(opts: { setpriv: 'find' | 'none'; then: 'wait' | 'exit' }): Promise<{ holder: ChildProcess; tcpdumpPid: number }> {
  const module = pathToFileURL(join(projectRoot, 'dist', 'server', 'capture', 'tcpdump.js')).href;
  const script = `
    const [module, tcpdump, setpriv, then] = process.argv.slice(1);
    const { TcpdumpCapture } = await import(module);
    const capture = await TcpdumpCapture.start({
      tcpdump, filter: 'udp port 9', onData: () => {}, ...(setpriv === 'none' ? { setpriv: null } : {}),
    });
    process.stdout.write(JSON.stringify({ pid: capture.pid }) + '\\n');
    if (then === 'exit') process.exit(0);
    setTimeout(() => {}, 60000);`;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script, module, findTcpdump()!, opts.setpriv, opts.then], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  holders.push(holder);
  let out = '';
  holder.stdout!.setEncoding('utf8').on('data', (t: string) => (out += t));
  const line = await waitFor(() => (out.includes('\n') ? out.split('\n')[0]! : ''), 10_000);
  expect(line).not.toBe('');
  const pid = (JSON.parse(line) as { pid: number }).pid;
  tcpdumps.push(pid);
  if (opts.then === 'wait') expect(processInfo(pid)?.ppid).toBe(holder.pid);
  return { holder, tcpdumpPid: pid };
}

describe('reading what tcpdump says', () => {
  it('reads the last counters line it printed on SIGUSR1', () => {
    const stderr = [
      'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      'tcpdump: 3 packets captured, 6 packets received by filter, 0 packets dropped by kernel',
      'tcpdump: 11 packets captured, 22 packets received by filter, 1 packet dropped by kernel',
      '',
    ].join('\n');
    expect(parseTcpdumpInfo(stderr)).toEqual({ captured: 11, received: 22, droppedByKernel: 1 });
    expect(parseTcpdumpInfo('tcpdump: listening on lo')).toBeNull();
  });

  it('counts what lo has sent in this namespace', () => {
    expect(loopbackTxPackets()).toEqual(expect.any(Number));
  });
});

describe('tcpdumpCommand', () => {
  it('goes through setpriv with a parent-death signal, and as root keeps tcpdump from switching user', () => {
    expect(tcpdumpCommand('/usr/bin/tcpdump', ['-i', 'lo', 'port 9'], { setpriv: '/usr/bin/setpriv', uid: 0 })).toEqual([
      '/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', '/usr/bin/tcpdump', '-Z', 'root', '-i', 'lo', 'port 9',
    ]);
    expect(tcpdumpCommand('/usr/bin/tcpdump', ['-i', 'lo'], { setpriv: '/usr/bin/setpriv', uid: 1000 })).toEqual([
      '/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', '/usr/bin/tcpdump', '-i', 'lo',
    ]);
  });

  it('starts tcpdump directly when there is no setpriv', () => {
    expect(tcpdumpCommand('/usr/bin/tcpdump', ['-i', 'lo'], { setpriv: null, uid: 0 })).toEqual(['/usr/bin/tcpdump', '-i', 'lo']);
  });
});

describe('a capture never outlives its process', () => {
  it('tcpdump is killed by the kernel when the process that started it is killed', async (t) => {
    needs(t, capture.available && !!findSetpriv(), 'packet capture and setpriv');
    const { holder, tcpdumpPid } = await startHolder({ setpriv: 'find', then: 'wait' });
    holder.kill('SIGKILL'); // no exit hook runs
    expect(await waitFor(() => !isRunning(tcpdumpPid), 3000)).toBe(true);
  });

  it('without setpriv, the exit hook kills tcpdump when the process exits without stopping it', async (t) => {
    needs(t, capture.available, 'packet capture');
    const { holder, tcpdumpPid } = await startHolder({ setpriv: 'none', then: 'exit' });
    await waitFor(() => holder.exitCode !== null, 5000);
    expect(holder.exitCode).toBe(0);
    expect(await waitFor(() => !isRunning(tcpdumpPid), 3000)).toBe(true);
  });
});
