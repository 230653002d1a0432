/** The page's one cache of packet trees (packet-layers.ts), read reactively: an answer re-renders. */
import { describeThrown } from '../../i18n/errors.ts';
import { postJson } from '../../lib/api.ts';
import type { WireEvent } from '../../lib/trace-types.ts';
import { settings } from '../../state/settings.svelte.ts';
import { PacketLayersCache, type LayersState } from './packet-layers.ts';

let version = $state(0);
const cache = new PacketLayersCache(
  (body) => postJson('/api/decode', body),
  () => version++,
  (err) => describeThrown(settings.lang, err).text,
);

export const packetLayers = {
  of(e: WireEvent): LayersState {
    void version;
    return cache.of(e);
  },
};
