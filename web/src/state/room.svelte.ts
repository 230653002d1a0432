/**
 * The room this page is in, if any: as its instructor (this page holds the control token) or as
 * a follower. One WebSocket, reconnected with backoff when it drops; a follower comes back with
 * the same id and is sent the room's current state at once, and the instructor takes the same
 * room back by its code.
 *
 * A follower copies the instructor's view (page, recording, step, pointer) and live runs unless
 * it detached to explore on its own; `rejoin()` (or the F key) takes it back at once. While the
 * instructor's "eyes on me" lock is on it cannot detach.
 */
import { controlToken, socketUrl } from '../lib/api.ts';
import { retryDelayMs } from '../lib/backoff.ts';
import { parseServerMessage } from '../lib/live-run.ts';
import type { RoomPoll, RoomPointer, RoomView, ServerMessage } from '../../../server/contract/ws.ts';
import { router } from './router.svelte.ts';
import { run } from './run.svelte.ts';

export type RoomRole = 'instructor' | 'follower';
export type RoomLink = 'connecting' | 'open' | 'reconnecting';
export type Roster = Extract<ServerMessage, { type: 'room-roster' }>;

const CODE_PATTERN = /^[A-HJ-NP-Z2-9]{6}$/;
const SAVED_KEY = 'socket-lab.room';

/** A code as typed (`abc 234` → `ABC234`); null when it cannot be one. */
export function normaliseCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s-]/g, '');
  return CODE_PATTERN.test(code) ? code : null;
}

function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface Saved {
  role: RoomRole;
  code: string;
  clientId?: string;
  name?: string;
}

class RoomStore {
  role = $state<RoomRole | null>(null);
  code = $state<string | null>(null);
  link = $state<RoomLink>('connecting');
  joinUrls = $state.raw<string[]>([]);
  /** The instructor's view as last received (a follower) or sent (the instructor). */
  view = $state.raw<RoomView | null>(null);
  poll = $state.raw<RoomPoll | null>(null);
  roster = $state.raw<Roster | null>(null);
  /** A follower exploring on its own. */
  detached = $state(false);
  /** What the instructor points at (its own, on the instructor's page). */
  pointer = $state.raw<RoomPointer | null>(null);
  locked = $state(false);
  /** Why the room could not be joined or went away (an error code). */
  problem = $state<string | null>(null);
  name = $state('');
  /** Presenter mode: large type, the run only, full screen. */
  presenting = $state(false);

  #socket: WebSocket | null = null;
  #clientId = '';
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #wanted: Saved | null = null;

  /** The pointer followers are shown now (null when not following). */
  get followedPointer(): RoomPointer | null {
    return this.role === 'follower' && !this.detached ? (this.view?.pointer ?? null) : null;
  }

  /** Whether this page copies the instructor's screen now. */
  get following(): boolean {
    return this.role === 'follower' && !this.detached;
  }

  /** Starts a room as its instructor (this page must hold the control token). */
  open(): void {
    this.#connect({ role: 'instructor', code: '' });
  }

  join(code: string, name = ''): void {
    const saved = this.#load();
    const clientId = saved?.role === 'follower' && saved.code === code && saved.clientId ? saved.clientId : newClientId();
    this.#connect({ role: 'follower', code, clientId, name: name.trim() });
  }

  /** Takes the room back after a reload (the same tab). */
  resume(): void {
    const saved = this.#load();
    if (saved && !this.role) this.#connect(saved);
  }

  /** Leaves the room (the instructor: closes it for everyone). */
  leave(): void {
    if (this.role === 'instructor') this.#send({ type: 'room-close' });
    this.#stop();
    try {
      sessionStorage.removeItem(SAVED_KEY);
    } catch {
      // storage unavailable
    }
  }

  detach(): void {
    if (this.role !== 'follower' || this.locked || this.detached) return;
    this.detached = true;
    this.#send({ type: 'room-detach', detached: true });
  }

  /** Back to the instructor's screen, at once. */
  rejoin(): void {
    if (this.role !== 'follower') return;
    this.detached = false;
    this.#send({ type: 'room-detach', detached: false });
    if (this.view) this.#apply(this.view, true);
  }

  // ------------------------------------------------------------ the instructor

  point(pointer: RoomPointer | null): void {
    if (this.role !== 'instructor') return;
    this.pointer = pointer;
  }

  setLocked(locked: boolean): void {
    if (this.role === 'instructor') this.locked = locked;
  }

  /** Sends the instructor's screen to the room (called whenever it changes). */
  publish(view: RoomView): void {
    if (this.role !== 'instructor') return;
    const same = this.view && JSON.stringify(this.view) === JSON.stringify(view);
    this.view = view;
    if (!same) this.#send({ type: 'room-view', view });
  }

  askPoll(poll: RoomPoll | null): void {
    if (this.role !== 'instructor') return;
    this.poll = poll;
    this.#send({ type: 'room-poll', poll });
  }

  /** A follower's answer to the open poll. */
  answer(question: string, answer: string): void {
    if (this.role === 'follower' && this.poll?.question === question) this.#send({ type: 'room-answer', question, answer });
  }

  // ------------------------------------------------------------ the connection

  #load(): Saved | null {
    try {
      const value = JSON.parse(sessionStorage.getItem(SAVED_KEY) ?? 'null') as Saved | null;
      return value && (value.role === 'instructor' || value.role === 'follower') && typeof value.code === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  #save(saved: Saved): void {
    try {
      sessionStorage.setItem(SAVED_KEY, JSON.stringify(saved));
    } catch {
      // storage unavailable: a reload leaves the room
    }
  }

  #send(message: object): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #stop(): void {
    this.#wanted = null;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
    this.role = null;
    this.code = null;
    this.view = null;
    this.poll = null;
    this.roster = null;
    this.detached = false;
    this.pointer = null;
    this.locked = false;
    this.presenting = false;
    run.showTo = null;
  }

  #connect(wanted: Saved): void {
    this.#stop();
    this.#wanted = wanted;
    this.problem = null;
    this.role = wanted.role;
    this.code = wanted.code || null;
    this.name = wanted.name ?? '';
    this.#clientId = wanted.clientId ?? '';
    this.link = 'connecting';
    this.#dial();
  }

  #dial(): void {
    const wanted = this.#wanted;
    if (!wanted) return;
    const socket = new WebSocket(socketUrl());
    this.#socket = socket;
    socket.onopen = () => {
      const token = wanted.role === 'instructor' ? controlToken() : null;
      socket.send(JSON.stringify({ type: 'hello', ...(token ? { token } : {}) }));
      if (wanted.role === 'instructor') {
        socket.send(JSON.stringify({ type: 'room-open', ...(this.code ? { code: this.code } : {}), ...(this.view ? { view: this.view } : {}) }));
      } else {
        socket.send(
          JSON.stringify({ type: 'room-join', code: wanted.code, clientId: this.#clientId, ...(wanted.name ? { name: wanted.name.slice(0, 40) } : {}) }),
        );
      }
    };
    socket.onmessage = (ev) => {
      if (socket !== this.#socket || typeof ev.data !== 'string') return;
      const msg = parseServerMessage(ev.data);
      if (msg) this.#receive(msg);
    };
    socket.onclose = () => {
      if (socket !== this.#socket || !this.#wanted) return;
      this.link = 'reconnecting';
      this.#retry = setTimeout(() => {
        this.#retry = null;
        this.#dial();
      }, Math.min(retryDelayMs(this.#failures++), 8000));
    };
  }

  #receive(msg: ServerMessage): void {
    switch (msg.type) {
      case 'room-joined':
        this.#failures = 0;
        this.link = 'open';
        this.code = msg.code;
        this.joinUrls = msg.joinUrls;
        if (msg.role === 'follower') this.#clientId = msg.clientId;
        else run.showTo = msg.code;
        this.#save({ role: msg.role, code: msg.code, ...(this.#clientId ? { clientId: this.#clientId } : {}), ...(this.name ? { name: this.name } : {}) });
        if (msg.role === 'follower' && this.detached) this.#send({ type: 'room-detach', detached: true });
        return;
      case 'room-view':
        this.view = msg.view;
        this.poll = msg.poll;
        this.locked = msg.view.locked;
        if (this.locked) this.detached = false;
        if (this.following) this.#apply(msg.view, false);
        return;
      case 'room-roster':
        this.roster = msg;
        return;
      case 'room-closed':
        this.#stop();
        this.problem = 'ROOM_CLOSED';
        try {
          sessionStorage.removeItem(SAVED_KEY);
        } catch {
          // storage unavailable
        }
        return;
      case 'error':
        if (msg.code === 'ROOM_NOT_FOUND' || msg.code === 'ROOM_FULL' || msg.code === 'TOKEN_REQUIRED') {
          this.#stop();
          this.problem = msg.code;
          try {
            sessionStorage.removeItem(SAVED_KEY);
          } catch {
            // storage unavailable
          }
        }
        return;
      default:
        // The instructor's live run, for followers.
        if (this.following) run.watch(msg);
    }
  }

  /** Shows the instructor's view: its page, recording and step. */
  #apply(view: RoomView, force: boolean): void {
    const target = new URL(view.path, location.origin);
    if (target.origin !== location.origin) return;
    if (view.recordingId && target.pathname.startsWith('/lessons/')) {
      target.searchParams.set('rec', view.recordingId);
      target.searchParams.set('step', String(view.step + 1));
    }
    if (target.pathname !== router.path) {
      router.navigate(target.pathname + target.search);
      return;
    }
    if (run.phase === 'running' && !view.recordingId) {
      void run.goTo(view.step);
      return;
    }
    if (view.recordingId && view.recordingId !== run.recordingId) {
      void run.loadRecording(view.recordingId, view.step + 1);
      router.setQuery({ rec: view.recordingId, step: String(view.step + 1) });
    } else if (view.recordingId && (force || view.step !== run.step)) {
      run.stop();
      void run.goTo(view.step);
    }
  }
}

export const room = new RoomStore();
