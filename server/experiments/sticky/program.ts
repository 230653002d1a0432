/**
 * The sticky-packet experiment's program: a client (the sender) writes messages on one TCP
 * connection, a server (the receiver) reads them: the programs `client` and `server` in the run's
 * language (`client.py`/`server.py`, `client.js`/`server.js`).
 */
import { PLAN_NOTE } from '../../contract/byte-stream.js';
import { defineProgram } from '../../lab/experiment.js';
import type { StickyParams } from './params.js';
import { streamPlan } from './plan.js';

/** The port the server listens on: 9000 in the run's own namespace, else one that is free. */
const NAMESPACE_PORT = 9000;
/** How long the server may go on after the client has ended. */
const SERVER_GRACE_MS = 2000;

export default defineProgram<StickyParams>(async (ctx, params) => {
  const host = ctx.loopbackHost(4);
  const port = ctx.captureMethod === 'netns' ? NAMESPACE_PORT : await ctx.unusedTcpPort(host);
  const plan = streamPlan(params);
  const messages = plan.sizes.length;
  // A late reader waits until the sender's writes are over, and then `lateMs` more.
  const readDelayMs = params.reader === 'late' ? params.lateMs + params.gapMs * Math.max(0, messages - 1) : 0;
  const shared = { HOST: host, PORT: port, WARMUP: params.warmup, FRAMING: params.framing, FIXED_SIZE: plan.fixedSize };
  const client = {
    ...shared,
    MESSAGES: params.messages,
    COUNT: params.count,
    SIZE: params.size,
    NAGLE: params.nagle,
    CORK: params.cork,
    GAP: params.gapMs / 1000,
    ONE_WRITE: params.writes === 'one',
  };
  const server = { ...shared, READ_DELAY: readDelayMs / 1000, RECV_SIZE: params.recvSize, RCVBUF: params.rcvbuf };
  await ctx.startCapture([port]);
  ctx.note(PLAN_NOTE, { messages, framing: params.framing }, undefined, plan);
  const receiver = await ctx.runProgram('server', { actor: 'server', settings: server });
  const listening = await Promise.race([receiver.listening.then(() => true), receiver.exited.then(() => false)]);
  if (!listening) return;
  const sender = await ctx.runProgram('client', { actor: 'client', settings: client });
  await sender.exited;
  const ended = await Promise.race([receiver.exited.then(() => true), ctx.sleep(SERVER_GRACE_MS).then(() => false)]);
  if (!ended) {
    receiver.kill();
    await receiver.exited;
  }
  ctx.sampleStates();
});
