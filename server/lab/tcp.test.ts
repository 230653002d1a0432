/**
 * Recorded TCP sockets on real loopback connections: each read is one `recv()` of the program,
 * recorded when it returned; the kernel is read only while a `recv()` waits, so bytes (and the
 * FIN) wait in the kernel's receive buffer otherwise — seen in /proc/net/tcp's rx_queue.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildEvent, ChildMessage } from '../runner/protocol.js';
import { RunRecorder } from '../runner/recorder.js';
import { LabTcpServer, LabTcpSocket, SocketClosedError } from './tcp.js';

type App = Extract<ChildEvent, { kind: 'app' }>;

const recorders: RunRecorder[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(recorders.splice(0).map((r) => r.closeAll('end of test')));
});

function setup() {
  const messages: ChildMessage[] = [];
  const rec = new RunRecorder((m) => messages.push(m));
  recorders.push(rec);
  const events = () => messages.flatMap((m) => (m.type === 'event' ? [m.event] : []));
  const app = (actor?: string, op?: 'read' | 'write') =>
    events().filter((e): e is App => e.kind === 'app' && (actor === undefined || e.actor === actor) && (op === undefined || e.op === op));
  const reads = (actor: string) => app(actor, 'read');
  return { rec, events, app, reads };
}

async function connection(
  rec: RunRecorder,
  host = '127.0.0.1',
  opts: { listenNoDelay?: boolean; connectNoDelay?: boolean } = {},
) {
  const server = await LabTcpServer.listen(rec, {
    host,
    actor: 'server',
    ...(opts.listenNoDelay === undefined ? {} : { noDelay: opts.listenNoDelay }),
  });
  const client = LabTcpSocket.connect(rec, {
    host,
    port: server.port,
    actor: 'client',
    ...(opts.connectNoDelay === undefined ? {} : { noDelay: opts.connectNoDelay }),
  });
  const [conn] = await Promise.all([server.accept(), client.connected]);
  return { server, client, conn };
}

/** The kernel's view of a connected socket: bytes waiting to be read, and its state. */
function kernelSocket(lab: LabTcpSocket): { rxQueue: number; state: number } | undefined {
  const { localPort, remotePort, remoteFamily } = lab.socket;
  const path = remoteFamily === 'IPv6' ? '/proc/net/tcp6' : '/proc/net/tcp';
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5) continue;
    const local = parseInt(cols[1]!.split(':').pop()!, 16);
    const remote = parseInt(cols[2]!.split(':').pop()!, 16);
    if (local !== localPort || remote !== remotePort) continue;
    return { rxQueue: parseInt(cols[4]!.split(':')[1]!, 16), state: parseInt(cols[3]!, 16) };
  }
  return undefined;
}

const CLOSE_WAIT = 0x08;

/** Waits (at most 500 turns of 10 ms) until the condition holds; fails the test otherwise. */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/**
 * Returns after Node's event loop has polled for I/O at least once: the second `setImmediate`
 * runs in the check phase of a later loop turn than the first, and a poll phase comes between.
 * Bytes the kernel held before this are then either still there or read by Node.
 */
async function afterAPoll(): Promise<void> {
  for (let hop = 0; hop < 2; hop++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Until the kernel holds exactly `n` unread bytes for this socket; then checks that they stay
 * there through a poll of Node's event loop (Node did not read them for the program).
 */
async function kernelHolds(lab: LabTcpSocket, n: number): Promise<void> {
  await until(`kernel holds ${n} bytes for ${lab.actor}`, () => kernelSocket(lab)?.rxQueue === n);
  await afterAPoll();
  expect(kernelSocket(lab)?.rxQueue).toBe(n);
  expect(lab.socket.readableLength).toBe(0);
}

function pattern(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
}

describe('recorded TCP sockets: reads', () => {
  it('reads the kernel only when asked, on accepted and connecting sockets alike', async () => {
    const { rec } = setup();
    const { client, conn } = await connection(rec);
    expect(conn.socket.readableHighWaterMark).toBe(0);
    expect(client.socket.readableHighWaterMark).toBe(0);
  });

  it('records a read when recv() returns, not when the bytes reached the kernel', async () => {
    const { rec, app, reads } = setup();
    const { client, conn } = await connection(rec);
    await client.sendall('hello');
    await kernelHolds(conn, 5);
    expect(reads('server')).toEqual([]);

    const got = await conn.recv();
    expect(got.toString()).toBe('hello');
    expect(kernelSocket(conn)?.rxQueue).toBe(0);
    expect(app().map((e) => [e.actor, e.op, Buffer.from(e.data, 'base64').toString(), e.size, e.lane])).toEqual([
      ['client', 'write', 'hello', 5, client.lane],
      ['server', 'read', 'hello', 5, conn.lane],
    ]);
    expect(conn.lane).toBe(client.lane);
  });

  describe.each([
    ['the accepted socket reads', '127.0.0.1', false],
    ['the connecting socket reads', '127.0.0.1', true],
    ['the accepted socket reads, IPv6', '::1', false],
  ] as const)('%s (%s)', (_name, host, clientReads) => {
    it('recv(1024) takes a 3000-byte message in three reads: 1024, 1024, 952', async () => {
      const { rec, app } = setup();
      const { client, conn } = await connection(rec, host);
      const [writer, reader] = clientReads ? [conn, client] : [client, conn];
      const message = pattern(3000);
      await writer.sendall(message);
      await kernelHolds(reader, 3000);

      const parts: Buffer[] = [];
      for (let got = 0, calls = 0; got < 3000 && calls < 10; calls++) {
        const chunk = await reader.recv(1024);
        parts.push(chunk);
        got += chunk.length;
      }
      expect(parts.map((p) => p.length)).toEqual([1024, 1024, 952]);
      expect(Buffer.concat(parts)).toEqual(message);
      const recorded = app(reader.actor, 'read');
      expect(recorded.map((e) => e.size)).toEqual([1024, 1024, 952]);
      expect(recorded.map((e) => Buffer.from(e.data, 'base64'))).toEqual(parts);
      expect(app(writer.actor, 'write').map((e) => e.size)).toEqual([3000]);
    });

    it('after a split read, recv(1024) mixes the rest of one message with the next, as the kernel would', async () => {
      const { rec, app } = setup();
      const { client, conn } = await connection(rec, host);
      const [writer, reader] = clientReads ? [conn, client] : [client, conn];
      const a = Buffer.alloc(3000, 'a');
      const b = Buffer.alloc(3000, 'b');
      await writer.sendall(a);
      await kernelHolds(reader, 3000);
      expect((await reader.recv(1024)).length).toBe(1024); // one kernel read took all 3000
      await writer.sendall(b);
      await kernelHolds(reader, 3000);
      const parts: Buffer[] = [];
      for (let got = 1024, calls = 0; got < 6000 && calls < 10; calls++) {
        const chunk = await reader.recv(1024);
        parts.push(chunk);
        got += chunk.length;
      }
      // Python's recv(1024) on the same bytes: 1024 each time, the third read holding 952 a's and 72 b's.
      expect(parts.map((p) => p.length)).toEqual([1024, 1024, 1024, 1024, 880]);
      expect(parts[1]!.toString()).toBe('a'.repeat(952) + 'b'.repeat(72));
      expect(app(reader.actor, 'read').map((e) => e.size)).toEqual([1024, 1024, 1024, 1024, 1024, 880]);
    });

    it('a receiver that waits gets several messages in one read; the kernel held them meanwhile', async () => {
      const { rec, app } = setup();
      const { client, conn } = await connection(rec, host);
      const [writer, reader] = clientReads ? [conn, client] : [client, conn];
      writer.setNoDelay(true);
      const messages = ['first|', 'second|', 'third|'];
      for (const m of messages) await writer.sendall(m);
      const total = messages.join('').length;
      await kernelHolds(reader, total);
      expect(app(reader.actor, 'read')).toEqual([]);

      expect((await reader.recv(1024)).toString()).toBe(messages.join(''));
      expect(app(writer.actor, 'write').map((e) => Buffer.from(e.data, 'base64').toString())).toEqual(messages);
      expect(app(reader.actor, 'read').map((e) => Buffer.from(e.data, 'base64').toString())).toEqual([messages.join('')]);
      expect(kernelSocket(reader)?.rxQueue).toBe(0);
    });
  });

  it('after a read, later bytes stay in the kernel too (nothing is read ahead)', async () => {
    const { rec } = setup();
    const { client, conn } = await connection(rec);
    await client.sendall('one');
    expect((await conn.recv()).toString()).toBe('one');
    await client.sendall('two, three');
    await kernelHolds(conn, 10);
    expect(conn.socket.readableLength).toBe(0);
    expect((await conn.recv()).toString()).toBe('two, three');
  });

  it('a recv() waiting before the bytes come returns them when they come', async () => {
    const { rec, reads } = setup();
    const { client, conn } = await connection(rec, '::1');
    const pending = conn.recv();
    await client.sendall('late');
    expect((await pending).toString()).toBe('late');
    expect(reads('server').map((e) => e.size)).toEqual([4]);
  });

  it('recv() calls made at once get the bytes in order', async () => {
    const { rec, reads } = setup();
    const { client, conn } = await connection(rec);
    const calls = [conn.recv(2), conn.recv(2), conn.recv(2)];
    await client.sendall('abcdef');
    expect((await Promise.all(calls)).map(String)).toEqual(['ab', 'cd', 'ef']);
    expect(reads('server').map((e) => Buffer.from(e.data, 'base64').toString())).toEqual(['ab', 'cd', 'ef']);
  });

  it('recvExactly gathers n bytes from as many recv() calls as it takes, each recorded', async () => {
    const { rec, reads } = setup();
    const { client, conn } = await connection(rec);
    await client.sendall('abc');
    await kernelHolds(conn, 3);
    const six = conn.recvExactly(6);
    // The first recv(6) found 'abc'; the second recv(3) waits for more.
    await until('first read recorded', () => reads('server').length === 1);
    await client.sendall('defg');
    expect((await six).toString()).toBe('abcdef');
    expect((await conn.recv()).toString()).toBe('g');
    expect(reads('server').map((e) => Buffer.from(e.data, 'base64').toString())).toEqual(['abc', 'def', 'g']);
  });

  it('recvExactly rejects when the stream ends first; what it read stays recorded', async () => {
    const { rec, reads } = setup();
    const { client, conn } = await connection(rec);
    await client.sendall('ab');
    await client.end();
    await expect(conn.recvExactly(5)).rejects.toBeInstanceOf(SocketClosedError);
    expect(reads('server').map((e) => e.size)).toEqual([2, 0]);
  });

  it('end of stream: the FIN waits in the kernel; recv() then returns empty, a read of 0 bytes, every time', async () => {
    const { rec, reads } = setup();
    const { client, conn } = await connection(rec);
    let ended = false;
    void conn.ended.then(() => (ended = true));
    await client.end();
    await until('server in CLOSE_WAIT', () => kernelSocket(conn)?.state === CLOSE_WAIT);
    await afterAPoll();
    expect(reads('server')).toEqual([]);
    expect(ended).toBe(false);

    expect((await conn.recv()).length).toBe(0);
    await conn.ended;
    expect((await conn.recv(10)).length).toBe(0);
    expect(reads('server').map((e) => [e.size, e.data])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    // Not half-open: reading the FIN ended this side too, and both sockets close.
    expect((await client.recv()).length).toBe(0);
    await Promise.all([client.closed, conn.closed]);
  });

  it('a reset is found by the next recv(), which fails with ECONNRESET', async () => {
    const { rec, events } = setup();
    const { client, conn } = await connection(rec);
    client.resetAndDestroy();
    await client.closed;
    await expect(conn.recv()).rejects.toMatchObject({ code: 'ECONNRESET' });
    await conn.closed;
    const serverOps = events().flatMap((e) => (e.kind === 'socket' && e.actor === 'server' ? [e.op] : []));
    expect(serverOps).toContain('error');
    expect(serverOps[serverOps.length - 1]).toBe('close');
  });

  it('a waiting recv() rejects when the socket is destroyed', async () => {
    const { rec } = setup();
    const { conn } = await connection(rec);
    const pending = conn.recv();
    conn.destroy();
    await expect(pending).rejects.toBeInstanceOf(SocketClosedError);
    await expect(conn.recv()).rejects.toBeInstanceOf(SocketClosedError);
  });

  it('rejects a maxBytes that is not a whole number of at least 1', async () => {
    const { rec } = setup();
    const { conn } = await connection(rec);
    await expect(conn.recv(0)).rejects.toBeInstanceOf(RangeError);
    await expect(conn.recv(1.5)).rejects.toBeInstanceOf(RangeError);
  });
});

describe('recorded TCP sockets: writes, cork, Nagle', () => {
  it('records each sendall() as one write with its bytes, the empty one too', async () => {
    const { rec, app } = setup();
    const { client, conn } = await connection(rec);
    await client.sendall('');
    await client.sendall(new Uint8Array([1, 2, 3]));
    await conn.recvExactly(3);
    expect(app('client', 'write').map((e) => [e.size, e.data])).toEqual([
      [0, ''],
      [3, 'AQID'],
    ]);
  });

  it('cork holds the writes in this process; uncork hands them to the kernel together', async () => {
    const { rec, app } = setup();
    const { client, conn } = await connection(rec);
    conn.cork();
    expect(conn.corked).toBe(true);
    // While corked, sendall() resolves at once: the bytes are held, not written.
    await conn.sendall('a');
    await conn.sendall('bb');
    await conn.sendall('ccc');
    expect(conn.socket.writableLength).toBe(6);
    expect(kernelSocket(client)?.rxQueue).toBe(0);
    expect(app('server', 'write').map((e) => e.size)).toEqual([1, 2, 3]);

    await conn.uncork();
    expect(conn.corked).toBe(false);
    expect(conn.socket.writableLength).toBe(0);
    await kernelHolds(client, 6);
    expect((await client.recv()).toString()).toBe('abbccc');
    expect(app('client', 'read').map((e) => e.size)).toEqual([6]);
  });

  it('end() while corked writes the held bytes first', async () => {
    const { rec } = setup();
    const { client, conn } = await connection(rec);
    client.cork();
    await client.sendall('held');
    await client.end();
    expect((await conn.recvExactly(4)).toString()).toBe('held');
    expect((await conn.recv()).length).toBe(0);
  });

  it('Nagle off and on, on both sides: setNoDelay, and noDelay when listening or connecting', async () => {
    const setNoDelay = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    const { rec } = setup();
    const { client, conn } = await connection(rec, '127.0.0.1', { listenNoDelay: true, connectNoDelay: true });
    expect(conn.noDelay).toBe(true);
    expect(client.noDelay).toBe(true);
    const calls = () => setNoDelay.mock.contexts.map((socket, i) => [socket, setNoDelay.mock.calls[i]![0]]);
    expect(calls()).toContainEqual([conn.socket, true]);
    expect(calls()).toContainEqual([client.socket, true]);

    conn.setNoDelay(false);
    client.setNoDelay(false);
    expect([conn.noDelay, client.noDelay]).toEqual([false, false]);
    expect(calls()).toContainEqual([conn.socket, false]);
    expect(calls()).toContainEqual([client.socket, false]);

    // Without the options, Nagle stays as the kernel sets it (on) and nothing is called.
    setNoDelay.mockClear();
    const other = await connection(rec);
    expect([other.conn.noDelay, other.client.noDelay]).toEqual([false, false]);
    expect(setNoDelay.mock.contexts).not.toContain(other.conn.socket);
  });
});

describe('recorded TCP server', () => {
  it('accept() gives connections in order, and rejects once closed and none is left', async () => {
    const { rec } = setup();
    const server = await LabTcpServer.listen(rec, { host: '127.0.0.1' });
    const c1 = LabTcpSocket.connect(rec, { host: '127.0.0.1', port: server.port, actor: 'client-1' });
    await c1.connected;
    const c2 = LabTcpSocket.connect(rec, { host: '127.0.0.1', port: server.port, actor: 'client-2' });
    await c2.connected;
    const s1 = await server.accept();
    const s2 = await server.accept();
    expect([s1.remote, s2.remote]).toEqual([c1.local, c2.local]);
    const waiting = server.accept();
    await server.close();
    await expect(waiting).rejects.toBeInstanceOf(SocketClosedError);
    await expect(server.accept()).rejects.toBeInstanceOf(SocketClosedError);
  });
});
