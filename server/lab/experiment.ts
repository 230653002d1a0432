/**
 * What an experiment's program works through while it runs: the `ExperimentContext`, whose
 * sockets record every call. (What an experiment folder exports is in define.ts.)
 */
import type { CaptureMethod, ProgramLang } from '../contract/trace.js';
import type { ProgramExit } from './program-process.js';
import type { LabTcpServer, LabTcpSocket, TcpConnectOptions, TcpListenOptions } from './tcp.js';
import type { LabUdpSocket, UdpOpenOptions } from './udp.js';

export type { Localized, ParamValue, Params } from '../contract/experiment.js';
import type { ParamValue } from '../contract/experiment.js';

/** What an experiment gets while it runs. Everything it does through here is recorded. */
export interface ExperimentContext {
  /** Aborted when the run times out or is cancelled; sockets are then destroyed for it. */
  readonly signal: AbortSignal;
  readonly captureMethod: CaptureMethod;
  /** The language this run's programs are in (see `ExperimentDefinition.programs`). */
  readonly lang: ProgramLang;
  /**
   * Starts one of the experiment's program files as its own process, in the run's namespace:
   * `'client'` runs the run's language's file (`client.py`, `client.js`); `'client.py'` names
   * one. It runs the run's source for it (edited, or the folder's), with `settings` written into
   * its top-level settings lines (Python `NAME = value`, JavaScript `const NAME = value;`; see
   * program-settings.ts). Its socket calls are recorded as `actor`'s, each with the line that
   * made it. Stopped, with all it started, when the run ends.
   */
  runProgram(file: string, opts: { actor: string; settings?: Record<string, ParamValue> }): Promise<RunningProgram>;
  /** `127.0.0.1` for 4, `::1` for 6. */
  loopbackHost(ipVersion: 4 | 6): string;
  /**
   * Starts the packet capture; call it once, after binding the ports and before any traffic.
   * `ports`: the ports the run's traffic uses (servers, and any port it connects to).
   */
  startCapture(ports: readonly number[]): Promise<void>;
  /**
   * A step of the run: `key` names its words (`texts[lang].notes[key]`, `{name}` filled from
   * `values`); `data` is structured content a view shows with the step (any JSON: a table of
   * hash rounds, a list of messages), rather than one marker per item.
   */
  note(key: string, values?: Record<string, ParamValue>, actor?: string, data?: unknown): void;
  /** Waits; rejects when the run is aborted. */
  sleep(ms: number): Promise<void>;
  /**
   * Listens on `host`, port chosen by the kernel. Accepted sockets, like connected ones, read
   * the kernel only while the program waits in `recv()`; `noDelay` applies to each of them.
   */
  listenTcp(opts: TcpListenOptions): Promise<LabTcpServer>;
  /** Starts connecting at once; await `socket.connected`. */
  connectTcp(opts: TcpConnectOptions): LabTcpSocket;
  /** A bound UDP socket; `recv()` gives one datagram, recorded when the program takes it. */
  openUdp(opts: UdpOpenOptions): Promise<LabUdpSocket>;
  /** A port nothing listens on right now (bound to port 0, noted, closed). */
  unusedTcpPort(host: string): Promise<number>;
  /** Reads the kernel's TCP states now and records each change for the run's sockets. */
  sampleStates(): void;
}

/** A program of the run, started by `runProgram`. */
export interface RunningProgram {
  /** Resolves when it has exited and all it reported is recorded. */
  readonly exited: Promise<ProgramExit>;
  /** Resolves with the port of its first `listen()`. */
  readonly listening: Promise<number>;
  kill(): void;
}

export { defineExperiment, defineProgram, type Experiment, type ExperimentDefinition, type Program } from './define.js';
