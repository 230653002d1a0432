/**
 * The five layers of the model the course teaches (`osi.*`), and the physical layer, which has
 * no bytes in a capture: title and explanation by key, in every language.
 */
import type { Explanation } from './types.js';

export const osiExplanations = {
  'layer.physical': {
    title: { en: 'Physical layer', 'zh-CN': '物理层' },
    text: {
      en: 'The physical layer turns bits into signals on a wire, fibre or radio. A capture starts at the link layer, so it holds no physical-layer bytes; on loopback there is no physical medium at all.',
      'zh-CN': '物理层负责把比特变成电线中的电信号、光纤中的光信号或无线信号。抓包从数据链路层开始，所以抓到的数据里没有物理层的字节；回环接口更是根本没有物理介质。',
    },
  },
  'osi.application': {
    title: { en: 'Application layer', 'zh-CN': '应用层' },
    text: {
      en: 'Application layer: the programs and their messages, here the bytes your sockets wrote and read.',
      'zh-CN': '应用层：应用程序及其消息，在这里就是套接字写入和读出的字节。',
    },
  },
  'osi.transport': {
    title: { en: 'Transport layer', 'zh-CN': '传输层' },
    text: {
      en: 'Transport layer: delivers data between two programs (ports) on two hosts; TCP reliably as a stream, UDP as separate datagrams.',
      'zh-CN': '传输层：在两台主机的两个程序（端口）之间传送数据；TCP 以可靠的字节流方式，UDP 以独立的数据报方式。',
    },
  },
  'osi.network': {
    title: { en: 'Network layer', 'zh-CN': '网络层' },
    text: {
      en: 'Network layer: carries packets from host to host across networks, addressed by IP addresses; routers work at this layer.',
      'zh-CN': '网络层：用 IP 地址寻址，把数据包从一台主机经过多个网络送到另一台主机；路由器工作在这一层。',
    },
  },
  'osi.link': {
    title: { en: 'Data link layer', 'zh-CN': '数据链路层' },
    text: {
      en: 'Data link layer: carries a frame over one link between two neighbouring devices, addressed by MAC addresses; switches work at this layer, and ARP maps IP addresses to MAC addresses.',
      'zh-CN': '数据链路层：用 MAC 地址寻址，在相邻两个设备之间的一段链路上传送帧；交换机工作在这一层，ARP 负责把 IP 地址解析为 MAC 地址。',
    },
  },
  'osi.physical': {
    title: { en: 'Physical layer', 'zh-CN': '物理层' },
    text: {
      en: 'Physical layer: sends the raw bits as electrical, optical or radio signals.',
      'zh-CN': '物理层：把原始比特以电信号、光信号或无线信号的形式发送出去。',
    },
  },
} satisfies Record<string, Explanation>;
