/**
 * tcpdump as a packet source: where it is, how it is started for a run, and what it reports
 * when it stops. Packets come out of its stdout as a pcap stream (nanosecond timestamps).
 *
 * A capture never outlives the process that started it. In a run's private network namespace
 * no packet ever arrives once the run is over, so an orphaned tcpdump would never notice that
 * its reader is gone and would wait forever. Hence: the kernel kills tcpdump when its parent
 * dies, whatever the cause (see `tcpdumpCommand`), and a synchronous `exit` hook kills any
 * capture still running when the process leaves.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { findExecutable, isExecutable } from './which.js';

/** Snapshot length: the whole packet, even on loopback's 64 KiB MTU. */
export const SNAPLEN = 262144;

/** How long tcpdump may take to say "listening on" before the capture counts as failed. */
const START_TIMEOUT_MS = 5000;
/** How long tcpdump may take to exit after SIGINT before it is killed. */
const STOP_TIMEOUT_MS = 3000;

let setprivFound: string | null | undefined;

/**
 * util-linux `setpriv` when it is installed and knows `--pdeathsig`, else null (checked once).
 */
export function findSetpriv(env: NodeJS.ProcessEnv = process.env): string | null {
  if (setprivFound !== undefined) return setprivFound;
  const setpriv = findExecutable('setpriv', env);
  let usable = false;
  if (setpriv) {
    const help = spawnSync(setpriv, ['--help'], { encoding: 'utf8', timeout: 2000 });
    usable = `${help.stdout ?? ''}${help.stderr ?? ''}`.includes('--pdeathsig');
  }
  setprivFound = usable ? setpriv : null;
  return setprivFound;
}

/**
 * The command line that starts tcpdump. With `setpriv`, tcpdump gets SIGKILL from the kernel
 * as soon as its parent dies. Changing user clears that setting, so as root tcpdump is told
 * to stay root (`-Z root`) instead of switching to its own unprivileged user; it only writes
 * raw packets (`-w`) and parses none. Without `setpriv` tcpdump starts as before, and only
 * the `exit` hook and the runner's process-group kill end it.
 */
export function tcpdumpCommand(
  tcpdump: string,
  args: readonly string[],
  opts: { setpriv: string | null; uid: number },
): string[] {
  if (!opts.setpriv) return [tcpdump, ...args];
  const stayRoot = opts.uid === 0 ? ['-Z', 'root'] : [];
  return [opts.setpriv, '--pdeathsig', 'KILL', '--', tcpdump, ...stayRoot, ...args];
}

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

/**
 * The capture buffer, in KiB. In immediate mode the kernel's ring holds one frame per packet,
 * each as large as `lo`'s biggest (64 KiB), whatever the packet's size: 64 MiB is 1,024 packets
 * of lead over the reader. Measured on a sticky run of 10,000 small messages: 16 MiB dropped
 * packets in 2 runs of 3, 32 MiB in 1 of 6, 64 MiB in none of 7.
 */
export const CAPTURE_BUFFER_KIB = 65_536;

/** Arguments for capturing on `lo` to stdout, unbuffered, with nanosecond timestamps. */
export function tcpdumpArgs(opts: { snaplen?: number; filter?: string } = {}): string[] {
  const args = [
    '-i', 'lo', '-n', '-U', '-w', '-', '--immediate-mode',
    '--time-stamp-precision=nano', '-B', String(CAPTURE_BUFFER_KIB), '-s', String(opts.snaplen ?? SNAPLEN),
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

/**
 * Reads the last counters line tcpdump printed on SIGUSR1 in `stderr` ("tcpdump: 5 packets
 * captured, 5 packets received by filter, 0 packets dropped by kernel"); null when none.
 */
export function parseTcpdumpInfo(stderr: string): Required<Pick<TcpdumpStats, 'captured' | 'received' | 'droppedByKernel'>> | null {
  const pattern = /(\d+) packets? captured, (\d+) packets? received by filter, (\d+) packets? dropped by kernel/g;
  let last: RegExpExecArray | null = null;
  for (let match = pattern.exec(stderr); match; match = pattern.exec(stderr)) last = match;
  return last ? { captured: Number(last[1]), received: Number(last[2]), droppedByKernel: Number(last[3]) } : null;
}

/** Packets `lo` has sent in this network namespace (/proc/net/dev), or null when unreadable. */
export function loopbackTxPackets(): number | null {
  try {
    const line = readFileSync('/proc/net/dev', 'utf8')
      .split('\n')
      .find((l) => l.trim().startsWith('lo:'));
    const fields = line?.slice(line.indexOf(':') + 1).trim().split(/\s+/);
    const tx = Number(fields?.[9]);
    return Number.isInteger(tx) ? tx : null;
  } catch {
    return null;
  }
}

/** The kernel's state letter for a process (`R`, `S`, `T` stopped…), or null when it is gone. */
function processState(pid: number | undefined): string | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** How a capture's packets stand once the run is over (see `TcpdumpCapture.drain`). */
export type DrainResult =
  | { ok: true; captured: number; received: number; droppedByKernel: number }
  /** tcpdump did not answer: its process is stopped (`stopped`), or it just did not. */
  | { ok: false; stopped: boolean; waitedMs: number };

export class CaptureStartError extends Error {
  override readonly name = 'CaptureStartError';
}

/** Captures started by this process and not yet exited. */
const running = new Set<TcpdumpCapture>();
let exitHookInstalled = false;

/** Sends SIGKILL to every capture of this process still running. Synchronous: safe in an `exit` handler. */
export function killCapturesNow(): void {
  for (const capture of running) capture.kill();
}

/** Stops every capture of this process (SIGINT, then SIGKILL after `graceMs`) and waits for them. */
export async function stopCaptures(graceMs: number): Promise<void> {
  await Promise.all([...running].map((capture) => capture.stop(graceMs)));
}

/** A running tcpdump. Create with `TcpdumpCapture.start`; always `stop()` it. */
export class TcpdumpCapture {
  private stderr = '';
  private readonly exited: Promise<void>;
  private readonly stdoutDone: Promise<void>;
  /** Set once this process asked tcpdump to stop (or killed it). */
  private stopping = false;

  private constructor(
    private readonly proc: ChildProcessByStdio<null, Readable, Readable>,
    onEnded?: (cause: string) => void,
  ) {
    running.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', killCapturesNow);
    }
    proc.once('exit', (code, signal) => {
      running.delete(this);
      if (!this.stopping) onEnded?.(signal ?? `exit code ${code}`);
    });
    proc.once('error', () => running.delete(this));
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
    /** `setpriv` to start through; null starts tcpdump directly. Found on PATH when absent. */
    setpriv?: string | null;
    /**
     * tcpdump ended after it started listening without being asked to (killed, or stopped by a
     * signal of its own): the signal's name or `exit code N`.
     */
    onEnded?: (cause: string) => void;
  }): Promise<TcpdumpCapture> {
    const setpriv = opts.setpriv === undefined ? findSetpriv() : opts.setpriv;
    const argv = tcpdumpCommand(opts.tcpdump, tcpdumpArgs(opts), { setpriv, uid: process.getuid?.() ?? -1 });
    const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let listening = false;
    const capture = new TcpdumpCapture(proc, (cause) => {
      if (listening) opts.onEnded?.(cause);
    });
    proc.stdout.on('data', opts.onData);
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        proc.stderr.off('data', onStderr);
        if (err) {
          capture.stopping = true;
          proc.kill('SIGKILL');
          reject(err);
        } else {
          listening = true;
          resolve(capture);
        }
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

  private get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** SIGKILL at once, when still running. Synchronous. */
  kill(): void {
    this.stopping = true;
    if (this.alive) this.proc.kill('SIGKILL');
  }

  /**
   * Waits until the packets read from tcpdump's output so far (`written()`) are all there are,
   * instead of waiting for a quiet spell. All there are: `expected()`, when the caller knows
   * how many packets crossed the interface (a private namespace's `lo` counts them); otherwise
   * tcpdump's own counters (SIGUSR1), once two readings in a row show nothing new and
   * `written()` has every packet tcpdump counted. Each round asks tcpdump for its counters: one
   * that is stopped (SIGSTOP), or has not answered for `limitMs` plus three times `answerMs`,
   * has stopped delivering. Gives up waiting for packets after `limitMs`.
   */
  async drain(
    written: () => number,
    opts: { limitMs: number; answerMs: number; expected?: () => number | null },
  ): Promise<DrainResult> {
    const start = performance.now();
    let previous: ReturnType<typeof parseTcpdumpInfo> = null;
    for (;;) {
      const info = await this.counters(opts.answerMs);
      const waitedMs = performance.now() - start;
      if (!info) {
        // A stopped process will not answer; a busy machine may only be slow: ask again.
        const stopped = processState(this.proc.pid) === 'T';
        if (stopped || !this.alive || waitedMs >= opts.limitMs + opts.answerMs * 3) return { ok: false, stopped, waitedMs };
        continue;
      }
      const expected = opts.expected?.() ?? null;
      const complete =
        expected !== null
          ? written() >= expected
          : previous !== null &&
            previous.captured === info.captured &&
            previous.received === info.received &&
            written() >= info.captured;
      if (complete || waitedMs >= opts.limitMs) return { ok: true, ...info };
      previous = info;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** tcpdump's counters now (SIGUSR1), or null when it does not answer within `answerMs`. */
  private counters(answerMs: number): Promise<ReturnType<typeof parseTcpdumpInfo>> {
    if (!this.alive) return Promise.resolve(null);
    const seen = this.stderr.length;
    return new Promise((resolve) => {
      const done = (value: ReturnType<typeof parseTcpdumpInfo>) => {
        clearTimeout(timer);
        this.proc.stderr.off('data', onText);
        this.proc.off('exit', onExit);
        resolve(value);
      };
      const onText = () => {
        const info = parseTcpdumpInfo(this.stderr.slice(seen));
        if (info && /\n/.test(this.stderr.slice(seen))) done(info);
      };
      const onExit = () => done(null);
      const timer = setTimeout(() => done(null), answerMs);
      this.proc.stderr.on('data', onText);
      this.proc.once('exit', onExit);
      this.proc.kill('SIGUSR1');
    });
  }

  /**
   * Stops with SIGINT (tcpdump then flushes and prints its statistics) and waits for it;
   * SIGKILL when it has not finished after `graceMs`.
   */
  async stop(graceMs: number = STOP_TIMEOUT_MS): Promise<TcpdumpStats> {
    this.stopping = true;
    if (this.alive) this.proc.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.kill();
        resolve();
      }, graceMs);
    });
    await Promise.race([Promise.all([this.exited, this.stdoutDone]), killed]);
    clearTimeout(timer);
    await this.exited;
    return parseTcpdumpStats(this.stderr);
  }
}
