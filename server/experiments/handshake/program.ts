/**
 * The handshake's program: the one TCP connection (or the connection attempt to a closed port)
 * as the experiment's parameters say.
 */
import { defineProgram, type ExperimentContext } from '../../lab/experiment.js';
import type { LabTcpSocket } from '../../lab/tcp.js';
import type { HandshakeParams } from './params.js';

export default defineProgram<HandshakeParams>(async (ctx, params) => {
  if (ctx.lang === 'python') return runPython(ctx, params);
  const host = ctx.loopbackHost(params.ipVersion);

  if (params.target === 'closed-port') {
    const port = await ctx.unusedTcpPort(host);
    await ctx.startCapture([port]);
    ctx.note('handshake.connect', { target: 'closed-port', port });
    const client = ctx.connectTcp({ host, port });
    try {
      await client.connected;
      // Something started listening on that port meanwhile: close politely.
      ctx.note('handshake.established', { client: client.local ?? '', server: client.remote ?? '' });
      await client.end();
      // Read to the end of stream (at most 100 reads): the socket closes once both sides ended.
      for (let reads = 0; reads < 100; reads++) {
        const chunk = await client.recv().catch(() => Buffer.alloc(0));
        if (chunk.length === 0) break;
      }
      await client.closed;
      ctx.note('handshake.done', { result: 'connected' });
    } catch (err) {
      await client.closed;
      ctx.note('handshake.done', { result: 'refused', code: client.error?.code ?? String(err) });
    }
    return;
  }

  const server = await ctx.listenTcp({ host, allowHalfOpen: true });
  await ctx.startCapture([server.port]);
  ctx.note('handshake.connect', { target: 'listening', port: server.port });
  const client = ctx.connectTcp({ host, port: server.port, allowHalfOpen: true });
  const [conn] = await Promise.all([server.accept(), client.connected]);
  ctx.note('handshake.established', { client: client.local ?? '', server: client.remote ?? '' });

  // One message each way: the client's text, the server's reply in upper case.
  const sent = Buffer.from(params.message, 'utf8');
  await client.sendall(sent);
  const received = await conn.recvExactly(sent.length);
  const reply = Buffer.from(received.toString('utf8').toUpperCase(), 'utf8');
  await conn.sendall(reply);
  await client.recvExactly(reply.length);
  ctx.note('handshake.data', {
    message: params.message,
    messageBytes: sent.length,
    reply: reply.toString('utf8'),
    replyBytes: reply.length,
  });

  const closer: LabTcpSocket = params.closer === 'client' ? client : conn;
  const peer: LabTcpSocket = params.closer === 'client' ? conn : client;
  ctx.note('handshake.close', { who: params.closer, how: params.close });
  if (params.close === 'reset') {
    closer.resetAndDestroy();
    // The peer learns of the reset when it reads: its recv() fails (ECONNRESET).
    await peer.recv().catch(() => undefined);
  } else {
    await closer.end();
    // The closer reads on, until the peer's FIN: end of stream.
    const closerEof = closer.recv();
    // The peer's next read finds the closer's FIN: end of stream, a read of 0 bytes.
    await peer.recv();
    if (params.close === 'end-after-pause') await ctx.sleep(params.pauseMs);
    await peer.end();
    await closerEof;
  }
  await Promise.all([client.closed, conn.closed]);
  await server.close();
  ctx.sampleStates();
  ctx.note('handshake.done', { result: 'closed' });
});

/** The port a Python server listens on: 9000 in the run's own namespace, else one that is free. */
const NAMESPACE_PORT = 9000;
/** How long the server may go on after the client has ended. */
const SERVER_GRACE_MS = 1500;

/** The same run with the Python programs `server.py` and `client.py`, each its own process. */
async function runPython(ctx: ExperimentContext, params: HandshakeParams): Promise<void> {
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
    const client = await ctx.runProgram('client.py', { actor: 'client', settings });
    await client.exited;
    ctx.sampleStates();
    return;
  }
  const server = await ctx.runProgram('server.py', { actor: 'server', settings });
  // The client starts once the server listens (or not at all, when the server fails first).
  const listening = await Promise.race([server.listening.then(() => true), server.exited.then(() => false)]);
  if (!listening) return;
  const client = await ctx.runProgram('client.py', { actor: 'client', settings });
  await client.exited;
  // A server still waiting (for a client that failed, say) is stopped a moment after the client ends.
  const ended = await Promise.race([server.exited.then(() => true), ctx.sleep(SERVER_GRACE_MS).then(() => false)]);
  if (!ended) {
    server.kill();
    await server.exited;
  }
  ctx.sampleStates();
}
