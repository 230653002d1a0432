/**
 * Runs one experiment and returns its trace.
 *
 * The run happens in a child process (child.ts), in its own process group and, with `netns`
 * capture, in its own network namespace. The child streams its events and captured packets
 * (protocol.ts); here they are decoded, put in time order, numbered and handed to `onEvent`
 * live. However the run ends (done, failed, timed out, aborted) the whole process group is
 * killed afterwards, so no socket, tcpdump or child outlives it.
 *
 * At most MAX_CONCURRENT_RUNS run at once in this process; a further run is refused with
 * LabError RUN_BUSY (429) rather than queued, so a caller never waits without knowing why.
 */
import { existsSync } from 'node:fs';
import { LabError } from '../errors.js';
import { decodeFrame } from '../decode/index.js';
import { SNAPLEN } from '../capture/tcpdump.js';
import { newRecordingId } from '../recordings/ids.js';
import { TraceBuilder, type UnnumberedEvent } from '../trace/builder.js';
import { nowUs, nsToTraceUs } from '../trace/clock.js';
import { Sequencer } from '../trace/sequencer.js';
import type { CaptureInfo, CaptureMethod, Counters, ErrorInfo, Lane, ProgramLang, Trace, TraceEvent } from '../contract/trace.js';
import { childScriptPath } from './child-path.js';
import { LineReader, type ChildMessage, type ParentMessage } from './protocol.js';
import { endGroup, killGroup, spawnRunProcess, type RunProcess } from './process.js';
import type { SpareRunProcess } from './spare.js';
import { labCatalog, type ExperimentCatalog } from '../experiments/registry.js';
import type { Params } from '../contract/experiment.js';

export const MAX_CONCURRENT_RUNS = 2;
/** After asking the child to stop, how long it may take to clean up before its group is killed. */
export const ABORT_GRACE_MS = 2000;

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface RunOptions {
  /** Where the experiment is found (default: the lab's own experiments). */
  experiments?: ExperimentCatalog;
  experiment: string;
  params: unknown;
  capture: CaptureInfo;
  /** The trace id (made when absent). */
  id?: string;
  signal?: AbortSignal;
  /** Each event as it happens, in trace order. */
  onEvent?: (event: TraceEvent) => void;
  /** Each lane when it is first known (before its events). */
  onLane?: (lane: Lane) => void;
  /** Overrides the experiment's own limit. */
  timeLimitMs?: number;
  /** The language of the programs (default: the experiment's first). */
  lang?: ProgramLang;
  /** Sources to run instead of the experiment's own program files, by file name (`client.py`). */
  programs?: Record<string, string>;
  /** The pid of the run's process (also its process group), once started: for diagnostics and tests. */
  onSpawn?: (pid: number) => void;
  /** Once the run is accepted (after every check that could refuse it), before it starts. */
  onAccepted?: () => void;
  /** A process started ahead: the run takes it when it is ready, and a new one is started after the run. */
  spare?: SpareRunProcess;
}

let activeRuns = 0;

/** How many runs are going on now in this process. */
export function activeRunCount(): number {
  return activeRuns;
}

/**
 * Runs an experiment. Rejects (before anything starts) with LabError EXPERIMENT_UNKNOWN,
 * PARAMS_INVALID, RUN_ID_INVALID or RUN_BUSY; otherwise always resolves with a trace, whose
 * `outcome.error.code` says what went wrong: RUN_TIMEOUT, RUN_ABORTED, RUN_FAILED, CAPTURE_FAILED.
 */
export async function runExperiment(opts: RunOptions): Promise<Trace> {
  const experiments = opts.experiments ?? (await labCatalog());
  const info = experiments.info(opts.experiment);
  const params = experiments.resolveParams(info.id, opts.params);
  const { lang, programs } = experiments.resolvePrograms(info.id, opts.lang, opts.programs);
  const outside = experiments.get(info.id).outside?.(params) ?? null;
  const capture = outside ? outsideCapture(opts.capture) : opts.capture;
  if (Object.keys(programs).length > 0 && methodOf(capture) !== 'netns') {
    throw new LabError(
      'PROGRAMS_NEED_NAMESPACE',
      `Programs you edit run only in a private network namespace of their own, and this machine cannot make one now${opts.capture.fix ? `; to allow it: ${opts.capture.fix}` : ''}. The lesson's own programs still run.`,
      409,
    );
  }
  if (opts.id !== undefined && !RUN_ID.test(opts.id)) {
    throw new LabError('RUN_ID_INVALID', 'A run id is 1–64 letters, digits, "-" or "_".');
  }
  if (activeRuns >= MAX_CONCURRENT_RUNS) {
    throw new LabError('RUN_BUSY', `${MAX_CONCURRENT_RUNS} runs are already going; try again when one has finished.`, 429);
  }
  activeRuns++;
  try {
    opts.onAccepted?.();
    return await runInChild({
      ...opts,
      capture,
      experimentId: info.id,
      title: experiments.runTitle(info.id, params),
      module: experiments.runModule(info.id),
      programsDir: experiments.programsDir(info.id),
      params,
      lang,
      programs,
      id: opts.id ?? newRecordingId(),
      timeLimitMs: opts.timeLimitMs ?? outside?.timeLimitMs ?? info.timeLimitMs,
    });
  } finally {
    activeRuns--;
  }
}

/**
 * How a run that serves clients from outside the lab captures: on the host's loopback, filtered
 * by its ports (a client in a terminal cannot reach a run's private namespace).
 */
function outsideCapture(capture: CaptureInfo): CaptureInfo {
  if (methodOf(capture) === 'none') return capture;
  return {
    available: true,
    method: 'loopback',
    reason: "This run serves clients from outside the lab, so it runs on the host's loopback and its packets are captured there, filtered by its port.",
  };
}

/** How a run captures, given what capture can do here. */
export function methodOf(capture: CaptureInfo): CaptureMethod {
  return capture.available && (capture.method === 'netns' || capture.method === 'loopback') ? capture.method : 'none';
}

async function runInChild(opts: {
  experimentId: string;
  title: string;
  module: string;
  programsDir: string;
  params: Params;
  lang: ProgramLang;
  programs: Record<string, string>;
  id: string;
  capture: CaptureInfo;
  timeLimitMs: number;
  signal?: AbortSignal;
  onEvent?: (event: TraceEvent) => void;
  onLane?: (lane: Lane) => void;
  onSpawn?: (pid: number) => void;
  spare?: SpareRunProcess;
}): Promise<Trace> {
  try {
    return await runInProcess(opts);
  } finally {
    opts.spare?.refill();
  }
}

async function runInProcess(opts: Parameters<typeof runInChild>[0]): Promise<Trace> {
  const method = methodOf(opts.capture);
  const spawnedAtUs = nowUs();
  const hooks: { onEvent?: (event: TraceEvent) => void; onLane?: (lane: Lane) => void } = {};
  if (opts.onEvent) hooks.onEvent = opts.onEvent;
  if (opts.onLane) hooks.onLane = opts.onLane;
  const builder = new TraceBuilder(
    {
      id: opts.id,
      title: opts.title,
      experiment: opts.experimentId,
      params: opts.params,
      capture: opts.capture,
      snaplen: method === 'none' ? 0 : SNAPLEN,
      startedAtUs: spawnedAtUs,
    },
    hooks,
  );
  // One source (the child's own events) until tcpdump listens: nothing to hold until then.
  const sequencer = new Sequencer<UnnumberedEvent>((event) => builder.add(event), undefined, false);
  const stats: Omit<Counters, 'packets' | 'truncated'> = {};
  let childError: ErrorInfo | undefined;
  let doneAtUs: number | undefined;
  let stopReason: 'timeout' | 'abort' | null = null;
  let stderrTail = '';
  /** Whether programs run as processes of their own (their reports take a path of their own). */
  let programsOfTheirOwn = false;
  /** Packets arrive in capture order: their frame numbers as Wireshark counts. */
  let frames = 0;

  const finish = (error: ErrorInfo | undefined): Trace => {
    sequencer.close();
    let packets = 0;
    let truncated = 0;
    for (const event of builder.events) {
      if (event.kind !== 'wire') continue;
      packets++;
      if (event.caplen < event.len) truncated++;
    }
    const lastT = builder.events.reduce((max, e) => Math.max(max, e.t), 0);
    const endUs = doneAtUs ?? nowUs();
    const counters: Counters = { packets, truncated, ...stats };
    return builder.finish({
      durationUs: Math.max(lastT, endUs - builder.startedAtUs),
      counters,
      ...(error ? { error } : {}),
    });
  };

  if (opts.signal?.aborted) return finish({ code: 'RUN_ABORTED', message: 'The run was cancelled before it started.' });
  const script = childScriptPath();
  if (!existsSync(script)) {
    return finish({
      code: 'RUN_FAILED',
      message: `The experiment runner is not built (${script} is missing); run \`npm run build:server\`.`,
    });
  }

  let child: RunProcess;
  try {
    child = opts.spare?.take(method) ?? spawnRunProcess(method);
  } catch (err) {
    return finish({ code: 'RUN_FAILED', message: `Could not start the run: ${String(err)}` });
  }

  const handle = (value: unknown) => {
    const message = value as ChildMessage;
    switch (message.type) {
      case 'started':
        builder.startedAtUs = message.atUs;
        break;
      case 'lane':
        builder.addLane(message.lane);
        break;
      case 'program':
        builder.addProgram(message.program);
        // Its calls come through a pipe of their own: one may arrive after a later packet.
        programsOfTheirOwn = true;
        break;
      case 'event': {
        const { atUs, ...rest } = message.event;
        const t = atUs - builder.startedAtUs;
        sequencer.push(t, { ...rest, t } as UnnumberedEvent);
        break;
      }
      case 'packet': {
        const data = Buffer.from(message.data, 'base64');
        // The run's packets are captured on loopback, where checksums are left to offload.
        const decoded = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), message.linktype, message.len, { loopback: true });
        const t = nsToTraceUs(BigInt(message.tsNs), builder.startedAtUs);
        const lane = builder.laneOfPacket(decoded.summary);
        sequencer.push(t, {
          kind: 'wire',
          t,
          frame: ++frames,
          tsNs: message.tsNs,
          caplen: message.caplen,
          len: message.len,
          linktype: message.linktype,
          data: message.data,
          decoded,
          ...(lane ? { lane } : {}),
        });
        // Packets come in capture order, and every event the child stamped before this packet
        // was written ahead of it: nothing earlier than this packet can still come (unless a
        // program of its own, reporting through its own pipe, is still to be heard from).
        if (!programsOfTheirOwn) sequencer.releaseThrough(t);
        break;
      }
      case 'capture':
        sequencer.startHolding();
        break;
      case 'stats':
        for (const key of ['received', 'droppedByKernel', 'droppedByInterface'] as const) {
          const n = message[key];
          if (typeof n === 'number') stats[key] = n;
        }
        break;
      case 'done':
        doneAtUs = message.atUs;
        childError = message.error;
        break;
      default:
        break;
    }
  };
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  const reader = new LineReader(handle);
  child.stdout.setEncoding('utf8').on('data', (text: string) => reader.push(text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-2000);
  });

  const tell = (message: ParentMessage) => {
    if (child.stdin.writable) child.stdin.write(`${JSON.stringify(message)}\n`);
  };
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: 'timeout' | 'abort') => {
    if (stopReason) return;
    stopReason = reason;
    tell({ type: 'abort', reason });
    killTimer = setTimeout(() => killGroup(child.pid), ABORT_GRACE_MS);
  };
  const limitTimer = setTimeout(() => stop('timeout'), opts.timeLimitMs);
  const onAbort = () => stop('abort');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>((resolve) => {
    child.once('error', (err) => resolve({ code: null, signal: null, spawnError: err }));
    child.once('close', (code, signal) => resolve({ code, signal }));
    tell({ type: 'start', experiment: opts.experimentId, module: opts.module, params: opts.params, lang: opts.lang, programs: opts.programs, programsDir: opts.programsDir, method, snaplen: SNAPLEN });
  });
  clearTimeout(limitTimer);
  clearTimeout(killTimer);
  opts.signal?.removeEventListener('abort', onAbort);
  // Whatever is left of the run's process group (normally nothing) goes now.
  await endGroup(child.pid);
  child.stdin.destroy();

  let error: ErrorInfo | undefined;
  if (stopReason === 'timeout') {
    error = { code: 'RUN_TIMEOUT', message: `The run took longer than its limit of ${opts.timeLimitMs} ms and was stopped.` };
  } else if (stopReason === 'abort') {
    error = { code: 'RUN_ABORTED', message: 'The run was cancelled.' };
  } else if (exit.spawnError) {
    error = { code: 'RUN_FAILED', message: `Could not start the run: ${exit.spawnError.message}` };
  } else if (doneAtUs === undefined) {
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    error = {
      code: 'RUN_FAILED',
      message: `The run's process ended unexpectedly (${how})${stderrTail.trim() ? `: ${stderrTail.trim()}` : ''}.`,
    };
  } else {
    error = childError;
  }
  return finish(error);
}
