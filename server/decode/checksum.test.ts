/**
 * The Internet checksum (RFC 1071) and the TCP/UDP pseudo-header (RFC 768, RFC 9293 §3.1,
 * RFC 8200 §8.1), checked against sums spelled out here byte by byte, and how a checksum is
 * judged: correct, damaged, left partial by offload on loopback, or not checkable.
 */
import { describe, expect, it } from 'vitest';
import type { Field } from '../contract/trace.js';
import { fold, onesComplementSum, pseudoHeaderSum, setChecksum, verifyTransportChecksum, type TransportChecksum } from './checksum.js';
import type { IpContext } from './protocol.js';

/** The sum of 16-bit big-endian words, a last odd byte as the high byte, carries folded back. */
function referenceSum(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += bytes[i]! * 256 + (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.trunc(sum / 0x10000);
  return sum;
}

const be = (n: number, bytes: number): number[] => Array.from({ length: bytes }, (_, i) => Math.trunc(n / 256 ** (bytes - 1 - i)) % 256);

function ipOf(src: number[], dst: number[], extra: Partial<IpContext> = {}): IpContext {
  return { version: src.length === 4 ? 4 : 6, src: new Uint8Array(src), dst: new Uint8Array(dst), fragmented: false, ...extra };
}

const LOOP4 = [127, 0, 0, 1];
const LOOP6 = [...new Array(15).fill(0), 1];
const DOC6 = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 5];

/** A UDP datagram (sport 50000, dport 9999) with `payload`, its checksum field `stored`. */
function datagram(payload: number[], stored: number): Uint8Array {
  return new Uint8Array([...be(50000, 2), ...be(9999, 2), ...be(8 + payload.length, 2), ...be(stored, 2), ...payload]);
}

/** The right checksum of `segment` (checksum bytes at `at` zeroed) under the pseudo-header `pseudo`. */
function rightChecksum(segment: Uint8Array, at: number, pseudo: number[]): number {
  const bytes = [...segment];
  bytes[at] = 0;
  bytes[at + 1] = 0;
  return 0xffff - referenceSum([...pseudo, ...bytes]);
}

const pseudo4 = (ip: IpContext, protocol: number, length: number): number[] => [...ip.src, ...ip.dst, 0, protocol, ...be(length, 2)];
const pseudo6 = (src: number[], dst: number[], protocol: number, length: number): number[] => [...src, ...dst, ...be(length, 4), 0, 0, 0, protocol];

function verifyUdp(ip: IpContext, payload: number[], stored: number, loopback = false): TransportChecksum {
  const data = datagram(payload, stored);
  return verifyTransportChecksum(data, 0, data.length, stored, 6, ip, 17, loopback);
}

describe('the one’s complement sum', () => {
  it('adds 16-bit words and folds the carries back in (RFC 1071’s example)', () => {
    const rfc = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(onesComplementSum(rfc, 0, rfc.length)).toBe(0xddf2);
    expect(onesComplementSum(rfc, 2, 6)).toBe(referenceSum([0xf2, 0x03, 0xf4, 0xf5]));
    expect(onesComplementSum(rfc, 0, 2, 0xfffe)).toBe(0xffff);
    expect(onesComplementSum(rfc, 0, 2, 0xffff)).toBe(0x0001);
  });

  it('takes a last odd byte as the high byte of a word, and reads only from start to end', () => {
    const data = new Uint8Array([0xff, 0x12, 0x34, 0x56, 0xff]);
    expect(onesComplementSum(data, 1, 4)).toBe(0x1234 + 0x5600);
    expect(onesComplementSum(data, 3, 4)).toBe(0x5600);
    expect(onesComplementSum(data, 2, 2)).toBe(0);
    expect(onesComplementSum(data, 2, 2, 0x1234)).toBe(0x1234);
  });

  it('folds any carry, however many times it takes', () => {
    expect(fold(0x12345678)).toBe(0x5678 + 0x1234);
    expect(fold(0x1ffff)).toBe(0x0001);
    expect(fold(0x2fffd)).toBe(0xffff);
    // 0x2ffff → 0x10001 → 0x0002: a second fold.
    expect(fold(0x2ffff)).toBe(0x0002);
    expect(fold(0xffff)).toBe(0xffff);
    expect(fold(0x10000)).toBe(1);
    expect(fold(0)).toBe(0);
  });
});

describe('the pseudo-header sum', () => {
  it('IPv4: source, destination, a zero byte, the protocol and the length in 2 bytes', () => {
    const ip = ipOf([192, 0, 2, 1], [198, 51, 100, 7]);
    expect(pseudoHeaderSum(ip, 17, 28)).toBe(referenceSum(pseudo4(ip, 17, 28)));
    expect(pseudoHeaderSum(ip, 6, 1500)).toBe(referenceSum(pseudo4(ip, 6, 1500)));
    expect(pseudoHeaderSum(ip, 6, 1500)).not.toBe(pseudoHeaderSum(ip, 17, 1500));
  });

  it('IPv6: both addresses, the length in 4 bytes (a jumbogram’s too), three zero bytes and the next header', () => {
    const ip = ipOf(LOOP6, DOC6);
    expect(pseudoHeaderSum(ip, 6, 40)).toBe(referenceSum(pseudo6(LOOP6, DOC6, 6, 40)));
    expect(pseudoHeaderSum(ip, 17, 0x12345)).toBe(referenceSum(pseudo6(LOOP6, DOC6, 17, 0x12345)));
    expect(pseudoHeaderSum(ip, 17, 0x12345)).not.toBe(pseudoHeaderSum(ip, 17, 0x2345));
  });

  it('uses the final destination of a Routing header and a Home Address in place of the packet’s addresses', () => {
    const routed = ipOf(LOOP6, LOOP6, { pseudoDst: new Uint8Array(DOC6) });
    expect(pseudoHeaderSum(routed, 17, 10)).toBe(referenceSum(pseudo6(LOOP6, DOC6, 17, 10)));
    const home = ipOf(LOOP6, LOOP6, { pseudoSrc: new Uint8Array(DOC6) });
    expect(pseudoHeaderSum(home, 17, 10)).toBe(referenceSum(pseudo6(DOC6, LOOP6, 17, 10)));
  });
});

describe('judging a TCP or UDP checksum', () => {
  it('is correct when the datagram and pseudo-header sum to 0xffff; a damaged one says what it should be', () => {
    const ip = ipOf([192, 0, 2, 1], [192, 0, 2, 9]);
    const right = rightChecksum(datagram([1, 2, 3], 0), 6, pseudo4(ip, 17, 11));
    expect(verifyUdp(ip, [1, 2, 3], right)).toEqual({ status: 'ok' });
    expect(verifyUdp(ip, [1, 2, 3], right ^ 0x0100)).toEqual({ status: 'bad', expected: right });
    // The odd last byte counts: change it and the same checksum is wrong.
    expect(verifyUdp(ip, [1, 2, 4], right).status).toBe('bad');
  });

  it('reads the segment from start to end inside a larger frame', () => {
    const ip = ipOf([192, 0, 2, 1], [192, 0, 2, 9]);
    const segment = datagram([9, 8, 7, 6], 0);
    const right = rightChecksum(segment, 6, pseudo4(ip, 17, segment.length));
    segment[6] = right >> 8;
    segment[7] = right & 0xff;
    const frame = new Uint8Array([0xaa, 0xbb, 0xcc, ...segment, 0xdd, 0xee]);
    expect(verifyTransportChecksum(frame, 3, 3 + segment.length, right, 9, ip, 17)).toEqual({ status: 'ok' });
  });

  it('calls a UDP checksum that computes to 0 0xffff (0 means none), a TCP one 0', () => {
    const ip = ipOf([192, 0, 2, 1], [192, 0, 2, 9]);
    // Two payload bytes chosen so that everything else sums to 0xffff: the right checksum is 0.
    const rest = referenceSum([...pseudo4(ip, 17, 10), ...datagram([0, 0], 0)]);
    const filler = 0xffff - rest;
    const payload = [filler >> 8, filler & 0xff];
    expect(verifyUdp(ip, payload, 0x1234)).toEqual({ status: 'bad', expected: 0xffff });
    expect(verifyUdp(ip, payload, 0xffff)).toEqual({ status: 'ok' });
    // The same bytes summed as TCP (protocol 6 in the pseudo-header), with a checksum of 0 their right one.
    const tcpRest = referenceSum([...pseudo4(ip, 6, 10), ...datagram([0, 0], 0)]);
    const tcpFiller = 0xffff - tcpRest;
    const segment = datagram([tcpFiller >> 8, tcpFiller & 0xff], 0x1234);
    expect(verifyTransportChecksum(segment, 0, segment.length, 0x1234, 6, ip, 6)).toEqual({ status: 'bad', expected: 0 });
  });

  it('on loopback, a checksum that is the pseudo-header sum alone is offload; elsewhere it is wrong, and said to be the pseudo-header sum', () => {
    const payload = [104, 105];
    const length = 10;
    const partial = (ip: IpContext) => pseudoHeaderSum(ip, 17, length);
    const loop4 = ipOf(LOOP4, [127, 0, 0, 53]);
    expect(verifyUdp(loop4, payload, partial(loop4))).toMatchObject({ status: 'offload' });
    const loop6 = ipOf(LOOP6, LOOP6);
    expect(verifyUdp(loop6, payload, partial(loop6))).toMatchObject({ status: 'offload' });
    // One end outside 127/8, or an IPv6 address other than ::1: not known to be loopback.
    for (const [src, dst] of [
      [LOOP4, [10, 0, 0, 1]],
      [[10, 0, 0, 1], LOOP4],
      [LOOP6, DOC6],
      [DOC6, LOOP6],
      [LOOP6, [...new Array(15).fill(0), 2]],
      [LOOP6, [1, ...new Array(14).fill(0), 1]],
      [[...new Array(14).fill(0), 1, 1], LOOP6],
    ]) {
      const ip = ipOf(src!, dst!);
      const right = rightChecksum(datagram(payload, 0), 6, src!.length === 4 ? pseudo4(ip, 17, length) : pseudo6(src!, dst!, 17, length));
      expect(verifyUdp(ip, payload, partial(ip)), `${src} → ${dst}`).toEqual({ status: 'bad', expected: right, pseudoOnly: true });
      // Captured by the lab on lo: offload wherever the addresses point.
      expect(verifyUdp(ip, payload, partial(ip), true)).toEqual({ status: 'offload', expected: right });
    }
  });

  it('cannot be checked without the IP layer, in a fragment, or when the segment is not all there', () => {
    const ip = ipOf(LOOP4, LOOP4);
    const data = datagram([1, 2], 0);
    expect(verifyTransportChecksum(data, 0, data.length, 0, 6, undefined, 17)).toEqual({ status: 'unchecked' });
    expect(verifyTransportChecksum(data, 0, data.length, 0, 6, { ...ip, fragmented: true }, 17)).toEqual({ status: 'unchecked' });
    expect(verifyTransportChecksum(data, 0, data.length + 1, 0, 6, ip, 17)).toEqual({ status: 'unchecked' });
    expect(verifyTransportChecksum(data, 4, 3, 0, 6, ip, 17)).toEqual({ status: 'unchecked' });
    expect(verifyTransportChecksum(data, 0, data.length, 0, 6, ip, 17).status).not.toBe('unchecked');
    expect(verifyTransportChecksum(data, 2, 2, 0, 6, ip, 17).status).not.toBe('unchecked');
  });
});

describe('a checksum field in words', () => {
  const checksumField = (): Field => ({ name: 'checksum', explain: 'udp.checksum', offset: 40, length: 2, raw: 0x1a2b, display: '' });

  it.each([
    [{ status: 'ok' }, 'value.checksumCorrect', { value: '0x1a2b' }, '0x1a2b (correct)'],
    [{ status: 'offload', expected: 0xbeef }, 'value.checksumPartial', { value: '0x1a2b' }, undefined],
    [{ status: 'bad', expected: 0xbe }, 'value.checksumIncorrect', { value: '0x1a2b', expected: '0x00be' }, '0x1a2b (incorrect, should be 0x00be)'],
    [{ status: 'bad', expected: 0xbeef, pseudoOnly: true }, 'value.checksumPseudoOnly', { value: '0x1a2b', expected: '0xbeef' }, undefined],
    [{ status: 'bad' }, 'value.checksumIncorrect', { value: '0x1a2b', expected: '0x0000' }, undefined],
    [{ status: 'unchecked' }, 'value.checksumUnverified', { value: '0x1a2b' }, '0x1a2b (not verified)'],
  ] as const)('%o → %s', (result, key, args, display) => {
    const field = checksumField();
    setChecksum(field, 0x1a2b, result as TransportChecksum);
    expect(field.checksum).toBe(result.status);
    expect(field.text).toEqual({ key, args });
    if (display) expect(field.display).toBe(display);
    else expect(field.display).toMatch(/^0x1a2b \(.{20,}\)$/);
  });

  it('writes small values with four hex digits', () => {
    const field = checksumField();
    setChecksum(field, 0x2b, { status: 'ok' });
    expect(field.display).toBe('0x002b (correct)');
  });
});
