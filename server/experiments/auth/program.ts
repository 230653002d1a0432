/**
 * The auth experiment's program: a challenge-response login between the programs `server` and
 * `client` (Python or Node.js, each its own process), or an attack on it: a replayed answer
 * (`replay.py`), a length-extension forgery against a signing server (`signer.py`, `forger.py`),
 * or the `recv(1024)` pitfall when the client's next message follows its answer at once.
 * The values the programs report (`socketlab.step`) are computed again here with node:crypto.
 */
import { defineProgram, type ExperimentContext, type RunningProgram } from '../../lab/experiment.js';
import type { ParamValue } from '../../contract/experiment.js';
import { checkComputation, checkForgeries, type CheckRow } from './checks.js';
import { OWN_CLIENT_CONNECTIONS, OWN_CLIENT_LISTEN_MS } from './own-client.js';
import type { AuthParams } from './params.js';

/** The port the server listens on: 9000 in the run's own namespace, else one that is free. */
const NAMESPACE_PORT = 9000;
/** How long a server may go on after its client has ended. */
const SERVER_GRACE_MS = 1500;
/**
 * In the sticky attack the server is busy this long before it reads the answer (as a server
 * serving someone else would be; the Node.js one blocks its event loop): by then the answer and
 * the client's next message both wait in its receive buffer, and one `recv(1024)` (one read of
 * Node's) takes both.
 */
const BUSY_SECONDS = 0.1;
/** What the client sends right after its answer in the sticky attack. */
const FOLLOW_UP = 'hello';

export default defineProgram<AuthParams>(async (ctx, params) => {
  const host = ctx.loopbackHost(4);
  const port = ctx.captureMethod === 'netns' ? NAMESPACE_PORT : await ctx.unusedTcpPort(host);
  await ctx.startCapture([port]);
  ctx.note('auth.start', { attack: params.attack, scheme: params.scheme, port });
  if (params.attack === 'length-extension') await lengthExtension(ctx, params, host, port);
  else if (params.attack === 'own-client') await ownClient(ctx, params, host, port);
  else await login(ctx, params, host, port);
  ctx.sampleStates();
});

/** The verifying server's settings: its key and scheme from the run; how long it stalls and how many clients it serves. */
function serverSettings(params: AuthParams, host: string, port: number, delaySeconds: number, connections: number) {
  return {
    HOST: host,
    PORT: port,
    KEY: params.serverKey,
    SCHEME: params.scheme,
    COMPARE: params.compare,
    FRAMED: params.framed,
    DELAY: delaySeconds,
    CONNECTIONS: connections,
  };
}

async function login(ctx: ExperimentContext, params: AuthParams, host: string, port: number): Promise<void> {
  const replay = params.attack === 'replay';
  const sticky = params.attack === 'recv-pitfall';
  const server = await start(ctx, 'server', 'server', serverSettings(params, host, port, sticky ? BUSY_SECONDS : 0, replay ? 2 : 1));
  if (!server) return;
  const client = await ctx.runProgram('client', {
    actor: 'client',
    settings: { HOST: host, PORT: port, KEY: params.clientKey, SCHEME: params.scheme, FRAMED: params.framed, FOLLOW_UP: sticky ? FOLLOW_UP : '' },
  });
  await client.exited;
  checked(ctx, 'auth.check', checkComputation(client.steps));
  if (replay) {
    const seen = server.steps.find((s) => s.key === 'auth.verdict');
    const oldAnswer = typeof (seen?.data as { received?: unknown })?.received === 'string' ? (seen!.data as { received: string }).received : '';
    const replayer = await ctx.runProgram('replay', {
      actor: 'eavesdropper',
      settings: { HOST: host, PORT: port, OLD_ANSWER: oldAnswer, FRAMED: params.framed },
    });
    await replayer.exited;
    const challenges = server.steps.filter((s) => s.key === 'auth.challenge').map((s) => (s.data as { challenge?: string }).challenge ?? '');
    ctx.note('auth.replay.compare', { same: challenges[0] === challenges[1] }, undefined, {
      firstChallenge: challenges[0] ?? '',
      secondChallenge: challenges[1] ?? '',
      oldAnswer,
    });
  }
  await stop(ctx, server);
}

async function lengthExtension(ctx: ExperimentContext, params: AuthParams, host: string, port: number): Promise<void> {
  const signer = await start(ctx, 'signer', 'server', { HOST: host, PORT: port, KEY: params.serverKey, SIGN: params.signer });
  if (!signer) return;
  const forger = await ctx.runProgram('forger', { actor: 'client', settings: { HOST: host, PORT: port } });
  await forger.exited;
  // Only an MD5(key ‖ message) tag can be checked this way; an HMAC signer's tags are not MD5s of key ‖ message.
  if (params.signer === 'md5') checked(ctx, 'auth.forge.check', checkForgeries(forger.steps, params.serverKey));
  await stop(ctx, signer);
}

/**
 * The server alone, on the host's loopback (the experiment's `outside`), for a client the student
 * runs in a terminal: it serves up to OWN_CLIENT_CONNECTIONS clients one after another, and
 * stops after OWN_CLIENT_LISTEN_MS or when the run is stopped.
 */
async function ownClient(ctx: ExperimentContext, params: AuthParams, host: string, port: number): Promise<void> {
  const server = await start(ctx, 'server', 'server', serverSettings(params, host, port, 0, OWN_CLIENT_CONNECTIONS));
  if (!server) return;
  ctx.note('auth.listening', { host, port, seconds: OWN_CLIENT_LISTEN_MS / 1000, clients: OWN_CLIENT_CONNECTIONS, scheme: params.scheme });
  const served = await Promise.race([server.exited.then(() => true), ctx.sleep(OWN_CLIENT_LISTEN_MS).then(() => false)]);
  if (!served) {
    server.kill();
    await server.exited;
  }
  ctx.note('auth.listening.done', { port });
}

/** Starts a server program; resolves once it listens (null when it ended first). */
async function start(ctx: ExperimentContext, file: string, actor: string, settings: Record<string, ParamValue>): Promise<RunningProgram | null> {
  const server = await ctx.runProgram(file, { actor, settings });
  const listening = await Promise.race([server.listening.then(() => true), server.exited.then(() => false)]);
  return listening ? server : null;
}

/** A server still waiting (for a client that failed) is stopped a moment after the client ends. */
async function stop(ctx: ExperimentContext, server: RunningProgram): Promise<void> {
  const ended = await Promise.race([server.exited.then(() => true), ctx.sleep(SERVER_GRACE_MS).then(() => false)]);
  if (!ended) {
    server.kill();
    await server.exited;
  }
}

function checked(ctx: ExperimentContext, key: string, rows: CheckRow[]): void {
  if (rows.length === 0) return;
  ctx.note(key, { equal: rows.filter((r) => r.equal).length, total: rows.length }, undefined, rows);
}
