/** Builds the `ExperimentContext` an experiment runs with, on top of a `RunRecorder`. */
import net, { type AddressInfo } from 'node:net';
import { chown, copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CaptureMethod, ProgramLang } from '../contract/trace.js';
import { applySettings } from '../lab/program-settings.js';
import { canSwitchUser, LABTRACE_PY, PROGRAM_USER, PythonProgram } from '../lab/python.js';

/** The runtime's name in a program's folder (not a name a student's module would take). */
const LABTRACE_NAME = '_labtrace.py';
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

    lang: opts.lang ?? 'node',

    async runProgram(file, { actor, settings = {} }) {
      if (signal.aborted) throw new RunAbortedError('run stopped');
      const name = basename(file);
      const given = opts.programs?.[name];
      const original = given ?? (await readFile(join(opts.programsDir ?? '.', name), 'utf8'));
      const lang: ProgramLang = name.endsWith('.py') ? 'python' : 'node';
      const { source } = applySettings(original, settings, lang);
      if (lang !== 'python') throw new Error(`${name}: only Python program files run as their own process`);
      workDir ??= mkdtemp(join(tmpdir(), 'socket-lab-run-')).then(async (dir) => {
        recorder.keepOpen({ shutdown: () => rm(dir, { recursive: true, force: true }) });
        // The program's own folder: its files, the runtime, and room to write, for its user only.
        await copyFile(LABTRACE_PY, join(dir, LABTRACE_NAME));
        if (canSwitchUser()) await chown(dir, PROGRAM_USER.uid, PROGRAM_USER.gid);
        return dir;
      });
      const dir = await workDir;
      // Its sibling modules (`import md5steps`) beside it, as given for this run or the experiment's own.
      for (const sibling of await siblingModules(opts.programsDir, opts.programs, name)) {
        await writeFile(join(dir, sibling.name), sibling.source, { mode: 0o644 });
      }
      await writeFile(join(dir, name), source, { mode: 0o644 });
      recorder.program({ actor, name, lang, source, edited: given !== undefined });
      const program = PythonProgram.start(recorder, {
        actor,
        file: join(dir, name),
        cwd: dir,
        labtrace: join(dir, LABTRACE_NAME),
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

/**
 * The other Python files of the experiment's programs folder (the sources given for this run
 * instead, where given), so that a program can import them.
 */
async function siblingModules(
  programsDir: string | undefined,
  given: Readonly<Record<string, string>> | undefined,
  running: string,
): Promise<{ name: string; source: string }[]> {
  if (!programsDir) return [];
  const names = (await readdir(programsDir).catch(() => [] as string[])).filter((n) => n.endsWith('.py') && n !== running);
  return Promise.all(names.map(async (n) => ({ name: n, source: given?.[n] ?? (await readFile(join(programsDir, n), 'utf8')) })));
}
