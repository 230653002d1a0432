/**
 * `handshake`: one TCP connection on loopback, opened, used once each way, and closed — or a
 * connection attempt to a port nothing listens on. Shows the three-way handshake, how
 * sequence and acknowledgement numbers advance with data, and the teardown (FIN or RST).
 */
import { Type } from 'typebox';
import type { LabTcpSocket } from '../../lab/tcp.js';
import { defineExperiment } from '../../lab/experiment.js';

const zh = (title: string, description: string) => ({ 'x-zh-CN': { title, description } });

export const HandshakeParams = Type.Object(
  {
    ipVersion: Type.Enum([4, 6], {
      default: 4,
      title: 'IP version',
      description: '4 uses 127.0.0.1, 6 uses ::1.',
      ...zh('IP 版本', '4 使用 127.0.0.1，6 使用 ::1。'),
    }),
    target: Type.Enum(['listening', 'closed-port'], {
      default: 'listening',
      title: 'Connect to',
      description: 'A listening server, or a port nothing listens on (the kernel answers with a reset).',
      ...zh('连接目标', '正在监听的服务器，或没有程序监听的端口（内核以 RST 回应）。'),
    }),
    closer: Type.Enum(['client', 'server'], {
      default: 'client',
      title: 'Who closes first',
      description: 'The side that starts the teardown.',
      ...zh('谁先关闭', '先发起断开连接的一方。'),
    }),
    close: Type.Enum(['end', 'end-after-pause', 'destroy'], {
      default: 'end',
      title: 'How it closes',
      description:
        'end: FIN, and the peer ends at once. end-after-pause: the peer stays half-open for pauseMs, then ends. destroy: reset (RST).',
      ...zh(
        '关闭方式',
        'end：发送 FIN，对方立即关闭。end-after-pause：对方保持半关闭 pauseMs 毫秒后再关闭。destroy：复位（RST）。',
      ),
    }),
    pauseMs: Type.Integer({
      minimum: 0,
      maximum: 2000,
      default: 200,
      title: 'Pause (ms)',
      description: 'With end-after-pause: how long the peer waits before it closes its side.',
      ...zh('暂停（毫秒）', '使用 end-after-pause 时，对方关闭自己一侧之前等待的时间。'),
    }),
    message: Type.String({
      maxLength: 256,
      default: 'hello',
      title: 'Message',
      description: 'What the client sends; the server replies with it in upper case.',
      ...zh('消息', '客户端发送的内容；服务器以大写形式回复。'),
    }),
  },
  { additionalProperties: false },
);

export const handshake = defineExperiment({
  id: 'handshake',
  title: { en: 'TCP handshake and teardown', 'zh-CN': 'TCP 三次握手与四次挥手' },
  description: {
    en: 'A client connects to a server on loopback, sends one message and gets a reply, then one side closes. Every segment is captured: SYN, SYN-ACK, ACK, the data, and the FINs or the reset.',
    'zh-CN':
      '客户端在回环地址上连接服务器，发送一条消息并收到回复，然后一方关闭连接。每个报文段都被抓取：SYN、SYN-ACK、ACK、数据，以及 FIN 或 RST。',
  },
  params: HandshakeParams,
  timeLimitMs: 10_000,

  async run(ctx, params) {
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
    await client.write(sent);
    const received = await conn.readBytes(sent.length);
    const reply = Buffer.from(received.toString('utf8').toUpperCase(), 'utf8');
    await conn.write(reply);
    await client.readBytes(reply.length);
    ctx.note('handshake.data', {
      message: params.message,
      messageBytes: sent.length,
      reply: reply.toString('utf8'),
      replyBytes: reply.length,
    });

    const closer: LabTcpSocket = params.closer === 'client' ? client : conn;
    const peer: LabTcpSocket = params.closer === 'client' ? conn : client;
    ctx.note('handshake.close', { who: params.closer, how: params.close });
    if (params.close === 'destroy') {
      closer.resetAndDestroy();
    } else {
      await closer.end();
      await peer.ended;
      if (params.close === 'end-after-pause') await ctx.sleep(params.pauseMs);
      await peer.end();
    }
    await Promise.all([client.closed, conn.closed]);
    await server.close();
    ctx.sampleStates();
    ctx.note('handshake.done', { result: 'closed' });
  },
});
