/**
 * `handshake`: one TCP connection on loopback, opened, used once each way, and closed — or a
 * connection attempt to a port nothing listens on. Shows the three-way handshake, how
 * sequence and acknowledgement numbers advance with data, and the teardown (FIN or RST).
 */
import { defineExperiment } from '../../lab/experiment.js';
import { HANDSHAKE_FACTS, HANDSHAKE_MARKS, handshakeFacts } from './facts.js';
import { appliesWhen, HandshakeParams, presets } from './params.js';
import { texts } from './texts.js';

export default defineExperiment({
  id: 'handshake',
  params: HandshakeParams,
  presets,
  appliesWhen,
  texts,
  views: [{ kind: 'ladder' }, { kind: 'timeline', lanes: 'programs' }],
  facts: { names: HANDSHAKE_FACTS, marks: HANDSHAKE_MARKS, compute: handshakeFacts },
  timeLimitMs: 10_000,
  programs: { python: ['server.py', 'client.py'], node: ['server.js', 'client.js'] },
});

