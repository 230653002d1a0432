/**
 * The Ethernet II header in words (IEEE 802.3 §3.2.6, the EtherType registry): the addresses,
 * with lo's all-zero ones said to be loopback; the type by name, an unknown type, an 802.3
 * length; and a header cut short by the capture or by the frame itself.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedPacket, Field } from '../contract/trace.js';
import { etherTypeLabel } from './ethernet.js';
import { concat, ethernet, ipv4, udp } from './fixtures/craft.js';
import { decodeFrame } from './index.js';
import { fieldOf } from './fixtures/find.js';

const ethField = (p: DecodedPacket, name: string): Field => fieldOf(p, 'ethernet', name);

const withType = (type: number): DecodedPacket => {
  const frame = ethernet(type, new Uint8Array(28));
  return decodeFrame(frame, 1, frame.length);
};

describe('Ethernet II in words', () => {
  it('names each EtherType it knows, with its hex', () => {
    expect(etherTypeLabel(0x0800)).toBe('0x0800 (IPv4)');
    expect(etherTypeLabel(0x0806)).toBe('0x0806 (ARP)');
    expect(etherTypeLabel(0x86dd)).toBe('0x86dd (IPv6)');
    expect(etherTypeLabel(0x8100)).toBe('0x8100 (802.1Q VLAN)');
    expect(etherTypeLabel(0x88cc)).toBe('0x88cc (LLDP)');
    expect(etherTypeLabel(0x9000)).toBe('0x9000');
    expect(etherTypeLabel(0x600)).toBe('0x0600');
    for (const [type, shown] of [
      [0x0806, '0x0806 (ARP)'],
      [0x8100, '0x8100 (802.1Q VLAN)'],
      [0x88cc, '0x88cc (LLDP)'],
    ] as const) {
      const p = withType(type);
      expect(ethField(p, 'type')).toMatchObject({ explain: 'ethernet.type', raw: type, display: shown, offset: 12, length: 2 });
      expect(ethField(p, 'type').text).toBeUndefined();
      // Not decoded further: said so by name, and not malformed.
      expect(p.layers.map((l) => [l.name, l.osi, l.offset, l.length])).toEqual([
        ['ethernet', 'link', 0, 14],
        ['unknown', 'network', 14, 28],
      ]);
      expect(p.layers[1]!.fields[0]!.text).toEqual({ key: 'value.undecoded', args: { n: 28, note: { key: 'note.etherType', args: { type: shown } } } });
      expect(p.layers.every((l) => l.malformed === undefined)).toBe(true);
      expect(p.summary.info).toBe(`EtherType ${shown} is not decoded`);
    }
  });

  it('says a type it does not know is unknown, and a value below 0x0600 is an 802.3 length', () => {
    const unknown = withType(0x9000);
    expect(ethField(unknown, 'type').text).toEqual({ key: 'value.unknown', args: { value: '0x9000' } });
    expect(ethField(unknown, 'type').display).toBe('0x9000 (unknown)');
    expect(unknown.layers[0]!.malformed).toBeUndefined();
    expect(unknown.summary.info).toBe('EtherType 0x9000 is not decoded');
    // 0x0600 is the first type; 0x05ff the last length.
    expect(ethField(withType(0x0600), 'type').text).toEqual({ key: 'value.unknown', args: { value: '0x0600' } });
    const length = withType(0x05ff);
    expect(ethField(length, 'type').text).toEqual({ key: 'value.etherLength', args: { value: '0x05ff' } });
    expect(ethField(length, 'type').display).toBe('0x05ff (an IEEE 802.3 length, not a type)');
    expect(length.layers).toHaveLength(1);
    expect(length.layers[0]!.malformedText).toEqual([{ key: 'malformed.ieee8023', args: { type: 0x05ff } }]);
    expect(length.summary.info).toBe('ethernet [malformed ethernet]');
  });

  it('says all-zero addresses are loopback ones and shows others as they are', () => {
    const frame = concat([0x02, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], [0x08, 0x00], ipv4(17, udp([1])));
    const p = decodeFrame(frame, 1, frame.length);
    expect(ethField(p, 'dst')).toMatchObject({ display: '02:00:00:00:00:01', raw: '020000000001', offset: 0, length: 6 });
    expect(ethField(p, 'dst').text).toBeUndefined();
    expect(ethField(p, 'src').text).toEqual({ key: 'value.loopbackMac', args: { value: '00:00:00:00:00:00' } });
    expect(ethField(p, 'src')).toMatchObject({ offset: 6, length: 6 });
    expect(ethField(p, 'src').display).toBe('00:00:00:00:00:00 (loopback: no real network card, so no real address)');
    expect(p.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv4', 'udp', 'payload']);
    expect(p.layers[1]!.offset).toBe(14);
  });

  it('says whether a short header was cut by the capture or the frame itself ends', () => {
    const whole = ethernet(0x0800, ipv4(17, udp([1, 2])));
    const cut = decodeFrame(whole.subarray(0, 10), 1, whole.length);
    expect(cut.layers).toHaveLength(1);
    expect(cut.layers[0]).toMatchObject({ name: 'ethernet', osi: 'link', offset: 0, length: 6 });
    expect(cut.layers[0]!.malformedText).toEqual([
      { key: 'malformed.truncated', args: { part: { key: 'part.ethernetHeader' }, need: 14, have: 10 } },
    ]);
    expect(cut.summary.info).toBe('ethernet [truncated]');
    const ends = decodeFrame(whole.subarray(0, 10), 1, 10);
    expect(ends.layers[0]!.malformedText).toEqual([
      { key: 'malformed.frameEnds', args: { part: { key: 'part.ethernetHeader' }, need: 14, have: 10 } },
    ]);
    expect(ends.layers[0]!.malformed).toBe('the frame ends too early: an Ethernet header needs 14 bytes but only 10 are there');
    expect(ends.summary.info).toBe('ethernet [malformed ethernet]');
    // Cut, but the frame on the wire was shorter than a header too: it really ends early.
    const both = decodeFrame(whole.subarray(0, 10), 1, 12);
    expect(both.layers[0]!.malformedText?.[0]?.key).toBe('malformed.frameEnds');
    // Exactly enough captured for the header: no reason at all.
    const header = decodeFrame(whole.subarray(0, 14), 1, whole.length);
    expect(header.layers[0]!.malformed).toBeUndefined();
  });
});
