/** The handshake's texts: title, description, parameters, presets and step notes, per language. */
import type { ExperimentText, Localized } from '../../contract/experiment.js';

export const texts: Localized<ExperimentText> = {
  en: {
    title: 'TCP handshake and teardown',
    description:
      'A client connects to a server on loopback, sends one message and gets a reply, then one side closes. Every segment is captured: SYN, SYN-ACK, ACK, the data, and the FINs or the reset.',
    params: {
      ipVersion: {
        label: 'IP version',
        help: '4 uses 127.0.0.1, 6 uses ::1.',
        values: { '4': 'IPv4 (127.0.0.1)', '6': 'IPv6 (::1)' },
      },
      target: {
        label: 'Connect to',
        help: 'A listening server, or a port nothing listens on (the kernel answers with a reset).',
        values: { listening: 'A listening server', 'closed-port': 'A closed port' },
      },
      closer: {
        label: 'Who closes first',
        help: 'The side that starts the teardown.',
        values: { client: 'Client', server: 'Server' },
      },
      close: {
        label: 'How it closes',
        help: 'Graceful: a FIN (Python shutdown(SHUT_WR), Node.js end()), and the peer closes at once. The peer waits: the connection stays half-closed for the pause, then the peer closes. Reset: an RST instead of a FIN (SO_LINGER 0, then close(); Node.js resetAndDestroy()).',
        values: {
          end: 'Graceful (FIN)',
          'end-after-pause': 'Graceful; the peer waits, then closes',
          reset: 'Abortive (RST)',
        },
      },
      pauseMs: {
        label: 'Pause before the peer closes (ms)',
        help: 'When the peer waits: how long before it closes its side.',
      },
      message: {
        label: 'Message the client sends',
        help: 'What the client sends; the server replies with it in upper case.',
      },
    },
    presets: {
      'peer-waits': 'Peer waits before it closes (four-segment teardown)',
      'server-closes': 'Server closes first',
      'rst-reset': 'Abortive close: RST instead of FIN',
      'closed-port': 'Connect to a closed port',
      ipv6: 'Same over IPv6 (::1)',
    },
    notes: {
      'handshake.connect': 'connecting',
      'handshake.established': 'connection established',
      'handshake.data': 'data exchange',
      'handshake.close': 'closing',
      'handshake.done': 'done',
    },
  },
  'zh-CN': {
    title: 'TCP 三次握手与四次挥手',
    description:
      '客户端在回环地址上连接服务器，发送一条消息并收到回复，然后一方关闭连接。每个报文段都被抓取：SYN、SYN-ACK、ACK、数据，以及 FIN 或 RST。',
    params: {
      ipVersion: {
        label: 'IP 版本',
        help: '4 使用 127.0.0.1，6 使用 ::1。',
        values: { '4': 'IPv4（127.0.0.1）', '6': 'IPv6（::1）' },
      },
      target: {
        label: '连接目标',
        help: '正在监听的服务器，或没有程序监听的端口（内核以 RST 回应）。',
        values: { listening: '正在监听的服务器', 'closed-port': '没有监听的端口' },
      },
      closer: {
        label: '谁先关闭',
        help: '先发起断开连接的一方。',
        values: { client: '客户端', server: '服务器' },
      },
      close: {
        label: '关闭方式',
        help: '正常关闭：发送 FIN（Python 的 shutdown(SHUT_WR)，Node.js 的 end()），对端立即关闭。对端稍候：连接保持半关闭状态，对端等待一段时间后再关闭。复位：发送复位报文段 RST 而不是 FIN（把 SO_LINGER 设为 0 后 close()；Node.js 的 resetAndDestroy()）。',
        values: {
          end: '正常关闭（FIN）',
          'end-after-pause': '正常关闭，对端稍候再关闭',
          reset: '异常关闭（RST）',
        },
      },
      pauseMs: {
        label: '对端关闭前的等待时间（毫秒）',
        help: '对端稍候再关闭时，它关闭自己一侧之前等待的时间。',
      },
      message: {
        label: '客户端发送的消息',
        help: '客户端发送的内容；服务器把它转成大写后回复。',
      },
    },
    presets: {
      'peer-waits': '对端稍候再关闭（挥手用四个报文段）',
      'server-closes': '服务器先关闭',
      'rst-reset': '异常关闭：发出 RST 而不是 FIN',
      'closed-port': '连接一个没有监听的端口',
      ipv6: '换成 IPv6（::1）',
    },
    notes: {
      'handshake.connect': '开始连接',
      'handshake.established': '连接已建立',
      'handshake.data': '交换数据',
      'handshake.close': '开始关闭',
      'handshake.done': '结束',
    },
  },
};
