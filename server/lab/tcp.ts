/**
 * TCP sockets whose every step is recorded: connect, accept, each write and each read with
 * its exact bytes, end, destroy, close, errors, and the kernel's state at the moments that
 * matter.
 *
 * Reading works as `recv()` does in C or Python: a `read` event is the bytes one `recv()` call
 * returned, recorded when it returned; end of stream (the peer's FIN) is a `read` of 0 bytes.
 * The kernel is read only while the program waits in `recv()`, one read at a time: a program
 * that does not call `recv()` leaves the bytes in the kernel's receive buffer, so the window
 * it advertises shrinks, and its next `recv()` gets everything that waited, up to `maxBytes`.
 * The peer's FIN waits there too (`ended` resolves when a `recv()` returned it), and so does
 * news of a reset: the next `recv()` fails with ECONNRESET.
 *
 * How, with public Node APIs: the socket's readable high-water mark is 0 and the stream is
 * paused (client sockets: `readableHighWaterMark: 0` and `pause()` before connecting; accepted
 * sockets: `net.createServer({ pauseOnConnect: true, highWaterMark: 0 })`). Node then starts
 * reading the kernel only when asked (`read(0)`), and stops after one read, because the chunk
 * it got already fills the buffer (its `push()` returns false, so it calls `readStop()`). A
 * plain paused socket would not do: Node keeps reading the kernel up to its 16 KiB mark.
 *
 * One difference from C's `recv(fd, buf, n)`: a kernel read takes up to 64 KiB here (Node's
 * read size), not `n` bytes. When it brings more than `recv(n)` asked for, the rest waits in
 * this process; the next `recv(n)` returns it together with whatever waits in the kernel then
 * (one more kernel read, no waiting for new bytes), up to `n`, as the kernel would. What the
 * program gets, call by call, is the same; only where the unread bytes sit differs (and so the
 * window advertised), and, after such a split read, bytes that arrive later may be read from
 * the kernel when they arrive rather than at the next `recv()`.
 */
import net, { type AddressInfo } from 'node:net';
import { formatEndpoint } from '../contract/endpoint.js';
import type { NewEvent, RunRecorder } from '../runner/recorder.js';
import { Queue } from './queue.js';

type SocketEventFields = Extract<NewEvent, { kind: 'socket' }>;

/** Most bytes one read of the kernel takes (Node reads into 64 KiB); `recv()`'s default `maxBytes`. */
export const TCP_READ_SIZE = 64 * 1024;

const EMPTY = Buffer.alloc(0);

export interface TcpConnectOptions {
  host: string;
  port: number;
  actor?: string;
  /** Keep the socket open for writing after the peer's FIN (default: end this side too). */
  allowHalfOpen?: boolean;
  /** `true`: Nagle's algorithm off (`TCP_NODELAY`). Default: on, as the kernel sets it. */
  noDelay?: boolean;
}

export interface TcpListenOptions {
  host: string;
  actor?: string;
  /** For accepted sockets: keep them open for writing after the peer's FIN. */
  allowHalfOpen?: boolean;
  backlog?: number;
  /** For accepted sockets: `true` turns Nagle's algorithm off on each one. */
  noDelay?: boolean;
}

function familyOf(address: string): 4 | 6 {
  return net.isIPv6(address) && !address.toLowerCase().startsWith('::ffff:') ? 6 : 4;
}

function errnoCode(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'ERROR';
}

export function toBytes(data: string | Uint8Array): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
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
  /** Resolves when a `recv()` returned end of stream (the peer's FIN), or the socket closed. */
  readonly ended: Promise<void>;
  /** Resolves when the socket is closed. */
  readonly closed: Promise<void>;
  /** The error the socket ended with, if any. */
  error: (Error & { code?: string }) | undefined;

  /** What kernel reads brought, in order; `null` is end of stream. */
  private readonly chunks = new Queue<Buffer | null>();
  /** Bytes a kernel read brought beyond what the `recv()` asked for. */
  private leftover: Buffer | null = null;
  private eof = false;
  private isClosed = false;
  private listeningForReads = false;
  /** Calls of `recv()` run one after another (bytes stay in order). */
  private recvTail: Promise<unknown> = Promise.resolve();
  private isCorked = false;
  private corkedWrites: Promise<void>[] = [];
  private noDelayOn = false;
  private readonly resolveEnded: () => void;
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
    let resolveEnded!: () => void;
    this.ended = new Promise<void>((resolve) => (resolveEnded = resolve));
    this.resolveEnded = resolveEnded;

    // 'end' comes only after a read the program asked for found the FIN.
    socket.once('end', () => this.chunks.push(null));
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
        this.chunks.close(this.error ?? new SocketClosedError('socket closed'));
        this.resolveEnded();
        resolve();
      });
    });
  }

  /** Connects from `host` (bound to it, port chosen by the kernel) to `host:port`. */
  static connect(rec: RunRecorder, opts: TcpConnectOptions & { serverActor?: string }): LabTcpSocket {
    const actor = opts.actor ?? 'client';
    // net.Socket is a stream.Duplex and hands these options to it (as net.createServer's
    // `highWaterMark` does for accepted sockets); Node's types do not list them for Socket.
    const socketOptions: net.SocketConstructorOpts & { readableHighWaterMark: number } = {
      allowHalfOpen: opts.allowHalfOpen ?? false,
      readableHighWaterMark: 0,
    };
    const socket = new net.Socket(socketOptions);
    // Paused before connecting: otherwise Node starts reading as soon as it connects.
    socket.pause();
    const lab = new LabTcpSocket(rec, socket, actor, false);
    if (opts.noDelay !== undefined) lab.setNoDelay(opts.noDelay);
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
    socket.connect({ host: opts.host, port: opts.port, localAddress: opts.host });
    return lab;
  }

  /**
   * Wraps a socket a `LabTcpServer` accepted. It must come from a server made with
   * `pauseOnConnect: true, highWaterMark: 0` (see the top of this file), or Node reads for it.
   */
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

  /** Whether Nagle's algorithm is off on this socket (`setNoDelay`). */
  get noDelay(): boolean {
    return this.noDelayOn;
  }

  /** Whether writes are being held by `cork()`. */
  get corked(): boolean {
    return this.isCorked;
  }

  /**
   * Turns Nagle's algorithm off (`true`: each write goes out at once, `TCP_NODELAY`) or back on
   * (`false`: small writes wait while earlier data is unacknowledged, and may go out together).
   */
  setNoDelay(on = true): void {
    this.noDelayOn = on;
    this.socket.setNoDelay(on);
  }

  /**
   * Holds the following writes in this process until `uncork()`, which hands them to the
   * kernel in one call: they usually leave in one segment. Each write is still recorded as
   * its own `write` event, when it is made.
   */
  cork(): void {
    if (this.isCorked) return;
    this.isCorked = true;
    this.socket.cork();
  }

  /** Hands the writes held since `cork()` to the kernel; resolves when it has taken them all. */
  uncork(): Promise<void> {
    if (!this.isCorked) return Promise.resolve();
    this.isCorked = false;
    const pending = this.corkedWrites.splice(0);
    this.socket.uncork();
    return Promise.all(pending).then(() => undefined);
  }

  /**
   * One write: all the bytes, recorded as one `write` event before they are handed to the
   * kernel. Resolves when the kernel has taken them (while corked: at once, the bytes held;
   * `uncork()` resolves when they are written). An empty write sends nothing.
   */
  sendall(data: string | Uint8Array): Promise<void> {
    const bytes = toBytes(data);
    this.record({ kind: 'app', actor: this.actor, op: 'write', data: bytes.toString('base64'), size: bytes.length });
    const written = new Promise<void>((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
    if (!this.isCorked) return written;
    written.catch(() => undefined);
    this.corkedWrites.push(written);
    return Promise.resolve();
  }

  /**
   * One read, like `recv(maxBytes)`: waits until bytes are there, then returns at most
   * `maxBytes` of them (maybe fewer: what one kernel read brought), recorded as one `read`
   * event when it returns. At end of stream it returns an empty Buffer (a `read` of 0 bytes),
   * every time it is called. Rejects when the socket closed or failed (reset) first.
   */
  recv(maxBytes: number = TCP_READ_SIZE): Promise<Buffer> {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      return Promise.reject(new RangeError(`recv: maxBytes must be a whole number ≥ 1, got ${maxBytes}`));
    }
    const result = this.recvTail.then(() => this.recvNow(maxBytes));
    this.recvTail = result.catch(() => undefined);
    return result;
  }

  /**
   * Exactly `n` bytes, gathered by calling `recv()` as often as it takes (each call recorded as
   * its own `read`). Rejects if the stream ends first (the bytes read so far stay recorded).
   */
  async recvExactly(n: number): Promise<Buffer> {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`recvExactly: n must be a whole number ≥ 0, got ${n}`);
    const parts: Buffer[] = [];
    let got = 0;
    // Each round gets at least one byte or ends the loop: at most n rounds.
    while (got < n) {
      const chunk = await this.recv(n - got);
      if (chunk.length === 0) throw new SocketClosedError(`stream ended after ${got} of ${n} bytes`);
      parts.push(chunk);
      got += chunk.length;
    }
    return Buffer.concat(parts, got);
  }

  /** Half-closes: no more writes from this side (sends FIN). Resolves once the kernel has it. */
  end(): Promise<void> {
    if (this.isCorked) void this.uncork().catch(() => undefined);
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
    this.record(this.socketEvent('reset'));
    this.socket.resetAndDestroy();
  }

  /**
   * Closes at once (FIN when the connection allows, nothing more read or written). Bytes the
   * program left unread in the kernel make the kernel send a reset (RST) instead.
   */
  destroy(): void {
    this.record(this.socketEvent('destroy'));
    this.socket.destroy();
  }

  private async recvNow(maxBytes: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    const fromLeftover = this.leftover !== null;
    if (this.leftover) {
      parts.push(this.leftover);
      have = this.leftover.length;
      this.leftover = null;
    } else if (!this.eof) {
      const next = await this.nextChunk();
      if (next === null) this.eof = true;
      else {
        parts.push(next);
        have = next.length;
      }
    }
    // As the kernel does, one recv() returns all there is up to maxBytes: bytes an earlier
    // kernel read brought beyond what was asked then, and bytes waiting in the kernel now. (A
    // fresh kernel read already took all that was waiting, up to 64 KiB.)
    if (fromLeftover && have < maxBytes && !this.eof) have += await this.gatherWaiting(parts, maxBytes - have);
    let chunk = parts.length === 0 ? EMPTY : parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    if (chunk.length > maxBytes) {
      this.leftover = chunk.subarray(maxBytes);
      chunk = chunk.subarray(0, maxBytes);
    }
    this.record({ kind: 'app', actor: this.actor, op: 'read', data: chunk.toString('base64'), size: chunk.length });
    if (chunk.length === 0) {
      this.rec.sampleStates();
      this.resolveEnded();
    }
    return chunk;
  }

  /** The next chunk a kernel read brings (`null`: end of stream); asks for that one read. */
  private nextChunk(): Promise<Buffer | null> {
    if (this.chunks.length === 0 && !this.chunks.closed) this.readKernel();
    return this.chunks.take();
  }

  /** Asks Node for one read of the kernel (its chunk arrives through 'readable'). */
  private readKernel(): void {
    // Listening for 'readable' from the first read on, not before: adding the listener makes
    // Node start reading.
    if (!this.listeningForReads) {
      this.listeningForReads = true;
      this.socket.on('readable', () => this.takeReadChunk());
    }
    this.socket.read(0);
  }

  /**
   * Adds to `parts` up to `want` bytes that are here already: chunks read and not yet taken, and
   * what one more kernel read finds waiting now (one turn of the event loop's poll, no wait for
   * new bytes). Returns how many bytes it added; end of stream is noted for the next recv().
   */
  private async gatherWaiting(parts: Buffer[], want: number): Promise<number> {
    let got = 0;
    const takeQueued = async () => {
      while (this.chunks.length > 0 && got < want) {
        const chunk = await this.chunks.take();
        if (chunk === null) {
          this.eof = true;
          return;
        }
        parts.push(chunk);
        got += chunk.length;
      }
    };
    await takeQueued();
    if (got < want && !this.eof && !this.chunks.closed) {
      this.readKernel();
      // Bytes already in the kernel are read in the next poll phase; setImmediate runs after it.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      await takeQueued();
    }
    return got;
  }

  private takeReadChunk(): void {
    // `read()` on an empty stream would start another kernel read: only take what is there.
    if (this.socket.readableLength === 0) return;
    const chunk = this.socket.read() as Buffer | null;
    if (chunk !== null && chunk.length > 0) this.chunks.push(chunk);
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
}

/** A listening TCP server whose accepted connections are `LabTcpSocket`s. */
export class LabTcpServer {
  readonly port: number;
  readonly local: string;
  private readonly connections = new Queue<LabTcpSocket>();
  private closing: Promise<void> | null = null;
  private readonly release: () => void;

  private constructor(
    private readonly rec: RunRecorder,
    readonly server: net.Server,
    readonly actor: string,
    noDelay: boolean | undefined,
  ) {
    const address = server.address() as AddressInfo;
    this.port = address.port;
    this.local = formatEndpoint(address.address, address.port);
    this.release = rec.keepOpen({ shutdown: () => this.close() });
    server.on('connection', (socket) => {
      const lab = LabTcpSocket.accepted(rec, socket, actor, actor);
      if (noDelay !== undefined) lab.setNoDelay(noDelay);
      this.connections.push(lab);
    });
  }

  /** Listens on `host`, on a port the kernel chooses. */
  static listen(rec: RunRecorder, opts: TcpListenOptions): Promise<LabTcpServer> {
    const actor = opts.actor ?? 'server';
    // Accepted sockets read the kernel only when the program calls recv() (top of this file).
    const server = net.createServer({ allowHalfOpen: opts.allowHalfOpen ?? false, pauseOnConnect: true, highWaterMark: 0 });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: opts.host, port: 0, ...(opts.backlog ? { backlog: opts.backlog } : {}) }, () => {
        server.off('error', reject);
        const lab = new LabTcpServer(rec, server, actor, opts.noDelay);
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

  /** The next accepted connection; rejects once the server is closed and none is left. */
  accept(): Promise<LabTcpSocket> {
    return this.connections.take();
  }

  /** Stops listening: the listening socket closes now; accepted connections stay open. */
  close(): Promise<void> {
    if (!this.closing) {
      this.connections.close(new SocketClosedError('server closed'));
      this.server.close();
      this.rec.event({ kind: 'socket', actor: this.actor, op: 'close', local: this.local });
      this.rec.sampleStates();
      this.release();
      this.closing = Promise.resolve();
    }
    return this.closing;
  }
}
