/**
 * Test and benchmark support: a classic pcap of `packets` well-formed loopback TCP frames (one
 * connection: SYN, SYN-ACK, then data segments of `payload` bytes answered by ACKs), made a
 * chunk at a time so that a million packets never sit in memory. Packet `i` (0-based) carries
 * sequence number `seqOf(i)`, so a test can tell which packet it is looking at.
 */
const ETH = 14;
const IP = 20;
const TCP = 20;

export const SYNTHETIC_CLIENT_PORT = 40000;
export const SYNTHETIC_SERVER_PORT = 8080;
const START_SECONDS = 1_780_000_000;

/** The sequence number in packet `i`. */
export function seqOf(i: number): number {
  return (1000 + i * 7) >>> 0;
}

function frame(i: number, payload: number): Buffer {
  const fromClient = i % 2 === 0;
  const flags = i === 0 ? 0x02 : i === 1 ? 0x12 : payload > 0 && fromClient ? 0x18 : 0x10;
  const body = fromClient && i > 1 ? payload : 0;
  const out = Buffer.alloc(ETH + IP + TCP + body);
  out.writeUInt16BE(0x0800, 12);
  out[ETH] = 0x45;
  out.writeUInt16BE(IP + TCP + body, ETH + 2);
  out[ETH + 8] = 64;
  out[ETH + 9] = 6;
  out.set([127, 0, 0, 1, 127, 0, 0, 1], ETH + 12);
  const t = ETH + IP;
  out.writeUInt16BE(fromClient ? SYNTHETIC_CLIENT_PORT : SYNTHETIC_SERVER_PORT, t);
  out.writeUInt16BE(fromClient ? SYNTHETIC_SERVER_PORT : SYNTHETIC_CLIENT_PORT, t + 2);
  out.writeUInt32BE(seqOf(i), t + 4);
  out.writeUInt32BE(i === 0 ? 0 : seqOf(i - 1), t + 8);
  out[t + 12] = 5 << 4;
  out[t + 13] = flags;
  out.writeUInt16BE(65535, t + 14);
  out.fill(0x61, t + TCP);
  return out;
}

/** The capture as chunks of about 1 MiB. */
export function* syntheticPcap(packets: number, payload = 0): Generator<Buffer> {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  let parts: Buffer[] = [header];
  let size = header.length;
  for (let i = 0; i < packets; i++) {
    const data = frame(i, payload);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(START_SECONDS + Math.floor(i / 1000), 0);
    record.writeUInt32LE((i % 1000) * 1000, 4);
    record.writeUInt32LE(data.length, 8);
    record.writeUInt32LE(data.length, 12);
    parts.push(record, data);
    size += 16 + data.length;
    if (size >= 1024 * 1024) {
      yield Buffer.concat(parts);
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield Buffer.concat(parts);
}

/** Bytes the capture's packets hold (what was captured), for size ratios. */
export function syntheticCapturedBytes(packets: number, payload = 0): number {
  let total = 0;
  for (let i = 0; i < packets; i++) total += ETH + IP + TCP + (i % 2 === 0 && i > 1 ? payload : 0);
  return total;
}
