/**
 * A long made-up TCP conversation as a classic pcap file (Ethernet, IPv4, TCP), for driving the
 * page through the public import with thousands of packets. Frame n (1-based) is step n of the
 * recording: a handshake, then `exchanges` pairs of a 100-byte client segment and the server's
 * ACK, then the FIN exchange. Every 50th exchange follows a 20 ms pause.
 */
import { encodePcap } from '../server/pcap/fixtures/encode.js';

const CLIENT_ISN = 4_294_000_000;
const SERVER_ISN = 1_000;
export const DATA_BYTES = 100;

function ipv4Checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += (header[i]! << 8) | header[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function frame(fromClient: boolean, flags: number, seq: number, ack: number, payload: number): Uint8Array {
  const out = new Uint8Array(14 + 20 + 20 + payload);
  const view = new DataView(out.buffer);
  view.setUint16(12, 0x0800);
  const ip = 14;
  out[ip] = 0x45;
  view.setUint16(ip + 2, 40 + payload);
  out[ip + 8] = 64;
  out[ip + 9] = 6;
  out.set([127, 0, 0, 1], ip + 12);
  out.set([127, 0, 0, 1], ip + 16);
  view.setUint16(ip + 10, ipv4Checksum(out.subarray(ip, ip + 20)));
  const tcp = ip + 20;
  view.setUint16(tcp, fromClient ? 40000 : 9000);
  view.setUint16(tcp + 2, fromClient ? 9000 : 40000);
  view.setUint32(tcp + 4, seq % 2 ** 32);
  view.setUint32(tcp + 8, ack % 2 ** 32);
  out[tcp + 12] = 0x50;
  out[tcp + 13] = flags;
  view.setUint16(tcp + 14, 65535);
  for (let i = 0; i < payload; i++) out[tcp + 20 + i] = 0x61 + (i % 26);
  return out;
}

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

export function syntheticCapture(exchanges: number): Uint8Array {
  const c = CLIENT_ISN;
  const s = SERVER_ISN;
  const frames: Uint8Array[] = [frame(true, SYN, c, 0, 0), frame(false, SYN | ACK, s, c + 1, 0), frame(true, ACK, c + 1, s + 1, 0)];
  const pauses: boolean[] = [false, false, false];
  for (let j = 0; j < exchanges; j++) {
    frames.push(frame(true, PSH | ACK, c + 1 + DATA_BYTES * j, s + 1, DATA_BYTES));
    frames.push(frame(false, ACK, s + 1, c + 1 + DATA_BYTES * (j + 1), 0));
    pauses.push(j > 0 && j % 50 === 0, false);
  }
  const end = c + 1 + DATA_BYTES * exchanges;
  frames.push(frame(true, FIN | ACK, end, s + 1, 0), frame(false, FIN | ACK, s + 1, end + 1, 0), frame(true, ACK, end + 1, s + 2, 0));
  pauses.push(false, false, false);
  let ns = 1_700_000_000_000_000_000n;
  const records = frames.map((data, i) => {
    ns += pauses[i] ? 20_000_000n : 1_000_000n;
    return { tsNs: ns, caplen: data.length, len: data.length, data };
  });
  return encodePcap(records, { littleEndian: true, nanosecond: true });
}
