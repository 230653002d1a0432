/** IPv6, its fields and its extension headers: title and explanation by explain key, in every language. */
import type { Explanation } from './types.js';

export const ipv6Explanations = {
  'layer.ipv6': {
    title: { en: 'Internet Protocol version 6 (IPv6)', 'zh-CN': '网际协议第 6 版（IPv6）' },
    text: {
      en: 'IPv6, the newer network layer: like IPv4 it carries the packet from host to host, but with 128-bit addresses and a simpler fixed 40-byte header.',
      'zh-CN': 'IPv6，新一代网络层协议：和 IPv4 一样负责把数据包从一台主机送到另一台主机，但使用 128 位地址，首部固定为 40 字节，更为简洁。',
    },
  },
  'ipv6.version': {
    title: { en: 'Version', 'zh-CN': '版本' },
    text: {
      en: 'IP version: 6 for IPv6.',
      'zh-CN': '版本号：IPv6 为 6。',
    },
  },
  'ipv6.trafficClass': {
    title: { en: 'Traffic class', 'zh-CN': '通信量类' },
    text: {
      en: "Traffic class: the IPv6 counterpart of IPv4's DSCP and ECN bits, for priority and congestion marking.",
      'zh-CN': '通信量类：相当于 IPv4 的 DSCP 和 ECN 字段，用于优先级和拥塞标记。',
    },
  },
  'ipv6.trafficClass.dscp': {
    title: { en: 'Differentiated services (DSCP)', 'zh-CN': '区分服务（DSCP）' },
    text: {
      en: 'Differentiated Services Code Point: the class of service asked for. Usually 0.',
      'zh-CN': '区分服务码点（DSCP）：请求的服务等级，通常为 0。',
    },
  },
  'ipv6.trafficClass.ecn': {
    title: { en: 'Explicit congestion notification (ECN)', 'zh-CN': '显式拥塞通知（ECN）' },
    text: {
      en: 'Explicit Congestion Notification bits, as in IPv4.',
      'zh-CN': '显式拥塞通知（ECN）位，含义与 IPv4 相同。',
    },
  },
  'ipv6.flowLabel': {
    title: { en: 'Flow label', 'zh-CN': '流标签' },
    text: {
      en: 'Flow label: a number the sender picks for one flow (here, one connection) so routers can keep its packets on the same path.',
      'zh-CN': '流标签：发送方为一条“流”（这里即一个连接）选定的编号，路由器可据此让同一流的数据包走同一路径。',
    },
  },
  'ipv6.payloadLength': {
    title: { en: 'Payload length', 'zh-CN': '有效载荷长度' },
    text: {
      en: 'Payload length: bytes after the 40-byte fixed header (extension headers plus the transport segment).',
      'zh-CN': '有效载荷长度：40 字节固定首部之后的字节数（扩展首部加上传输层报文段）。',
    },
  },
  'ipv6.nextHeader': {
    title: { en: 'Next header', 'zh-CN': '下一个首部' },
    text: {
      en: "Next header: what follows this header, an extension header or the transport protocol (6 for TCP, 17 for UDP). It plays the role of IPv4's protocol field.",
      'zh-CN': '下一个首部：紧跟其后的是什么，可能是扩展首部，也可能是传输层协议（6 为 TCP，17 为 UDP），相当于 IPv4 的协议字段。',
    },
  },
  'ipv6.hopLimit': {
    title: { en: 'Hop limit', 'zh-CN': '跳数限制' },
    text: {
      en: "Hop limit: lowered by one at each router; the packet is dropped at 0. The IPv6 name for IPv4's TTL.",
      'zh-CN': '跳数限制：每经过一个路由器减 1，减到 0 就丢弃，相当于 IPv4 的 TTL。',
    },
  },
  'ipv6.src': {
    title: { en: 'Source IPv6 address', 'zh-CN': '源 IPv6 地址' },
    text: {
      en: "Source IPv6 address. ::1 is this machine's loopback address.",
      'zh-CN': '源 IPv6 地址。::1 是本机的回环地址。',
    },
  },
  'ipv6.dst': {
    title: { en: 'Destination IPv6 address', 'zh-CN': '目的 IPv6 地址' },
    text: {
      en: 'Destination IPv6 address.',
      'zh-CN': '目的 IPv6 地址。',
    },
  },
  'ipv6.ext.hopByHop': {
    title: { en: 'Hop-by-hop options header', 'zh-CN': '逐跳选项扩展首部' },
    text: {
      en: 'Hop-by-Hop Options extension header: options every router on the path must look at.',
      'zh-CN': '逐跳选项扩展首部：路径上每个路由器都必须检查的选项。',
    },
  },
  'ipv6.ext.routing': {
    title: { en: 'Routing header', 'zh-CN': '路由扩展首部' },
    text: {
      en: 'Routing extension header: lists routers the packet must pass through.',
      'zh-CN': '路由扩展首部：列出数据包必须经过的路由器。',
    },
  },
  'ipv6.ext.fragment': {
    title: { en: 'Fragment header', 'zh-CN': '分片扩展首部' },
    text: {
      en: 'Fragment extension header: in IPv6 only the sender fragments; this header says where this piece belongs.',
      'zh-CN': '分片扩展首部：IPv6 中只有源主机才能分片，该首部说明这一片在原数据报中的位置。',
    },
  },
  'ipv6.ext.destination': {
    title: { en: 'Destination options header', 'zh-CN': '目的选项扩展首部' },
    text: {
      en: 'Destination Options extension header: options only the destination host looks at.',
      'zh-CN': '目的选项扩展首部：只有目的主机才会检查的选项。',
    },
  },
  'ipv6.ext.nextHeader': {
    title: { en: 'Next header', 'zh-CN': '下一个首部' },
    text: {
      en: 'Next header: what follows this extension header.',
      'zh-CN': '下一个首部：该扩展首部之后紧跟的内容。',
    },
  },
  'ipv6.ext.length': {
    title: { en: 'Header extension length', 'zh-CN': '扩展首部长度' },
    text: {
      en: 'Header extension length: the size of this extension header in 8-byte units, not counting the first 8 bytes.',
      'zh-CN': '扩展首部长度：以 8 字节为单位，不含最前面的 8 字节。',
    },
  },
  'ipv6.ext.fragmentOffset': {
    title: { en: 'Fragment offset', 'zh-CN': '片偏移' },
    text: {
      en: "Fragment offset in 8-byte units: where this fragment's data goes in the original packet.",
      'zh-CN': '片偏移，以 8 字节为单位：该分片的数据在原数据报中的位置。',
    },
  },
  'ipv6.ext.mf': {
    title: { en: 'More fragments (M)', 'zh-CN': '更多分片（M）' },
    text: {
      en: 'More fragments: set on every fragment but the last.',
      'zh-CN': '更多分片：除最后一片外都置 1。',
    },
  },
  'ipv6.ext.identification': {
    title: { en: 'Identification', 'zh-CN': '标识' },
    text: {
      en: 'Identification: the same for all fragments of one original packet.',
      'zh-CN': '标识：同一原始数据报的所有分片标识相同。',
    },
  },
} satisfies Record<string, Explanation>;
