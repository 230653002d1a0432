/**
 * The TCP header in words (RFC 9293 §3.1) on segments written here — the data offset in 32-bit
 * words, the flags byte as Wireshark lists it, each flag bit — and the layers around it: the
 * payload shown as text, and bytes the decoder does not read.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedPacket, Field } from '../contract/trace.js';
import { inner } from './fields.js';
import { ethernet, ipv4, tcp } from './fixtures/craft.js';
import { decodeFrame } from './index.js';
import { unknownLayer } from './unknown.js';
import { fieldOf, layerOf as layer } from './fixtures/find.js';

const TCP = 14 + 20;

function segment(flags: number, payload: number[] = []): DecodedPacket {
  const frame = ethernet(0x0800, ipv4(6, tcp([], payload, flags)));
  return decodeFrame(frame, 1, frame.length);
}


const tcpField = (p: DecodedPacket, name: string): Field => fieldOf(p, 'tcp', name);

describe('the TCP header in words', () => {
  it('gives the data offset in 32-bit words and bytes, and each field at its offset', () => {
    const p = segment(0x18, [1]);
    expect(layer(p, 'tcp')).toMatchObject({ osi: 'transport', offset: TCP, length: 20 });
    expect(tcpField(p, 'dataOffset')).toMatchObject({ offset: TCP + 12, bitOffset: 0, bitLength: 4, raw: 5 });
    expect(tcpField(p, 'dataOffset').text).toEqual({ key: 'value.countBytes', args: { n: 5, bytes: 20 } });
    expect(tcpField(p, 'dataOffset').display).toBe('5 (20 bytes)');
    expect(layer(p, 'tcp').fields.map((f) => [f.name, f.offset, f.raw])).toEqual([
      ['sport', TCP, 50000],
      ['dport', TCP + 2, 8080],
      ['seq', TCP + 4, 1000],
      ['ack', TCP + 8, 2000],
      ['dataOffset', TCP + 12, 5],
      ['reserved', TCP + 12, 0],
      ['flags', TCP + 13, 0x18],
      ['window', TCP + 14, 512],
      ['checksum', TCP + 16, 0],
      ['urgentPointer', TCP + 18, 0],
    ]);
    expect(tcpField(p, 'checksum').display).toMatch(/^0x0000 /);
  });

  it('says when the capture cut the header’s options, and when the data offset runs past the segment', () => {
    const frame = ethernet(0x0800, ipv4(6, tcp([2, 4, 0x05, 0xb4])));
    const cut = decodeFrame(frame.subarray(0, TCP + 22), 1, frame.length);
    expect(layer(cut, 'tcp').malformedText).toEqual([
      { key: 'malformed.truncated', args: { part: { key: 'part.tcpHeaderOptions' }, need: 24, have: 22 } },
    ]);
    expect(layer(cut, 'tcp').length).toBe(20);
    // All 24 bytes captured: the MSS is read.
    expect(decodeFrame(frame, 1, frame.length).summary.tcpOptions?.mss).toBe(1460);
    const past = frame.slice();
    past[TCP + 12] = 0x70;
    expect(layer(decodeFrame(past, 1, past.length), 'tcp').malformedText).toEqual([
      { key: 'malformed.dataOffsetPastSegment', args: { bytes: 28, length: 24 } },
    ]);
  });

  it('writes the flags byte in hex with the flags set, in Wireshark’s order, and each bit by name', () => {
    expect(tcpField(segment(0x12), 'flags').display).toBe('0x12 (SYN, ACK)');
    expect(tcpField(segment(0x11), 'flags').display).toBe('0x11 (FIN, ACK)');
    expect(tcpField(segment(0xff), 'flags').display).toBe('0xff (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR)');
    expect(tcpField(segment(0x04), 'flags').display).toBe('0x04 (RST)');
    const none = tcpField(segment(0x00), 'flags');
    expect(none.text).toEqual({ key: 'value.tcpFlagsNone', args: { value: '0x00' } });
    expect(none.display).toBe('0x00 (none)');
    const bits = tcpField(segment(0x12), 'flags').children!;
    expect(bits.map((c) => [c.name, c.explain, c.bitOffset, c.raw])).toEqual([
      ['flags.cwr', 'tcp.flags.cwr', 0, 0],
      ['flags.ece', 'tcp.flags.ece', 1, 0],
      ['flags.urg', 'tcp.flags.urg', 2, 0],
      ['flags.ack', 'tcp.flags.ack', 3, 1],
      ['flags.psh', 'tcp.flags.psh', 4, 0],
      ['flags.rst', 'tcp.flags.rst', 5, 0],
      ['flags.syn', 'tcp.flags.syn', 6, 1],
      ['flags.fin', 'tcp.flags.fin', 7, 0],
    ]);
    expect(segment(0x12).summary.flags).toEqual(['ACK', 'SYN']);
    expect(segment(0x12).summary.info).toBe('50000 → 8080 [SYN, ACK] Seq=1000 Ack=2000 Win=512 Len=0');
    expect(segment(0x02).summary.info).toBe('50000 → 8080 [SYN] Seq=1000 Win=512 Len=0');
  });
});

describe('the payload', () => {
  it('shows the bytes after the header as hex and as printable text', () => {
    const p = segment(0x18, [0x68, 0x69, 0x0a, 0x00]);
    expect(layer(p, 'payload')).toMatchObject({ osi: 'application', offset: TCP + 20, length: 4 });
    expect(layer(p, 'payload').fields).toEqual([
      { name: 'data', explain: 'payload.data', offset: TCP + 20, length: 4, raw: '68690a00', display: 'hi..' },
    ]);
    expect(layer(p, 'payload').malformed).toBeUndefined();
  });

  it('cut by the capture: what is there, and how much is missing', () => {
    const frame = ethernet(0x0800, ipv4(6, tcp([], [1, 2, 3, 4, 5])));
    const p = decodeFrame(frame.subarray(0, frame.length - 3), 1, frame.length);
    expect(layer(p, 'payload')).toMatchObject({ offset: TCP + 20, length: 2 });
    expect(layer(p, 'payload').fields[0]).toMatchObject({ length: 2, raw: '0102' });
    expect(layer(p, 'payload').malformedText).toEqual([
      { key: 'malformed.truncated', args: { part: { key: 'part.payload' }, need: 5, have: 2 } },
    ]);
    expect(p.summary.payloadLength).toBe(5);
  });
});

describe('bytes not decoded', () => {
  const note = inner('note.notDecoded');

  it('are shown whole, with how many and why', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5]);
    const l = unknownLayer(data, 'transport', 1, 4, note);
    expect(l).toEqual({
      name: 'unknown',
      osi: 'transport',
      offset: 1,
      length: 3,
      fields: [{ name: 'data', explain: 'unknown.data', offset: 1, length: 3, raw: '020304', display: '3 bytes: not decoded', text: { key: 'value.undecoded', args: { n: 3, note } } }],
    });
  });

  it('stop at the end of what was captured, and are empty when nothing of them was', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5]);
    expect(unknownLayer(data, 'network', 3, 9, note)).toMatchObject({ offset: 3, length: 2, fields: [{ raw: '0405' }] });
    expect(unknownLayer(data, 'network', 7, 9, note)).toMatchObject({ osi: 'network', offset: 5, length: 0, fields: [{ raw: '', display: '0 bytes: not decoded' }] });
    expect(unknownLayer(data, 'link', 4, 2, note)).toMatchObject({ offset: 4, length: 0 });
  });
});
