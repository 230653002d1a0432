import { describe, expect, it } from 'vitest';
import { formatTrace } from './format.js';
import { TRACE_FORMAT, TRACE_VERSION, type Trace, type TraceEvent } from '../contract/trace.js';
import { tcpWire } from '../contract/test-wire.js';

const wire = tcpWire;

function trace(events: TraceEvent[]): Trace {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id: 'x',
    title: 'IPv6 handshake',
    experiment: 'handshake',
    params: {},
    startedAt: '2026-01-01T00:00:00.000Z',
    startedAtUs: 0,
    durationUs: 0,
    env: { kernel: 'k', platform: 'linux', node: 'v20', capture: { available: true, method: 'netns' }, snaplen: 262144 },
    lanes: [{ id: 'a', transport: 'tcp', client: '[::1]:5000', server: '[::1]:80' }],
    events,
    counters: { packets: events.length, truncated: 0 },
    outcome: { ok: true },
  };
}

describe('formatTrace', () => {
  it('writes IPv6 endpoints in brackets and numbers from each side’s ISN', () => {
    const text = formatTrace(
      trace([
        wire(0, '::1', 5000, '::1', 80, ['SYN'], 4_000_000_000),
        wire(1, '::1', 80, '::1', 5000, ['SYN', 'ACK'], 77, 4_000_000_001),
        wire(2, '::1', 5000, '::1', 80, ['ACK'], 4_000_000_001, 78),
      ]),
    );
    const lines = text.split('\n').filter((l) => l.includes('wire'));
    expect(lines[0]).toContain('#1 [::1]:5000 → [::1]:80 [SYN] seq=0 len=0');
    expect(lines[1]).toContain('#2 [::1]:80 → [::1]:5000 [ACK, SYN] seq=0 ack=1 len=0');
    expect(lines[2]).toContain('seq=1 ack=1');
  });

  it('prints the window scaled as the handshake agreed', () => {
    const windowed = (e: TraceEvent, window: number, wscale?: number): TraceEvent => {
      if (e.kind === 'wire') Object.assign(e.decoded.summary, { window, ...(wscale !== undefined ? { tcpOptions: { sackPerm: false, wscale } } : {}) });
      return e;
    };
    const text = formatTrace(
      trace([
        windowed(wire(0, '::1', 5000, '::1', 80, ['SYN'], 4_000_000_000), 65476, 10),
        windowed(wire(1, '::1', 80, '::1', 5000, ['SYN', 'ACK'], 77, 4_000_000_001), 65464, 10),
        windowed(wire(2, '::1', 5000, '::1', 80, ['ACK'], 4_000_000_001, 78), 64),
      ]),
    );
    const lines = text.split('\n').filter((l) => l.includes('wire'));
    expect(lines[0]).toContain('seq=0 win=65476 len=0');
    expect(lines[2]).toContain('seq=1 ack=1 win=65536 (scaled: 64×1024) len=0');
  });

  it('names calls in the programs\' language: Python shutdown(SHUT_WR) and sendall(), Node.js end() and write()', () => {
    const events: TraceEvent[] = [
      { seq: 0, t: 0, kind: 'app', actor: 'client', op: 'write', data: 'aGk=', size: 2 },
      { seq: 1, t: 1, kind: 'socket', actor: 'client', op: 'end' },
      { seq: 2, t: 2, kind: 'app', actor: 'client', op: 'read', data: '', size: 0 },
      { seq: 3, t: 3, kind: 'socket', actor: 'client', op: 'connected' },
    ];
    const program = (lang: 'python' | 'node') => ({ actor: 'client', name: lang === 'python' ? 'client.py' : 'client.js', lang, source: '', edited: false });
    const python = formatTrace({ ...trace(events), programs: [program('python')] });
    expect(python).toMatch(/app +client sendall\(\) 2 bytes "hi"/);
    expect(python).toMatch(/sock +client shutdown\(SHUT_WR\)/);
    expect(python).toMatch(/app +client recv\(\) → b'' 0 bytes/);
    expect(python).toMatch(/sock +client connected/);
    const node = formatTrace({ ...trace(events), programs: [program('node')] });
    expect(node).toMatch(/app +client write\(\) 2 bytes "hi"/);
    expect(node).toMatch(/sock +client end\(\)/);
    expect(node).toMatch(/app +client 'end' 0 bytes/);
  });
});
