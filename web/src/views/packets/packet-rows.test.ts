import { describe, expect, it } from 'vitest';
import { packetAtOrBefore, packetRow, packetSteps } from './packet-rows.ts';
import { tcpWire } from '../../../../server/contract/test-wire.ts';
import type { TraceEvent, WireEvent } from '../../lib/trace-types.ts';

describe('packet rows', () => {
  const note: TraceEvent = { kind: 'note', seq: 0, t: 0, key: 'x' };
  const syn = tcpWire(1, '::1', 5000, '::1', 80, ['SYN'], 4_000_000_000) as WireEvent;
  const synack = tcpWire(2, '::1', 80, '::1', 5000, ['SYN', 'ACK'], 7, 4_000_000_001) as WireEvent;

  it('finds the packets among the steps, and the one at or before a step', () => {
    const steps = packetSteps([note, syn, note, synack]);
    expect(steps).toEqual([1, 3]);
    expect(packetAtOrBefore(steps, 0)).toBe(-1);
    expect(packetAtOrBefore(steps, 2)).toBe(0);
    expect(packetAtOrBefore(steps, 3)).toBe(1);
  });

  it('lists a TCP packet as Wireshark does, with relative or absolute numbers', () => {
    const rel = packetRow(synack, 2, 3, 100, { seq: 0, ack: 1 }, false);
    expect(rel).toMatchObject({ number: 2, step: 3, time: '0.000100', source: '[::1]:80', destination: '[::1]:5000', protocol: 'TCP' });
    expect(rel.info).toBe('80 → 5000 [SYN, ACK] Seq=0 Ack=1 Len=0');
    expect(packetRow(synack, 2, 3, 100, { seq: 0, ack: 1 }, true).info).toBe('80 → 5000 [SYN, ACK] Seq=7 Ack=4000000001 Len=0');
    expect(packetRow(syn, 1, 1, 100, { seq: 0, ack: null }, false).info).toBe('5000 → 80 [SYN] Seq=0 Len=0');
  });

  it('shows the window scaled as the handshake agreed, and says so', () => {
    const ack = tcpWire(3, '::1', 5000, '::1', 80, ['ACK'], 4_000_000_001, 8) as WireEvent;
    ack.decoded.summary.window = 64;
    const scaled = { seq: 1, ack: 1, window: { field: 64, bytes: 65_536, shift: 10 } };
    expect(packetRow(ack, 3, 4, 100, scaled, false).info).toBe('5000 → 80 [ACK] Seq=1 Ack=1 Win=65536 (scaled: 64×1024) Len=0');
    expect(packetRow(ack, 3, 4, 100, { ...scaled, window: { field: 64, bytes: 64, shift: null } }, true).info).toBe(
      '5000 → 80 [ACK] Seq=4000000001 Ack=8 Win=64 (scale unknown) Len=0',
    );
  });
});
