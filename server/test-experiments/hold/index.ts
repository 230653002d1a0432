/**
 * `hold`: one TCP connection that sends a message, holds still for `holdMs`, then closes. For
 * the runner's tests: something to cancel, to time out, or to freeze in the middle.
 */
import { Type } from 'typebox';
import { defineExperiment } from '../../lab/experiment.js';

const HoldParams = Type.Object(
  {
    ipVersion: Type.Enum([4, 6], { default: 4 }),
    holdMs: Type.Integer({ minimum: 0, maximum: 20_000, default: 0 }),
    message: Type.String({ maxLength: 64, default: 'hold' }),
  },
  { additionalProperties: false },
);

const text = (title: string) => ({
  title,
  description: title,
  params: {
    ipVersion: { label: 'IP', help: '4 or 6' },
    holdMs: { label: 'Hold (ms)', help: 'How long the connection holds still.' },
    message: { label: 'Message', help: 'What the client sends.' },
  },
  presets: {},
  notes: { 'hold.holding': 'holding', 'hold.done': 'done' },
});

export default defineExperiment({
  id: 'hold',
  params: HoldParams,
  texts: { en: text('Hold a connection'), 'zh-CN': text('保持连接') },
  views: [{ kind: 'timeline', lanes: 'connections' }],
  timeLimitMs: 30_000,

  async run(ctx, params) {
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
  },
});
