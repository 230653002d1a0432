/** Ethernet II, the link layer on loopback: title and explanation by explain key, in every language. */
import type { Explanation } from './types.js';

export const ethernetExplanations = {
  'layer.ethernet': {
    title: { en: 'Ethernet II frame', 'zh-CN': '以太网帧（Ethernet II）' },
    text: {
      en: 'The link layer frame: it carries a packet across one link, from one network card to the next, addressed by MAC addresses. On loopback the frame never leaves the machine.',
      'zh-CN': '数据链路层的帧：负责把数据包在一段链路上从一块网卡送到下一块网卡，用 MAC 地址寻址。在回环接口上，帧从不离开本机。',
    },
  },
  'ethernet.dst': {
    title: { en: 'Destination MAC', 'zh-CN': '目的 MAC 地址' },
    text: {
      en: 'Destination MAC address: the hardware address of the network card that should receive this frame. On loopback it is all zeros.',
      'zh-CN': '目的 MAC 地址：应当接收这一帧的网卡的硬件地址。在回环接口上它全为 0。',
    },
  },
  'ethernet.src': {
    title: { en: 'Source MAC', 'zh-CN': '源 MAC 地址' },
    text: {
      en: 'Source MAC address: the hardware address of the network card that sent this frame. On loopback it is all zeros.',
      'zh-CN': '源 MAC 地址：发送这一帧的网卡的硬件地址。在回环接口上它全为 0。',
    },
  },
  'ethernet.type': {
    title: { en: 'EtherType', 'zh-CN': '类型（EtherType）' },
    text: {
      en: 'EtherType: says which network-layer protocol the frame carries, e.g. 0x0800 for IPv4 or 0x86dd for IPv6.',
      'zh-CN': '以太网类型：说明帧里装的是哪种网络层协议，例如 0x0800 表示 IPv4，0x86dd 表示 IPv6。',
    },
  },
} satisfies Record<string, Explanation>;
