/**
 * A room: one instructor's screen, followed live by a class. The instructor's view (page, step,
 * pointer, lock), its open poll and its live run go to every follower; each message is
 * serialised once per room and the same Buffer is queued for every follower (`Outlet`).
 *
 * Followers are read-only. What they may say changes only their own entry: detached or not,
 * their answer to the open poll. Anything else they send is refused by the caller, which counts
 * it here (`refuse`).
 *
 * A late joiner gets, at once: the view, and when a run is live, its start and every frame so far
 * (kept while the run lasts, up to `MAX_RUN_HISTORY_BYTES`; past that a late joiner is told how
 * many events it missed, and gets the recording when the run ends).
 */
import type { RoomPoll, RoomView, ServerMessage } from '../contract/ws.js';
import { Outlet, type OutletOptions } from './fanout.js';

/** What a room keeps of a live run for late joiners. */
export const MAX_RUN_HISTORY_BYTES = 16 << 20;
/** The most followers one room takes. */
export const MAX_FOLLOWERS = 1000;
/** Names listed in the roster (the count covers everyone). */
const MAX_NAMES_LISTED = 200;
/** The instructor hears about joins and answers at most this often. */
const ROSTER_EVERY_MS = 200;
/** While a follower's socket is backed up, its queue is tried again this often. */
const PUMP_MS = 20;

export interface Follower {
  readonly clientId: string;
  name: string;
  detached: boolean;
  /** The open poll's answer this follower gave. */
  answer: string | null;
  outlet: Outlet | null;
}

interface LiveRunHistory {
  runId: string;
  frames: Buffer[];
  bytes: number;
  events: number;
  /** Events not kept (the history reached its limit). */
  dropped: number;
}

export function serialise(message: ServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

export class Room {
  readonly code: string;
  view: RoomView;
  poll: RoomPoll | null = null;
  /** Control messages refused from followers. */
  refused = 0;
  readonly #followers = new Map<string, Follower>();
  readonly #instructors = new Set<Outlet>();
  #run: LiveRunHistory | null = null;
  #rosterTimer: NodeJS.Timeout | undefined;
  #pumpTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(code: string, view: RoomView) {
    this.code = code;
    this.view = view;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get instructorCount(): number {
    return this.#instructors.size;
  }

  /** Followers connected now. */
  get connected(): number {
    let n = 0;
    for (const f of this.#followers.values()) if (f.outlet) n++;
    return n;
  }

  addInstructor(opts: OutletOptions): Outlet {
    const outlet = new Outlet(opts);
    this.#instructors.add(outlet);
    outlet.offer(serialise(this.roster()));
    return outlet;
  }

  removeInstructor(outlet: Outlet): void {
    this.#instructors.delete(outlet);
  }

  /**
   * A follower joins (or comes back: the same `clientId` keeps its name, detached state and
   * answer). Sends it the current state at once. Null when the room is full.
   */
  join(clientId: string, name: string | undefined, opts: OutletOptions): Follower | null {
    let follower = this.#followers.get(clientId);
    if (!follower) {
      if (this.#followers.size >= MAX_FOLLOWERS) return null;
      follower = { clientId, name: '', detached: false, answer: null, outlet: null };
      this.#followers.set(clientId, follower);
    }
    if (name !== undefined) follower.name = name.trim();
    if (this.view.locked) follower.detached = false;
    const outlet = new Outlet(opts);
    follower.outlet = outlet;
    outlet.offer(serialise(this.#viewMessage()));
    const run = this.#run;
    if (run) {
      for (const frame of run.frames) outlet.offer(frame);
      if (run.dropped > 0) outlet.offer(serialise({ type: 'gap', runId: run.runId, missed: run.dropped }));
    }
    this.#rosterSoon();
    return follower;
  }

  /** The follower's connection went away (it stays known, to resume). */
  leave(follower: Follower, outlet: Outlet): void {
    if (follower.outlet === outlet) follower.outlet = null;
    this.#rosterSoon();
  }

  setView(view: RoomView): void {
    const locking = view.locked && !this.view.locked;
    this.view = view;
    if (locking) for (const f of this.#followers.values()) f.detached = false;
    this.#toFollowers(serialise(this.#viewMessage()));
    if (locking) this.#rosterSoon();
  }

  /** Opens a poll (its answers start from none) or closes it. */
  setPoll(poll: RoomPoll | null): void {
    this.poll = poll;
    for (const f of this.#followers.values()) f.answer = null;
    this.#toFollowers(serialise(this.#viewMessage()));
    this.#rosterSoon();
  }

  /** Records a follower's answer; false when no such poll or answer is open. */
  answer(follower: Follower, question: string, answer: string): boolean {
    if (!this.poll || this.poll.question !== question || !this.poll.options.includes(answer)) return false;
    follower.answer = answer;
    this.#rosterSoon();
    return true;
  }

  /** A follower detaches or follows again; false while the room is locked ("eyes on me"). */
  detach(follower: Follower, detached: boolean): boolean {
    if (detached && this.view.locked) return false;
    follower.detached = detached;
    this.#rosterSoon();
    return true;
  }

  /** Counts a control message refused from a follower. */
  refuse(): void {
    this.refused++;
    this.#rosterSoon();
  }

  // ------------------------------------------------------------ the instructor's live run

  runStarted(message: ServerMessage & { type: 'run-started' }): void {
    const frame = serialise(message);
    this.#run = { runId: message.runId, frames: [frame], bytes: frame.length, events: 0, dropped: 0 };
    this.#toFollowers(frame);
  }

  /** One `events` frame of the live run (serialised once by the run's stream). */
  runFrame(frame: Buffer, events: number): void {
    const run = this.#run;
    if (run) {
      run.events += events;
      if (run.dropped === 0 && run.bytes + frame.length <= MAX_RUN_HISTORY_BYTES) {
        run.frames.push(frame);
        run.bytes += frame.length;
      } else {
        run.dropped += events;
      }
    }
    this.#toFollowers(frame);
  }

  runEnded(message: ServerMessage | null): void {
    this.#run = null;
    if (message) this.#toFollowers(serialise(message));
  }

  // ------------------------------------------------------------ roster

  roster(): ServerMessage & { type: 'room-roster' } {
    let followers = 0;
    let detached = 0;
    const names: { name: string; detached: boolean }[] = [];
    const counts: Record<string, number> = {};
    let answered = 0;
    for (const f of this.#followers.values()) {
      if (!f.outlet) continue;
      followers++;
      if (f.detached) detached++;
      if (f.name && names.length < MAX_NAMES_LISTED) names.push({ name: f.name, detached: f.detached });
      if (f.answer !== null) {
        counts[f.answer] = (counts[f.answer] ?? 0) + 1;
        answered++;
      }
    }
    names.sort((a, b) => a.name.localeCompare(b.name));
    const poll = this.poll ? { question: this.poll.question, counts, answered } : null;
    return { type: 'room-roster', followers, detached, names, refused: this.refused, poll };
  }

  /** Ends the room: followers are told, and nothing more is sent. */
  close(): void {
    if (this.#closed) return;
    this.#toFollowers(serialise({ type: 'room-closed', code: this.code }));
    this.#toInstructors(serialise({ type: 'room-closed', code: this.code }));
    this.#closed = true;
    clearTimeout(this.#rosterTimer);
    clearTimeout(this.#pumpTimer);
    this.#followers.clear();
    this.#instructors.clear();
    this.#run = null;
  }

  #viewMessage(): ServerMessage {
    return { type: 'room-view', view: this.view, poll: this.poll };
  }

  #toFollowers(frame: Buffer): void {
    if (this.#closed) return;
    for (const f of this.#followers.values()) f.outlet?.offer(frame);
    this.#pumpSoon();
  }

  #toInstructors(frame: Buffer): void {
    for (const outlet of this.#instructors) outlet.offer(frame);
  }

  #rosterSoon(): void {
    if (this.#rosterTimer || this.#closed) return;
    this.#rosterTimer = setTimeout(() => {
      this.#rosterTimer = undefined;
      if (!this.#closed) this.#toInstructors(serialise(this.roster()));
      this.#pumpSoon();
    }, ROSTER_EVERY_MS);
  }

  /** A follower whose socket was backed up gets its queue as soon as the socket takes it. */
  #pumpSoon(): void {
    if (this.#pumpTimer || this.#closed) return;
    let waiting = false;
    for (const f of this.#followers.values()) if (f.outlet?.waiting) waiting = true;
    for (const outlet of this.#instructors) if (outlet.waiting) waiting = true;
    if (!waiting) return;
    this.#pumpTimer = setTimeout(() => {
      this.#pumpTimer = undefined;
      for (const f of this.#followers.values()) f.outlet?.drain();
      for (const outlet of this.#instructors) outlet.drain();
      this.#pumpSoon();
    }, PUMP_MS);
  }
}
