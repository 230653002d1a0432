/**
 * The run on screen: a live run streaming over the WebSocket, or a loaded recording, and the
 * selected step. Every event of the trace is a step.
 *
 * A recording is loaded a window at a time (`GET /api/recordings/:id/events`): `events` holds
 * the events `offset` … `offset + events.length - 1` of `total`, and `selected` is a position in
 * `events` (what the views index). `step` is the selected step in the whole recording (0-based
 * here, 1-based in the URL and the counter). Moving past either end of the window loads the
 * next one; a live run's window is all of it.
 */
import { ApiError, controlToken, getJson, socketUrl } from '../lib/api.ts';
import { applyServerMessage, closeOutcome, newLiveRun, parseServerMessage, type LiveRun, type ServerMessage } from '../lib/live-run.ts';
import type { Counters, Lane, Trace, TraceEvent, TraceMeta } from '../lib/trace-types.ts';
import type { EventsReply } from '../../../server/contract/api.ts';
import type { Facts } from '../../../server/contract/facts.ts';
import type { ParamValue, ProgramLang } from '../../../server/contract/experiment.ts';
import { callLangOf } from '../../../server/contract/call-names.ts';
import { lanesOf } from '../views/timeline/lanes.ts';
import { replayStart } from '../lib/replay.ts';

export type RunPhase = 'empty' | 'loading' | 'running' | 'finished' | 'failed';

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
/** Playback shows one step per this many ms at 1×: a steady pace to read each step by. */
export const STEP_MS = 1000;
/** After a `gap`, how long to wait for the recording to appear (attempts × delay). */
const RECOVER_ATTEMPTS = 120;
const RECOVER_DELAY_MS = 500;
/** Events loaded at once around the step shown (the server gives at most 1000). */
export const WINDOW = 500;
/**
 * Recordings up to this many events are loaded whole: every view then numbers steps, and counts
 * sequence numbers from each connection's first segment, over the whole run. Bigger ones are
 * loaded a window at a time.
 */
export const WHOLE_RECORDING_EVENTS = 10_000;

export interface RunProblem {
  code: string;
  message: string;
  /** The message in each language, when the server said it so. */
  messages?: Record<string, string>;
}

type Finished = (recordingId: string) => void;

let requestCounter = 0;

class RunStore {
  /** Which view the run belongs to (`lesson:02-tcp-handshake`, `recording:abc`). */
  owner = $state('');
  trace = $state.raw<Trace | null>(null);
  live = $state.raw<LiveRun | null>(null);
  phase = $state<RunPhase>('empty');
  problem = $state<RunProblem | null>(null);
  recordingId = $state<string | null>(null);
  selected = $state(0);
  playing = $state(false);
  speed = $state(1);
  laneId = $state<string | null>(null);
  /** Events the live view missed (a gap or a hole); the loaded recording has them all. */
  missedLive = $state(0);
  /**
   * The finished run is being replayed from its first step (a run is over in a blink; its
   * story is shown at a readable pace). Any step key or click ends it.
   */
  replaying = $state(false);
  /** A step the URL asked for that the run does not have (the nearest is shown); null when none. */
  missingStep = $state<{ asked: number; shown: number; total: number } | null>(null);
  /** Steps go from packet to packet (keys, buttons, playback); the run itself is unchanged. */
  packetsOnly = $state(false);

  events: readonly TraceEvent[] = $derived(this.trace?.events ?? this.live?.events ?? []);
  /** Position of `events[0]` in the whole run. */
  offset = $state(0);
  /**
   * When the events are a window of a recording: each of their connections' numbering over the
   * whole run, and the time of its first packet (µs), so they are numbered as the whole; null otherwise.
   */
  windowBase = $state.raw<Pick<EventsReply, 'numbering' | 'firstPacketT'> | null>(null);
  #recordingTotal = $state(0);
  /** Events in the whole run (a recording's, or a live run's so far). */
  total: number = $derived(this.trace ? this.#recordingTotal : (this.live?.events.length ?? 0));
  lanes: Lane[] = $derived(
    this.trace ? lanesOf(this.trace) : this.live ? lanesOf({ lanes: this.live.lanes, events: this.live.events }) : [],
  );
  counters: Counters | null = $derived(this.trace?.counters ?? this.live?.counters ?? null);
  /**
   * What the shown recording showed, as the server computed it (`run-finished`, or
   * `GET /api/recordings/:id/facts`); null while unknown or during a live run.
   */
  facts = $state.raw<Facts | null>(null);
  /** The experiment the run is of (`import` or the like for an imported capture). */
  experiment: string | null = $derived(this.trace?.experiment ?? this.live?.experiment ?? null);
  selectedEvent: TraceEvent | null = $derived(this.events[this.selected] ?? null);
  #liveLang = $state<ProgramLang>('node');
  /** The language the run's calls are named in (call-names.ts): its programs'. */
  callLang: ProgramLang = $derived(this.trace ? callLangOf(this.trace) : this.#liveLang);

  /** The room a Run is shown to live (this page is its instructor); null when none. */
  showTo: string | null = null;

  #socket: WebSocket | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #follow = true;
  #generation = 0;

  /** Makes the run belong to `owner`, clearing it when it belonged to another view. */
  claim(owner: string): void {
    if (this.owner === owner) return;
    this.clear();
    this.owner = owner;
  }

  clear(): void {
    this.#generation++;
    this.starting = false;
    this.startProblem = null;
    this.stop();
    this.#socket?.close();
    this.#socket = null;
    this.trace = null;
    this.live = null;
    this.phase = 'empty';
    this.problem = null;
    this.recordingId = null;
    this.facts = null;
    this.missingStep = null;
    this.selected = 0;
    this.offset = 0;
    this.windowBase = null;
    this.#recordingTotal = 0;
    this.laneId = null;
    this.missedLive = 0;
  }

  async loadRecording(id: string, step: number | null = null): Promise<void> {
    const generation = ++this.#generation;
    this.stop();
    this.phase = 'loading';
    this.problem = null;
    this.recordingId = id;
    this.missedLive = 0;
    try {
      await this.openRecording(id, step, undefined, generation);
    } catch (err) {
      if (generation !== this.#generation) return;
      this.phase = 'failed';
      this.problem = problemOf(err);
    }
  }

  /**
   * Shows recording `id` at `step` (1-based; the last step when null): its meta, then the window
   * of events around the step. `facts`: what the server computed for it; fetched when not given.
   */
  private async openRecording(id: string, step: number | null, facts: Facts | null | undefined, generation: number): Promise<void> {
    const path = `/api/recordings/${encodeURIComponent(id)}`;
    const meta = await getJson<TraceMeta>(`${path}/meta`);
    if (generation !== this.#generation) return;
    if (meta.eventCount <= WHOLE_RECORDING_EVENTS) {
      const [trace, gotFacts] = await Promise.all([
        getJson<Trace>(path),
        facts === undefined ? getJson<Facts>(`${path}/facts`).catch(() => null) : Promise.resolve(facts),
      ]);
      if (generation !== this.#generation) return;
      this.showTrace(trace, step, gotFacts);
      return;
    }
    const last = Math.max(0, meta.eventCount - 1);
    const target = step === null ? last : Math.min(Math.max(0, step - 1), last);
    // The facts are a bonus: a recording still shows when they cannot be had.
    const [window, gotFacts] = await Promise.all([
      this.fetchWindow(id, target, meta.eventCount),
      facts === undefined ? getJson<Facts>(`${path}/facts`).catch(() => null) : Promise.resolve(facts),
    ]);
    if (generation !== this.#generation) return;
    const { eventCount: _count, ...rest } = meta;
    this.showTrace({ ...rest, events: window.events }, null, gotFacts, { ...baseOf(window), offset: window.from, total: window.total, step: target });
    if (step !== null && (step < 1 || step > meta.eventCount)) this.missingStep = { asked: step, shown: target + 1, total: meta.eventCount };
  }

  private fetchWindow(id: string, target: number, total: number): Promise<EventsReply> {
    const from = Math.max(0, Math.min(target - Math.floor(WINDOW / 2), total - WINDOW));
    return getJson<EventsReply>(`/api/recordings/${encodeURIComponent(id)}/events?from=${from}&count=${WINDOW}`);
  }

  /**
   * Shows a trace, selecting `step` (1-based) or else the last step. `facts`: what the server
   * computed for it; when not given they are fetched for the recording. `window`: when the
   * trace's events are a window of a recording, where it starts, the recording's size and the
   * step (0-based, in the whole recording) to select.
   */
  showTrace(
    trace: Trace,
    step: number | null,
    facts?: Facts | null,
    window?: { offset: number; total: number; step: number } & Pick<EventsReply, 'numbering' | 'firstPacketT'>,
  ): void {
    this.trace = trace;
    this.live = null;
    this.recordingId = trace.id;
    this.phase = 'finished';
    this.problem = null;
    this.facts = facts ?? null;
    this.offset = window?.offset ?? 0;
    this.windowBase = window ? baseOf(window) : null;
    this.#recordingTotal = window?.total ?? trace.events.length;
    if (facts === undefined) void this.loadFacts(trace.id, this.#generation);
    if (this.laneId !== null && !lanesOf(trace).some((l) => l.id === this.laneId)) this.laneId = null;
    const last = Math.max(0, trace.events.length - 1);
    this.missingStep = null;
    if (window) this.selected = Math.min(Math.max(0, window.step - this.offset), last);
    else {
      this.selected = step === null ? last : Math.min(Math.max(0, step - 1), last);
      this.missingStep =
        step !== null && (step < 1 || step > trace.events.length) ? { asked: step, shown: this.selected + 1, total: trace.events.length } : null;
    }
  }

  /** Selects step `index` of the whole run (0-based), loading its window when it is not loaded. */
  async goTo(index: number): Promise<void> {
    if (this.total === 0) return;
    const target = Math.min(Math.max(0, index), this.total - 1);
    if (target >= this.offset && target < this.offset + this.events.length) {
      this.select(target - this.offset);
      return;
    }
    const trace = this.trace;
    if (!trace) return;
    const generation = this.#generation;
    try {
      const window = await this.fetchWindow(trace.id, target, this.total);
      if (generation !== this.#generation || this.trace !== trace) return;
      this.showTrace({ ...trace, events: window.events }, null, this.facts, { ...baseOf(window), offset: window.from, total: window.total, step: target });
      this.unfollow();
    } catch (err) {
      if (generation === this.#generation) this.problem = problemOf(err);
    }
  }

  private async loadFacts(id: string, generation: number): Promise<void> {
    try {
      const facts = await getJson<Facts>(`/api/recordings/${encodeURIComponent(id)}/facts`);
      if (generation === this.#generation && this.trace?.id === id) this.facts = facts;
    } catch {
      // Without facts the lesson says the run did not show them; the run itself still shows.
    }
  }

  /**
   * Why the last Run could not start (the server did not answer). The run shown before stays
   * on screen: it is cleared only once the server has answered.
   */
  startProblem = $state<RunProblem | null>(null);
  /** A Run was pressed and the server has not answered yet. */
  starting = $state(false);

  /**
   * Starts a live run over the WebSocket; `onStarted` when the server took it (the shown run is
   * replaced then, not before), `onFinished` with the recording id, `onUnreachable` when the
   * server could not be reached (nothing on screen changed).
   */
  start(
    experiment: string,
    params: Record<string, ParamValue>,
    onFinished: Finished,
    onUnreachable?: () => void,
    /** The programs' language and edited sources (programs.svelte.ts). */
    programs: { lang?: string; programs?: Record<string, string> } = {},
    onStarted?: () => void,
  ): void {
    const token = controlToken();
    this.startProblem = null;
    this.#liveLang = programs.lang === 'python' ? 'python' : 'node';
    if (!token) {
      this.clear();
      this.live = newLiveRun('');
      this.fail({ code: 'TOKEN_MISSING', message: '' });
      return;
    }
    // Cancels what was pending (a recording loading, an earlier Run still connecting).
    let generation = ++this.#generation;
    this.#socket?.close();
    this.stop();
    const requestId = `r${Date.now().toString(36)}${(requestCounter++).toString(36)}`;
    let socket: WebSocket;
    try {
      socket = new WebSocket(socketUrl());
    } catch (err) {
      this.startProblem = problemOf(err);
      return;
    }
    this.#socket = socket;
    this.starting = true;
    /** The server answered: from now on the screen shows this run. */
    const begin = (): void => {
      this.#socket = null;
      this.clear();
      generation = this.#generation;
      this.#socket = socket;
      this.starting = false;
      this.live = newLiveRun(requestId);
      this.phase = 'running';
      this.#follow = true;
      onStarted?.();
    };
    /** Whether the server answered at all; a close before that means it could not be reached. */
    let reached = false;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', token }));
    socket.onmessage = (ev) => {
      if (generation !== this.#generation || typeof ev.data !== 'string') return;
      const msg = parseServerMessage(ev.data);
      if (!msg) return;
      if (msg.type === 'welcome') {
        reached = true;
        if (!msg.authorized) {
          // Refused before anything started: what is on screen stays, the form says why.
          this.starting = false;
          this.startProblem = { code: 'TOKEN_INVALID', message: '' };
          socket.onclose = null;
          socket.close();
          if (this.#socket === socket) this.#socket = null;
          return;
        }
        begin();
        socket.send(JSON.stringify({ type: 'run', requestId, experiment, params, ...programs, ...(this.showTo ? { room: this.showTo } : {}) }));
        return;
      }
      if (!this.live) return;
      reached = true;
      this.live = applyServerMessage(this.live, msg);
      if (this.#follow) this.selected = Math.max(0, this.live.events.length - 1);
      if (this.live.phase === 'failed') {
        this.fail(this.live.error ?? { code: 'RUN_FAILED', message: '' });
      } else if (msg.type === 'run-finished' && this.live.phase === 'finished') {
        // The run is over: closing now is expected, not a lost connection.
        socket.onclose = null;
        socket.close();
        if (this.#socket === socket) this.#socket = null;
        void this.finish(msg.recordingId, generation, onFinished);
      }
    };
    socket.onclose = () => {
      if (generation !== this.#generation) return;
      if (this.starting) {
        // Never answered: what is on screen stays; the page says so and keeps asking.
        this.starting = false;
        if (this.#socket === socket) this.#socket = null;
        this.startProblem = { code: 'SERVER_UNREACHABLE', message: '' };
        onUnreachable?.();
        return;
      }
      if (this.phase !== 'running' || !this.live) return;
      const live = this.live;
      const outcome = closeOutcome(live, reached);
      if (outcome === 'recover' && live.runId) void this.recover(live.runId, generation, onFinished);
      else if (outcome === 'unreachable') {
        this.fail({ code: 'SERVER_UNREACHABLE', message: '' });
        onUnreachable?.();
      } else if (outcome === 'lost') this.fail({ code: 'CONNECTION_LOST', message: '' });
    };
  }

  /**
   * A run shown live by a room's instructor (this page follows): its messages as they come. When
   * it ends, the instructor's next view names its recording, which is loaded then.
   */
  watch(msg: ServerMessage): void {
    if (msg.type === 'run-started') {
      this.clear();
      this.live = applyServerMessage(newLiveRun(msg.requestId), msg);
      this.phase = 'running';
      this.#follow = true;
      return;
    }
    if (!this.live || this.phase !== 'running' || !('runId' in msg) || msg.runId !== this.live.runId) {
      if (msg.type === 'error' && this.live && this.phase === 'running') this.fail({ code: msg.code, message: msg.message, ...(msg.messages ? { messages: msg.messages } : {}) });
      return;
    }
    this.live = applyServerMessage(this.live, msg);
    if (this.#follow) this.selected = Math.max(0, this.live.events.length - 1);
  }

  /** The user moved off the live edge: stop following new events. */
  private unfollow(): void {
    if (this.phase === 'running') this.#follow = false;
  }

  private async finish(recordingId: string, generation: number, onFinished: Finished): Promise<void> {
    // Still on the live edge: the run is replayed from its start. Moved off it: that step stays.
    const replay = this.#follow;
    const step = replay ? replayStart(this.live?.events ?? []) + 1 : this.step + 1;
    this.missedLive = Math.max(this.live?.missing ?? 0, this.live?.counters?.gaps ?? 0);
    const facts = this.live?.facts;
    try {
      await this.openRecording(recordingId, step, facts, generation);
      if (generation !== this.#generation) return;
      onFinished(recordingId);
      if (replay && this.total > 1) {
        this.play();
        this.replaying = true;
      }
    } catch (err) {
      if (generation === this.#generation) this.fail(problemOf(err));
    }
  }

  /** Asks the server to stop the run going on (a listener waiting for clients, say); it ends as stopped. */
  cancel(): void {
    const runId = this.live?.runId;
    if (this.phase !== 'running' || !runId || this.#socket?.readyState !== WebSocket.OPEN) return;
    this.#socket.send(JSON.stringify({ type: 'cancel', runId }));
  }

  /** After a gap the server closed the socket; the recording (id = run id) appears when the run ends. */
  private async recover(runId: string, generation: number, onFinished: Finished): Promise<void> {
    this.missedLive = Math.max(1, this.live?.missing ?? 0);
    for (let attempt = 0; attempt < RECOVER_ATTEMPTS; attempt++) {
      await new Promise((r) => setTimeout(r, RECOVER_DELAY_MS));
      if (generation !== this.#generation) return;
      try {
        await this.openRecording(runId, null, undefined, generation);
        if (generation !== this.#generation) return;
        onFinished(runId);
        return;
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) {
          this.fail(problemOf(err));
          return;
        }
      }
    }
    this.fail({ code: 'RECORDING_MISSING', message: '' });
  }

  private fail(problem: RunProblem): void {
    this.phase = 'failed';
    this.problem = problem;
    this.#socket?.close();
    this.#socket = null;
  }

  // ------------------------------------------------------------ steps

  /** Events loaded (the window); `total` counts the whole run. */
  get count(): number {
    return this.events.length;
  }

  /** The selected step in the whole run (0-based). */
  get step(): number {
    return this.offset + this.selected;
  }

  /** Selects `events[index]` (a position in the loaded window). */
  select(index: number): void {
    if (this.count === 0) return;
    this.missingStep = null;
    this.selected = Math.min(Math.max(0, index), this.count - 1);
    if (this.step < this.total - 1) this.unfollow();
  }

  /** Whether a step counts when stepping: every event, or packets only. */
  private stepsOn(index: number): boolean {
    return !this.packetsOnly || this.events[index]?.kind === 'wire';
  }

  /** The next step from `from` in direction `dir` (or from outside the run, -1 / count); null when none. */
  private neighbour(from: number, dir: 1 | -1): number | null {
    for (let i = from + dir; i >= 0 && i < this.count; i += dir) if (this.stepsOn(i)) return i;
    return null;
  }

  get hasNext(): boolean {
    return this.neighbour(this.selected, 1) !== null;
  }

  get hasPrevious(): boolean {
    return this.neighbour(this.selected, -1) !== null;
  }

  next(): void {
    const to = this.neighbour(this.selected, 1);
    if (to !== null) this.select(to);
    else if (this.step < this.total - 1) void this.goTo(this.step + 1);
  }

  previous(): void {
    const to = this.neighbour(this.selected, -1);
    if (to !== null) this.select(to);
    else if (this.offset > 0) void this.goTo(this.step - 1);
  }

  first(): void {
    if (this.offset > 0) void this.goTo(0);
    else this.select(this.neighbour(-1, 1) ?? 0);
  }

  last(): void {
    if (this.offset + this.count < this.total) void this.goTo(this.total - 1);
    else this.select(this.neighbour(this.count, -1) ?? this.count - 1);
  }

  /** Packets only, or every step; turned on, the selection moves to a packet. */
  setPacketsOnly(on: boolean): void {
    this.packetsOnly = on;
    if (on && !this.stepsOn(this.selected)) {
      const to = this.neighbour(this.selected, -1) ?? this.neighbour(this.selected, 1);
      if (to !== null) this.select(to);
    }
  }

  /** Selects the step of the event with trace `seq` (a lesson mark); false when there is none. */
  selectSeq(seq: number): boolean {
    if (this.trace) {
      // A recording's events are numbered by their position.
      if (seq < 0 || seq >= this.total) return false;
      this.stop();
      void this.goTo(seq);
      return true;
    }
    const index = this.events.findIndex((e) => e.seq === seq);
    if (index < 0) return false;
    this.stop();
    this.select(index);
    return true;
  }

  togglePlay(): void {
    if (this.playing) this.stop();
    else this.play();
  }

  play(): void {
    if (this.count === 0) return;
    const atEnd = !this.hasNext && this.offset + this.count >= this.total;
    if (atEnd) {
      if (this.offset > 0) void this.goTo(0);
      else this.selected = this.neighbour(-1, 1) ?? 0;
    }
    this.unfollow();
    this.playing = true;
    this.schedule();
  }

  stop(): void {
    this.playing = false;
    this.replaying = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    if (this.playing) {
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.schedule();
    }
  }

  private schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.playing) return;
      const atEnd = () => !this.hasNext && this.offset + this.count >= this.total;
      if (atEnd()) {
        this.stop();
        return;
      }
      this.next();
      if (atEnd()) this.stop();
      else this.schedule();
    }, STEP_MS / this.speed);
  }
}

function problemOf(err: unknown): RunProblem {
  if (err instanceof ApiError) return { code: err.code, message: err.message, ...(err.messages ? { messages: err.messages } : {}) };
  return { code: 'ERROR', message: err instanceof Error ? err.message : String(err) };
}

export const run = new RunStore();

/** What numbering a window of a recording as the whole run takes, from its reply. */
function baseOf(reply: Pick<EventsReply, 'numbering' | 'firstPacketT'>): Pick<EventsReply, 'numbering' | 'firstPacketT'> {
  return { ...(reply.numbering ? { numbering: reply.numbering } : {}), ...(reply.firstPacketT !== undefined ? { firstPacketT: reply.firstPacketT } : {}) };
}
