/**
 * `auth`: is this client legitimate? A challenge-response login on loopback (HMAC-MD5,
 * HMAC-SHA256 or plain MD5 as hex text), with every intermediate value of the digest, and the
 * attacks on it run against the real server: a wrong key, a replay, length extension, and the
 * `recv(1024)` pitfall.
 */
import { defineExperiment } from '../../lab/experiment.js';
import { AUTH_FACTS, AUTH_MARKS, authFacts, authSummary } from './facts.js';
import { OWN_CLIENT_LISTEN_MS } from './own-client.js';
import { AuthParams, presets } from './params.js';
import { texts } from './texts.js';

export default defineExperiment({
  id: 'auth',
  params: AuthParams,
  presets,
  texts,
  views: [{ kind: 'notes' }, { kind: 'ladder' }, { kind: 'timeline', lanes: 'programs' }],
  facts: { names: AUTH_FACTS, marks: AUTH_MARKS, compute: authFacts, summary: authSummary },
  timeLimitMs: 15_000,
  // The server waits for a student's own client: on the host's loopback, where a terminal reaches it.
  outside: (params) => (params.attack === 'own-client' ? { timeLimitMs: OWN_CLIENT_LISTEN_MS + 10_000 } : null),
  programs: {
    python: ['server.py', 'client.py', 'hashsteps.py', 'replay.py', 'signer.py', 'forger.py'],
    node: ['server.js', 'client.js', 'hashsteps.js', 'messages.js', 'replay.js', 'signer.js', 'forger.js'],
  },
});
