/**
 * Reading TCP packets out of a trace for the facts: which events are TCP packets, the time
 * between two of them, and the options of a SYN — from the decoder's summary, or from the bytes
 * for a recording made before the summary held them.
 */
import { describe, expect, it } from 'vitest';
import type { Trace, TraceEvent, WireEvent } from '../contract/trace.js';
import { decodeFrame } from '../decode/index.js';
import { concat, ethernet, ipv4, udp } from '../decode/fixtures/craft.js';
import { microsBetween, readTcpOptions, tcpPackets } from './tcp-packets.js';

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];

/** A SYN from 127.0.0.1:50000 to :8080 with these option bytes (padded to 4), then `payload`. */
function synFrame(options: number[], payload: number[] = []): Uint8Array {
  const padded = [...options, ...new Array((4 - (options.length % 4)) % 4).fill(1)];
  return ethernet(0x0800, ipv4(6, concat([...u16(50000), ...u16(8080), 0, 0, 0, 1, 0, 0, 0, 0, (5 + padded.length / 4) << 4, 0x02, 0xff, 0xff, 0, 0, 0, 0], padded, payload)));
}

function wire(seq: number, data: Uint8Array, extra: Partial<WireEvent> = {}): WireEvent {
  return { kind: 'wire', seq, t: seq * 10, frame: seq + 1, caplen: data.length, len: data.length, linktype: 1, data: Buffer.from(data).toString('base64'), decoded: decodeFrame(data, 1), ...extra };
}

const traceOf = (events: TraceEvent[]) => ({ events }) as unknown as Trace;

describe('tcpPackets', () => {
  it('keeps the TCP packets with both ends, in order, with upper-case flags and their endpoints', () => {
    const syn = wire(1, synFrame([2, 4, 0x05, 0xb4]));
    const lower = wire(3, synFrame([]));
    lower.decoded.summary.flags = ['syn', 'ack'];
    const noPorts = wire(4, synFrame([]));
    delete noPorts.decoded.summary.dport;
    const noAddress = wire(5, synFrame([]));
    delete noAddress.decoded.summary.src;
    const noDestination = wire(6, synFrame([]));
    delete noDestination.decoded.summary.dst;
    const noSourcePort = wire(7, synFrame([]));
    delete noSourcePort.decoded.summary.sport;
    const events: TraceEvent[] = [
      { kind: 'note', seq: 0, t: 0, key: 'x' },
      syn,
      wire(2, ethernet(0x0800, ipv4(17, udp([1, 2])))),
      lower,
      noPorts,
      noAddress,
      noDestination,
      noSourcePort,
    ];
    const packets = tcpPackets(traceOf(events));
    expect(packets.map((p) => p.eventSeq)).toEqual([1, 3]);
    expect(packets[0]).toMatchObject({ from: '127.0.0.1:50000', to: '127.0.0.1:8080', t: 10, event: syn });
    expect([...packets[1]!.flags]).toEqual(['SYN', 'ACK']);
  });

  it('gives a packet whose summary names no flags an empty set of flags', () => {
    const bare = wire(0, synFrame([]));
    delete bare.decoded.summary.flags;
    expect([...tcpPackets(traceOf([bare]))[0]!.flags]).toEqual([]);
  });
});

describe('microsBetween', () => {
  const at = (t: number, tsNs?: string) => ({ t, ...(tsNs === undefined ? {} : { tsNs }) }) as Parameters<typeof microsBetween>[0];
  it('uses the capture timestamps when both packets have them, to a tenth of a microsecond', () => {
    expect(microsBetween(at(0, '1700000000000000000'), at(999, '1700000000000012345'))).toBe(12.3);
    expect(microsBetween(at(0, '1700000000000012345'), at(999, '1700000000000000000'))).toBe(-12.3);
  });
  it('falls back to the trace clock when either has none', () => {
    expect(microsBetween(at(10, '5'), at(25.26))).toBe(15.3);
    expect(microsBetween(at(10), at(25.24, '5'))).toBe(15.2);
    expect(microsBetween(at(10, 'not a number'), at(12, '7'))).toBe(2);
  });
  it('falls back to the trace clock when a timestamp is not all decimal digits', () => {
    for (const bad of ['1x', 'x1', '', '1 2', '-5']) {
      expect(microsBetween(at(10, bad), at(12, '7')), bad).toBe(2);
      expect(microsBetween(at(10, '7'), at(12, bad)), bad).toBe(2);
    }
  });
});

describe('readTcpOptions', () => {
  const options = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
  it('reads the options from the summary', () => {
    expect(readTcpOptions(wire(0, synFrame(options)))).toStrictEqual({ mss: 1460, sackPerm: true, timestamps: true, wscale: 7 });
    expect(readTcpOptions(wire(0, synFrame([2, 4, 0x05, 0xb4])))).toStrictEqual({ mss: 1460, sackPerm: false, timestamps: false });
  });

  it('reads them from the bytes for a recording made before the summary held them', () => {
    const old = wire(0, synFrame(options));
    delete old.decoded.summary.tcpOptions;
    expect(readTcpOptions(old)).toStrictEqual({ mss: 1460, sackPerm: true, timestamps: true, wscale: 7 });
    const bare = wire(0, synFrame([]));
    delete bare.decoded.summary.tcpOptions;
    expect(readTcpOptions(bare)).toStrictEqual({ sackPerm: false, timestamps: false });
  });

  it('quotes only the options the packet has: no MSS key without an MSS option', () => {
    const noMss = [4, 2, 1, 3, 3, 7];
    expect(readTcpOptions(wire(0, synFrame(noMss)))).toStrictEqual({ sackPerm: true, timestamps: false, wscale: 7 });
    const old = wire(0, synFrame(noMss));
    delete old.decoded.summary.tcpOptions;
    expect(readTcpOptions(old)).toStrictEqual({ sackPerm: true, timestamps: false, wscale: 7 });
  });

  it('needs no bytes when the summary holds the options, or when the header has no room for any', () => {
    const summarised = wire(0, synFrame(options), { data: '%%%not base64%%%' });
    expect(readTcpOptions(summarised)).toStrictEqual({ mss: 1460, sackPerm: true, timestamps: true, wscale: 7 });
    const bare = wire(0, synFrame([]), { data: '%%%not base64%%%' });
    delete bare.decoded.summary.tcpOptions;
    expect(readTcpOptions(bare)).toStrictEqual({ sackPerm: false, timestamps: false });
  });

  it('reads the bytes up to the end of the TCP header only: the segment\'s data is not options', () => {
    // An MSS option, then data that would read as window scale 7.
    const withData = wire(0, synFrame([2, 4, 0x05, 0xb4], [3, 3, 7, 0]));
    delete withData.decoded.summary.tcpOptions;
    expect(readTcpOptions(withData)).toStrictEqual({ mss: 1460, sackPerm: false, timestamps: false });
  });

  it('says undefined without a TCP layer, or when the bytes cannot be read', () => {
    expect(readTcpOptions(wire(0, ethernet(0x0800, ipv4(17, udp([1])))))).toBeUndefined();
    const broken = wire(0, synFrame(options), { data: '%%%not base64%%%' });
    delete broken.decoded.summary.tcpOptions;
    expect(readTcpOptions(broken)).toBeUndefined();
  });
});
