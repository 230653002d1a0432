/**
 * IPv6 (RFC 8200) on packets written here: the fixed header in words, and the extension headers
 * a student meets in captures — Hop-by-Hop and Destination Options with their options (Pad1,
 * PadN, Jumbo Payload, Home Address), Routing (which address the pseudo-header then holds),
 * Fragment — and each way a header can be wrong.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedPacket, TextRef } from '../contract/trace.js';
import { concat, ethernet, FAR_ADDRESS, fillTransportChecksum, ipv6, tcp, udp } from './fixtures/craft.js';
import { decodeFrame } from './index.js';
import { fieldOf as field, layerOf as layer } from './fixtures/find.js';

const LOOP = [...new Array(15).fill(0), 1];
/** 2001:db8::1: another documentation address. */
const NEAR_ADDRESS = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1];
/** Where the first extension header starts in an Ethernet frame. */
const EXT = 14 + 40;
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function decode6(next: number, payload: Uint8Array, options: { captured?: number; edit?: (frame: Uint8Array) => void } = {}): DecodedPacket {
  const frame = ethernet(0x86dd, ipv6(next, payload));
  options.edit?.(frame);
  const data = options.captured === undefined ? frame : frame.subarray(0, options.captured);
  return decodeFrame(data, 1, frame.length);
}



const reasons = (p: DecodedPacket): TextRef[] | undefined => layer(p, 'ipv6').malformedText;

/** A UDP datagram after `headers`, its checksum computed with `pseudoSrc` and `pseudoDst`. */
function udpAfter(first: number, headers: number[], pseudoSrc: number[], pseudoDst: number[]): DecodedPacket {
  const frame = ethernet(0x86dd, ipv6(first, concat(headers, udp([7, 7, 7]))));
  fillTransportChecksum(frame, EXT + headers.length, 17, pseudoSrc, pseudoDst);
  return decodeFrame(frame, 1, frame.length);
}

describe('the IPv6 header in words', () => {
  it('names every field of the fixed header at its offset and bits', () => {
    const p = decode6(17, udp([1, 2]), {
      edit: (frame) => {
        // Traffic class 0xb9 (DSCP 46, ECN 1), flow label 0x12345, hop limit 1.
        frame.set([0x6b, 0x91, 0x23, 0x45], 14);
        frame[14 + 7] = 1;
      },
    });
    const ip = layer(p, 'ipv6');
    expect(ip).toMatchObject({ osi: 'network', offset: 14, length: 40 });
    expect(ip.malformed).toBeUndefined();
    expect(ip.fields.map((f) => [f.name, f.offset, f.length, f.bitOffset, f.bitLength, f.raw])).toEqual([
      ['version', 14, 1, 0, 4, 6],
      ['trafficClass', 14, 2, 4, 8, 0xb9],
      ['flowLabel', 15, 3, 4, 20, 0x12345],
      ['payloadLength', 18, 2, undefined, undefined, 10],
      ['nextHeader', 20, 1, undefined, undefined, 17],
      ['hopLimit', 21, 1, undefined, undefined, 1],
      ['src', 22, 16, undefined, undefined, LOOP.map((b) => b.toString(16).padStart(2, '0')).join('')],
      ['dst', 38, 16, undefined, undefined, LOOP.map((b) => b.toString(16).padStart(2, '0')).join('')],
    ]);
    const tc = field(p, 'ipv6', 'trafficClass');
    expect(tc.display).toBe('0xb9');
    expect(tc.children?.map((c) => [c.name, c.explain, c.offset, c.bitOffset, c.bitLength, c.raw, c.display])).toEqual([
      ['trafficClass.dscp', 'ipv6.trafficClass.dscp', 14, 4, 6, 46, '46 (EF, expedited forwarding)'],
      ['trafficClass.ecn', 'ipv6.trafficClass.ecn', 15, 2, 2, 1, '1 (ECT(1))'],
    ]);
    expect(field(p, 'ipv6', 'flowLabel').display).toBe('0x12345');
    expect(field(p, 'ipv6', 'payloadLength').text).toEqual({ key: 'value.bytes', args: { n: 10 } });
    expect(field(p, 'ipv6', 'nextHeader').display).toBe('17 (UDP)');
    expect(field(p, 'ipv6', 'hopLimit').text).toEqual({ key: 'value.hops', args: { n: 1 } });
    expect(field(p, 'ipv6', 'hopLimit').display).toBe('1 hop');
    expect(field(p, 'ipv6', 'src').display).toBe('::1');
    expect(field(p, 'ipv6', 'version').explain).toBe('ipv6.version');
    expect(p.summary).toMatchObject({ ip: 6, src: '::1', dst: '::1', proto: 'udp', payloadLength: 2 });
    expect(layer(p, 'udp').offset).toBe(EXT);
  });

  it('refuses another version, and says how much of a short header is there', () => {
    const v4 = decode6(17, udp([]), { edit: (frame) => (frame[14] = 0x45) });
    expect(v4.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv6']);
    expect(reasons(v4)).toEqual([{ key: 'malformed.version', args: { version: 4, expected: 6 } }]);
    const cut = decode6(17, udp([]), { captured: 14 + 30 });
    expect(reasons(cut)).toEqual([{ key: 'malformed.truncated', args: { part: { key: 'part.ipv6Header' }, need: 40, have: 30 } }]);
    // The fields up to the source address are there; the destination is not.
    expect(layer(cut, 'ipv6').length).toBe(24);
    expect(cut.summary.src).toBeUndefined();
  });

  it('says when the payload length runs past the frame, and decodes what is there', () => {
    const p = decode6(17, udp([1, 2, 3]), { edit: (frame) => (frame[14 + 5] = 200) });
    expect(reasons(p)).toEqual([{ key: 'malformed.payloadLengthPastFrame', args: { length: 200, available: 11 } }]);
    expect(layer(p, 'udp').offset).toBe(EXT);
    const empty = decodeFrame(ethernet(0x86dd, ipv6(59, new Uint8Array(0))).map((b, i) => (i === 14 + 5 ? 8 : b)), 1);
    expect(reasons(empty)).toEqual([{ key: 'malformed.payloadLengthPastFrame', args: { length: 8, available: 0 } }]);
  });

  it('stops at No Next Header (59) with nothing after it', () => {
    const p = decode6(59, new Uint8Array(0));
    expect(p.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv6']);
    expect(layer(p, 'ipv6').malformed).toBeUndefined();
  });
});

describe('IPv6 extension headers', () => {
  it('shows each header as its bytes, its next header and its length in 8-byte units', () => {
    // Hop-by-Hop (16 bytes: PadN of 12), then Destination Options (8), then UDP.
    // (The PadN's last byte is not zero, so that a length read from the byte before a header shows.)
    const p = decode6(0, concat([60, 1, 1, 12, ...new Array(11).fill(0), 7], [17, 0, 1, 4, 0, 0, 0, 0], udp([5])));
    const hbh = field(p, 'ipv6', 'ext.hopByHop');
    expect(hbh).toMatchObject({ explain: 'ipv6.ext.hopByHop', offset: EXT, length: 16 });
    expect(hbh.text).toEqual({ key: 'value.namedBytes', args: { name: 'IPv6 Hop-by-Hop Options', n: 16 } });
    expect(hbh.children?.map((c) => [c.name, c.explain, c.offset, c.length, c.raw, c.display])).toEqual([
      ['ext.hopByHop.nextHeader', 'ipv6.ext.nextHeader', EXT, 1, 60, '60 (IPv6 Destination Options)'],
      ['ext.hopByHop.length', 'ipv6.ext.length', EXT + 1, 1, 1, '1 (16 bytes in all)'],
    ]);
    const dest = field(p, 'ipv6', 'ext.destination');
    expect(dest).toMatchObject({ offset: EXT + 16, length: 8, display: 'IPv6 Destination Options (8 bytes)' });
    expect(dest.children?.[1]?.text).toEqual({ key: 'value.bytesInAll', args: { n: 0, bytes: 8 } });
    expect(layer(p, 'ipv6').length).toBe(40 + 24);
    expect(layer(p, 'udp').offset).toBe(EXT + 24);
    expect(p.summary.payloadLength).toBe(1);
  });

  it('reads a Fragment header’s offset in 8-byte units, its M flag and identification', () => {
    // First fragment: offset 0, M = 1, id 0x0badcafe; its UDP header is here but the checksum cannot be checked.
    const first = decode6(44, concat([17, 0, 0, 1, ...u32(0x0badcafe)], udp([1, 2, 3])));
    const frag = field(first, 'ipv6', 'ext.fragment');
    expect(frag).toMatchObject({ offset: EXT, length: 8, display: 'IPv6 Fragment (8 bytes)' });
    expect(frag.children?.map((c) => [c.name, c.offset, c.length, c.bitOffset, c.bitLength, c.raw, c.display])).toEqual([
      ['ext.fragment.nextHeader', EXT, 1, undefined, undefined, 17, '17 (UDP)'],
      ['ext.fragment.fragmentOffset', EXT + 2, 2, 0, 13, 0, '0 (×8 = 0 bytes)'],
      ['ext.fragment.mf', EXT + 3, 1, 7, 1, 1, 'set'],
      ['ext.fragment.identification', EXT + 4, 4, undefined, undefined, 0x0badcafe, '0x0badcafe'],
    ]);
    expect(field(first, 'udp', 'checksum').checksum).toBe('unchecked');
    // Offset 3 (24 bytes), M = 0: a later fragment, not read as UDP.
    const later = decode6(44, concat([17, 0, 0, (3 << 3) | 0, 0, 0, 0, 9], new Uint8Array(16)));
    expect(field(later, 'ipv6', 'ext.fragment').children?.[1]?.text).toEqual({ key: 'value.fragment', args: { n: 3, bytes: 24 } });
    expect(field(later, 'ipv6', 'ext.fragment').children?.[2]?.display).toBe('not set');
    expect(later.layers.map((l) => [l.name, l.osi, l.offset, l.length])).toEqual([
      ['ethernet', 'link', 0, 14],
      ['ipv6', 'network', 14, 48],
      ['unknown', 'transport', EXT + 8, 16],
    ]);
    expect(later.layers[2]!.fields[0]!.text).toEqual({
      key: 'value.undecoded',
      args: { n: 16, note: { key: 'note.laterFragmentV6', args: { offset: 24, protocol: '17 (UDP)' } } },
    });
    expect(later.summary.proto).toBe('other');
    // Offset 0 and M = 0: an atomic fragment (RFC 6946), the whole packet: its checksum is checked.
    const frame = ethernet(0x86dd, ipv6(44, concat([17, 0, 0, 0, 0, 0, 0, 1], udp([1, 2, 3]))));
    fillTransportChecksum(frame, EXT + 8, 17, LOOP, LOOP);
    const atomic = decodeFrame(frame, 1, frame.length);
    expect(field(atomic, 'udp', 'checksum').checksum).toBe('ok');
    frame[frame.length - 1] ^= 1;
    expect(field(decodeFrame(frame, 1, frame.length), 'udp', 'checksum').checksum).toBe('bad');
  });

  it('numbers a second header of the same kind', () => {
    const p = decode6(60, concat([60, 0, 1, 4, 0, 0, 0, 0], [59, 0, 1, 4, 0, 0, 0, 0]));
    expect(layer(p, 'ipv6').fields.slice(-2).map((f) => [f.name, f.explain, f.offset])).toEqual([
      ['ext.destination', 'ipv6.ext.destination', EXT],
      ['ext.destination-2', 'ipv6.ext.destination', EXT + 8],
    ]);
    expect(field(p, 'ipv6', 'ext.destination-2').children?.[0]?.name).toBe('ext.destination-2.nextHeader');
    expect(p.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv6']);
  });

  it('steps over eight headers, and refuses a ninth', () => {
    const chain = (n: number, last: number): number[] =>
      Array.from({ length: n }, (_, i) => [i === n - 1 ? last : 60, 0, 1, 4, 0, 0, 0, 0]).flat();
    const eight = decode6(60, concat(chain(8, 6), tcp([])));
    expect(layer(eight, 'ipv6').malformed).toBeUndefined();
    expect(layer(eight, 'tcp').offset).toBe(EXT + 64);
    const nine = decode6(60, concat(chain(9, 6), tcp([])));
    expect(reasons(nine)).toEqual([{ key: 'malformed.tooManyExtensions', args: { max: 8 } }]);
    expect(nine.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv6']);
    expect(layer(nine, 'ipv6').length).toBe(40 + 64);
  });

  it('says which header runs past the packet or the capture, and where', () => {
    const name = 'IPv6 Destination Options';
    // The packet ends 4 bytes into the header.
    const short = decode6(60, new Uint8Array([17, 0, 1, 2]));
    expect(reasons(short)).toEqual([{ key: 'malformed.extensionPastPacket', args: { name, at: EXT } }]);
    // 8 bytes are there, but the header says 16.
    const long = decode6(60, new Uint8Array([17, 1, 1, 4, 0, 0, 0, 0]));
    expect(reasons(long)).toEqual([{ key: 'malformed.extensionLongPastPacket', args: { name, at: EXT, length: 16 } }]);
    // The packet holds it, but the capture stopped inside it.
    const what = { key: 'part.ipv6Extension', args: { name } };
    const cut1 = decode6(60, concat([17, 0, 1, 4, 0, 0, 0, 0], udp([])), { captured: EXT + 1 });
    expect(reasons(cut1)).toEqual([{ key: 'malformed.truncated', args: { part: what, need: 8, have: 1 } }]);
    const cut8 = decode6(60, concat([17, 0, 1, 4, 0, 0, 0, 0], udp([])), { captured: EXT + 6 });
    expect(reasons(cut8)).toEqual([{ key: 'malformed.truncated', args: { part: what, need: 8, have: 6 } }]);
    const cut16 = decode6(60, concat([17, 1, 1, 12, ...new Array(12).fill(0)], udp([])), { captured: EXT + 12 });
    expect(reasons(cut16)).toEqual([{ key: 'malformed.truncated', args: { part: what, need: 16, have: 12 } }]);
    // Exactly to the packet's end: fine.
    expect(layer(decode6(60, new Uint8Array([59, 0, 1, 4, 0, 0, 0, 0])), 'ipv6').malformed).toBeUndefined();
    expect(layer(decode6(60, new Uint8Array([59, 1, 1, 12, ...new Array(12).fill(0)])), 'ipv6').malformed).toBeUndefined();
    // A Fragment header is always 8 bytes, whatever its second byte holds.
    const fragment = decode6(44, concat([17, 5, 0, 0, 0, 0, 0, 0], udp([])));
    expect(layer(fragment, 'ipv6').malformed).toBeUndefined();
    expect(layer(fragment, 'udp').offset).toBe(EXT + 8);
  });

  it('says which option runs past the end of its header', () => {
    const name = 'IPv6 Hop-by-Hop Options';
    // PadN of 2 at byte 2, then an option claiming 9 bytes at byte 6 of the header.
    const p = decode6(0, concat([17, 0, 1, 0, 1, 0, 0x3e, 9], udp([])));
    expect(reasons(p)).toEqual([{ key: 'malformed.extensionOptionPastEnd', args: { name, at: EXT + 6, len: 9 } }]);
    const q = decode6(0, concat([17, 0, 1, 0, 0x3e, 2, 0, 0], udp([])));
    expect(layer(q, 'ipv6').malformed).toBeUndefined();
    const r = decode6(0, concat([17, 0, 1, 0, 0x3e, 3, 0, 0], udp([])));
    expect(reasons(r)).toEqual([{ key: 'malformed.extensionOptionPastEnd', args: { name, at: EXT + 4, len: 3 } }]);
    // Pad1 bytes (0) take one byte each; a type byte last in the header has no length byte in it.
    expect(layer(decode6(0, concat([17, 0, 0, 0, 0, 0, 0, 0], udp([]))), 'ipv6').malformed).toBeUndefined();
    const lone = decode6(0, concat([17, 0, 0, 0, 0, 0, 0, 0x3e], udp([])));
    expect(reasons(lone)).toEqual([{ key: 'malformed.extensionOptionPastEnd', args: { name, at: EXT + 7, len: 0 } }]);
    // A Routing header's bytes are not options.
    expect(layer(decode6(43, concat([17, 0, 5, 0, 0x3e, 9, 0, 0], udp([]))), 'ipv6').malformed).toBeUndefined();
  });
});

describe('the addresses a TCP or UDP checksum covers after IPv6 extension headers', () => {
  const checksumOf = (p: DecodedPacket) => field(p, 'udp', 'checksum').checksum;

  it('a Routing header with hops left: the last address of type 0 or 2, the first segment of type 4', () => {
    const type0 = [17, 4, 0, 1, 0, 0, 0, 0, ...NEAR_ADDRESS, ...FAR_ADDRESS];
    expect(checksumOf(udpAfter(43, type0, LOOP, FAR_ADDRESS))).toBe('ok');
    expect(checksumOf(udpAfter(43, type0, LOOP, NEAR_ADDRESS))).toBe('bad');
    const type2 = [17, 2, 2, 1, 0, 0, 0, 0, ...FAR_ADDRESS];
    expect(checksumOf(udpAfter(43, type2, LOOP, FAR_ADDRESS))).toBe('ok');
    // Segment Routing: Segment List[0] is the final segment.
    const type4 = [17, 4, 4, 1, 1, 0, 0, 0, ...NEAR_ADDRESS, ...FAR_ADDRESS];
    expect(checksumOf(udpAfter(43, type4, LOOP, NEAR_ADDRESS))).toBe('ok');
    expect(checksumOf(udpAfter(43, type4, LOOP, FAR_ADDRESS))).toBe('bad');
  });

  it('the packet’s own destination when no hops are left, the type is another, or the header holds no address', () => {
    expect(checksumOf(udpAfter(43, [17, 2, 2, 0, 0, 0, 0, 0, ...FAR_ADDRESS], LOOP, LOOP))).toBe('ok');
    expect(checksumOf(udpAfter(43, [17, 2, 3, 1, 0, 0, 0, 0, ...FAR_ADDRESS], LOOP, LOOP))).toBe('ok');
    expect(checksumOf(udpAfter(43, [17, 0, 0, 1, 0, 0, 0, 0], LOOP, LOOP))).toBe('ok');
    expect(checksumOf(udpAfter(43, [17, 1, 2, 1, ...new Array(12).fill(0)], LOOP, LOOP))).toBe('ok');
    // Options headers are not Routing headers, whatever their bytes 2 and 3 hold (here Pad1, then PadN).
    expect(checksumOf(udpAfter(60, [17, 2, 0, 1, 19, ...new Array(19).fill(0)], LOOP, LOOP))).toBe('ok');
    expect(checksumOf(udpAfter(0, [17, 2, 0, 1, 19, ...new Array(19).fill(0)], LOOP, LOOP))).toBe('ok');
  });

  it('a Home Address option: its address as the source, after padding, even with a wrong length', () => {
    expect(checksumOf(udpAfter(60, [17, 2, 1, 2, 0, 0, 0xc9, 16, ...FAR_ADDRESS], FAR_ADDRESS, LOOP))).toBe('ok');
    expect(checksumOf(udpAfter(60, [17, 2, 0, 0, 1, 0, 0xc9, 16, ...FAR_ADDRESS], FAR_ADDRESS, LOOP))).toBe('ok');
    // Like tshark: a wrong length still gives the 16 bytes after it.
    const wrongLength = udpAfter(60, [17, 2, 1, 2, 0, 0, 0xc9, 10, ...FAR_ADDRESS], FAR_ADDRESS, LOOP);
    expect(layer(wrongLength, 'ipv6').malformed).toBeUndefined();
    expect(checksumOf(wrongLength)).toBe('ok');
    // An option before it is stepped over by its own length.
    expect(checksumOf(udpAfter(60, [17, 2, 0x3e, 2, 9, 9, 0xc9, 16, ...FAR_ADDRESS], FAR_ADDRESS, LOOP))).toBe('ok');
    // Only in a Destination Options header; in Hop-by-Hop it is not a home address.
    expect(checksumOf(udpAfter(0, [17, 2, 1, 2, 0, 0, 0xc9, 16, ...FAR_ADDRESS], LOOP, LOOP))).toBe('ok');
    // Not all 16 bytes inside the header: the option runs past its end.
    const past = udpAfter(60, [17, 1, 1, 0, 0xc9, 16, ...FAR_ADDRESS.slice(0, 10)], LOOP, LOOP);
    expect(reasons(past)).toEqual([
      { key: 'malformed.extensionOptionPastEnd', args: { name: 'IPv6 Destination Options', at: EXT + 4, len: 16 } },
    ]);
  });
});

describe('a jumbogram (RFC 2675)', () => {
  function jumbo(hopByHop: (length: number) => number[], segmentPayload = [1, 2, 3]): DecodedPacket {
    const segment = tcp([], segmentPayload);
    const frame = ethernet(0x86dd, ipv6(0, concat(hopByHop(hopByHop(0).length + segment.length), segment)));
    frame[14 + 4] = 0;
    frame[14 + 5] = 0;
    return decodeFrame(frame, 1, frame.length);
  }

  it('takes the length from the Jumbo Payload option, after any padding', () => {
    const plain = jumbo((n) => [6, 0, 0xc2, 4, ...u32(n)]);
    expect(field(plain, 'ipv6', 'payloadLength').text).toEqual({ key: 'value.payloadLengthJumbo', args: { n: 8 + 20 + 3 } });
    expect(layer(plain, 'ipv6').malformed).toBeUndefined();
    expect(plain.summary.payloadLength).toBe(3);
    const padded = jumbo((n) => [6, 1, 0, 0, 0xc2, 4, ...u32(n), 1, 4, 0, 0, 0, 0]);
    expect(field(padded, 'ipv6', 'payloadLength').text).toEqual({ key: 'value.payloadLengthJumbo', args: { n: 16 + 20 + 3 } });
    expect(padded.summary.payloadLength).toBe(3);
    const afterPadN = jumbo((n) => [6, 1, 1, 2, 0, 0, 0xc2, 4, ...u32(n), 1, 2, 0, 0]);
    const afterPad1 = jumbo((n) => [6, 1, 0, 0xc2, 4, ...u32(n), 1, 5, 0, 0, 0, 0, 0]);
    expect(field(afterPad1, 'ipv6', 'payloadLength').text).toMatchObject({ args: { n: 16 + 20 + 3 } });
    expect(field(afterPadN, 'ipv6', 'payloadLength').text).toMatchObject({ args: { n: 16 + 20 + 3 } });
  });

  it('without the option, or with its value cut off by the header’s end, a payload length of 0 is just 0', () => {
    const none = jumbo(() => [6, 0, 1, 4, 0, 0, 0, 0]);
    expect(field(none, 'ipv6', 'payloadLength').text).toEqual({ key: 'value.bytes', args: { n: 0 } });
    expect(reasons(none)).toEqual([{ key: 'malformed.extensionPastPacket', args: { name: 'IPv6 Hop-by-Hop Options', at: EXT } }]);
    const cut = jumbo(() => [6, 0, 1, 2, 0, 0, 0xc2, 4]);
    expect(field(cut, 'ipv6', 'payloadLength').text).toEqual({ key: 'value.bytes', args: { n: 0 } });
    // Only a Hop-by-Hop header carries it.
    const frame = ethernet(0x86dd, ipv6(60, concat([6, 0, 0xc2, 4, ...u32(28)], tcp([]))));
    frame[14 + 4] = 0;
    frame[14 + 5] = 0;
    expect(field(decodeFrame(frame, 1, frame.length), 'ipv6', 'payloadLength').text).toEqual({ key: 'value.bytes', args: { n: 0 } });
  });
});
