/**
 * `sticky`: a client writes messages on one TCP connection and a server reads them. Shows that
 * a byte stream keeps no message boundaries — writes merged on the sending side (Nagle, cork,
 * one write), several messages in one read, one message split across reads — and how framing
 * (a length prefix, a delimiter, a fixed size) lets the receiver rebuild the messages.
 */
import { defineExperiment } from '../../lab/experiment.js';
import { stickyPacketComments } from './comments.js';
import { STICKY_FACTS, STICKY_MARKS, stickyFacts, stickySummary } from './facts.js';
import { StickyParams, presets, stickyLimits } from './params.js';
import { texts } from './texts.js';

export default defineExperiment({
  id: 'sticky',
  params: StickyParams,
  presets,
  limits: stickyLimits,
  texts,
  views: [{ kind: 'stream' }, { kind: 'timeline', lanes: 'programs' }, { kind: 'ladder' }],
  facts: { names: STICKY_FACTS, marks: STICKY_MARKS, compute: stickyFacts, summary: stickySummary, packetComments: stickyPacketComments },
  timeLimitMs: 30_000,
  programs: { python: ['server.py', 'client.py'], node: ['server.js', 'client.js'] },
});
