/**
 * Recorded UDP sockets on real loopback sockets: each datagram whole, read when the program
 * takes it with `recv()`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildEvent, ChildMessage } from '../runner/protocol.js';
import { RunRecorder } from '../runner/recorder.js';
import { SocketClosedError } from './tcp.js';
import { LabUdpSocket } from './udp.js';

type App = Extract<ChildEvent, { kind: 'app' }>;

const recorders: RunRecorder[] = [];

afterEach(async () => {
  await Promise.all(recorders.splice(0).map((r) => r.closeAll('end of test')));
});

function setup() {
  const messages: ChildMessage[] = [];
  const rec = new RunRecorder((m) => messages.push(m));
  recorders.push(rec);
  const app = (actor: string, op: 'read' | 'write') =>
    messages.flatMap((m) => (m.type === 'event' && m.event.kind === 'app' && m.event.actor === actor && m.event.op === op ? [m.event as App] : []));
  return { rec, app };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe.each(['127.0.0.1', '::1'])('recorded UDP sockets on %s', (host) => {
  it('records a read when recv() takes the datagram, not when it arrived; datagrams stay whole', async () => {
    const { rec, app } = setup();
    const a = await LabUdpSocket.open(rec, { host, actor: 'client' });
    const b = await LabUdpSocket.open(rec, { host, actor: 'server' });
    const sent = ['one', '', 'three'];
    for (const m of sent) await a.send(m, b.port, host);
    await until('three datagrams waiting', () => b.waiting === 3);
    expect(app('server', 'read')).toEqual([]);

    const got = [];
    for (let i = 0; i < sent.length; i++) got.push(await b.recv());
    expect(got.map((d) => d.data.toString())).toEqual(sent);
    expect(got.every((d) => d.peer === a.local && d.port === a.port)).toBe(true);
    expect(b.waiting).toBe(0);
    const reads = app('server', 'read');
    expect(reads.map((e) => [Buffer.from(e.data, 'base64').toString(), e.size, e.peer, e.lane])).toEqual([
      ['one', 3, a.local, 'udp-1'],
      ['', 0, a.local, 'udp-1'],
      ['three', 5, a.local, 'udp-1'],
    ]);
    expect(app('client', 'write').map((e) => e.size)).toEqual([3, 0, 5]);
  });

  it('a waiting recv() gets the next datagram; recv() rejects once closed and none is left', async () => {
    const { rec } = setup();
    const a = await LabUdpSocket.open(rec, { host });
    const b = await LabUdpSocket.open(rec, { host, actor: 'server' });
    const pending = b.recv();
    await a.send('hi', b.port, host);
    expect((await pending).data.toString()).toBe('hi');

    const waiting = b.recv();
    await b.close();
    await expect(waiting).rejects.toBeInstanceOf(SocketClosedError);
    await expect(b.recv()).rejects.toBeInstanceOf(SocketClosedError);
  });
});
