/**
 * The handshake's program: the programs `server` and `client` (in `programs/`, in the run's
 * language), each its own process: one TCP connection, or a connection attempt to a closed port,
 * as the experiment's parameters say.
 */
import { defineProgram } from '../../lab/experiment.js';
import type { HandshakeParams } from './params.js';

/** The port the server listens on: 9000 in the run's own namespace, else one that is free. */
const NAMESPACE_PORT = 9000;
/** How long the server may go on after the client has ended. */
const SERVER_GRACE_MS = 1500;

export default defineProgram<HandshakeParams>(async (ctx, params) => {
  const host = ctx.loopbackHost(params.ipVersion);
  const closedPort = params.target === 'closed-port';
  const port = ctx.captureMethod === 'netns' && !closedPort ? NAMESPACE_PORT : await ctx.unusedTcpPort(host);
  const settings = {
    HOST: host,
    PORT: port,
    MESSAGE: params.message,
    CLOSER: params.closer,
    CLOSE: params.close,
    PAUSE: params.pauseMs / 1000,
  };
  await ctx.startCapture([port]);
  ctx.note('handshake.connect', { target: params.target, port });
  if (closedPort) {
    const client = await ctx.runProgram('client', { actor: 'client', settings });
    await client.exited;
    ctx.sampleStates();
    return;
  }
  const server = await ctx.runProgram('server', { actor: 'server', settings });
  // The client starts once the server listens (or not at all, when the server fails first).
  const listening = await Promise.race([server.listening.then(() => true), server.exited.then(() => false)]);
  if (!listening) return;
  const client = await ctx.runProgram('client', { actor: 'client', settings });
  await client.exited;
  // A server still waiting (for a client that failed, say) is stopped a moment after the client ends.
  const ended = await Promise.race([server.exited.then(() => true), ctx.sleep(SERVER_GRACE_MS).then(() => false)]);
  if (!ended) {
    server.kill();
    await server.exited;
  }
  ctx.sampleStates();
});
