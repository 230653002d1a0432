import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestLab } from '../http/test-lab.js';
import type { RoomView } from '../contract/ws.js';

const TOKEN = 'rooms-test-token-0123456789';
const lab = useTestLab('rooms', TOKEN);

type Message = { type: string; [key: string]: unknown };

interface Client {
  ws: WebSocket;
  all: Message[];
  /** The next message of `type` not yet taken (waits up to 15 s). */
  next: (type: string, where?: (m: Message) => boolean) => Promise<Message>;
  send: (message: object) => void;
}

async function connect(token?: string): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/ws`, { origin: `http://127.0.0.1:${lab.port}` });
  const all: Message[] = [];
  const taken = new Set<number>();
  const waiters: { type: string; where: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  const pump = () => {
    for (let w = 0; w < waiters.length; w++) {
      const waiter = waiters[w]!;
      const i = all.findIndex((m, k) => !taken.has(k) && m.type === waiter.type && waiter.where(m));
      if (i < 0) continue;
      taken.add(i);
      waiters.splice(w--, 1);
      waiter.resolve(all[i]!);
    }
  };
  ws.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as Message);
    pump();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (type: string, where: (m: Message) => boolean = () => true) =>
    new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type}; got ${JSON.stringify(all.map((m) => m.type))}`)), 15_000);
      waiters.push({ type, where, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      pump();
    });
  const send = (message: object) => ws.send(JSON.stringify(message));
  send({ type: 'hello', ...(token ? { token } : {}) });
  await next('welcome');
  return { ws, all, next, send };
}

const view = (over: Partial<RoomView> = {}): RoomView => ({
  path: '/lessons/02-tcp-handshake',
  recordingId: null,
  step: 0,
  pointer: null,
  locked: false,
  ...over,
});

async function openRoom(initial = view()): Promise<{ teacher: Client; code: string }> {
  const teacher = await connect(TOKEN);
  teacher.send({ type: 'room-open', view: initial });
  const joined = await teacher.next('room-joined');
  expect(joined).toMatchObject({ role: 'instructor' });
  return { teacher, code: joined.code as string };
}

async function joinRoom(code: string, extra: object = {}): Promise<Client & { clientId: string }> {
  const student = await connect();
  student.send({ type: 'room-join', code, ...extra });
  const joined = await student.next('room-joined');
  return { ...student, clientId: joined.clientId as string };
}

const roster = (c: Client, where: (m: Message) => boolean) => c.next('room-roster', where);

describe('rooms', () => {
  it('opening a room needs the control token; the join link names the code', async () => {
    const stranger = await connect();
    stranger.send({ type: 'room-open' });
    expect(await stranger.next('error')).toMatchObject({ code: 'TOKEN_REQUIRED' });
    const { teacher, code } = await openRoom();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const joined = teacher.all.find((m) => m.type === 'room-joined')!;
    expect(joined.joinUrls).toEqual([`http://127.0.0.1:${lab.port}/join/${code}`]);
    const nobody = await connect();
    nobody.send({ type: 'room-join', code: 'ZZZZZZ' });
    expect(await nobody.next('error')).toMatchObject({ code: 'ROOM_NOT_FOUND' });
    for (const c of [stranger, teacher, nobody]) c.ws.close();
  });

  it("refuses a follower's control messages with ROOM_READ_ONLY and counts them", async () => {
    const { teacher, code } = await openRoom();
    const student = await joinRoom(code);
    const refusals = [
      { type: 'run', requestId: 'x', experiment: 'handshake', params: {} },
      { type: 'cancel', runId: 'x' },
      { type: 'room-view', view: view({ step: 9 }) },
      { type: 'room-poll', poll: { question: 'q', options: ['a'] } },
      { type: 'room-open' },
      { type: 'room-close' },
    ];
    for (const m of refusals) {
      student.send(m);
      expect(await student.next('error')).toMatchObject({ code: 'ROOM_READ_ONLY' });
    }
    // A follower holding the token is still a follower: the room has one controller.
    const tokenFollower = await connect(TOKEN);
    tokenFollower.send({ type: 'room-join', code });
    await tokenFollower.next('room-joined');
    tokenFollower.send({ type: 'run', requestId: 'y', experiment: 'handshake', params: {} });
    expect(await tokenFollower.next('error')).toMatchObject({ code: 'ROOM_READ_ONLY' });
    expect(await roster(teacher, (m) => m.refused === 7)).toMatchObject({ refused: 7, followers: 2 });
    // Nothing changed: the room's step is the instructor's.
    expect(lab.app.rooms.get(code)!.view.step).toBe(0);
    expect(student.ws.readyState).toBe(WebSocket.OPEN);
    for (const c of [teacher, student, tokenFollower]) c.ws.close();
  });

  it("carries the instructor's view and pointer to every follower; a late joiner gets it at once", async () => {
    const { teacher, code } = await openRoom();
    const early = await joinRoom(code);
    expect(await early.next('room-view')).toMatchObject({ view: { step: 0, pointer: null } });
    const pointed = view({ recordingId: 'rec-1', step: 4, pointer: { kind: 'field', id: 'L2.F3' } });
    teacher.send({ type: 'room-view', view: pointed });
    expect(await early.next('room-view')).toMatchObject({ view: pointed });
    teacher.send({ type: 'room-view', view: { ...pointed, pointer: { kind: 'bytes', from: 14, to: 34 } } });
    expect((await early.next('room-view')).view).toMatchObject({ pointer: { kind: 'bytes', from: 14, to: 34 } });
    teacher.send({ type: 'room-view', view: { ...pointed, pointer: { kind: 'line', file: 'server.py', line: 12 } } });
    expect((await early.next('room-view')).view).toMatchObject({ pointer: { kind: 'line', file: 'server.py', line: 12 } });
    const late = await joinRoom(code);
    expect(await late.next('room-view')).toMatchObject({ view: { step: 4, recordingId: 'rec-1', pointer: { kind: 'line', line: 12 } } });
    // A view names a page of the lab, never another site.
    for (const path of ['//evil.example/x', '/\\evil.example', 'http://evil.example/']) {
      teacher.send({ type: 'room-view', view: { ...pointed, path } });
      expect(await teacher.next('error')).toMatchObject({ code: 'REQUEST_INVALID' });
    }
    for (const c of [teacher, early, late]) c.ws.close();
  });

  it("streams the instructor's run to followers; one joining mid-run gets it from its start", async () => {
    const { teacher, code } = await openRoom();
    const early = await joinRoom(code);
    const runner = await connect(TOKEN);
    runner.send({
      type: 'run',
      requestId: 'live',
      experiment: 'handshake',
      params: { close: 'end-after-pause', pauseMs: 600 },
      room: code,
    });
    const started = await early.next('run-started');
    await early.next('events');
    const late = await joinRoom(code);
    const finished = await early.next('run-finished');
    const lateFinished = await late.next('run-finished');
    expect(lateFinished.recordingId).toBe(finished.recordingId);
    const seqs = (c: Client) =>
      c.all.filter((m) => m.type === 'events' && m.runId === started.runId).flatMap((m) => (m.events as { seq: number }[]).map((e) => e.seq));
    const saved = (await (await fetch(`http://127.0.0.1:${lab.port}/api/recordings/${String(finished.recordingId)}`)).json()) as { events: { seq: number }[] };
    expect(seqs(early)).toEqual(saved.events.map((e) => e.seq));
    expect(seqs(late)).toEqual(saved.events.map((e) => e.seq));
    expect(late.all.findIndex((m) => m.type === 'run-started')).toBeGreaterThan(late.all.findIndex((m) => m.type === 'room-view'));
    for (const c of [teacher, early, late, runner]) c.ws.close();
  });

  it('a run naming a room that does not exist is refused', async () => {
    const runner = await connect(TOKEN);
    runner.send({ type: 'run', requestId: 'r', experiment: 'handshake', params: {}, room: 'ABCDEF' });
    expect(await runner.next('error')).toMatchObject({ code: 'ROOM_NOT_FOUND', requestId: 'r' });
    runner.ws.close();
  });

  it('detach and rejoin show in the roster; "eyes on me" refuses a detach and brings everyone back', async () => {
    const { teacher, code } = await openRoom();
    const ann = await joinRoom(code, { name: 'Ann' });
    const bo = await joinRoom(code, { name: 'Bo' });
    await roster(teacher, (m) => m.followers === 2);
    ann.send({ type: 'room-detach', detached: true });
    expect(await roster(teacher, (m) => m.detached === 1)).toMatchObject({
      names: [
        { name: 'Ann', detached: true },
        { name: 'Bo', detached: false },
      ],
    });
    ann.send({ type: 'room-detach', detached: false });
    await roster(teacher, (m) => m.detached === 0);
    ann.send({ type: 'room-detach', detached: true });
    await roster(teacher, (m) => m.detached === 1);
    teacher.send({ type: 'room-view', view: view({ locked: true }) });
    expect(await roster(teacher, (m) => m.detached === 0)).toMatchObject({ followers: 2 });
    expect(await ann.next('room-view', (m) => (m.view as RoomView).locked)).toBeTruthy();
    bo.send({ type: 'room-detach', detached: true });
    expect(await bo.next('error')).toMatchObject({ code: 'ROOM_LOCKED' });
    for (const c of [teacher, ann, bo]) c.ws.close();
  });

  it('a dropped follower reconnects with its id and resumes: same name, current view, counted once', async () => {
    const { teacher, code } = await openRoom();
    const first = await joinRoom(code, { name: 'Cy' });
    await roster(teacher, (m) => m.followers === 1);
    first.ws.terminate();
    await roster(teacher, (m) => m.followers === 0);
    teacher.send({ type: 'room-view', view: view({ step: 7 }) });
    const again = await joinRoom(code, { clientId: first.clientId });
    expect(again.clientId).toBe(first.clientId);
    expect(await again.next('room-view')).toMatchObject({ view: { step: 7 } });
    expect(await roster(teacher, (m) => m.followers === 1)).toMatchObject({ names: [{ name: 'Cy', detached: false }] });
    for (const c of [teacher, again]) c.ws.close();
  });

  it("counts a poll's answers: one per follower, the last one given, only for the open question", async () => {
    const { teacher, code } = await openRoom();
    const students = await Promise.all(Array.from({ length: 5 }, () => joinRoom(code)));
    await roster(teacher, (m) => m.followers === 5);
    const poll = { question: 'isn-next', options: ['x', 'x + 1', 'random'] };
    teacher.send({ type: 'room-poll', poll });
    for (const s of students) expect(await s.next('room-view', (m) => m.poll !== null)).toMatchObject({ poll });
    const answers = ['x', 'x + 1', 'x + 1', 'x + 1', 'random'];
    students.forEach((s, i) => s.send({ type: 'room-answer', question: 'isn-next', answer: answers[i] }));
    students[4]!.send({ type: 'room-answer', question: 'isn-next', answer: 'x' }); // changed their mind
    students[0]!.send({ type: 'room-answer', question: 'other', answer: 'x' });
    expect(await students[0]!.next('error')).toMatchObject({ code: 'POLL_CLOSED' });
    students[1]!.send({ type: 'room-answer', question: 'isn-next', answer: 'not offered' });
    expect(await students[1]!.next('error')).toMatchObject({ code: 'POLL_CLOSED' });
    const counted = await roster(teacher, (m) => (m.poll as { answered: number } | null)?.answered === 5 && (m.poll as { counts: Record<string, number> }).counts.x === 2);
    expect(counted.poll).toEqual({ question: 'isn-next', counts: { x: 2, 'x + 1': 3 }, answered: 5 });
    const before = teacher.all.length;
    teacher.send({ type: 'room-poll', poll: null });
    await teacher.next('room-roster', (m) => m.poll === null && teacher.all.indexOf(m) >= before);
    expect(lab.app.rooms.get(code)!.roster()).toMatchObject({ followers: 5, poll: null });
    for (const c of [teacher, ...students]) c.ws.close();
  });

  it('a follower that stops reading does not stall the others', async () => {
    const { teacher, code } = await openRoom();
    const stalled = await joinRoom(code);
    const reader = await joinRoom(code);
    await stalled.next('room-view');
    await reader.next('room-view');
    stalled.ws.pause();
    const N = 4000;
    for (let i = 1; i <= N; i++) {
      teacher.send({ type: 'room-view', view: view({ step: i, pointer: { kind: 'bytes', from: i, to: i + 1000 }, path: `/lessons/${'x'.repeat(200)}` }) });
    }
    const last = await reader.next('room-view', (m) => (m.view as RoomView).step === N);
    expect(last).toBeTruthy();
    const steps = reader.all.filter((m) => m.type === 'room-view').map((m) => (m.view as RoomView).step);
    expect(steps).toEqual([...Array(N + 1).keys()]);
    // The stalled one is behind, or was cut off (it reconnects and resumes), never in the way.
    const stalledSteps = stalled.all.filter((m) => m.type === 'room-view').length;
    expect(stalledSteps).toBeLessThan(N + 1);
    stalled.ws.resume();
    for (const c of [teacher, stalled, reader]) c.ws.terminate();
  });

  it("the instructor's reconnect takes the same room back, with its followers still in it", async () => {
    const { teacher, code } = await openRoom();
    const student = await joinRoom(code);
    await student.next('room-view');
    teacher.ws.terminate();
    const back = await connect(TOKEN);
    back.send({ type: 'room-open', code, view: view({ step: 3 }) });
    expect(await back.next('room-joined')).toMatchObject({ code, role: 'instructor' });
    expect(await back.next('room-roster', (m) => m.followers === 1)).toBeTruthy();
    expect(await student.next('room-view')).toMatchObject({ view: { step: 3 } });
    for (const c of [back, student]) c.ws.close();
  });

  it('closing the room tells its followers', async () => {
    const { teacher, code } = await openRoom();
    const student = await joinRoom(code);
    teacher.send({ type: 'room-close' });
    expect(await student.next('room-closed')).toMatchObject({ code });
    expect(lab.app.rooms.get(code)).toBeUndefined();
    for (const c of [teacher, student]) c.ws.close();
  });
});
