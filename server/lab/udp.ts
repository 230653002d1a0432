/**
 * A UDP socket whose every datagram is recorded: each send and each `recv()` is one `app`
 * event with the exact bytes and the peer's address. One lane per pair of endpoints; the
 * side that sent first is the lane's client.
 *
 * A `read` is recorded when the program takes the datagram with `recv()`, not when it arrived.
 * Unlike TCP here, a datagram waiting for `recv()` waits in this process, not in the kernel:
 * Node's dgram sockets take every datagram out of the kernel as soon as it arrives (there is
 * no way to leave it there), so a slow reader never fills the kernel's receive buffer and
 * never makes the kernel drop datagrams for want of room.
 */
import dgram from 'node:dgram';
import net, { type AddressInfo } from 'node:net';
import { formatEndpoint } from '../contract/endpoint.js';
import { Queue } from './queue.js';
import { SocketClosedError, toBytes } from './tcp.js';
import type { RunRecorder } from '../runner/recorder.js';

export interface UdpOpenOptions {
  host: string;
  actor?: string;
}

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
  private readonly datagrams = new Queue<Datagram>();
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
      this.datagrams.push({ data, peer: formatEndpoint(info.address, info.port), address: info.address, port: info.port });
    });
    socket.on('error', (err: Error & { code?: string }) => {
      rec.event({ kind: 'socket', actor, op: 'error', local: this.local, code: err.code ?? 'ERROR', message: err.message });
    });
  }

  /** Binds a UDP socket on `host`, port chosen by the kernel. */
  static open(rec: RunRecorder, opts: UdpOpenOptions): Promise<LabUdpSocket> {
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

  /** Datagrams received and not yet taken by `recv()` (they wait in this process). */
  get waiting(): number {
    return this.datagrams.length;
  }

  /** Sends one datagram (an empty one too); resolves when the kernel took it. */
  send(data: string | Uint8Array, port: number, host: string): Promise<void> {
    const bytes = toBytes(data);
    const peer = formatEndpoint(host, port);
    const lane = this.rec.laneFor('udp', this.local, peer).id;
    this.rec.event({ kind: 'app', actor: this.actor, op: 'write', data: bytes.toString('base64'), size: bytes.length, peer, lane });
    return new Promise((resolve, reject) => {
      this.socket.send(bytes, port, host, (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * One datagram, whole (an empty one too), the oldest not yet taken; waits for one. Recorded
   * as a `read` when it returns. Rejects once the socket is closed and none is left.
   */
  async recv(): Promise<Datagram> {
    const datagram = await this.datagrams.take();
    const { data, peer } = datagram;
    const lane = this.rec.laneFor('udp', peer, this.local).id;
    this.rec.event({ kind: 'app', actor: this.actor, op: 'read', data: data.toString('base64'), size: data.length, peer, lane });
    return datagram;
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.datagrams.close(new SocketClosedError('UDP socket closed'));
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
