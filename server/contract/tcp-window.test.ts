import { describe, expect, it } from 'vitest';
import { relativeNumbersByEvent, summaryLine } from './relative-seq.js';
import { scaledWindows, windowText, wscaleOf } from './tcp-window.js';
import { tcpWire } from './test-wire.js';
import type { Lane, TraceEvent } from './trace.js';

describe('scaledWindows', () => {
  const handshake = [
    { from: 'client', flags: ['SYN'], window: 65495, wscale: 10 },
    { from: 'server', flags: ['SYN', 'ACK'], window: 65483, wscale: 7 },
    { from: 'client', flags: ['ACK'], window: 64 },
    { from: 'server', flags: ['ACK'], window: 512 },
  ] as const;

  it('leaves the SYNs as sent and scales each side by the shift it announced', () => {
    expect(scaledWindows(handshake)).toEqual([
      { field: 65495, bytes: 65495, shift: 0 },
      { field: 65483, bytes: 65483, shift: 0 },
      { field: 64, bytes: 65536, shift: 10 },
      { field: 512, bytes: 65536, shift: 7 },
    ]);
  });

  it('scales nothing when one SYN went without the option, and treats a shift above 14 as 14', () => {
    const noOption = scaledWindows([handshake[0], { from: 'server', flags: ['SYN', 'ACK'], window: 100 }, handshake[2]]);
    expect(noOption[2]).toEqual({ field: 64, bytes: 64, shift: 0 });
    const huge = scaledWindows([{ ...handshake[0], wscale: 20 }, handshake[1], handshake[2]]);
    expect(huge[2]).toEqual({ field: 64, bytes: 64 * 2 ** 14, shift: 14 });
  });

  it('does not know the scale when a SYN was not captured', () => {
    expect(scaledWindows([handshake[2], handshake[3]])).toEqual([
      { field: 64, bytes: 64, shift: null },
      { field: 512, bytes: 512, shift: null },
    ]);
    expect(scaledWindows([{ from: 'client', flags: ['ACK'] }])).toEqual([null]);
  });

  it('reads the shift from the option values, or from the text older recordings kept', () => {
    expect(wscaleOf({ tcpOptions: { wscale: 7 } })).toBe(7);
    expect(wscaleOf({ options: { wscale: '10 (×1024)' } })).toBe(10);
    expect(wscaleOf({ options: { mss: '65495' } })).toBeUndefined();
  });

  it('says in the text whether the window is scaled', () => {
    expect(windowText({ field: 64, bytes: 65536, shift: 10 })).toBe('65536 (scaled: 64×1024)');
    expect(windowText({ field: 65535, bytes: 65535, shift: 0 })).toBe('65535');
    expect(windowText({ field: 64, bytes: 64, shift: null })).toBe('64 (scale unknown)');
  });
});

describe('the summary line with the connection\'s numbers', () => {
  const lanes: Lane[] = [{ id: 'a', transport: 'tcp', client: '127.0.0.1:5000', server: '127.0.0.1:80' }];
  const withWindow = (e: TraceEvent, window: number, wscale?: number, info = ''): TraceEvent => {
    if (e.kind !== 'wire') return e;
    const s = e.decoded.summary;
    Object.assign(s, { window, info, ...(wscale !== undefined ? { tcpOptions: { sackPerm: false, wscale } } : {}) });
    return e;
  };
  const events = [
    withWindow(tcpWire(0, '127.0.0.1', 5000, '127.0.0.1', 80, ['SYN'], 1000), 65495, 10),
    withWindow(tcpWire(1, '127.0.0.1', 80, '127.0.0.1', 5000, ['SYN', 'ACK'], 9000, 1001), 65483, 10),
    withWindow(tcpWire(2, '127.0.0.1', 5000, '127.0.0.1', 80, ['ACK'], 1001, 9001), 64, undefined, '5000 → 80 [ACK] Seq=1001 Ack=9001 Win=64 Len=0'),
  ];

  it('is relative unless absolute, and its window is scaled either way', () => {
    const rel = relativeNumbersByEvent(lanes, events);
    expect(rel.get(2)?.window).toEqual({ field: 64, bytes: 65536, shift: 10 });
    const info = (events[2] as Extract<TraceEvent, { kind: 'wire' }>).decoded.summary.info;
    expect(summaryLine(info, rel.get(2))).toBe('5000 → 80 [ACK] Seq=1 Ack=1 Win=65536 (scaled: 64×1024) Len=0');
    expect(summaryLine(info, rel.get(2), true)).toBe('5000 → 80 [ACK] Seq=1001 Ack=9001 Win=65536 (scaled: 64×1024) Len=0');
    expect(summaryLine(info, null)).toBe(info);
  });
});

describe('a window of a run, numbered from the whole run\'s base', () => {
  it('scales and counts from the handshake it does not hold', () => {
    const lanes: Lane[] = [{ id: 'a', transport: 'tcp', client: '127.0.0.1:5000', server: '127.0.0.1:80' }];
    const later = tcpWire(0, '127.0.0.1', 5000, '127.0.0.1', 80, ['ACK'], 1501, 9001);
    if (later.kind === 'wire') later.decoded.summary.window = 64;
    const base = { 'lane|a': { isn: { client: 1000, server: 9000 }, wscale: { client: 10, server: 7 } } };
    expect(relativeNumbersByEvent(lanes, [later], base).get(0)).toEqual({ seq: 501, ack: 1, window: { field: 64, bytes: 65536, shift: 10 } });
    expect(relativeNumbersByEvent(lanes, [later]).get(0)).toEqual({ seq: 0, ack: 9001, window: { field: 64, bytes: 64, shift: null } });
  });
});
