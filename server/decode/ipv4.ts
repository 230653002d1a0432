/** IPv4 (RFC 791): the network layer that carries a datagram from one host to another. */
import type { Field, Layer } from '../contract/trace.js';
import { fold, onesComplementSum } from './checksum.js';
import { bytesField, formatIpv4, plural, readFields, type LayerDef } from './fields.js';
import { showDscp, showEcn, showIpProtocol } from './ip-protocols.js';
import { missingBytesReason, type Protocol } from './protocol.js';

const OPTION_NAMES: Record<number, string> = {
  0: 'End of Options',
  1: 'NOP',
  7: 'Record Route',
  68: 'Timestamp',
  130: 'Security',
  131: 'Loose Source Route',
  137: 'Strict Source Route',
  148: 'Router Alert',
};

export const ipv4Def: LayerDef = {
  name: 'ipv4',
  title: { en: 'Internet Protocol version 4 (IPv4)', 'zh-CN': '网际协议第 4 版（IPv4）' },
  explain: {
    en: 'IPv4, the network layer: it carries the packet from the source host to the destination host, addressed by 32-bit IP addresses, possibly through routers.',
    'zh-CN': 'IPv4，网络层协议：用 32 位 IP 地址寻址，负责把数据包从源主机送到目的主机，途中可能经过多个路由器。',
  },
  fields: [
    {
      name: 'version',
      bits: 4,
      title: { en: 'Version', 'zh-CN': '版本' },
      explain: {
        en: 'IP version: 4 for IPv4. A receiver looks at these first four bits to know how to read the rest.',
        'zh-CN': '版本号：IPv4 为 4。接收方先看这 4 位，才知道如何解析后面的首部。',
      },
    },
    {
      name: 'ihl',
      bits: 4,
      show: (raw) => `${raw} (${raw * 4} bytes)`,
      title: { en: 'Header length (IHL)', 'zh-CN': '首部长度（IHL）' },
      explain: {
        en: 'Internet Header Length, in 4-byte words: 5 means a 20-byte header without options. It tells where the data (e.g. the TCP segment) begins.',
        'zh-CN': '首部长度，以 4 字节为单位：5 表示 20 字节、没有选项的首部。它指出数据部分（例如 TCP 报文段）从哪里开始。',
      },
    },
    {
      name: 'dscp',
      bits: 6,
      show: showDscp,
      title: { en: 'Differentiated services (DSCP)', 'zh-CN': '区分服务（DSCP）' },
      explain: {
        en: 'Differentiated Services Code Point: asks routers for a class of service (priority). Usually 0, best effort.',
        'zh-CN': '区分服务码点（DSCP）：请求路由器给予某种服务等级（优先级），通常为 0，即尽力而为。',
      },
    },
    {
      name: 'ecn',
      bits: 2,
      show: showEcn,
      title: { en: 'Explicit congestion notification (ECN)', 'zh-CN': '显式拥塞通知（ECN）' },
      explain: {
        en: 'Explicit Congestion Notification: lets a router mark congestion instead of dropping the packet, if both ends support it.',
        'zh-CN': '显式拥塞通知（ECN）：若两端都支持，路由器拥塞时可以打上标记，而不必丢弃数据包。',
      },
    },
    {
      name: 'totalLength',
      bytes: 2,
      show: (raw) => plural(raw, 'byte'),
      title: { en: 'Total length', 'zh-CN': '总长度' },
      explain: {
        en: 'Total length of this IP packet, header plus data, in bytes.',
        'zh-CN': '总长度：整个 IP 数据报（首部加数据）的字节数。',
      },
    },
    {
      name: 'id',
      bytes: 2,
      show: (raw) => `0x${raw.toString(16).padStart(4, '0')} (${raw})`,
      title: { en: 'Identification', 'zh-CN': '标识' },
      explain: {
        en: 'Identification: a number the sender gives each datagram, so the fragments of one datagram can be put back together.',
        'zh-CN': '标识：发送方给每个数据报编的号，分片时同一数据报的各个分片带相同的标识，便于重新组装。',
      },
    },
    {
      name: 'flags',
      bits: 3,
      show: (raw) => {
        const set = [raw & 2 ? "DF (don't fragment)" : '', raw & 1 ? 'MF (more fragments)' : ''].filter(Boolean);
        return `0b${raw.toString(2).padStart(3, '0')}${set.length ? ` (${set.join(', ')})` : ''}`;
      },
      title: { en: 'Flags', 'zh-CN': '标志位' },
      explain: {
        en: 'Fragmentation flags: a reserved bit, Don\'t Fragment (DF) and More Fragments (MF).',
        'zh-CN': '分片标志：一个保留位、不分片（DF）位和更多分片（MF）位。',
      },
      children: [
        {
          name: 'reserved',
          bits: 1,
          title: { en: 'Reserved bit', 'zh-CN': '保留位' },
          explain: { en: 'Reserved bit: must be 0.', 'zh-CN': '保留位：必须为 0。' },
        },
        {
          name: 'df',
          bits: 1,
          title: { en: "Don't fragment (DF)", 'zh-CN': '不分片（DF）' },
          explain: {
            en: "Don't Fragment: routers must not split this packet; if it is too big for a link, it is dropped and the sender is told (used for path MTU discovery).",
            'zh-CN': '不分片（DF）：路由器不得对该数据报分片；若它超过某条链路的 MTU，就丢弃并通知发送方（用于路径 MTU 发现）。',
          },
        },
        {
          name: 'mf',
          bits: 1,
          title: { en: 'More fragments (MF)', 'zh-CN': '更多分片（MF）' },
          explain: {
            en: 'More Fragments: set on every fragment except the last one of a fragmented datagram.',
            'zh-CN': '更多分片（MF）：被分片的数据报中，除最后一片外，每一片都置 1。',
          },
        },
      ],
    },
    {
      name: 'fragmentOffset',
      bits: 13,
      show: (raw) => `${raw} (×8 = ${raw * 8} bytes)`,
      title: { en: 'Fragment offset', 'zh-CN': '片偏移' },
      explain: {
        en: 'Fragment offset, in 8-byte units: where this fragment\'s data belongs in the original datagram. 0 for an unfragmented packet.',
        'zh-CN': '片偏移，以 8 字节为单位：该分片的数据在原数据报中的位置。未分片的数据报为 0。',
      },
    },
    {
      name: 'ttl',
      bytes: 1,
      show: (raw) => `${raw} hops`,
      title: { en: 'Time to live (TTL)', 'zh-CN': '生存时间（TTL）' },
      explain: {
        en: 'Time To Live: each router lowers it by one and drops the packet at 0, so a packet caught in a routing loop cannot circle forever.',
        'zh-CN': '生存时间（TTL）：每经过一个路由器减 1，减到 0 就丢弃，防止数据包在路由环路中无限转圈。',
      },
    },
    {
      name: 'protocol',
      bytes: 1,
      show: showIpProtocol,
      title: { en: 'Protocol', 'zh-CN': '协议' },
      explain: {
        en: 'Protocol: which transport-layer protocol the data belongs to, e.g. 6 for TCP, 17 for UDP.',
        'zh-CN': '协议：数据部分属于哪种上层协议，例如 6 表示 TCP，17 表示 UDP。',
      },
    },
    {
      name: 'checksum',
      bytes: 2,
      format: 'hex',
      title: { en: 'Header checksum', 'zh-CN': '首部校验和' },
      explain: {
        en: 'Header checksum: covers the IP header only, so a router can detect a damaged header. Recomputed at every hop because the TTL changes.',
        'zh-CN': '首部校验和：只校验 IP 首部，路由器据此发现首部是否出错。由于 TTL 每跳都变，每一跳都要重新计算。',
      },
    },
    {
      name: 'src',
      bytes: 4,
      format: 'ipv4',
      title: { en: 'Source IP address', 'zh-CN': '源 IP 地址' },
      explain: {
        en: 'Source IP address: the host that sent the packet. 127.0.0.1 is this machine\'s loopback address.',
        'zh-CN': '源 IP 地址：发送该数据包的主机。127.0.0.1 是本机的回环地址。',
      },
    },
    {
      name: 'dst',
      bytes: 4,
      format: 'ipv4',
      title: { en: 'Destination IP address', 'zh-CN': '目的 IP 地址' },
      explain: {
        en: 'Destination IP address: the host the packet is for.',
        'zh-CN': '目的 IP 地址：数据包要送达的主机。',
      },
    },
  ],
  extra: {
    options: {
      title: { en: 'Options', 'zh-CN': '选项' },
      explain: {
        en: 'IP options: rarely used extras (such as Record Route or Router Alert), present only when the header length is more than 5 words.',
        'zh-CN': 'IP 选项：很少使用的附加内容（例如记录路由、路由器告警），只有首部长度大于 5 时才出现。',
      },
    },
  },
};

function describeOptions(bytes: Uint8Array): string {
  const names: string[] = [];
  for (let i = 0; i < bytes.length && names.length < 40; ) {
    const kind = bytes[i]!;
    const name = OPTION_NAMES[kind] ?? `kind ${kind}`;
    if (kind === 0) {
      names.push(name);
      break;
    }
    if (kind === 1) {
      names.push(name);
      i++;
      continue;
    }
    const len = bytes[i + 1] ?? 0;
    if (len < 2 || i + len > bytes.length) {
      names.push(`${name} (invalid length ${len})`);
      break;
    }
    names.push(`${name} (${len} bytes)`);
    i += len;
  }
  return names.join(', ');
}

function setChecksum(field: Field, header: Uint8Array): void {
  const stored = Number(field.raw);
  const hex = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`;
  if (onesComplementSum(header, 0, header.length) === 0xffff) {
    field.checksum = 'ok';
    field.display = `${hex(stored)} (correct)`;
  } else {
    const rest = fold(onesComplementSum(header, 0, 10) + onesComplementSum(header, 12, header.length));
    const expected = 0xffff - rest;
    field.checksum = 'bad';
    field.display = `${hex(stored)} (incorrect, should be ${hex(expected)})`;
  }
}

export const ipv4: Protocol = {
  def: { ...ipv4Def, name: 'ipv4' },
  osi: 'network',
  decode(ctx, offset, end) {
    const { data } = ctx;
    const read = readFields(data, 'ipv4', offset, end, ipv4Def.fields);
    const layer: Layer = { name: 'ipv4', osi: 'network', offset, length: read.end - offset, fields: read.fields };
    const fail = (reason: string): { layer: Layer } => ({ layer: { ...layer, malformed: reason } });
    const version = read.values.get('version');
    if (version !== undefined && version !== 4) return fail(`the version field is ${version}, not 4`);
    const ihl = read.values.get('ihl');
    if (ihl !== undefined && ihl < 5) {
      return fail(`the header length (IHL) is ${ihl} (${ihl * 4} bytes), less than the minimum of 5 (20 bytes)`);
    }
    if (read.missing) return fail(missingBytesReason(ctx, 'an IPv4 header', offset, 20));
    const headerLength = (ihl ?? 5) * 4;
    const src = data.slice(offset + 12, offset + 16);
    const dst = data.slice(offset + 16, offset + 20);
    ctx.summary.ip = 4;
    ctx.summary.src = formatIpv4(src);
    ctx.summary.dst = formatIpv4(dst);
    if (offset + headerLength > end) {
      return fail(`the header length says ${headerLength} bytes, but only ${end - offset} bytes follow the link header`);
    }
    if (offset + headerLength > data.length) {
      return fail(missingBytesReason(ctx, 'the IPv4 header with its options', offset, headerLength));
    }
    layer.length = headerLength;
    if (headerLength > 20) {
      const options = data.subarray(offset + 20, offset + headerLength);
      read.fields.push(bytesField(data, 'options', 'ipv4.options', offset + 20, headerLength - 20, describeOptions(options)));
    }
    const checksum = read.fields.find((f) => f.name === 'checksum');
    if (checksum) setChecksum(checksum, data.subarray(offset, offset + headerLength));

    const totalLength = read.values.get('totalLength') ?? 0;
    if (totalLength < headerLength) {
      return fail(`the total length is ${totalLength} bytes, smaller than the ${headerLength}-byte header`);
    }
    let datagramEnd = offset + totalLength;
    if (datagramEnd > end) {
      layer.malformed = `the total length says ${totalLength} bytes, but the frame carries only ${end - offset} bytes for this packet`;
      datagramEnd = end;
    }
    const flags = read.values.get('flags') ?? 0;
    const fragmentOffset = read.values.get('fragmentOffset') ?? 0;
    ctx.ip = { version: 4, src, dst, fragmented: (flags & 1) === 1 || fragmentOffset > 0 };
    const protocol = read.values.get('protocol') ?? 0;
    const start = offset + headerLength;
    if (fragmentOffset > 0) {
      const note = `a later fragment (offset ${fragmentOffset * 8} bytes) of a ${showIpProtocol(protocol)} datagram; its header is in the first fragment`;
      return { layer, next: { table: 'opaque', value: protocol, offset: start, end: datagramEnd, note } };
    }
    return { layer, next: { table: 'ipProtocol', value: protocol, offset: start, end: datagramEnd } };
  },
};
