/** Builds the `ExperimentContext` an experiment runs with, on top of a `RunRecorder`. */
import net, { type AddressInfo } from 'node:net';
import type { CaptureMethod } from '../contract/trace.js';
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
}): ExperimentContext {
  const { recorder, signal } = opts;
  const servers = new Map<number, string>();
  let captureStarted = false;

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
  };
}
