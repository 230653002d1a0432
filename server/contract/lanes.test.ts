import { describe, expect, it } from 'vitest';
import { flowKey, LaneIndex, laneForPacket, laneOfPacket, packetEnds, packetSide, sideOf } from './lanes.js';
import type { Lane, PacketSummary } from './trace.js';

const tcp4: Lane = { id: 'tcp-1', transport: 'tcp', client: '127.0.0.1:40000', server: '127.0.0.1:8080' };
const tcp6: Lane = { id: 'tcp-2', transport: 'tcp', client: '[::1]:40001', server: '[::1]:8080' };
const udp: Lane = { id: 'udp-1', transport: 'udp', client: '127.0.0.1:5000', server: '127.0.0.1:53' };

function packet(proto: PacketSummary['proto'], src: string, sport: number | undefined, dst: string, dport: number | undefined): PacketSummary {
  return { proto, src, dst, sport, dport, payloadLength: 0, info: '' };
}

describe('lane of a packet', () => {
  it('finds the lane and the sending end by both endpoints, however the address is written', () => {
    expect(packetSide(tcp4, packet('tcp', '127.0.0.1', 40000, '127.0.0.1', 8080))).toBe('client');
    expect(packetSide(tcp4, packet('tcp', '127.0.0.1', 8080, '127.0.0.1', 40000))).toBe('server');
    expect(packetSide(tcp6, packet('tcp', '0:0:0:0:0:0:0:1', 8080, '::1', 40001))).toBe('server');
    expect(packetSide(tcp4, packet('tcp', '::ffff:127.0.0.1', 40000, '127.0.0.1', 8080))).toBe('client');
  });

  it('needs the same transport and both ports', () => {
    expect(packetSide(tcp4, packet('udp', '127.0.0.1', 40000, '127.0.0.1', 8080))).toBeNull();
    expect(packetSide(tcp4, packet('tcp', '127.0.0.1', 40000, '127.0.0.1', 8081))).toBeNull();
    expect(packetSide(tcp4, packet('other', '127.0.0.1', undefined, '127.0.0.1', undefined))).toBeNull();
    expect(packetEnds(packet('other', '127.0.0.1', undefined, '127.0.0.1', undefined))).toBeNull();
  });

  it('looks up many packets through an index, with the same answers as the plain search', () => {
    const lanes = [tcp4, tcp6, udp];
    const index = new LaneIndex(lanes);
    const packets = [
      packet('tcp', '127.0.0.1', 40000, '127.0.0.1', 8080),
      packet('tcp', '::1', 8080, '::1', 40001),
      packet('udp', '127.0.0.1', 53, '127.0.0.1', 5000),
      packet('udp', '127.0.0.1', 53, '127.0.0.1', 5001),
      packet('other', '127.0.0.1', undefined, '127.0.0.1', undefined),
    ];
    const found = packets.map((p) => index.ofPacket(p));
    expect(found.map((f) => f && [f.lane.id, f.from])).toEqual([
      ['tcp-1', 'client'],
      ['tcp-2', 'server'],
      ['udp-1', 'server'],
      null,
      null,
    ]);
    expect(packets.map((p) => laneOfPacket(lanes, p))).toEqual(found);
    expect(index.between('tcp', '127.0.0.1:8080', '127.0.0.1:40000')).toBe(tcp4);
    expect(index.between('udp', '127.0.0.1:8080', '127.0.0.1:40000')).toBeUndefined();
  });

  it('keys a flow the same both ways round', () => {
    expect(flowKey('tcp', '[::1]:1', '[::1]:2')).toBe(flowKey('tcp', '[0:0:0:0:0:0:0:1]:2', '[::1]:1'));
    expect(flowKey('tcp', '127.0.0.1:1', '127.0.0.1:2')).not.toBe(flowKey('udp', '127.0.0.1:1', '127.0.0.1:2'));
    expect(sideOf(udp, 'udp', '127.0.0.1:5000', '127.0.0.1:53')).toBe('client');
  });

  it('makes a new lane whose client is the end that opened it', () => {
    const synAck = { ...packet('tcp', '127.0.0.1', 8080, '127.0.0.1', 40000), flags: ['SYN', 'ACK'] };
    expect(laneForPacket('tcp-9', synAck)).toEqual({ id: 'tcp-9', transport: 'tcp', client: '127.0.0.1:40000', server: '127.0.0.1:8080' });
    expect(laneForPacket('udp-9', packet('udp', '::1', 5, '::1', 6))).toMatchObject({ client: '[::1]:5', server: '[::1]:6' });
    expect(laneForPacket('x', packet('other', '127.0.0.1', undefined, '127.0.0.1', undefined))).toBeNull();
  });

  it('puts a packet missing an address or a port, or of another protocol, on no lane', () => {
    const index = new LaneIndex([tcp4]);
    const missing = [
      packet('tcp', '127.0.0.1', 40000, '127.0.0.1', undefined),
      packet('tcp', '127.0.0.1', undefined, '127.0.0.1', 8080),
      packet('tcp', '', 40000, '127.0.0.1', 8080),
      packet('tcp', '127.0.0.1', 40000, '', 8080),
      packet('other', '127.0.0.1', 40000, '127.0.0.1', 8080),
    ];
    for (const p of missing) {
      expect(packetEnds(p)).toBeNull();
      expect(index.ofPacket(p)).toBeNull();
      expect(laneForPacket('x', p)).toBeNull();
    }
    expect(packetEnds(packet('udp', '::1', 5, '::1', 6))).toEqual({ transport: 'udp', src: '[::1]:5', dst: '[::1]:6' });
  });

  it('says no side for a packet between one end of the lane and a third endpoint', () => {
    expect(sideOf(tcp4, 'tcp', '127.0.0.1:40000', '127.0.0.1:9999')).toBeNull();
    expect(sideOf(tcp4, 'tcp', '127.0.0.1:8080', '127.0.0.1:9999')).toBeNull();
    expect(sideOf(tcp4, 'tcp', '127.0.0.1:9999', '127.0.0.1:8080')).toBeNull();
    expect(flowKey('tcp', '127.0.0.1:1', '127.0.0.1:2')).not.toBe(flowKey('tcp', '127.0.0.1:1', '127.0.0.1:3'));
  });

  it('keeps the first lane added between two endpoints, in both directions', () => {
    const again: Lane = { ...tcp4, id: 'tcp-again' };
    const reversed: Lane = { id: 'tcp-rev', transport: 'tcp', client: tcp4.server, server: tcp4.client };
    const index = new LaneIndex([tcp4, again, reversed]);
    expect(index.ofPacket(packet('tcp', '127.0.0.1', 40000, '127.0.0.1', 8080))).toEqual({ lane: tcp4, from: 'client' });
    expect(index.ofPacket(packet('tcp', '127.0.0.1', 8080, '127.0.0.1', 40000))).toEqual({ lane: tcp4, from: 'server' });
  });

  it('makes the sender the client of a new lane for any TCP packet but a SYN,ACK', () => {
    const ack = { ...packet('tcp', '127.0.0.1', 8080, '127.0.0.1', 40000), flags: ['ACK'] };
    expect(laneForPacket('a', ack)).toMatchObject({ client: '127.0.0.1:8080', server: '127.0.0.1:40000' });
    const syn = { ...packet('tcp', '127.0.0.1', 40000, '127.0.0.1', 8080), flags: ['SYN'] };
    expect(laneForPacket('b', syn)).toMatchObject({ client: '127.0.0.1:40000' });
    expect(laneForPacket('c', packet('tcp', '127.0.0.1', 8080, '127.0.0.1', 40000))).toMatchObject({ client: '127.0.0.1:8080' });
  });
});
