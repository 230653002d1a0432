import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../server/decode/index.ts';
import { fixtureTrace } from '../test-support/fixture-trace.ts';
import type { WireEvent } from './trace-types.ts';
import { wireLayers } from './wire-layers.ts';

const packets = fixtureTrace('handshake-ipv4').events.filter((e): e is WireEvent => e.kind === 'wire');
/** A packet as the live stream sends it: no field tree. */
const deferred = (e: WireEvent): WireEvent => ({ ...e, decoded: { summary: e.decoded.summary, layers: [], deferred: true } });
const onLoopback = (e: WireEvent) => decodeFrame(Buffer.from(e.data, 'base64'), e.linktype, e.len, { loopback: true }).layers;

describe('a packet’s layers on the page', () => {
  it('derives a streamed packet’s field tree from its bytes, as the server decodes a run’s packets', () => {
    expect(packets.length).toBeGreaterThan(5);
    for (const e of packets) {
      const live = deferred(e);
      expect(wireLayers(live)).toEqual(onLoopback(e));
      expect(wireLayers(live)).toBe(wireLayers(live));
    }
    // A run's packets are captured on loopback, where checksums are left to offload: said so.
    const checksums = (layers: ReturnType<typeof wireLayers>) => JSON.stringify(layers).includes('offload');
    expect(checksums(wireLayers(deferred(packets[0]!)))).toBe(true);
  });

  it('keeps the tree a packet came with', () => {
    const e = packets[0]!;
    expect(wireLayers(e)).toBe(e.decoded.layers);
  });
});
