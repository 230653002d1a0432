/**
 * The walk from layer to layer (index.ts, registry.ts): which protocol a link type starts with,
 * the summary line of a frame that is not all decoded, the length on the wire, and the limits
 * that keep a protocol's mistake from taking the page down (a throw, a loop).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DecodedPacket } from '../contract/trace.js';
import { ethernet, ipv4, ipv6, tcp, udp } from './fixtures/craft.js';
import { decodeFrame } from './index.js';
import type { Protocol } from './protocol.js';
import { etherTypes, linkTypes } from './registry.js';
import { unknownDef } from './unknown.js';

const names = (p: DecodedPacket): string[] => p.layers.map((l) => l.name);

describe('the first layer, by link type', () => {
  it('raw IP (101) by the version nibble; 228 is IPv4 and 229 IPv6 whatever the bytes', () => {
    const v4 = ipv4(17, udp([1]));
    const v6 = ipv6(17, udp([1]));
    expect(names(decodeFrame(v4, 101))).toEqual(['ipv4', 'udp', 'payload']);
    expect(names(decodeFrame(v6, 101))).toEqual(['ipv6', 'udp', 'payload']);
    expect(names(decodeFrame(v4, 228))).toEqual(['ipv4', 'udp', 'payload']);
    expect(names(decodeFrame(v6, 229))).toEqual(['ipv6', 'udp', 'payload']);
    // The link type decides for 229: IPv4 there is a malformed IPv6 header. An IPv6 packet
    // where IPv4 was announced is read as IPv6, as tshark and Linux do.
    expect(decodeFrame(v4, 229).layers[0]!.malformedText?.[0]).toEqual({ key: 'malformed.version', args: { version: 4, expected: 6 } });
    expect(names(decodeFrame(v6, 228))).toEqual(['ipv6', 'udp', 'payload']);
    // Raw IP with another version: not decoded, said so.
    const v5 = v4.slice();
    v5[0] = 0x55;
    const other = decodeFrame(v5, 101);
    expect(names(other)).toEqual(['unknown']);
    expect(other.layers[0]).toMatchObject({ osi: 'link', offset: 0, length: v5.length });
    expect(other.layers[0]!.fields[0]!.text).toEqual({
      key: 'value.undecoded',
      args: { n: v5.length, note: { key: 'note.linkType', args: { linktype: 101 } } },
    });
    expect(other.summary.info).toBe('Link type 101 is not decoded');
    expect(names(decodeFrame(new Uint8Array([0x60]), 101))).toEqual(['ipv6']);
    expect(names(decodeFrame(new Uint8Array([0x45]), 101))).toEqual(['ipv4']);
    expect(names(decodeFrame(new Uint8Array([0x06]), 101))).toEqual(['unknown']);
  });

  it('Ethernet for 1; only IPv4 and IPv6 after it, only TCP and UDP after them', () => {
    expect(names(decodeFrame(ethernet(0x0800, ipv4(6, tcp([], [1]))), 1))).toEqual(['ethernet', 'ipv4', 'tcp', 'payload']);
    expect(names(decodeFrame(ethernet(0x86dd, ipv6(6, tcp([]))), 1))).toEqual(['ethernet', 'ipv6', 'tcp']);
    expect(names(decodeFrame(ethernet(0x0800, ipv4(6, tcp([]))), 228))).toEqual(['ipv4']);
    const gre = decodeFrame(ethernet(0x86dd, ipv6(47, new Uint8Array(4))), 1);
    expect(names(gre)).toEqual(['ethernet', 'ipv6', 'unknown']);
    expect(gre.summary).toMatchObject({ proto: 'other', info: '::1 → ::1 IPv6, protocol 47 (GRE) is not decoded' });
    expect(gre.layers[2]).toMatchObject({ osi: 'transport', offset: 54, length: 4 });
  });
});

describe('the length on the wire', () => {
  const frame = (): Uint8Array => ethernet(0x0800, ipv4(17, udp([1, 2, 3])));

  it('is the captured length when not given, not a number, or negative', () => {
    const data = frame().subarray(0, 40);
    for (const len of [undefined, Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      const p = decodeFrame(data, 1, len);
      // The frame is all there is, so the UDP header really ends early; no caplen > len either.
      expect(p.layers[0]!.malformed, String(len)).toBeUndefined();
      expect(p.layers.find((l) => l.name === 'ipv4')!.malformedText?.[0]?.key).toBe('malformed.totalLengthPastFrame');
    }
    // Given and longer: the capture cut it.
    expect(decodeFrame(data, 1, frame().length).layers.at(-1)!.malformedText?.[0]?.key).toBe('malformed.truncated');
  });

  it('shorter than what was captured is said first, before the first layer’s own reason', () => {
    const p = decodeFrame(frame(), 1, 0);
    expect(p.layers[0]!.malformedText).toEqual([{ key: 'malformed.caplenOverLen', args: { caplen: frame().length, len: 0 } }]);
    const bad = frame().slice(0, 10);
    const both = decodeFrame(bad, 1, 4);
    expect(both.layers[0]!.malformedText?.map((r) => r.key)).toEqual(['malformed.caplenOverLen', 'malformed.frameEnds']);
    expect(both.layers[0]!.malformed).toBe(
      'the captured length (10) is greater than the length on the wire (4); the frame ends too early: an Ethernet header needs 14 bytes but only 10 are there',
    );
    expect(both.summary.info).toBe('ethernet [malformed ethernet]');
    // Equal: nothing to say.
    expect(decodeFrame(frame(), 1, frame().length).layers[0]!.malformed).toBeUndefined();
  });
});

describe('a protocol that goes wrong', () => {
  const added: (() => void)[] = [];
  afterEach(() => added.splice(0).forEach((undo) => undo()));

  function withLinkType(linktype: number, protocol: Protocol): void {
    linkTypes.set(linktype, () => protocol);
    added.push(() => linkTypes.delete(linktype));
  }

  it('throwing: the frame is shown whole as not decoded, with the error’s message', () => {
    withLinkType(9001, { def: unknownDef, decode: () => { throw new Error('kaput'); } });
    const p = decodeFrame(new Uint8Array([1, 2, 3]), 9001);
    expect(p.summary).toEqual({ payloadLength: 0, info: 'Undecodable frame' });
    expect(p.layers).toHaveLength(1);
    expect(p.layers[0]).toMatchObject({ name: 'unknown', osi: 'link', offset: 0, length: 3 });
    expect(p.layers[0]!.fields[0]!.text).toEqual({ key: 'value.undecoded', args: { n: 3, note: { key: 'note.notDecoded' } } });
    expect(p.layers[0]!.malformedText).toEqual([{ key: 'malformed.decoderFailed', args: { message: 'kaput' } }]);
    withLinkType(9002, { def: unknownDef, decode: () => { throw 'not an Error'; } });
    expect(decodeFrame(new Uint8Array([1]), 9002).layers[0]!.malformedText).toEqual([
      { key: 'malformed.decoderFailed', args: { message: 'not an Error' } },
    ]);
  });

  it('leading to itself forever: the walk stops after 12 layers', () => {
    const loop: Protocol = {
      def: unknownDef,
      decode: (_ctx, offset, end) => ({
        layer: { name: 'unknown', osi: 'link', offset, length: 1, fields: [] },
        next: { table: 'etherType', value: 0x9999, offset: offset + 1, end },
      }),
    };
    withLinkType(9003, loop);
    etherTypes.set(0x9999, loop);
    added.push(() => etherTypes.delete(0x9999));
    const p = decodeFrame(new Uint8Array(64), 9003);
    expect(p.layers).toHaveLength(12);
    expect(p.layers.at(-1)!.offset).toBe(11);
  });
});
