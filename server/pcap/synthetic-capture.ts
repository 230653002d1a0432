/**
 * Made-up but real-looking captures of any size, for tests and benchmarks: classic pcap,
 * Ethernet, IPv4 TCP with correct checksums and consistent lengths, so tcpdump, tshark and the
 * lab read them as ordinary captures. Written a chunk at a time (about 1 MiB), so a million
 * packets never sit in memory. Two shapes:
 * - `syntheticTcpCapture`: many connections between 10.0.0.0/8 hosts, each a handshake (with
 *   options), data both ways with the timestamp option and ACKs, then a FIN/ACK teardown;
 *   random sizes and times, deterministic for a given seed.
 * - `syntheticPcap`: one loopback connection (SYN, SYN-ACK, then data segments answered by
 *   ACKs) in which packet `i` (0-based) carries sequence number `seqOf(i)`, so a test can tell
 *   which packet it is looking at.
 */

const ETHERNET = 14;
const IPV4 = 20;
const TCP = 20;
/** The handshake's options: MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
const SYN_OPTIONS = 20;
/** NOP, NOP, timestamps. */
const TS_OPTIONS = 12;
const CHUNK = 1024 * 1024;

/** One segment to write. */
interface Segment {
  timeUs: bigint;
  src: number;
  dst: number;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: 'none' | 'syn' | 'timestamps';
  payload: number;
  /** Which made-up MAC pair the frame carries (sender first). */
  fromClient: boolean;
  /** Loopback frames carry zero MACs. */
  loopback?: boolean;
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

function optionsLength(options: Segment['options']): number {
  return options === 'syn' ? SYN_OPTIONS : options === 'timestamps' ? TS_OPTIONS : 0;
}

/** The bytes a segment's frame holds (what is captured). */
function frameLength(s: Pick<Segment, 'options' | 'payload'>): number {
  return ETHERNET + IPV4 + TCP + optionsLength(s.options) + s.payload;
}

/** Writes `s` as a pcap record at `at` of `out`; answers the record's length. */
function writeRecord(out: Uint8Array, view: DataView, at: number, s: Segment, ipId: number): number {
  const tcpLength = TCP + optionsLength(s.options);
  const ipLength = IPV4 + tcpLength + s.payload;
  const caplen = ETHERNET + ipLength;
  view.setUint32(at, Number(s.timeUs / 1_000_000n), true);
  view.setUint32(at + 4, Number(s.timeUs % 1_000_000n), true);
  view.setUint32(at + 8, caplen, true);
  view.setUint32(at + 12, caplen, true);
  const f = at + 16;
  if (!s.loopback) out.set(s.fromClient ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], f);
  else out.fill(0, f, f + 12);
  view.setUint16(f + 12, 0x0800);
  const ip = f + ETHERNET;
  out[ip] = 0x45;
  out[ip + 1] = 0;
  view.setUint16(ip + 2, ipLength);
  view.setUint16(ip + 4, ipId & 0xffff);
  view.setUint16(ip + 6, 0x4000);
  out[ip + 8] = 64;
  out[ip + 9] = 6;
  view.setUint16(ip + 10, 0);
  view.setUint32(ip + 12, s.src);
  view.setUint32(ip + 16, s.dst);
  view.setUint16(ip + 10, checksum(out, ip, ip + IPV4, 0));
  const tcp = ip + IPV4;
  view.setUint16(tcp, s.sport);
  view.setUint16(tcp + 2, s.dport);
  view.setUint32(tcp + 4, s.seq >>> 0);
  view.setUint32(tcp + 8, s.ack >>> 0);
  out[tcp + 12] = (tcpLength / 4) << 4;
  out[tcp + 13] = s.flags;
  view.setUint16(tcp + 14, s.window);
  view.setUint16(tcp + 16, 0);
  view.setUint16(tcp + 18, 0);
  const ts = Number((s.timeUs / 1000n) & 0xffffffffn);
  if (s.options === 'syn') {
    out.set([2, 4, 0x05, 0xb4, 4, 2, 8, 10], tcp + 20);
    view.setUint32(tcp + 28, ts);
    view.setUint32(tcp + 32, 0);
    out.set([1, 3, 3, 7], tcp + 36);
  } else if (s.options === 'timestamps') {
    out.set([1, 1, 8, 10], tcp + 20);
    view.setUint32(tcp + 24, ts);
    view.setUint32(tcp + 28, ts - 1);
  }
  // Payload: printable text, like a protocol a person would read.
  const data = tcp + tcpLength;
  for (let i = 0; i < s.payload; i++) out[data + i] = 0x61 + ((i + ipId) % 26);
  const pseudo = (s.src >>> 16) + (s.src & 0xffff) + (s.dst >>> 16) + (s.dst & 0xffff) + 6 + tcpLength + s.payload;
  view.setUint16(tcp + 16, checksum(out, tcp, data + s.payload, pseudo));
  return 16 + caplen;
}

/** A pcap file of `segments`, in chunks of about 1 MiB. */
function* pcapChunks(segments: Iterable<Segment>): Generator<Buffer> {
  let out = Buffer.alloc(CHUNK + 64 * 1024);
  let view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 262144, true);
  view.setUint32(20, 1, true);
  let at = 24;
  let ipId = 1;
  for (const s of segments) {
    if (at + 16 + frameLength(s) > out.length) {
      yield out.subarray(0, at);
      out = Buffer.alloc(Math.max(CHUNK, 16 + frameLength(s)) + 64 * 1024);
      view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      at = 0;
    }
    at += writeRecord(out, view, at, s, ipId++);
    if (at >= CHUNK) {
      yield out.subarray(0, at);
      out = Buffer.alloc(CHUNK + 64 * 1024);
      view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      at = 0;
    }
  }
  if (at > 0) yield out.subarray(0, at);
}

// ---------------------------------------------------------------- many connections

export interface SyntheticCaptureOptions {
  /** How many packets (frames) the file holds. */
  packets: number;
  /** Largest TCP payload in a data segment (bytes); default 1448. */
  maxPayload?: number;
  /** Data segments per connection before it closes; default 40. */
  segmentsPerConnection?: number;
  seed?: number;
}

function* connections(options: SyntheticCaptureOptions): Generator<Segment> {
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
  let timeUs = 1_700_000_000n * 1_000_000n;
  let written = 0;
  let n = 0;
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
    const segment = (client: boolean, flags: number, payload: number, syn: boolean): Segment => {
      timeUs += BigInt(1 + Math.floor(random() * 200));
      const s: Segment = {
        timeUs,
        src: client ? conn.a : conn.b,
        dst: client ? conn.b : conn.a,
        sport: client ? conn.aPort : conn.bPort,
        dport: client ? conn.bPort : conn.aPort,
        seq: client ? conn.aSeq : conn.bSeq,
        ack: flags & 0x10 ? (client ? conn.bSeq : conn.aSeq) : 0,
        flags,
        window: syn ? 64240 : 502,
        options: syn ? 'syn' : 'timestamps',
        payload,
        fromClient: client,
      };
      const advance = payload + (flags & 0x03 ? 1 : 0); // SYN and FIN take one number
      if (client) conn.aSeq = (conn.aSeq + advance) >>> 0;
      else conn.bSeq = (conn.bSeq + advance) >>> 0;
      return s;
    };
    const script: [boolean, number, number, boolean][] = [
      [true, 0x02, 0, true],
      [false, 0x12, 0, true],
      [true, 0x10, 0, false],
    ];
    for (const [client, flags, payload, syn] of script) {
      if (written++ >= count) return;
      yield segment(client, flags, payload, syn);
    }
    for (let s = 0; s < perConnection; s++) {
      const fromClient = random() < 0.6;
      const size = 1 + Math.floor(random() * maxPayload);
      if (written++ >= count) return;
      yield segment(fromClient, 0x18, size, false);
      if (written++ >= count) return;
      yield segment(!fromClient, 0x10, 0, false);
    }
    for (const [client, flags] of [[true, 0x11], [false, 0x11], [true, 0x10]] as const) {
      if (written++ >= count) return;
      yield segment(client, flags, 0, false);
    }
  }
}

/** The many-connections capture as chunks of about 1 MiB. */
export function syntheticTcpChunks(options: SyntheticCaptureOptions): Generator<Buffer> {
  return pcapChunks(connections(options));
}

/** The many-connections capture whole, as bytes. */
export function syntheticTcpCapture(options: SyntheticCaptureOptions): Uint8Array {
  return new Uint8Array(Buffer.concat([...syntheticTcpChunks(options)]));
}

// ---------------------------------------------------------------- one connection

export const SYNTHETIC_CLIENT_PORT = 40000;
export const SYNTHETIC_SERVER_PORT = 8080;
const START_SECONDS = 1_780_000_000n;
const LOOPBACK = 0x7f000001;

/** The sequence number in packet `i` of `syntheticPcap`. */
export function seqOf(i: number): number {
  return (1000 + i * 7) >>> 0;
}

function* oneConnection(packets: number, payload: number): Generator<Segment> {
  for (let i = 0; i < packets; i++) {
    const fromClient = i % 2 === 0;
    yield {
      // A millisecond apart.
      timeUs: (START_SECONDS + BigInt(Math.floor(i / 1000))) * 1_000_000n + BigInt((i % 1000) * 1000),
      src: LOOPBACK,
      dst: LOOPBACK,
      sport: fromClient ? SYNTHETIC_CLIENT_PORT : SYNTHETIC_SERVER_PORT,
      dport: fromClient ? SYNTHETIC_SERVER_PORT : SYNTHETIC_CLIENT_PORT,
      seq: seqOf(i),
      ack: i === 0 ? 0 : seqOf(i - 1),
      flags: i === 0 ? 0x02 : i === 1 ? 0x12 : payload > 0 && fromClient ? 0x18 : 0x10,
      window: 65535,
      options: 'none',
      payload: fromClient && i > 1 ? payload : 0,
      fromClient,
      loopback: true,
    };
  }
}

/** One loopback connection of `packets` packets (data segments of `payload` bytes), as chunks of about 1 MiB. */
export function syntheticPcap(packets: number, payload = 0): Generator<Buffer> {
  return pcapChunks(oneConnection(packets, payload));
}

/** Bytes the packets of `syntheticPcap(packets, payload)` hold (what was captured), for size ratios. */
export function syntheticCapturedBytes(packets: number, payload = 0): number {
  let total = 0;
  for (let i = 0; i < packets; i++) total += frameLength({ options: 'none', payload: i % 2 === 0 && i > 1 ? payload : 0 });
  return total;
}
