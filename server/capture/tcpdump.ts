/**
 * tcpdump as a packet source: where it is, how it is started for a run, and what it reports
 * when it stops. Packets come out of its stdout as a pcap stream (nanosecond timestamps).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { findExecutable, isExecutable } from './which.js';

/** Snapshot length: the whole packet, even on loopback's 64 KiB MTU. */
export const SNAPLEN = 262144;

/** How long tcpdump may take to say "listening on" before the capture counts as failed. */
const START_TIMEOUT_MS = 5000;
/** How long tcpdump may take to exit after SIGINT before it is killed. */
const STOP_TIMEOUT_MS = 3000;

/**
 * The tcpdump executable, or null when it is not installed. `SOCKET_LAB_TCPDUMP` names a
 * specific one (null when that one is not executable).
 */
export function findTcpdump(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env.SOCKET_LAB_TCPDUMP?.trim();
  if (chosen) return isExecutable(chosen) ? chosen : null;
  return findExecutable('tcpdump', env);
}

/** A BPF filter matching TCP and UDP traffic to or from any of the ports. */
export function portFilter(ports: readonly number[]): string {
  const unique = [...new Set(ports)].filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
  if (unique.length === 0) throw new Error('portFilter: no valid port');
  return unique.map((p) => `port ${p}`).join(' or ');
}

/** Arguments for capturing on `lo` to stdout, unbuffered, with nanosecond timestamps. */
export function tcpdumpArgs(opts: { snaplen?: number; filter?: string } = {}): string[] {
  const args = [
    '-i', 'lo', '-n', '-U', '-w', '-', '--immediate-mode',
    '--time-stamp-precision=nano', '-B', '16384', '-s', String(opts.snaplen ?? SNAPLEN),
  ];
  if (opts.filter) args.push(opts.filter);
  return args;
}

/** What tcpdump prints on stderr when it stops. Absent fields were not printed. */
export interface TcpdumpStats {
  captured?: number;
  received?: number;
  droppedByKernel?: number;
  droppedByInterface?: number;
}

/** Reads the exit statistics ("3 packets captured", "0 packets dropped by kernel", ...). */
export function parseTcpdumpStats(stderr: string): TcpdumpStats {
  const stats: TcpdumpStats = {};
  const read = (pattern: RegExp): number | undefined => {
    const match = pattern.exec(stderr);
    return match ? Number(match[1]) : undefined;
  };
  const captured = read(/^(\d+) packets? captured/m);
  const received = read(/^(\d+) packets? received by filter/m);
  const kernel = read(/^(\d+) packets? dropped by kernel/m);
  const iface = read(/^(\d+) packets? dropped by interface/m);
  if (captured !== undefined) stats.captured = captured;
  if (received !== undefined) stats.received = received;
  if (kernel !== undefined) stats.droppedByKernel = kernel;
  if (iface !== undefined) stats.droppedByInterface = iface;
  return stats;
}

export class CaptureStartError extends Error {
  override readonly name = 'CaptureStartError';
}

/** A running tcpdump. Create with `TcpdumpCapture.start`; always `stop()` it. */
export class TcpdumpCapture {
  private stderr = '';
  private readonly exited: Promise<void>;
  private readonly stdoutDone: Promise<void>;

  private constructor(private readonly proc: ChildProcessByStdio<null, Readable, Readable>) {
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (text: string) => {
      this.stderr += text;
      if (this.stderr.length > 65536) this.stderr = this.stderr.slice(-32768);
    });
    this.exited = new Promise((resolve) => proc.once('close', () => resolve()));
    this.stdoutDone = new Promise((resolve) => {
      proc.stdout.once('end', resolve);
      proc.stdout.once('close', resolve);
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Everything tcpdump wrote on stderr so far. */
  get messages(): string {
    return this.stderr;
  }

  /**
   * Starts tcpdump and resolves once it is listening, so no packet of the run is missed.
   * `onData` receives the pcap stream. Rejects with CaptureStartError (tcpdump's own words).
   */
  static start(opts: {
    tcpdump: string;
    filter?: string;
    snaplen?: number;
    onData: (chunk: Buffer) => void;
  }): Promise<TcpdumpCapture> {
    const proc = spawn(opts.tcpdump, tcpdumpArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'] });
    const capture = new TcpdumpCapture(proc);
    proc.stdout.on('data', opts.onData);
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        proc.stderr.off('data', onStderr);
        if (err) {
          proc.kill('SIGKILL');
          reject(err);
        } else resolve(capture);
      };
      const onStderr = () => {
        if (capture.stderr.includes('listening on')) finish(null);
      };
      const timer = setTimeout(
        () => finish(new CaptureStartError(`tcpdump did not start listening within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      proc.stderr.on('data', onStderr);
      proc.once('error', (err) => finish(new CaptureStartError(`tcpdump could not be started: ${err.message}`)));
      proc.once('exit', () => {
        // Let the last stderr text arrive before quoting it.
        setImmediate(() =>
          finish(new CaptureStartError(`tcpdump stopped: ${capture.stderr.trim() || 'no message'}`)),
        );
      });
    });
  }

  /** Stops with SIGINT (tcpdump then flushes and prints its statistics) and waits for it. */
  async stop(): Promise<TcpdumpStats> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, STOP_TIMEOUT_MS);
    });
    await Promise.race([Promise.all([this.exited, this.stdoutDone]), killed]);
    clearTimeout(timer);
    await this.exited;
    return parseTcpdumpStats(this.stderr);
  }
}
