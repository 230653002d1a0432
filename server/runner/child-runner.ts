/**
 * One run, inside the run's own process: bring up `lo` (private namespace), run the
 * experiment with its recorder, capture with tcpdump once the experiment says its ports,
 * close whatever is left open, stop the capture and report tcpdump's statistics.
 */
import type { ErrorInfo } from '../contract/trace.js';
import { nowUs } from '../trace/clock.js';
import { bringUpLoopback } from '../capture/netns.js';
import { CaptureStartError, findTcpdump, portFilter, TcpdumpCapture } from '../capture/tcpdump.js';
import { PcapStreamParser } from '../pcap/pcap-stream.js';
import { createContext } from './context.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { RunRecorder } from './recorder.js';
import { pathToFileURL } from 'node:url';
import type { Program } from '../lab/define.js';

type StartMessage = Extract<ParentMessage, { type: 'start' }>;

/** How long the capture waits for the run's last packets: at least this quiet time... */
const QUIET_MS = 60;
/** ...but no longer than this in all. */
const MAX_DRAIN_MS = 500;
/** How long an experiment may take to notice an abort after its sockets were closed. */
const SETTLE_MS = 1000;

class CaptureFailure extends Error {
  override readonly name = 'CaptureFailure';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function abortError(signal: AbortSignal): ErrorInfo {
  return signal.reason === 'timeout'
    ? { code: 'RUN_TIMEOUT', message: 'The run took longer than its time limit and was stopped.' }
    : { code: 'RUN_ABORTED', message: 'The run was cancelled.' };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the experiment; returns the error the run ended with, if any. Never throws. */
export async function runInThisProcess(
  start: StartMessage,
  signal: AbortSignal,
  send: (message: ChildMessage) => void,
): Promise<ErrorInfo | undefined> {
  const recorder = new RunRecorder(send);
  const live: { capture: TcpdumpCapture | null } = { capture: null };
  let captureError: string | null = null;
  let lastPacketMs = 0;
  const parser = new PcapStreamParser();

  const onPcapData = (chunk: Buffer) => {
    if (captureError) return;
    try {
      for (const record of parser.push(chunk)) {
        lastPacketMs = performance.now();
        send({
          type: 'packet',
          tsNs: record.tsNs.toString(),
          caplen: record.caplen,
          len: record.len,
          linktype: parser.header?.linktype ?? 1,
          data: Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64'),
        });
      }
    } catch (err) {
      captureError = `could not read tcpdump's output: ${message(err)}`;
    }
  };

  const startCapture = async (ports: readonly number[]) => {
    if (start.method !== 'netns' && start.method !== 'loopback') return;
    const tcpdump = findTcpdump();
    if (!tcpdump) throw new CaptureFailure('tcpdump is not installed');
    const filter = start.method === 'loopback' ? portFilter(ports) : undefined;
    try {
      live.capture = await TcpdumpCapture.start({
        tcpdump,
        snaplen: start.snaplen,
        onData: onPcapData,
        ...(filter ? { filter } : {}),
      });
    } catch (err) {
      throw new CaptureFailure(err instanceof CaptureStartError ? err.message : `tcpdump: ${message(err)}`);
    }
    if (signal.aborted) throw new Error('aborted');
    send({ type: 'capture', atUs: nowUs(), filter: filter ?? null });
  };

  let error: ErrorInfo | undefined;
  let runPromise: Promise<void> = Promise.resolve();
  try {
    const program = await loadProgram(start.module, start.experiment);
    if (start.method === 'netns') await bringUpLoopback();
    if (signal.aborted) throw new Error('aborted');
    const ctx = createContext({ recorder, signal, captureMethod: start.method, startCapture });
    runPromise = program(ctx, start.params);
    runPromise.catch(() => undefined);
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error('aborted'));
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    aborted.catch(() => undefined);
    await Promise.race([runPromise, aborted]);
  } catch (err) {
    if (signal.aborted) error = abortError(signal);
    else if (err instanceof CaptureFailure) error = { code: 'CAPTURE_FAILED', message: `Packet capture failed: ${err.message}` };
    else error = { code: 'RUN_FAILED', message: `The experiment failed: ${message(err)}` };
  }

  // Close what is still open; an aborted experiment then settles (its awaits fail).
  await recorder.closeAll(error ? 'run stopped' : 'end of run');
  await Promise.race([runPromise.catch(() => undefined), delay(SETTLE_MS)]);
  recorder.sampleStates();

  const running = live.capture;
  if (running) {
    const drainStart = performance.now();
    await delay(QUIET_MS);
    while (performance.now() - lastPacketMs < QUIET_MS && performance.now() - drainStart < MAX_DRAIN_MS) {
      await delay(QUIET_MS / 3);
    }
    const stats = await running.stop();
    send({ type: 'stats', ...stats });
  }
  if (!error && captureError) error = { code: 'CAPTURE_FAILED', message: `Packet capture failed: ${captureError}` };
  return error;
}

/** The program the parent named: the default export of the experiment's compiled program module. */
async function loadProgram(module: string, id: string): Promise<Program> {
  const loaded = (await import(pathToFileURL(module).href)) as { default?: unknown };
  if (typeof loaded.default !== 'function') throw new Error(`${module} does not export the program of "${id}"`);
  return loaded.default as Program;
}
