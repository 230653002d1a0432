/**
 * The experiment context in this process (no child, no capture): what the recorder sees
 * when sockets are used through it.
 */
import { describe, expect, it } from 'vitest';
import { createContext, RunAbortedError } from './context.js';
import type { ChildEvent, ChildMessage } from './protocol.js';
import { RunRecorder } from './recorder.js';

function setup() {
  const messages: ChildMessage[] = [];
  const recorder = new RunRecorder((m) => messages.push(m));
  const controller = new AbortController();
  const ctx = createContext({ recorder, signal: controller.signal, captureMethod: 'none', startCapture: async () => {} });
  const events = () => messages.flatMap((m) => (m.type === 'event' ? [m.event] : []));
  const lanes = () => messages.flatMap((m) => (m.type === 'lane' ? [m.lane] : []));
  return { ctx, recorder, controller, messages, events, lanes };
}

type App = Extract<ChildEvent, { kind: 'app' }>;

describe('experiment context', () => {
  it('records UDP datagrams with their peer, the empty one too, in one lane', async () => {
    const { ctx, recorder, events, lanes } = setup();
    const a = await ctx.openUdp({ host: '127.0.0.1', actor: 'client' });
    const b = await ctx.openUdp({ host: '127.0.0.1', actor: 'server' });
    await a.send('ping', b.port, '127.0.0.1');
    await a.send('', b.port, '127.0.0.1');
    const first = await b.recv();
    const second = await b.recv();
    expect(first.data.toString()).toBe('ping');
    expect(second.data.length).toBe(0);
    await b.send('pong', first.port, first.address);
    expect((await a.recv()).data.toString()).toBe('pong');
    await recorder.closeAll('end of test');

    expect(lanes()).toEqual([{ id: 'udp-1', transport: 'udp', client: a.local, server: b.local }]);
    const app = events().filter((e): e is App => e.kind === 'app');
    expect(app.map((e) => [e.actor, e.op, e.size, e.peer, e.lane])).toEqual([
      ['client', 'write', 4, b.local, 'udp-1'],
      ['client', 'write', 0, b.local, 'udp-1'],
      ['server', 'read', 4, a.local, 'udp-1'],
      ['server', 'read', 0, a.local, 'udp-1'],
      ['server', 'write', 4, a.local, 'udp-1'],
      ['client', 'read', 4, b.local, 'udp-1'],
    ]);
    const times = events().map((e) => e.atUs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(events().filter((e) => e.kind === 'socket' && e.op === 'close')).toHaveLength(2);
  });

  it('gives each TCP connection its own lane, shared by both ends', async () => {
    const { ctx, recorder, events, lanes } = setup();
    const server = await ctx.listenTcp({ host: '127.0.0.1' });
    const c1 = ctx.connectTcp({ host: '127.0.0.1', port: server.port, actor: 'client-1' });
    const s1 = await server.accept();
    const c2 = ctx.connectTcp({ host: '127.0.0.1', port: server.port, actor: 'client-2' });
    const s2 = await server.accept();
    await Promise.all([c1.connected, c2.connected]);

    await c2.sendall('two');
    expect((await s2.recvExactly(3)).toString()).toBe('two');
    expect(lanes().map((l) => [l.id, l.clientActor, l.serverActor])).toEqual([
      ['tcp-1', 'client-1', 'server'],
      ['tcp-2', 'client-2', 'server'],
    ]);
    expect([c1.lane, s1.lane, c2.lane, s2.lane]).toEqual(['tcp-1', 'tcp-1', 'tcp-2', 'tcp-2']);
    expect(lanes()[1]!.client).toBe(c2.local);
    const reads = events().filter((e): e is App => e.kind === 'app' && e.op === 'read');
    expect(reads.map((e) => [e.actor, e.lane])).toEqual([['server', 'tcp-2']]);
    await recorder.closeAll('end of test');
    // Closing for the run is recorded as a destroy with the reason.
    expect(events().some((e) => e.kind === 'socket' && e.op === 'destroy' && e.message === 'end of test')).toBe(true);
  });

  it('sleep rejects when the run is aborted, and pending reads fail when sockets close', async () => {
    const { ctx, recorder, controller } = setup();
    const server = await ctx.listenTcp({ host: '::1' });
    const client = ctx.connectTcp({ host: '::1', port: server.port });
    await client.connected;
    await server.accept();
    const pendingRead = client.recvExactly(10);
    const pendingAccept = server.accept();
    const sleeping = ctx.sleep(60_000);
    controller.abort('abort');
    const outcomes = Promise.allSettled([pendingRead, pendingAccept]);
    await expect(sleeping).rejects.toBeInstanceOf(RunAbortedError);
    await recorder.closeAll('run stopped');
    expect((await outcomes).map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  it('passes the socket options on: noDelay for accepted and connecting sockets, half-open', async () => {
    const { ctx, recorder } = setup();
    const server = await ctx.listenTcp({ host: '127.0.0.1', noDelay: true, allowHalfOpen: true });
    const client = ctx.connectTcp({ host: '127.0.0.1', port: server.port, noDelay: true });
    const [conn] = await Promise.all([server.accept(), client.connected]);
    expect([conn.noDelay, client.noDelay]).toEqual([true, true]);
    expect(conn.socket.allowHalfOpen).toBe(true);
    expect(client.socket.allowHalfOpen).toBe(false);
    // The client ends; the half-open server still answers, then reads the end of stream.
    await client.end();
    expect((await conn.recv()).length).toBe(0);
    await conn.sendall('still here');
    expect((await client.recvExactly(10)).toString()).toBe('still here');
    await recorder.closeAll('end of test');
  });

  it('records a refused connection as an error with its errno code', async () => {
    const { ctx, events } = setup();
    const port = await ctx.unusedTcpPort('127.0.0.1');
    const client = ctx.connectTcp({ host: '127.0.0.1', port });
    await expect(client.connected).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await client.closed;
    const ops = events().flatMap((e) => (e.kind === 'socket' ? [[e.op, e.code ?? '']] : []));
    expect(ops).toEqual([
      ['connect', ''],
      ['error', 'ECONNREFUSED'],
      ['close', ''],
    ]);
  });
});
