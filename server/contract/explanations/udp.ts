/** UDP and its fields: title and explanation by explain key, in every language. */
import type { Explanation } from './types.js';

export const udpExplanations = {
  'layer.udp': {
    title: { en: 'User Datagram Protocol (UDP)', 'zh-CN': '用户数据报协议（UDP）' },
    text: {
      en: 'UDP, the lightweight transport layer: no connection, no acknowledgements, no resending. Each datagram is one whole message, delivered once or not at all.',
      'zh-CN': 'UDP，轻量级的传输层协议：无连接、不确认、不重传。每个数据报就是一条完整的消息，要么完整送达，要么丢失。',
    },
  },
  'udp.sport': {
    title: { en: 'Source port', 'zh-CN': '源端口' },
    text: {
      en: "Source port: the sending socket's port, where a reply can be sent.",
      'zh-CN': '源端口：发送方套接字的端口，需要回复时就发往这里。',
    },
  },
  'udp.dport': {
    title: { en: 'Destination port', 'zh-CN': '目的端口' },
    text: {
      en: 'Destination port: which socket on the receiving host gets the datagram.',
      'zh-CN': '目的端口：数据报交给接收方主机上的哪个套接字。',
    },
  },
  'udp.length': {
    title: { en: 'Length', 'zh-CN': '长度' },
    text: {
      en: 'Length of the whole datagram, header plus data, in bytes. An empty message gives 8: the header alone.',
      'zh-CN': '长度：整个数据报（首部加数据）的字节数。空消息的长度为 8，即只有首部。',
    },
  },
  'udp.checksum': {
    title: { en: 'Checksum', 'zh-CN': '校验和' },
    text: {
      en: 'Checksum over the header, the data and a pseudo-header of IP addresses. 0 over IPv4 means no checksum; on loopback Linux leaves it unfinished (checksum offload).',
      'zh-CN': '校验和：覆盖 UDP 首部、数据以及由 IP 地址等组成的伪首部。在 IPv4 上为 0 表示不使用校验和；在回环接口上 Linux 不计算完整的校验和（校验和卸载）。',
    },
  },
} satisfies Record<string, Explanation>;
