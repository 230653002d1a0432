/** IPv4, its fields, flag bits and options: title and explanation by explain key, in every language. */
import type { Explanation } from './types.js';

export const ipv4Explanations = {
  'layer.ipv4': {
    title: { en: 'Internet Protocol version 4 (IPv4)', 'zh-CN': '网际协议第 4 版（IPv4）' },
    text: {
      en: 'IPv4, the network layer: it carries the packet from the source host to the destination host, addressed by 32-bit IP addresses, possibly through routers.',
      'zh-CN': 'IPv4，网络层协议：用 32 位 IP 地址寻址，负责把数据包从源主机送到目的主机，途中可能经过多个路由器。',
    },
  },
  'ipv4.version': {
    title: { en: 'Version', 'zh-CN': '版本' },
    text: {
      en: 'IP version: 4 for IPv4. A receiver looks at these first four bits to know how to read the rest.',
      'zh-CN': '版本号：IPv4 为 4。接收方先看这 4 位，才知道如何解析后面的首部。',
    },
  },
  'ipv4.ihl': {
    title: { en: 'Header length (IHL)', 'zh-CN': '首部长度（IHL）' },
    text: {
      en: 'Internet Header Length, in 4-byte words: 5 means a 20-byte header without options. It tells where the data (e.g. the TCP segment) begins.',
      'zh-CN': '首部长度，以 4 字节为单位：5 表示 20 字节、没有选项的首部。它指出数据部分（例如 TCP 报文段）从哪里开始。',
    },
  },
  'ipv4.dscp': {
    title: { en: 'Differentiated services (DSCP)', 'zh-CN': '区分服务（DSCP）' },
    text: {
      en: 'Differentiated Services Code Point: asks routers for a class of service (priority). Usually 0, best effort.',
      'zh-CN': '区分服务码点（DSCP）：请求路由器给予某种服务等级（优先级），通常为 0，即尽力而为。',
    },
  },
  'ipv4.ecn': {
    title: { en: 'Explicit congestion notification (ECN)', 'zh-CN': '显式拥塞通知（ECN）' },
    text: {
      en: 'Explicit Congestion Notification: lets a router mark congestion instead of dropping the packet, if both ends support it.',
      'zh-CN': '显式拥塞通知（ECN）：若两端都支持，路由器拥塞时可以打上标记，而不必丢弃数据包。',
    },
  },
  'ipv4.totalLength': {
    title: { en: 'Total length', 'zh-CN': '总长度' },
    text: {
      en: 'Total length of this IP packet, header plus data, in bytes.',
      'zh-CN': '总长度：整个 IP 数据报（首部加数据）的字节数。',
    },
  },
  'ipv4.id': {
    title: { en: 'Identification', 'zh-CN': '标识' },
    text: {
      en: 'Identification: a number the sender gives each datagram, so the fragments of one datagram can be put back together.',
      'zh-CN': '标识：发送方给每个数据报编的号，分片时同一数据报的各个分片带相同的标识，便于重新组装。',
    },
  },
  'ipv4.flags': {
    title: { en: 'Flags', 'zh-CN': '标志位' },
    text: {
      en: "Fragmentation flags: a reserved bit, Don't Fragment (DF) and More Fragments (MF).",
      'zh-CN': '分片标志：一个保留位、不分片（DF）位和更多分片（MF）位。',
    },
  },
  'ipv4.flags.reserved': {
    title: { en: 'Reserved bit', 'zh-CN': '保留位' },
    text: {
      en: 'Reserved bit: must be 0.',
      'zh-CN': '保留位：必须为 0。',
    },
  },
  'ipv4.flags.df': {
    title: { en: "Don't fragment (DF)", 'zh-CN': '不分片（DF）' },
    text: {
      en: "Don't Fragment: routers must not split this packet; if it is too big for a link, it is dropped and the sender is told (used for path MTU discovery).",
      'zh-CN': '不分片（DF）：路由器不得对该数据报分片；若它超过某条链路的 MTU，就丢弃并通知发送方（用于路径 MTU 发现）。',
    },
  },
  'ipv4.flags.mf': {
    title: { en: 'More fragments (MF)', 'zh-CN': '更多分片（MF）' },
    text: {
      en: 'More Fragments: set on every fragment except the last one of a fragmented datagram.',
      'zh-CN': '更多分片（MF）：被分片的数据报中，除最后一片外，每一片都置 1。',
    },
  },
  'ipv4.fragmentOffset': {
    title: { en: 'Fragment offset', 'zh-CN': '片偏移' },
    text: {
      en: "Fragment offset, in 8-byte units: where this fragment's data belongs in the original datagram. 0 for an unfragmented packet.",
      'zh-CN': '片偏移，以 8 字节为单位：该分片的数据在原数据报中的位置。未分片的数据报为 0。',
    },
  },
  'ipv4.ttl': {
    title: { en: 'Time to live (TTL)', 'zh-CN': '生存时间（TTL）' },
    text: {
      en: 'Time To Live: each router lowers it by one and drops the packet at 0, so a packet caught in a routing loop cannot circle forever.',
      'zh-CN': '生存时间（TTL）：每经过一个路由器减 1，减到 0 就丢弃，防止数据包在路由环路中无限转圈。',
    },
  },
  'ipv4.protocol': {
    title: { en: 'Protocol', 'zh-CN': '协议' },
    text: {
      en: 'Protocol: which transport-layer protocol the data belongs to, e.g. 6 for TCP, 17 for UDP.',
      'zh-CN': '协议：数据部分属于哪种上层协议，例如 6 表示 TCP，17 表示 UDP。',
    },
  },
  'ipv4.checksum': {
    title: { en: 'Header checksum', 'zh-CN': '首部校验和' },
    text: {
      en: 'Header checksum: covers the IP header only, so a router can detect a damaged header. Recomputed at every hop because the TTL changes.',
      'zh-CN': '首部校验和：只校验 IP 首部，路由器据此发现首部是否出错。由于 TTL 每跳都变，每一跳都要重新计算。',
    },
  },
  'ipv4.src': {
    title: { en: 'Source IP address', 'zh-CN': '源 IP 地址' },
    text: {
      en: "Source IP address: the host that sent the packet. 127.0.0.1 is this machine's loopback address.",
      'zh-CN': '源 IP 地址：发送该数据包的主机。127.0.0.1 是本机的回环地址。',
    },
  },
  'ipv4.dst': {
    title: { en: 'Destination IP address', 'zh-CN': '目的 IP 地址' },
    text: {
      en: 'Destination IP address: the host the packet is for.',
      'zh-CN': '目的 IP 地址：数据包要送达的主机。',
    },
  },
  'ipv4.options': {
    title: { en: 'Options', 'zh-CN': '选项' },
    text: {
      en: 'IP options: rarely used extras (such as Record Route or Router Alert), present only when the header length is more than 5 words.',
      'zh-CN': 'IP 选项：很少使用的附加内容（例如记录路由、路由器告警），只有首部长度大于 5 时才出现。',
    },
  },
} satisfies Record<string, Explanation>;
