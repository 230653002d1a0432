/** Builds the `ExperimentContext` an experiment runs with, on top of a `RunRecorder`. */
import net, { type AddressInfo } from 'node:net';
import { chown, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { CaptureMethod, ProgramLang } from '../contract/trace.js';
import { applySettings } from '../lab/program-settings.js';
import { canSwitchUser, PROGRAM_USER, ProgramProcess } from '../lab/program-process.js';
import { RUNTIMES, runtimeForFile } from '../lab/runtimes.js';
import { LabTcpServer, LabTcpSocket } from '../lab/tcp.js';
import { LabUdpSocket } from '../lab/udp.js';
import type { RunRecorder } from './recorder.js';
import type { ExperimentContext } from '../lab/experiment.js';

export class RunAbortedError extends Error {
  override readonly name = 'RunAbortedError';
}

export function createContext(opts: {
  recorder: RunRecorder;
  signal: AbortSignal;
  captureMethod: CaptureMethod;
  /** Starts tcpdump for these ports (a no-op without capture). */
  startCapture: (ports: readonly number[]) => Promise<void>;
  lang?: ProgramLang;
  /** The experiment's program files, and sources given for this run instead, by file name. */
  programsDir?: string;
  programs?: Readonly<Record<string, string>>;
}): ExperimentContext {
  const { recorder, signal } = opts;
  const servers = new Map<number, string>();
  let captureStarted = false;
  let workDir: Promise<string> | null = null;
  const runLang: ProgramLang = opts.lang ?? 'node';
  /** Each language's tracer, copied once into the programs' folder. */
  const tracers = new Map<ProgramLang, Promise<void>>();

  return {
    signal,
    captureMethod: opts.captureMethod,
    loopbackHost: (ipVersion) => (ipVersion === 6 ? '::1' : '127.0.0.1'),

    async startCapture(ports) {
      if (captureStarted) throw new Error('startCapture may be called once per run');
      captureStarted = true;
      await opts.startCapture(ports);
    },

    note(key, values, actor, data) {
      const event: Parameters<RunRecorder['event']>[0] = { kind: 'note', key };
      if (values) event.values = values;
      if (actor) event.actor = actor;
      if (data !== undefined) event.data = data;
      recorder.event(event);
    },

    sleep(ms) {
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(new RunAbortedError('run stopped'));
        const onAbort = () => {
          clearTimeout(timer);
          reject(new RunAbortedError('run stopped'));
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },

    async listenTcp(listenOpts) {
      const server = await LabTcpServer.listen(recorder, listenOpts);
      servers.set(server.port, server.actor);
      return server;
    },

    connectTcp(connectOpts) {
      const serverActor = servers.get(connectOpts.port);
      return LabTcpSocket.connect(recorder, serverActor === undefined ? connectOpts : { ...connectOpts, serverActor });
    },

    openUdp: (udpOpts) => LabUdpSocket.open(recorder, udpOpts),

    unusedTcpPort(host) {
      return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen({ host, port: 0 }, () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
    },

    sampleStates: () => recorder.sampleStates(),

    lang: runLang,

    async runProgram(file, { actor, settings = {} }) {
      if (signal.aborted) throw new RunAbortedError('run stopped');
      // `client`: the run's language's file (`client.py`, `client.js`).
      const name = extname(file) ? basename(file) : `${basename(file)}${RUNTIMES[runLang].extensions[0]}`;
      const given = opts.programs?.[name];
      const original = given ?? (await readFile(join(opts.programsDir ?? '.', name), 'utf8'));
      const runtime = runtimeForFile(name);
      if (!runtime) throw new Error(`${name}: the lab runs programs ending in .py (Python) or .js (Node.js)`);
      const { source } = applySettings(original, settings, runtime.lang);
      workDir ??= mkdtemp(join(tmpdir(), 'socket-lab-run-')).then(async (dir) => {
        recorder.keepOpen({ shutdown: () => rm(dir, { recursive: true, force: true }) });
        // The program's own folder: its files, and room to write, for its user only.
        if (canSwitchUser()) await chown(dir, PROGRAM_USER.uid, PROGRAM_USER.gid);
        return dir;
      });
      const dir = await workDir;
      const tracer = join(dir, runtime.tracerName);
      let copied = tracers.get(runtime.lang);
      if (!copied) tracers.set(runtime.lang, (copied = copyFile(runtime.tracer, tracer)));
      await copied;
      await writeFile(join(dir, name), source, { mode: 0o644 });
      recorder.program({ actor, name, lang: runtime.lang, source, edited: given !== undefined });
      const program = ProgramProcess.start(recorder, runtime, {
        actor,
        file: join(dir, name),
        cwd: dir,
        tracer,
        serverActorFor: (port) => servers.get(port),
      });
      const release = recorder.keepOpen({
        shutdown: async () => {
          program.kill();
          await program.exited;
        },
      });
      void program.exited.then(release);
      void program.listening.then((port) => servers.set(port, actor));
      return program;
    },
  };
}
