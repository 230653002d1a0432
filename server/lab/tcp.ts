/**
 * TCP sockets whose every step is recorded: connect, accept, each write and each read with
 * its exact bytes, end, destroy, close, errors, and the kernel's state at the moments that
 * matter. Reading: each chunk the socket delivered is one `read` event; end of stream (the
 * peer's FIN) is a `read` of 0 bytes, as `recv()` returning nothing.
 */
import net, { type AddressInfo } from 'node:net';
import { formatEndpoint } from '../contract/endpoint.js';
import type { NewEvent, RunRecorder } from '../runner/recorder.js';

type SocketEventFields = Extract<NewEvent, { kind: 'socket' }>;

function familyOf(address: string): 4 | 6 {
  return net.isIPv6(address) && !address.toLowerCase().startsWith('::ffff:') ? 6 : 4;
}

function errnoCode(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'ERROR';
}

export class SocketClosedError extends Error {
  override readonly name = 'SocketClosedError';
}

export class LabTcpSocket {
  /** The lane of this connection, once its endpoints are known. */
  lane: string | undefined;
  local: string | undefined;
  remote: string | undefined;
  /** Resolves once connected (at once for accepted sockets); rejects with the connect error. */
  readonly connected: Promise<void>;
  /** Resolves when the peer's FIN arrived (end of stream) or the socket closed. */
  readonly ended: Promise<void>;
  /** Resolves when the socket is closed. */
  readonly closed: Promise<void>;
  /** The error the socket ended with, if any. */
  error: (Error & { code?: string }) | undefined;

  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private eof = false;
  private isClosed = false;
  private wake: (() => void) | null = null;
  private readonly release: () => void;

  private constructor(
    private readonly rec: RunRecorder,
    readonly socket: net.Socket,
    readonly actor: string,
    accepted: boolean,
  ) {
    this.release = rec.keepOpen({ shutdown: (reason) => this.shutdown(reason) });
    let resolveConnected!: () => void;
    let rejectConnected!: (err: Error) => void;
    this.connected = new Promise<void>((resolve, reject) => {
      resolveConnected = resolve;
      rejectConnected = reject;
    });
    this.connected.catch(() => undefined);
    if (accepted) resolveConnected();

    socket.on('data', (chunk: Buffer) => {
      this.record({ kind: 'app', actor, op: 'read', data: chunk.toString('base64'), size: chunk.length });
      this.buffered.push(chunk);
      this.bufferedBytes += chunk.length;
      this.notify();
    });
    this.ended = new Promise<void>((resolve) => {
      socket.once('end', () => {
        this.record({ kind: 'app', actor, op: 'read', data: '', size: 0 });
        this.eof = true;
        this.rec.sampleStates();
        this.notify();
        resolve();
      });
      socket.once('close', () => resolve());
    });
    socket.on('connect', () => {
      this.record(this.socketEvent('connected'));
      this.rec.sampleStates();
      resolveConnected();
    });
    socket.on('error', (err: Error & { code?: string }) => {
      this.error = err;
      this.record({ ...this.socketEvent('error'), code: errnoCode(err), message: err.message });
      rejectConnected(err);
    });
    this.closed = new Promise<void>((resolve) => {
      socket.once('close', (hadError: boolean) => {
        this.isClosed = true;
        const event = this.socketEvent('close');
        if (hadError) event.message = 'closed after an error';
        this.record(event);
        this.rec.sampleStates();
        this.release();
        rejectConnected(this.error ?? new SocketClosedError('closed before connecting'));
        this.notify();
        resolve();
      });
    });
  }

  /** Connects from `host` (bound to it, port chosen by the kernel) to `host:port`. */
  static connect(
    rec: RunRecorder,
    opts: { host: string; port: number; actor?: string; allowHalfOpen?: boolean; noDelay?: boolean; serverActor?: string },
  ): LabTcpSocket {
    const actor = opts.actor ?? 'client';
    const socket = new net.Socket({ allowHalfOpen: opts.allowHalfOpen ?? false });
    const lab = new LabTcpSocket(rec, socket, actor, false);
    const remote = formatEndpoint(opts.host, opts.port);
    // Emitted after the bind and right before connect(2): the local port is known, no SYN sent yet.
    socket.once('connectionAttempt', () => {
      const address = socket.address() as Partial<AddressInfo>;
      if (typeof address.port !== 'number' || typeof address.address !== 'string') return;
      lab.local = formatEndpoint(address.address, address.port);
      lab.remote = remote;
      const actors = opts.serverActor === undefined ? { client: actor } : { client: actor, server: opts.serverActor };
      lab.lane = rec.laneFor('tcp', lab.local, remote, actors).id;
      rec.trackTcp({
        actor,
        lane: lab.lane,
        family: familyOf(address.address),
        local: lab.local,
        remote,
        localPort: address.port,
        remotePort: opts.port,
      });
      lab.record(lab.socketEvent('connect'));
    });
    socket.connect({
      host: opts.host,
      port: opts.port,
      localAddress: opts.host,
      ...(opts.noDelay === undefined ? {} : { noDelay: opts.noDelay }),
    });
    return lab;
  }

  /** Wraps a socket a server accepted. */
  static accepted(rec: RunRecorder, socket: net.Socket, actor: string, serverActor: string): LabTcpSocket {
    const lab = new LabTcpSocket(rec, socket, actor, true);
    const { localAddress, localPort, remoteAddress, remotePort } = socket;
    if (localAddress && localPort && remoteAddress && remotePort) {
      lab.local = formatEndpoint(localAddress, localPort);
      lab.remote = formatEndpoint(remoteAddress, remotePort);
      lab.lane = rec.laneFor('tcp', lab.remote, lab.local, { server: serverActor }).id;
      rec.trackTcp({
        actor,
        lane: lab.lane,
        family: familyOf(localAddress),
        local: lab.local,
        remote: lab.remote,
        localPort,
        remotePort,
      });
    }
    lab.record(lab.socketEvent('accept'));
    rec.sampleStates();
    return lab;
  }

  /** Writes the bytes (recorded first, then handed to the kernel); resolves when written. */
  write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    this.record({ kind: 'app', actor: this.actor, op: 'write', data: bytes.toString('base64'), size: bytes.length });
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** The next chunk as it was read, or null at end of stream. Rejects if closed before. */
  async read(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.buffered.shift();
      if (chunk) {
        this.bufferedBytes -= chunk.length;
        return chunk;
      }
      if (this.eof) return null;
      if (this.isClosed) throw this.error ?? new SocketClosedError('socket closed');
      await this.waitForData();
    }
  }

  /** Exactly `n` bytes (gathered from as many reads as it takes). Rejects if the stream ends first. */
  async readBytes(n: number): Promise<Buffer> {
    while (this.bufferedBytes < n) {
      if (this.eof || this.isClosed) {
        throw this.error ?? new SocketClosedError(`stream ended after ${this.bufferedBytes} of ${n} bytes`);
      }
      await this.waitForData();
    }
    const all = Buffer.concat(this.buffered);
    const rest = all.subarray(n);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.bufferedBytes = rest.length;
    return all.subarray(0, n);
  }

  /** Half-closes: no more writes from this side (sends FIN). Resolves once the kernel has it. */
  end(): Promise<void> {
    this.record(this.socketEvent('end'));
    return new Promise((resolve) => {
      if (this.socket.writableFinished || this.socket.destroyed) return resolve();
      const done = () => {
        this.socket.off('close', done);
        this.socket.off('finish', done);
        this.rec.sampleStates();
        resolve();
      };
      this.socket.once('finish', done);
      this.socket.once('close', done);
      this.socket.end();
    });
  }

  /** Closes at once with a reset (RST) instead of a FIN. */
  resetAndDestroy(): void {
    const event = this.socketEvent('destroy');
    event.message = 'reset (RST)';
    this.record(event);
    this.socket.resetAndDestroy();
  }

  /** Closes at once (FIN when the connection allows, nothing more read or written). */
  destroy(): void {
    this.record(this.socketEvent('destroy'));
    this.socket.destroy();
  }

  private async shutdown(reason: string): Promise<void> {
    if (this.isClosed) return;
    if (!this.socket.destroyed) {
      const event = this.socketEvent('destroy');
      event.message = reason;
      this.record(event);
      this.socket.destroy();
    }
    await this.closed;
  }

  private socketEvent(op: SocketEventFields['op']): SocketEventFields {
    const event: SocketEventFields = { kind: 'socket', actor: this.actor, op };
    if (this.local !== undefined) event.local = this.local;
    if (this.remote !== undefined) event.remote = this.remote;
    return event;
  }

  private record(event: NewEvent): void {
    if (this.lane !== undefined) event.lane = this.lane;
    this.rec.event(event);
  }

  private waitForData(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** A listening TCP server whose accepted connections are `LabTcpSocket`s. */
export class LabTcpServer {
  readonly port: number;
  readonly local: string;
  private readonly queue: LabTcpSocket[] = [];
  private waiting: { resolve: (socket: LabTcpSocket) => void; reject: (err: Error) => void }[] = [];
  private closing: Promise<void> | null = null;
  private readonly release: () => void;

  private constructor(
    private readonly rec: RunRecorder,
    readonly server: net.Server,
    readonly actor: string,
  ) {
    const address = server.address() as AddressInfo;
    this.port = address.port;
    this.local = formatEndpoint(address.address, address.port);
    this.release = rec.keepOpen({ shutdown: () => this.close() });
    server.on('connection', (socket) => {
      const lab = LabTcpSocket.accepted(rec, socket, actor, actor);
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(lab);
      else this.queue.push(lab);
    });
  }

  /** Listens on `host`, on a port the kernel chooses. */
  static listen(
    rec: RunRecorder,
    opts: { host: string; actor?: string; allowHalfOpen?: boolean; backlog?: number },
  ): Promise<LabTcpServer> {
    const actor = opts.actor ?? 'server';
    const server = net.createServer({ allowHalfOpen: opts.allowHalfOpen ?? false });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: opts.host, port: 0, ...(opts.backlog ? { backlog: opts.backlog } : {}) }, () => {
        server.off('error', reject);
        const lab = new LabTcpServer(rec, server, actor);
        const address = server.address() as AddressInfo;
        rec.trackTcp({
          actor,
          family: familyOf(address.address),
          local: lab.local,
          localPort: address.port,
          remotePort: 0,
        });
        rec.event({ kind: 'socket', actor, op: 'listen', local: lab.local });
        rec.sampleStates();
        resolve(lab);
      });
    });
  }

  /** The next accepted connection; rejects once the server is closed. */
  accept(): Promise<LabTcpSocket> {
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closing) return Promise.reject(new SocketClosedError('server closed'));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Stops listening: the listening socket closes now; accepted connections stay open. */
  close(): Promise<void> {
    if (!this.closing) {
      for (const waiter of this.waiting.splice(0)) waiter.reject(new SocketClosedError('server closed'));
      this.server.close();
      this.rec.event({ kind: 'socket', actor: this.actor, op: 'close', local: this.local });
      this.rec.sampleStates();
      this.release();
      this.closing = Promise.resolve();
    }
    return this.closing;
  }
}
