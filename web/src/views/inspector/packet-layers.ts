/**
 * A packet's whole field tree, for the inspector: the one it came with, or, for a live run's
 * packet sent without it (`decoded.deferred`), the server's decoding of its bytes, asked for
 * once and kept for the packets seen last. DOM-free; `packet-layers.svelte.ts` makes it reactive.
 */
import type { DecodeBody } from '../../../../server/contract/api.ts';
import type { DecodedPacket, Layer, WireEvent } from '../../lib/trace-types.ts';

export type LayersState = { layers: readonly Layer[] } | { loading: true } | { error: string };

/** Packets whose trees are kept: a live run's, around the one shown. */
export const KEEP_TREES = 500;

export class PacketLayersCache {
  #done = new Map<string, LayersState>();

  constructor(
    private readonly decode: (body: DecodeBody) => Promise<DecodedPacket>,
    /** Called when an answer (or a failure) arrives. */
    private readonly settled: () => void,
    /** A failure in words. */
    private readonly describe: (err: unknown) => string,
  ) {}

  of(e: WireEvent): LayersState {
    if (!e.decoded.deferred) return { layers: e.decoded.layers };
    const key = `${e.linktype}/${e.len}/${e.data}`;
    const known = this.#done.get(key);
    if (known) return known;
    if (this.#done.size >= KEEP_TREES) this.#done.clear();
    const loading: LayersState = { loading: true };
    this.#done.set(key, loading);
    this.decode({ data: e.data, linktype: e.linktype, len: e.len, loopback: true }).then(
      (decoded) => this.#settle(key, { layers: decoded.layers }),
      (err: unknown) => this.#settle(key, { error: this.describe(err) }),
    );
    return loading;
  }

  #settle(key: string, state: LayersState): void {
    this.#done.set(key, state);
    this.settled();
  }
}
