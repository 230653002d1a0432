/**
 * One run, inside the run's own process: bring up `lo` (private namespace), run the
 * experiment with its recorder, capture with tcpdump once the experiment says its ports,
 * close whatever is left open, stop the capture and report tcpdump's statistics.
 */
import type { ErrorInfo } from '../contract/trace.js';
import type { CaptureGapNote } from '../contract/capture-notes.js';
import { nowUs } from '../trace/clock.js';
import { bringUpLoopback } from '../capture/netns.js';
import { CaptureStartError, findTcpdump, loopbackTxPackets, portFilter, TcpdumpCapture } from '../capture/tcpdump.js';
import { CaptureReader } from '../pcap/capture-reader.js';
import { createContext } from './context.js';
import type { EarlyCapture } from './early-capture.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { RunRecorder } from './recorder.js';
import { pathToFileURL } from 'node:url';
import type { Program } from '../lab/define.js';

type StartMessage = Extract<ParentMessage, { type: 'start' }>;

/** How long the capture may take, once the run is over, to hand over the run's last packets. */
const MAX_DRAIN_MS = 500;
/** How long tcpdump may take to answer a request for its counters before it counts as stalled. */
const ANSWER_MS = 300;
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
  /** `lo` and tcpdump made ready ahead, in this process's own namespace (netns only). */
  early?: EarlyCapture,
): Promise<ErrorInfo | undefined> {
  const ready = start.method === 'netns' && early?.snaplen === start.snaplen ? early : undefined;
  if (!ready) void early?.discard();
  const recorder = new RunRecorder(send);
  const live: { capture: TcpdumpCapture | null } = { capture: null };
  let captureError: string | null = null;
  /** The capture ended or stalled before the run was over: the run's later packets are missing. */
  let captureGap: ErrorInfo | null = null;
  let packetsRead = 0;
  let loTxAtStart: number | null = null;
  const parser = new CaptureReader();
  const markGap = (key: CaptureGapNote, values: Record<string, string | number>, message: string) => {
    if (captureGap) return;
    captureGap = { code: 'CAPTURE_INCOMPLETE', message };
    recorder.event({ kind: 'note', key, values });
  };

  const onPcapData = (chunk: Buffer) => {
    if (captureError) return;
    try {
      for (const record of parser.push(chunk)) {
        packetsRead++;
        send({
          type: 'packet',
          tsNs: record.tsNs.toString(),
          caplen: record.caplen,
          len: record.len,
          linktype: record.linktype ?? parser.linktype,
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
      const onEnded = (cause: string) =>
        markGap(
          'capture.ended',
          { cause },
          `Packet capture ended before the run did (tcpdump: ${cause}); the packets after that are missing.`,
        );
      live.capture =
        (await ready?.take(onPcapData, onEnded)) ??
        (await TcpdumpCapture.start({
          tcpdump,
          snaplen: start.snaplen,
          onData: onPcapData,
          onEnded,
          ...(filter ? { filter } : {}),
        }));
    } catch (err) {
      throw new CaptureFailure(err instanceof CaptureStartError ? err.message : `tcpdump: ${message(err)}`);
    }
    // In the run's own namespace, everything `lo` sends from now on is the run's and is captured.
    if (start.method === 'netns') loTxAtStart = loopbackTxPackets();
    if (signal.aborted) throw new Error('aborted');
    send({ type: 'capture', atUs: nowUs(), filter: filter ?? null });
  };

  let error: ErrorInfo | undefined;
  let runPromise: Promise<void> = Promise.resolve();
  try {
    const program = await loadProgram(start.module, start.experiment);
    if (start.method === 'netns' && !(await ready?.loopbackUp)) await bringUpLoopback();
    if (signal.aborted) throw new Error('aborted');
    const ctx = createContext({
      recorder,
      signal,
      captureMethod: start.method,
      startCapture,
      lang: start.lang,
      programsDir: start.programsDir,
      programs: start.programs,
    });
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
  if (running && !captureGap) {
    // Stop as soon as tcpdump has handed over every packet the kernel gave it.
    const sentSinceStart = () => {
      const now = loTxAtStart === null ? null : loopbackTxPackets();
      return now === null || loTxAtStart === null ? null : now - loTxAtStart;
    };
    const drained = await running.drain(() => packetsRead, { limitMs: MAX_DRAIN_MS, answerMs: ANSWER_MS, expected: sentSinceStart });
    if (!drained.ok) {
      const how = drained.stopped ? 'its process was stopped' : `it did not answer within ${ANSWER_MS} ms`;
      markGap(
        'capture.stalled',
        { ms: Math.round(drained.waitedMs) },
        `Packet capture stopped delivering packets (tcpdump: ${how}); packets of the run may be missing.`,
      );
      running.kill();
    } else {
      send({ type: 'stats', ...(await running.stop()) });
    }
  } else if (running) {
    running.kill();
  }
  if (!error && captureError) error = { code: 'CAPTURE_FAILED', message: `Packet capture failed: ${captureError}` };
  if (!error && captureGap) error = captureGap;
  return error;
}

/** The program the parent named: the default export of the experiment's compiled program module. */
async function loadProgram(module: string, id: string): Promise<Program> {
  const loaded = (await import(pathToFileURL(module).href)) as { default?: unknown };
  if (typeof loaded.default !== 'function') throw new Error(`${module} does not export the program of "${id}"`);
  return loaded.default as Program;
}
