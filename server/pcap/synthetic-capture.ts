/**
 * A made-up but real-looking capture of any size, for benchmarks and load tests: classic pcap,
 * Ethernet, IPv4 TCP connections between 10.0.0.0/8 hosts, each a handshake, data both ways
 * with the timestamp option and ACKs, then FIN/ACK teardown. Checksums are correct, lengths
 * consistent, timestamps increasing (microseconds), so tcpdump, tshark and the lab read it as
 * an ordinary capture. Deterministic for a given seed.
 */

const ETHERNET = 14;
const IPV4 = 20;
const TCP = 32; // 20 + the 12-byte timestamp option (NOP, NOP, TS)
const SYN_TCP = 40; // 20 + MSS, SACK permitted, timestamps, NOP, window scale

export interface SyntheticCaptureOptions {
  /** How many packets (frames) the file holds. */
  packets: number;
  /** Largest TCP payload in a data segment (bytes); default 1448. */
  maxPayload?: number;
  /** Data segments per connection before it closes; default 40. */
  segmentsPerConnection?: number;
  seed?: number;
}

/** Internet checksum of `data[start, end)` with `initial` added, complemented. */
function checksum(data: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (i < end) sum += data[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The whole capture file, as bytes. */
export function syntheticTcpCapture(options: SyntheticCaptureOptions): Uint8Array {
  const count = Math.max(0, Math.floor(options.packets));
  const maxPayload = Math.min(1448, Math.max(1, options.maxPayload ?? 1448));
  const perConnection = Math.max(1, options.segmentsPerConnection ?? 40);
  let seed = (options.seed ?? 1) >>> 0 || 1;
  const random = (): number => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 0x100000000;
  };
  // Sized for the largest frames; trimmed at the end.
  const out = new Uint8Array(24 + count * (16 + ETHERNET + IPV4 + SYN_TCP + maxPayload));
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 262144, true);
  view.setUint32(20, 1, true);
  let at = 24;
  let timeUs = 1_700_000_000n * 1_000_000n;
  let ipId = 1;

  const frame = (
    client: boolean,
    conn: { a: number; b: number; aPort: number; bPort: number; aSeq: number; bSeq: number },
    flags: number,
    payload: number,
    syn: boolean,
  ): void => {
    const tcpLength = syn ? SYN_TCP : TCP;
    const ipLength = IPV4 + tcpLength + payload;
    const caplen = ETHERNET + ipLength;
    timeUs += BigInt(1 + Math.floor(random() * 200));
    view.setUint32(at, Number(timeUs / 1_000_000n), true);
    view.setUint32(at + 4, Number(timeUs % 1_000_000n), true);
    view.setUint32(at + 8, caplen, true);
    view.setUint32(at + 12, caplen, true);
    const f = at + 16;
    // Ethernet: two made-up unicast MACs.
    out.set(client ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], f);
    view.setUint16(f + 12, 0x0800);
    const ip = f + ETHERNET;
    const src = client ? conn.a : conn.b;
    const dst = client ? conn.b : conn.a;
    out[ip] = 0x45;
    out[ip + 1] = 0;
    view.setUint16(ip + 2, ipLength);
    view.setUint16(ip + 4, ipId++ & 0xffff);
    view.setUint16(ip + 6, 0x4000);
    out[ip + 8] = 64;
    out[ip + 9] = 6;
    view.setUint16(ip + 10, 0);
    view.setUint32(ip + 12, src);
    view.setUint32(ip + 16, dst);
    view.setUint16(ip + 10, checksum(out, ip, ip + IPV4, 0));
    const tcp = ip + IPV4;
    view.setUint16(tcp, client ? conn.aPort : conn.bPort);
    view.setUint16(tcp + 2, client ? conn.bPort : conn.aPort);
    view.setUint32(tcp + 4, client ? conn.aSeq : conn.bSeq);
    view.setUint32(tcp + 8, flags & 0x10 ? (client ? conn.bSeq : conn.aSeq) : 0);
    out[tcp + 12] = (tcpLength / 4) << 4;
    out[tcp + 13] = flags;
    view.setUint16(tcp + 14, syn ? 64240 : 502);
    view.setUint16(tcp + 16, 0);
    view.setUint16(tcp + 18, 0);
    const ts = Number((timeUs / 1000n) & 0xffffffffn);
    if (syn) {
      out.set([2, 4, 0x05, 0xb4, 4, 2, 8, 10], tcp + 20);
      view.setUint32(tcp + 28, ts);
      view.setUint32(tcp + 32, 0);
      out.set([1, 3, 3, 7], tcp + 36);
    } else {
      out.set([1, 1, 8, 10], tcp + 20);
      view.setUint32(tcp + 24, ts);
      view.setUint32(tcp + 28, ts - 1);
    }
    // Payload: printable text, like a protocol a person would read.
    const data = tcp + tcpLength;
    for (let i = 0; i < payload; i++) out[data + i] = 0x61 + ((i + ipId) % 26);
    const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + tcpLength + payload;
    view.setUint16(tcp + 16, checksum(out, tcp, data + payload, pseudo));
    const advance = payload + (flags & 0x03 ? 1 : 0); // SYN and FIN take one number
    if (client) conn.aSeq = (conn.aSeq + advance) >>> 0;
    else conn.bSeq = (conn.bSeq + advance) >>> 0;
    at = f + caplen;
  };

  let written = 0;
  let n = 0;
  const emit = (...args: Parameters<typeof frame>): boolean => {
    if (written >= count) return false;
    frame(...args);
    written++;
    return true;
  };
  while (written < count) {
    n++;
    const conn = {
      a: (10 << 24) | (1 + (n % 200)),
      b: (10 << 24) | (1 << 16) | 1,
      aPort: 32768 + (n % 28000),
      bPort: 9000 + (n % 7),
      aSeq: Math.floor(random() * 0xffffffff) >>> 0,
      bSeq: Math.floor(random() * 0xffffffff) >>> 0,
    };
    if (!emit(true, conn, 0x02, 0, true)) break;
    if (!emit(false, conn, 0x12, 0, true)) break;
    if (!emit(true, conn, 0x10, 0, false)) break;
    for (let s = 0; s < perConnection; s++) {
      const fromClient = random() < 0.6;
      const size = 1 + Math.floor(random() * maxPayload);
      if (!emit(fromClient, conn, 0x18, size, false)) break;
      if (!emit(!fromClient, conn, 0x10, 0, false)) break;
    }
    if (!emit(true, conn, 0x11, 0, false)) break;
    if (!emit(false, conn, 0x11, 0, false)) break;
    if (!emit(true, conn, 0x10, 0, false)) break;
  }
  return out.slice(0, at);
}
