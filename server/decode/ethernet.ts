/** Ethernet II: the link layer Linux uses on `lo` (with all-zero addresses). */
import { readFields, type LayerDef } from './fields.js';
import { missingBytesReason, type Protocol } from './protocol.js';

export const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q VLAN',
  0x88cc: 'LLDP',
};

function showMac(hex: string, standard: string): string {
  return hex === '000000000000' ? `${standard} (loopback: no real network card, so no real address)` : standard;
}

export const ethernetDef: LayerDef = {
  name: 'ethernet',
  title: { en: 'Ethernet II frame', 'zh-CN': '以太网帧（Ethernet II）' },
  explain: {
    en: 'The link layer frame: it carries a packet across one link, from one network card to the next, addressed by MAC addresses. On loopback the frame never leaves the machine.',
    'zh-CN': '数据链路层的帧：负责把数据包在一段链路上从一块网卡送到下一块网卡，用 MAC 地址寻址。在回环接口上，帧从不离开本机。',
  },
  fields: [
    {
      name: 'dst',
      bytes: 6,
      format: 'mac',
      showBytes: showMac,
      title: { en: 'Destination MAC', 'zh-CN': '目的 MAC 地址' },
      explain: {
        en: 'Destination MAC address: the hardware address of the network card that should receive this frame. On loopback it is all zeros.',
        'zh-CN': '目的 MAC 地址：应当接收这一帧的网卡的硬件地址。在回环接口上它全为 0。',
      },
    },
    {
      name: 'src',
      bytes: 6,
      format: 'mac',
      showBytes: showMac,
      title: { en: 'Source MAC', 'zh-CN': '源 MAC 地址' },
      explain: {
        en: 'Source MAC address: the hardware address of the network card that sent this frame. On loopback it is all zeros.',
        'zh-CN': '源 MAC 地址：发送这一帧的网卡的硬件地址。在回环接口上它全为 0。',
      },
    },
    {
      name: 'type',
      bytes: 2,
      format: 'hex',
      show: (raw) => {
        const hex = `0x${raw.toString(16).padStart(4, '0')}`;
        if (raw < 0x0600) return `${hex} (an IEEE 802.3 length, not a type)`;
        const name = ETHERTYPE_NAMES[raw];
        return name ? `${hex} (${name})` : `${hex} (unknown)`;
      },
      title: { en: 'EtherType', 'zh-CN': '类型（EtherType）' },
      explain: {
        en: 'EtherType: says which network-layer protocol the frame carries, e.g. 0x0800 for IPv4 or 0x86dd for IPv6.',
        'zh-CN': '以太网类型：说明帧里装的是哪种网络层协议，例如 0x0800 表示 IPv4，0x86dd 表示 IPv6。',
      },
    },
  ],
};

export const ethernet: Protocol = {
  def: { ...ethernetDef, name: 'ethernet' },
  osi: 'link',
  decode(ctx, offset, end) {
    const read = readFields(ctx.data, 'ethernet', offset, end, ethernetDef.fields);
    const layer = { name: 'ethernet' as const, osi: 'link' as const, offset, length: read.end - offset, fields: read.fields };
    if (read.missing) {
      return { layer: { ...layer, malformed: missingBytesReason(ctx, 'an Ethernet header', offset, 14) } };
    }
    const type = read.values.get('type') ?? 0;
    if (type < 0x0600) {
      return {
        layer: { ...layer, malformed: `the type field holds ${type}, an IEEE 802.3 length; only Ethernet II frames are decoded` },
      };
    }
    return { layer, next: { table: 'etherType', value: type, offset: read.end, end } };
  },
};
