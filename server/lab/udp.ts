/**
 * A UDP socket whose every datagram is recorded: each send and each receive is one `app`
 * event with the exact bytes and the peer's address. One lane per pair of endpoints; the
 * side that sent first is the lane's client.
 */
import dgram from 'node:dgram';
import net, { type AddressInfo } from 'node:net';
import { formatEndpoint } from '../contract/endpoint.js';
import { SocketClosedError } from './tcp.js';
import type { RunRecorder } from '../runner/recorder.js';

export interface Datagram {
  data: Buffer;
  /** The sender, `ip:port` / `[ip]:port`. */
  peer: string;
  address: string;
  port: number;
}

export class LabUdpSocket {
  readonly local: string;
  readonly port: number;
  private readonly queue: Datagram[] = [];
  private waiting: { resolve: (datagram: Datagram) => void; reject: (err: Error) => void }[] = [];
  private closing: Promise<void> | null = null;
  private readonly release: () => void;

  private constructor(
    private readonly rec: RunRecorder,
    readonly socket: dgram.Socket,
    readonly actor: string,
  ) {
    const address = socket.address();
    this.port = address.port;
    this.local = formatEndpoint(address.address, address.port);
    this.release = rec.keepOpen({ shutdown: () => this.close() });
    socket.on('message', (data, info) => {
      const peer = formatEndpoint(info.address, info.port);
      const lane = rec.laneFor('udp', peer, this.local).id;
      rec.event({ kind: 'app', actor, op: 'read', data: data.toString('base64'), size: data.length, peer, lane });
      const datagram = { data, peer, address: info.address, port: info.port };
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(datagram);
      else this.queue.push(datagram);
    });
    socket.on('error', (err: Error & { code?: string }) => {
      rec.event({ kind: 'socket', actor, op: 'error', local: this.local, code: err.code ?? 'ERROR', message: err.message });
    });
  }

  /** Binds a UDP socket on `host`, port chosen by the kernel. */
  static open(rec: RunRecorder, opts: { host: string; actor?: string }): Promise<LabUdpSocket> {
    const actor = opts.actor ?? 'client';
    const socket = dgram.createSocket(net.isIPv6(opts.host) ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, opts.host, () => {
        socket.off('error', reject);
        const lab = new LabUdpSocket(rec, socket, actor);
        const address = socket.address() as AddressInfo;
        rec.event({ kind: 'socket', actor, op: 'bind', local: formatEndpoint(address.address, address.port) });
        resolve(lab);
      });
    });
  }

  /** Sends one datagram (an empty one too); resolves when the kernel took it. */
  send(data: string | Uint8Array, port: number, host: string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    const peer = formatEndpoint(host, port);
    const lane = this.rec.laneFor('udp', this.local, peer).id;
    this.rec.event({ kind: 'app', actor: this.actor, op: 'write', data: bytes.toString('base64'), size: bytes.length, peer, lane });
    return new Promise((resolve, reject) => {
      this.socket.send(bytes, port, host, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** The next datagram received; rejects once the socket is closed. */
  receive(): Promise<Datagram> {
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closing) return Promise.reject(new SocketClosedError('UDP socket closed'));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  close(): Promise<void> {
    if (!this.closing) {
      for (const waiter of this.waiting.splice(0)) waiter.reject(new SocketClosedError('UDP socket closed'));
      this.closing = new Promise((resolve) => {
        this.socket.close(() => {
          this.rec.event({ kind: 'socket', actor: this.actor, op: 'close', local: this.local });
          this.release();
          resolve();
        });
      });
    }
    return this.closing;
  }
}
