/**
 * Test support: a trace built from one of the decoder's real loopback captures
 * (server/decode/fixtures), decoded by the real decoder. Node only.
 */
import { Buffer } from 'node:buffer';
import { decodeFrame } from '../../../server/decode/index.ts';
import { loadFixture } from '../../../server/decode/fixtures/load.ts';
import type { Lane, Trace, WireEvent } from '../lib/trace-types.ts';

function endpoint(ip: string | undefined, port: number | undefined): string {
  return ip?.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function fixtureTrace(name: string): Pick<Trace, 'lanes' | 'events'> {
  const records = loadFixture(name);
  const t0 = records[0]?.tsNs ?? 0n;
  const events: WireEvent[] = records.map((r, i) => ({
    seq: i,
    t: Number(r.tsNs - t0) / 1000,
    kind: 'wire',
    frame: i + 1,
    tsNs: r.tsNs.toString(),
    caplen: r.caplen,
    len: r.len,
    linktype: r.linktype ?? 1,
    data: Buffer.from(r.data).toString('base64'),
    decoded: decodeFrame(r.data, r.linktype ?? 1, r.len),
  }));
  const first = events[0]?.decoded.summary;
  const lanes: Lane[] = first
    ? [
        {
          id: 'L1',
          transport: first.proto === 'udp' ? 'udp' : 'tcp',
          client: endpoint(first.src, first.sport),
          server: endpoint(first.dst, first.dport),
          clientActor: 'client',
          serverActor: 'server',
        },
      ]
    : [];
  return { lanes, events };
}
