import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { DecodedPacket } from '../contract/trace.js';
import { FIXTURES, loadFixture, seededRandom } from './fixtures/load.js';
import { decodeFrame } from './index.js';
import { MUTATION_RUN } from '../setup/mutation-run.js';
import { layerOf as layer } from './fixtures/find.js';

const [syn, , , hello] = loadFixture('handshake-ipv4');
const [udpPing] = loadFixture('udp-ipv4');
const [udp6Ping] = loadFixture('udp-ipv6');

function decodeChecked(data: Uint8Array, linktype = 1, len?: number): DecodedPacket {
  const packet = decodeFrame(data, linktype, len);
  expect(Value.Check(DecodedPacket, packet)).toBe(true);
  for (const layer of packet.layers) {
    if (layer.malformed !== undefined) expect(layer.malformed.length).toBeGreaterThan(10);
    for (const f of layer.fields.flatMap((x) => [x, ...(x.children ?? [])])) {
      expect(f.offset + f.length).toBeLessThanOrEqual(Math.max(data.length, f.offset));
    }
  }
  return packet;
}


function changed(data: Uint8Array, edits: Record<number, number>): Uint8Array {
  const copy = data.slice();
  for (const [at, value] of Object.entries(edits)) copy[Number(at)] = value;
  return copy;
}

describe('decodeFrame on malformed input', () => {
  it('reports an empty frame', () => {
    const p = decodeChecked(new Uint8Array(0));
    expect(p.layers[0]!.malformed).toMatch(/empty frame/);
    expect(p.summary).toEqual({ payloadLength: 0, info: 'Empty frame' });
  });

  it('stops at an IPv4 header length below 5 or a wrong version', () => {
    const ihl = decodeChecked(changed(syn!.data, { 14: 0x44 }));
    expect(layer(ihl, 'ipv4').malformed).toBe('the header length (IHL) is 4 (16 bytes), less than the minimum of 5 (20 bytes)');
    expect(ihl.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv4']);
    expect(ihl.summary.info).toMatch(/\[malformed ipv4\]$/);
    expect(layer(decodeChecked(changed(syn!.data, { 14: 0x55 })), 'ipv4').malformed).toBe('the version field is 5, not 4');
  });

  it('stops at a TCP data offset below 5 but keeps the fields it read', () => {
    const p = decodeChecked(changed(syn!.data, { 46: 0x40 }));
    expect(layer(p, 'tcp').malformed).toBe('the data offset is 4 (16 bytes), less than the minimum of 5 (20 bytes)');
    expect(p.summary.seq).toBe(decodeFrame(syn!.data, 1).summary.seq);
    const tooLong = decodeChecked(changed(syn!.data, { 46: 0xf0 }));
    expect(layer(tooLong, 'tcp').malformed).toBe('the data offset says the header is 60 bytes, but the segment is only 40 bytes');
  });

  it('marks TCP option lengths that are too small, run past the header, or do not fit the kind', () => {
    // The SYN's first option is MSS (kind 2) at byte 54; its length byte is at 55.
    const past = decodeChecked(changed(syn!.data, { 55: 40 }));
    expect(layer(past, 'tcp').malformed).toBe('option kind 2 at byte 54 has length 40, which runs past the end of the TCP header');
    const small = decodeChecked(changed(syn!.data, { 55: 1 }));
    expect(layer(small, 'tcp').malformed).toBe('option kind 2 at byte 54 has length 1, less than the minimum of 2');
    const wrong = decodeChecked(changed(syn!.data, { 55: 3 }));
    expect(layer(wrong, 'tcp').malformed).toBe('the MSS option at byte 54 has length 3; it should be 4');
    // The rest of the packet still decodes.
    expect(wrong.summary.flags).toEqual(['SYN']);
  });

  it('reports caplen greater than len on the first layer', () => {
    const p = decodeChecked(syn!.data, 1, syn!.data.length - 10);
    expect(p.layers[0]!.malformed).toBe('the captured length (74) is greater than the length on the wire (64)');
    expect(p.layers[0]!.malformedText).toEqual([{ key: 'malformed.caplenOverLen', args: { caplen: 74, len: 64 } }]);
  });

  it('tells a packet cut by the snapshot length from a header that lies', () => {
    const cut = decodeChecked(syn!.data.subarray(0, 40), 1, syn!.len);
    expect(layer(cut, 'ipv4').malformed).toBeUndefined();
    expect(layer(cut, 'tcp').malformed).toMatch(/^truncated by the capture: a TCP header needs 20 bytes but only 6 were captured/);
    expect(layer(cut, 'tcp').malformedText).toEqual([
      { key: 'malformed.truncated', args: { part: { key: 'part.tcpHeader' }, need: 20, have: 6 } },
    ]);
    expect(cut.summary.info).toMatch(/\[truncated\]$/);

    const payloadCut = decodeChecked(hello!.data.subarray(0, hello!.data.length - 2), 1, hello!.len);
    expect(layer(payloadCut, 'payload').malformed).toMatch(/^truncated by the capture: the payload needs 5 bytes but only 3/);
    expect(payloadCut.summary.payloadLength).toBe(5);
    const checksum = layer(payloadCut, 'tcp').fields.find((f) => f.name === 'checksum');
    expect(checksum?.checksum).toBe('unchecked');

    const short = decodeChecked(syn!.data.subarray(0, 40));
    expect(layer(short, 'ipv4').malformed).toBe('the total length says 60 bytes, but the frame carries only 26 bytes for this packet');
    expect(layer(short, 'tcp').malformed).toBe('the segment is only 6 bytes, less than the 20-byte TCP header');

    const lie = hello!.data.slice();
    lie[17] = lie[17]! + 100; // total length, low byte
    const lying = decodeChecked(lie, 1, lie.length);
    expect(layer(lying, 'ipv4').malformed).toBe('the total length says 157 bytes, but the frame carries only 57 bytes for this packet');
    expect(layer(lying, 'payload').fields[0]!.display).toBe('hello');
  });

  it('checks the UDP length against the IP packet, and the IPv6 payload length against the frame', () => {
    // UDP length at bytes 38-39 of an IPv4 frame.
    expect(layer(decodeChecked(changed(udpPing!.data, { 38: 0, 39: 4 })), 'udp').malformed).toBe(
      'the length field is 4, less than the 8-byte header',
    );
    expect(layer(decodeChecked(changed(udpPing!.data, { 39: 40 })), 'udp').malformed).toBe(
      'the length field says 40 bytes, but the IP packet carries only 12',
    );
    // IPv6 payload length at bytes 18-19.
    const p = decodeChecked(changed(udp6Ping!.data, { 18: 1 }));
    expect(layer(p, 'ipv6').malformed).toBe('the payload length says 268 bytes, but the frame carries only 12 bytes after the IPv6 header');
  });

  it('reports an IEEE 802.3 length instead of an EtherType', () => {
    const p = decodeChecked(changed(syn!.data, { 12: 0, 13: 0x40 }));
    expect(p.layers[0]!.malformed).toMatch(/IEEE 802\.3 length/);
  });

  it.skipIf(MUTATION_RUN)('survives every prefix of every real packet, and says whether the capture or the frame is short', () => {
    for (const name of FIXTURES) {
      for (const record of loadFixture(name)) {
        for (let cut = 0; cut < record.data.length; cut++) {
          const prefix = record.data.subarray(0, cut);
          const captured = decodeChecked(prefix, 1, record.len);
          const reasons = captured.layers.flatMap((l) => (l.malformed ? [l.malformed] : []));
          expect(reasons.length).toBeGreaterThan(0);
          if (cut > 0) expect(reasons[0]).toMatch(/^truncated by the capture/);
          const alone = decodeChecked(prefix, 1);
          const aloneReasons = alone.layers.flatMap((l) => (l.malformed ? [l.malformed] : []));
          expect(aloneReasons.length).toBeGreaterThan(0);
          for (const reason of aloneReasons) expect(reason).not.toMatch(/truncated by the capture/);
        }
      }
    }
  });

  it.skipIf(MUTATION_RUN)('survives random bytes and random corruption of real packets (fixed seed)', () => {
    const random = seededRandom(20240611);
    for (let i = 0; i < 3000; i++) {
      const data = new Uint8Array(Math.floor(random() * 120));
      for (let j = 0; j < data.length; j++) data[j] = Math.floor(random() * 256);
      // Point most frames at IPv4 or IPv6 so the deeper layers get exercised too.
      if (data.length > 14 && random() < 0.8) {
        data[12] = random() < 0.5 ? 0x08 : 0x86;
        data[13] = data[12] === 0x08 ? 0x00 : 0xdd;
        data[14] = (data[12] === 0x08 ? 0x40 : 0x60) | (data[14]! & 0x0f);
      }
      decodeChecked(data, random() < 0.9 ? 1 : 101, random() < 0.5 ? undefined : Math.floor(random() * 200));
    }
    const records = FIXTURES.flatMap((name) => loadFixture(name));
    for (let i = 0; i < 3000; i++) {
      const record = records[Math.floor(random() * records.length)]!;
      const data = record.data.slice();
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) data[Math.floor(random() * Math.min(data.length, 80))] = Math.floor(random() * 256);
      decodeChecked(data, 1, record.len);
    }
  });
});
