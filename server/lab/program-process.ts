/**
 * A program of a run, in its own process: started under its language's tracer (`ProgramRuntime`:
 * labtrace.py for Python, labtrace.cjs for Node.js), which reports each socket call the program
 * makes on file descriptor 3, one JSON object a line; each report becomes the same `socket` and
 * `app` events the lab's own sockets record, with the line of the program that made the call.
 * What the program prints, and how it ended, are `program` events.
 *
 * Reports that say `wait` (connected, accepted, listening, shut down, closed, end of stream) hold
 * the program until the kernel's TCP table has been read here (one byte answers on descriptor 4),
 * so its states are seen as they were right after the call. A report `{"ev": "sample"}` only asks
 * for that reading.
 *
 * Both tracers speak the same protocol; a new language is a new `ProgramRuntime`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { parseEndpoint } from '../contract/endpoint.js';
import type { ProgramLang } from '../contract/trace.js';
import type { NewEvent, RunRecorder } from '../runner/recorder.js';
import { LineReader } from '../runner/protocol.js';

/** Most bytes of output kept per program; beyond it the program is stopped. */
export const OUTPUT_LIMIT = 256 * 1024;

/** What a program may use (setrlimit); the run's time limit and OUTPUT_LIMIT come on top. */
export const PROGRAM_LIMITS = {
  RLIMIT_CPU: 10,
  RLIMIT_AS: 512 * 1024 * 1024,
  RLIMIT_NOFILE: 128,
  RLIMIT_FSIZE: 16 * 1024 * 1024,
  RLIMIT_NPROC: 64,
  RLIMIT_CORE: 0,
};
export type ProgramLimits = typeof PROGRAM_LIMITS;

/** The user programs run as, when the lab runs as root: `nobody`. */
export const PROGRAM_USER = { uid: 65534, gid: 65534 };

/** Whether this process is root of the whole machine (not of a user namespace), so it may switch users. */
export function canSwitchUser(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    return /^\s*0\s+0\s+4294967295\s*$/.test(readFileSync('/proc/self/uid_map', 'utf8').split('\n')[0] ?? '');
  } catch {
    return false;
  }
}

/** The command that runs a program under its tracer. */
export interface ProgramCommand {
  executable: string;
  args: string[];
  /** Added to the program's environment (which is otherwise only PATH, LANG and HOME). */
  env?: Record<string, string>;
}

/**
 * A language the lab runs programs in: its tracer, and the command that starts a program under
 * it with the limits applied. Its tracer must write the reports `Report` describes on fd 3, read
 * one byte on fd 4 after each report that says `wait`, and write nothing of its own on fd 1 or 2.
 */
export interface ProgramRuntime {
  lang: ProgramLang;
  /** The file names it runs (`.py`). */
  extensions: readonly string[];
  /** The tracer's file, copied into the program's folder as `tracerName` (readable by the program's user). */
  tracer: string;
  tracerName: string;
  /**
   * How to run `file` (in `dir`, next to the tracer's copy `tracer`) with `limits`; throws an
   * error with a `code` and the command that installs what is missing.
   */
  command(file: string, dir: string, tracer: string, limits: ProgramLimits): ProgramCommand;
}

export interface ProgramOptions {
  /** Who runs it: `server`, `client`, `client-2`... */
  actor: string;
  /** The program file (its lines are what events point at). */
  file: string;
  cwd: string;
  args?: readonly string[];
  /** The runtime's tracer, copied into `cwd`. */
  tracer: string;
  /** Which actor listens on which port (for the lanes' names of a connecting program). */
  serverActorFor?: (port: number) => string | undefined;
}

/** How a program ended. */
export interface ProgramExit {
  code: number | null;
  signal: string | null;
}

type SocketFields = Extract<NewEvent, { kind: 'socket' }>;
type AppFields = Extract<NewEvent, { kind: 'app' }>;

/** One report line from a tracer. */
interface Report {
  ev: 'socket' | 'app' | 'output' | 'exception' | 'sample';
  op?: string;
  t?: number;
  line?: number | null;
  transport?: 'tcp' | 'udp';
  local?: string;
  remote?: string;
  peer?: string;
  data?: string;
  size?: number;
  code?: string;
  message?: string;
  type?: string;
  stream?: 'stdout' | 'stderr';
  text?: string;
  wait?: boolean;
}

const SOCKET_OPS = new Set(['listen', 'bind', 'connect', 'connected', 'accept', 'end', 'destroy', 'reset', 'close', 'error']);

function familyOf(endpoint: string): 4 | 6 {
  return endpoint.startsWith('[') ? 6 : 4;
}

export class ProgramProcess {
  /** Resolves when the program has exited and its reports are all recorded. */
  readonly exited: Promise<ProgramExit>;
  /** Resolves with the port of the program's first `listen()`. */
  readonly listening: Promise<number>;
  private readonly child: ChildProcess;
  private outputBytes = 0;
  private resolveListening!: (port: number) => void;

  private constructor(private readonly rec: RunRecorder, private readonly opts: ProgramOptions, command: ProgramCommand) {
    this.listening = new Promise((resolve) => (this.resolveListening = resolve));
    // In the run's process group (the run's end kills it), as nobody when the lab is root.
    this.child = spawn(command.executable, [...command.args, ...(opts.args ?? [])], {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      ...(canSwitchUser() ? PROGRAM_USER : {}),
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: opts.cwd, ...command.env },
    });
    const reports = this.child.stdio[3] as Readable;
    const ack = this.child.stdio[4] as Writable;
    ack.on('error', () => undefined);
    const reader = new LineReader((value) => this.onReport(value as Report, ack));
    reports.setEncoding('utf8');
    reports.on('data', (text: string) => reader.push(text));
    for (const stream of ['stdout', 'stderr'] as const) {
      const pipe = this.child[stream]!;
      pipe.setEncoding('utf8');
      pipe.on('data', (text: string) => this.output(stream, text));
    }
    const reportsDone = new Promise<void>((resolve) => reports.once('close', resolve));
    this.exited = new Promise<ProgramExit>((resolve) => {
      this.child.once('error', (err) => {
        this.record({ kind: 'program', actor: opts.actor, op: 'exit', code: null, message: err.message });
        resolve({ code: null, signal: null });
      });
      this.child.once('exit', (code, signal) => {
        void reportsDone.then(() => {
          const event: Extract<NewEvent, { kind: 'program' }> = { kind: 'program', actor: opts.actor, op: 'exit', code };
          if (signal) event.signal = signal;
          this.record(event);
          resolve({ code, signal });
        });
      });
    });
  }

  /** Starts `opts.file` under `runtime`'s tracer; throws what `runtime.command` throws (its language missing). */
  static start(rec: RunRecorder, runtime: ProgramRuntime, opts: ProgramOptions): ProgramProcess {
    const program = new ProgramProcess(rec, opts, runtime.command(opts.file, opts.cwd, opts.tracer, PROGRAM_LIMITS));
    program.record({ kind: 'program', actor: opts.actor, op: 'start' });
    return program;
  }

  /** Stops the program (it may start no process of its own; the run's end kills its whole group). */
  kill(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
  }

  private output(stream: 'stdout' | 'stderr', text: string, at?: number): void {
    if (this.outputBytes >= OUTPUT_LIMIT) return;
    this.outputBytes += Buffer.byteLength(text);
    this.record({ kind: 'program', actor: this.opts.actor, op: 'output', stream, text }, at);
    if (this.outputBytes >= OUTPUT_LIMIT) {
      this.record({ kind: 'program', actor: this.opts.actor, op: 'output', stream: 'stderr', text: `\n[output limit of ${OUTPUT_LIMIT} bytes reached: the program was stopped]\n` });
      this.kill();
    }
  }

  private onReport(report: Report, ack: Writable): void {
    try {
      this.translate(report);
    } finally {
      if (report.wait) {
        this.rec.sampleStates();
        ack.write('.');
      }
    }
  }

  private translate(report: Report): void {
    const at = typeof report.t === 'number' ? report.t : undefined;
    const line = typeof report.line === 'number' ? report.line : undefined;
    const actor = this.opts.actor;
    if (report.ev === 'output') {
      if (typeof report.text === 'string') this.output(report.stream === 'stderr' ? 'stderr' : 'stdout', report.text, at);
      return;
    }
    if (report.ev === 'exception') {
      const event: Extract<NewEvent, { kind: 'program' }> = { kind: 'program', actor, op: 'exception', code: null };
      if (report.type) event.error = { type: report.type, message: report.message ?? '' };
      if (line !== undefined) event.line = line;
      this.record(event, at);
      return;
    }
    const transport = report.transport === 'udp' ? 'udp' : 'tcp';
    const { local, remote } = report;
    if (report.ev === 'app' && (report.op === 'write' || report.op === 'read')) {
      const event: AppFields = { kind: 'app', actor, op: report.op, data: report.data ?? '', size: report.size ?? 0 };
      if (report.peer) event.peer = report.peer;
      if (line !== undefined) event.line = line;
      const lane =
        transport === 'tcp'
          ? local && remote && this.rec.findLane('tcp', local, remote)
          : local && report.peer &&
            (this.rec.findLane('udp', local, report.peer) ??
              (report.op === 'write'
                ? this.rec.laneFor('udp', local, report.peer, { client: actor })
                : this.rec.laneFor('udp', report.peer, local, { server: actor })));
      if (lane) event.lane = lane.id;
      this.record(event, at);
      return;
    }
    if (report.ev !== 'socket' || !report.op || !SOCKET_OPS.has(report.op)) return;
    const op = report.op as SocketFields['op'];
    const event: SocketFields = { kind: 'socket', actor, op };
    if (local) event.local = local;
    if (remote) event.remote = remote;
    if (report.code) event.code = report.code;
    if (report.message) event.message = report.message;
    if (line !== undefined) event.line = line;
    if (transport === 'tcp') this.tcpLane(op, event);
    this.record(event, at);
    const port = op === 'listen' && local ? parseEndpoint(local)?.port : undefined;
    if (port !== undefined) this.resolveListening(port);
  }

  /** Lanes and followed kernel states, as the Node lab sockets make them. */
  private tcpLane(op: SocketFields['op'], event: SocketFields): void {
    const { local, remote, actor } = event;
    const port = local ? parseEndpoint(local)?.port : undefined;
    if (!local || port === undefined) return;
    if (op === 'listen') {
      this.rec.trackTcp({ actor, family: familyOf(local), local, localPort: port, remotePort: 0 });
      return;
    }
    const peerPort = remote ? parseEndpoint(remote)?.port : undefined;
    if (!remote || peerPort === undefined) return;
    let lane = this.rec.findLane('tcp', local, remote);
    if (!lane && op === 'connect') {
      const server = this.opts.serverActorFor?.(peerPort);
      lane = this.rec.laneFor('tcp', local, remote, server === undefined ? { client: actor } : { client: actor, server });
    } else if (!lane && op === 'accept') {
      lane = this.rec.laneFor('tcp', remote, local, { server: actor });
    }
    if (!lane) return;
    event.lane = lane.id;
    if (op === 'connect' || op === 'accept') {
      this.rec.trackTcp({ actor, lane: lane.id, family: familyOf(local), local, remote, localPort: port, remotePort: peerPort });
    }
  }

  private record(event: NewEvent, at?: number): void {
    if (at === undefined) this.rec.event(event);
    else this.rec.event(event, at);
  }
}
