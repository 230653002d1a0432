/** `hold`'s program: connect, send, hold still, close. */
import { defineProgram } from '../../lab/experiment.js';
import type { HoldParams } from './index.js';

export default defineProgram<HoldParams>(async (ctx, params) => {
  const host = ctx.loopbackHost(params.ipVersion);
  const server = await ctx.listenTcp({ host });
  await ctx.startCapture([server.port]);
  const client = ctx.connectTcp({ host, port: server.port });
  const [conn] = await Promise.all([server.accept(), client.connected]);
  await client.sendall(params.message);
  await conn.recvExactly(Buffer.byteLength(params.message));
  ctx.note('hold.holding', { ms: params.holdMs });
  await ctx.sleep(params.holdMs);
  await client.end();
  // The server reads the client's FIN (a read of 0 bytes) and ends its side; the client
  // then reads the server's FIN.
  await conn.recv();
  await conn.end();
  await client.recv();
  await Promise.all([client.closed, conn.closed]);
  await server.close();
  ctx.note('hold.done');
});
