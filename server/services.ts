/**
 * The shared services, as named decorators: `capture` (what capture can do here, probed once),
 * `recordings` (the store on disk), `lessons` (the lesson folder) and `runLab` (run an experiment
 * and save it as a recording). A spare run process waits for the next run (runner/spare.ts);
 * closing the app kills it.
 */
import type { ProgramLang } from './contract/experiment.js';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CaptureInfo, Lane, Trace, TraceEvent, TraceMeta } from './contract/trace.js';
import { probeCapture } from './capture/probe.js';
import { methodOf, runExperiment } from './runner/run.js';
import { SpareRunProcess } from './runner/spare.js';
import { ExperimentCatalog } from './experiments/registry.js';
import { RecordingStore } from './recordings/store.js';
import { newRecordingId } from './recordings/ids.js';
import { loadLessons, type LessonSet } from './lessons/load.js';

export interface RunRequest {
  experiment: string;
  params: unknown;
  lang?: ProgramLang;
  /** Sources to run instead of the experiment's own program files, by file name. */
  programs?: Record<string, string>;
  signal?: AbortSignal;
  onEvent?: (event: TraceEvent) => void;
  onLane?: (lane: Lane) => void;
  /** The recording id to use (made here when absent). */
  id?: string;
  /** Once the run is accepted, before it starts; a refused run (RUN_BUSY, PARAMS_INVALID…) never calls it. */
  onAccepted?: () => void;
}

export type RunLab = (request: RunRequest) => Promise<{ trace: Trace; meta: TraceMeta }>;

declare module 'fastify' {
  interface FastifyInstance {
    capture: CaptureInfo;
    recordings: RecordingStore;
    lessons: LessonSet;
    experiments: ExperimentCatalog;
    runLab: RunLab;
    /** The pid of the run process waiting for the next run, if any (diagnostics and tests). */
    spareRunPid: () => number | undefined;
  }
}

export interface ServicesOptions {
  dataDir: string;
  lessonsDir: string;
  /** Folders of experiments (default: the lab's own). */
  experimentsDirs?: readonly string[];
  /** Skip probing (tests pass what they need). */
  capture?: CaptureInfo;
}

export default fp(
  async function services(app: FastifyInstance, opts: ServicesOptions) {
    const capture = opts.capture ?? (await probeCapture());
    const recordings = new RecordingStore(opts.dataDir);
    await recordings.init();
    const experiments = await ExperimentCatalog.load(opts.experimentsDirs);
    const lessons = await loadLessons(opts.lessonsDir, experiments);

    /** Runs in progress, so that closing the server stops them and waits until they are saved. */
    const active = new Map<AbortController, Promise<unknown>>();
    const spare = new SpareRunProcess(methodOf(capture));
    spare.refill();

    const runLab: RunLab = async (request) => {
      const id = request.id ?? newRecordingId();
      const controller = new AbortController();
      const abort = () => controller.abort();
      if (request.signal?.aborted) abort();
      request.signal?.addEventListener('abort', abort, { once: true });
      const work = (async () => {
        const trace = await runExperiment({
          experiments,
          experiment: request.experiment,
          params: request.params,
          ...(request.lang ? { lang: request.lang } : {}),
          ...(request.programs ? { programs: request.programs } : {}),
          capture,
          id,
          signal: controller.signal,
          spare,
          ...(request.onEvent ? { onEvent: request.onEvent } : {}),
          ...(request.onLane ? { onLane: request.onLane } : {}),
          ...(request.onAccepted ? { onAccepted: request.onAccepted } : {}),
        });
        const meta = await recordings.save(trace);
        return { trace, meta };
      })();
      active.set(controller, work);
      try {
        return await work;
      } finally {
        active.delete(controller);
        request.signal?.removeEventListener('abort', abort);
      }
    };

    // Before the server stops taking connections: the spare run process goes, and each run in
    // progress is stopped and saved, and its client (an HTTP request, a WebSocket) still gets
    // its answer.
    app.addHook('preClose', async () => {
      await spare.close();
      for (const controller of active.keys()) controller.abort();
      await Promise.allSettled(active.values());
    });

    app.decorate('spareRunPid', () => spare.pid);
    app.decorate('capture', capture);
    app.decorate('recordings', recordings);
    app.decorate('lessons', lessons);
    app.decorate('experiments', experiments);
    app.decorate('runLab', runLab);
  },
  { name: 'services' },
);
