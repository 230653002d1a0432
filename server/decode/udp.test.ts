/**
 * UDP (RFC 768) and what it shares with TCP (transport.ts), on datagrams written here: the
 * length in words, a length that disagrees with the IP packet, an unused checksum over IPv4
 * (which IPv6 does not allow), and a header that is not all there.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedPacket, Field } from '../contract/trace.js';
import { concat, ethernet, fillTransportChecksum, ipv4, ipv6, tcp, udp } from './fixtures/craft.js';
import { decodeFrame } from './index.js';
import { fieldOf, layerOf as layer } from './fixtures/find.js';

const LOOP6 = [...new Array(15).fill(0), 1];
/** Where UDP starts after Ethernet and a 20-byte IPv4 header. */
const UDP4 = 14 + 20;


const udpField = (p: DecodedPacket, name: string): Field => fieldOf(p, 'udp', name);

/** UDP over IPv4 with its length field set to `length`. */
function withLength(payload: number[], length: number): DecodedPacket {
  const frame = ethernet(0x0800, ipv4(17, udp(payload)));
  frame[UDP4 + 4] = length >> 8;
  frame[UDP4 + 5] = length & 0xff;
  return decodeFrame(frame, 1, frame.length);
}

describe('UDP in words', () => {
  it('names its four fields at their offsets, the length as header plus data, and puts the ports in the summary', () => {
    const p = withLength([104, 105, 33], 11);
    expect(layer(p, 'udp')).toMatchObject({ osi: 'transport', offset: UDP4, length: 8 });
    expect(layer(p, 'udp').fields.map((f) => [f.name, f.explain, f.offset, f.length, f.raw])).toEqual([
      ['sport', 'udp.sport', UDP4, 2, 50000],
      ['dport', 'udp.dport', UDP4 + 2, 2, 9999],
      ['length', 'udp.length', UDP4 + 4, 2, 11],
      ['checksum', 'udp.checksum', UDP4 + 6, 2, 0],
    ]);
    expect(udpField(p, 'length').text).toEqual({ key: 'value.udpLength', args: { n: 11, data: 3 } });
    expect(udpField(p, 'length').display).toBe('11 bytes (8 header + 3 data)');
    expect(udpField(p, 'sport').display).toBe('50000');
    expect(p.summary).toMatchObject({ proto: 'udp', sport: 50000, dport: 9999, payloadLength: 3, info: '50000 → 9999 Len=3' });
    expect(layer(p, 'payload')).toMatchObject({ offset: UDP4 + 8, length: 3 });
    expect(layer(p, 'udp').malformed).toBeUndefined();
  });

  it('an empty datagram: 8 bytes of header and no payload layer', () => {
    const p = withLength([], 8);
    expect(udpField(p, 'length').text).toEqual({ key: 'value.udpLength', args: { n: 8, data: 0 } });
    expect(p.summary.info).toBe('50000 → 9999 Len=0');
    expect(p.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv4', 'udp']);
  });

  it('a length below the header is refused; one past the packet or short of it is said, with what the packet carries', () => {
    const small = withLength([1, 2], 7);
    expect(layer(small, 'udp').malformedText).toEqual([{ key: 'malformed.udpLengthTooSmall', args: { length: 7 } }]);
    expect(udpField(small, 'length').text).toEqual({ key: 'value.udpLength', args: { n: 7, data: 0 } });
    expect(small.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv4', 'udp']);
    const past = withLength([1, 2], 30);
    expect(layer(past, 'udp').malformedText).toEqual([{ key: 'malformed.udpLengthPastPacket', args: { length: 30, available: 10 } }]);
    expect(past.summary.payloadLength).toBe(2);
    expect(layer(past, 'payload').length).toBe(2);
    const short = withLength([1, 2, 3, 4], 9);
    expect(layer(short, 'udp').malformedText).toEqual([{ key: 'malformed.udpLengthShort', args: { length: 9, available: 12 } }]);
    expect(short.summary.payloadLength).toBe(1);
    expect(layer(short, 'payload').length).toBe(1);
    expect(short.summary.info).toBe('50000 → 9999 Len=1 [malformed udp]');
  });

  it('a checksum of 0 is “not used” over IPv4 but checked over IPv6', () => {
    const v4 = withLength([1], 9);
    expect(udpField(v4, 'checksum').checksum).toBe('unchecked');
    expect(udpField(v4, 'checksum').text).toEqual({ key: 'value.checksumUnused', args: { value: '0x0000' } });
    const frame = ethernet(0x86dd, ipv6(17, udp([1])));
    const v6 = decodeFrame(frame, 1, frame.length);
    expect(udpField(v6, 'checksum').checksum).toBe('bad');
    fillTransportChecksum(frame, 14 + 40, 17, LOOP6, LOOP6);
    expect(udpField(decodeFrame(frame, 1, frame.length), 'checksum').checksum).toBe('ok');
    // Over IPv4 a nonzero checksum is checked: the crafted 127.0.0.1 pair makes a wrong one bad.
    const wrong = ethernet(0x0800, ipv4(17, udp([1])));
    wrong[UDP4 + 7] = 1;
    expect(udpField(decodeFrame(wrong, 1, wrong.length), 'checksum').checksum).toBe('bad');
  });

  it('the checksum covers only the bytes the length field gives', () => {
    const frame = ethernet(0x86dd, ipv6(17, udp([1, 2])));
    fillTransportChecksum(frame, 14 + 40, 17, LOOP6, LOOP6);
    // Two more bytes in the IPv6 packet that the UDP length does not count.
    const longer = concat(frame, [0xab, 0xcd]);
    longer[14 + 5] += 2;
    const p = decodeFrame(longer, 1, longer.length);
    expect(layer(p, 'udp').malformedText?.[0]?.key).toBe('malformed.udpLengthShort');
    expect(udpField(p, 'checksum').checksum).toBe('ok');
  });
});

describe('a transport header that is not all there', () => {
  it('a datagram shorter than 8 bytes in a whole packet is too short; one cut by the capture is truncated', () => {
    const tiny = ethernet(0x0800, ipv4(17, new Uint8Array([0xc3, 0x50, 0x27, 0x0f, 0])));
    const p = decodeFrame(tiny, 1, tiny.length);
    expect(layer(p, 'udp').malformedText).toEqual([{ key: 'malformed.datagramTooShort', args: { length: 5 } }]);
    // Both ports were there: the summary has them.
    expect(p.summary).toMatchObject({ proto: 'udp', sport: 50000, dport: 9999 });
    expect(layer(p, 'udp').length).toBe(4);
    const frame = ethernet(0x0800, ipv4(17, udp([1, 2, 3])));
    const cut = decodeFrame(frame.subarray(0, UDP4 + 3), 1, frame.length);
    expect(layer(cut, 'udp').malformedText).toEqual([{ key: 'malformed.truncated', args: { part: { key: 'part.udpHeader' }, need: 8, have: 3 } }]);
    expect(cut.summary.sport).toBe(50000);
    expect(cut.summary.dport).toBeUndefined();
    expect(cut.summary.proto).toBe('udp');
  });

  it('the same for TCP, with its 20-byte header', () => {
    const tiny = ethernet(0x0800, ipv4(6, tcp([]).subarray(0, 12)));
    const p = decodeFrame(tiny, 1, tiny.length);
    expect(layer(p, 'tcp').malformedText).toEqual([{ key: 'malformed.segmentTooShort', args: { length: 12 } }]);
    const frame = ethernet(0x0800, ipv4(6, tcp([])));
    const cut = decodeFrame(frame.subarray(0, UDP4 + 19), 1, frame.length);
    expect(layer(cut, 'tcp').malformedText).toEqual([{ key: 'malformed.truncated', args: { part: { key: 'part.tcpHeader' }, need: 20, have: 19 } }]);
    // Cut, and the packet itself was too short as well: the capture is not what is short.
    const both = ethernet(0x0800, ipv4(6, tcp([]).subarray(0, 12)));
    const bothCut = decodeFrame(both.subarray(0, UDP4 + 6), 1, both.length);
    expect(layer(bothCut, 'tcp').malformedText?.[0]?.key).toBe('malformed.frameEnds');
  });
});
