import { describe, expect, it } from 'vitest';
import type { DecodeBody } from '../../../../server/contract/api.ts';
import { fixtureTrace } from '../../test-support/fixture-trace.ts';
import type { DecodedPacket, WireEvent } from '../../lib/trace-types.ts';
import { KEEP_TREES, PacketLayersCache } from './packet-layers.ts';

const packets = fixtureTrace('handshake-ipv4').events.filter((e): e is WireEvent => e.kind === 'wire');
/** A packet as the live stream sends it: no field tree. */
const live = (e: WireEvent): WireEvent => ({ ...e, decoded: { summary: e.decoded.summary, layers: [], deferred: true } });

/** A server that answers with the tree of the packet whose bytes it is given. */
function server() {
  const asked: DecodeBody[] = [];
  let settled = 0;
  const cache = new PacketLayersCache(
    async (body) => {
      asked.push(body);
      const found = packets.find((p) => p.data === body.data);
      if (!found) throw Object.assign(new Error('no such packet'), { code: 'REQUEST_INVALID' });
      return found.decoded as DecodedPacket;
    },
    () => settled++,
    (err) => `failed: ${(err as Error).message}`,
  );
  return { cache, asked, settledCount: () => settled };
}

describe('a packet’s field tree on the page', () => {
  it('keeps the tree a packet came with, asking nothing', () => {
    const { cache, asked } = server();
    expect(cache.of(packets[0]!)).toEqual({ layers: packets[0]!.decoded.layers });
    expect(asked).toEqual([]);
  });

  it('asks once for a streamed packet’s tree, by its bytes, and has it when the answer comes', async () => {
    const { cache, asked, settledCount } = server();
    const e = live(packets[2]!);
    expect(cache.of(e)).toEqual({ loading: true });
    expect(cache.of(live(packets[2]!))).toEqual({ loading: true });
    expect(asked).toEqual([{ data: e.data, linktype: e.linktype, len: e.len, loopback: true }]);
    await Promise.resolve();
    await Promise.resolve();
    expect(settledCount()).toBe(1);
    expect(cache.of(e)).toEqual({ layers: packets[2]!.decoded.layers });
    expect(asked.length).toBe(1);
  });

  it('says why when the tree cannot be had, and keeps only the last packets’ trees', async () => {
    const { cache, asked } = server();
    const stranger = { ...live(packets[0]!), data: 'AAAA' };
    cache.of(stranger);
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.of(stranger)).toEqual({ error: 'failed: no such packet' });
    for (let i = 0; i < KEEP_TREES; i++) cache.of({ ...stranger, len: 1000 + i });
    const before = asked.length;
    cache.of(stranger);
    expect(asked.length).toBe(before + 1);
  });
});
