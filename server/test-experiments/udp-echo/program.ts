/** `udp-echo`'s program: each datagram sent, echoed and read back. */
import { defineProgram } from '../../lab/experiment.js';
import type { EchoParams } from './index.js';

export default defineProgram<EchoParams>(async (ctx, params) => {
  const host = ctx.loopbackHost(4);
  const server = await ctx.openUdp({ host, actor: 'server' });
  const client = await ctx.openUdp({ host, actor: 'client' });
  await ctx.startCapture([server.port, client.port]);
  const rounds: { n: number; bytes: number; from: string }[] = [];
  for (let n = 1; n <= params.count; n++) {
    await client.send(params.message, server.port, host);
    ctx.note('echo.sent', { n }, 'client');
    const got = await server.recv();
    await server.send(got.data, got.port, got.address);
    await client.recv();
    rounds.push({ n, bytes: got.data.length, from: got.peer });
  }
  // One step for all the rounds: a view shows them as a table.
  ctx.note('echo.done', { count: params.count }, undefined, rounds);
  await client.close();
  await server.close();
});
