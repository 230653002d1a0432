/** IPv6 (RFC 8200): fixed 40-byte header, then any extension headers, then the transport. */
import type { Field, Layer, SubField } from '../contract/trace.js';
import { formatIpv6, plural, readBits, readFields, toHex, type LayerDef } from './fields.js';
import { IP_PROTOCOL_NAMES, showDscp, showEcn, showIpProtocol } from './ip-protocols.js';
import { missingBytesReason, type Protocol } from './protocol.js';

/** Extension headers this decoder steps over, by next-header number. */
const EXTENSION_KEYS: Record<number, string> = {
  0: 'hopByHop',
  43: 'routing',
  44: 'fragment',
  60: 'destination',
};
const NO_NEXT_HEADER = 59;
const MAX_EXTENSION_HEADERS = 8;

export const ipv6Def: LayerDef = {
  name: 'ipv6',
  title: { en: 'Internet Protocol version 6 (IPv6)', 'zh-CN': '网际协议第 6 版（IPv6）' },
  explain: {
    en: 'IPv6, the newer network layer: like IPv4 it carries the packet from host to host, but with 128-bit addresses and a simpler fixed 40-byte header.',
    'zh-CN': 'IPv6，新一代网络层协议：和 IPv4 一样负责把数据包从一台主机送到另一台主机，但使用 128 位地址，首部固定为 40 字节，更为简洁。',
  },
  fields: [
    {
      name: 'version',
      bits: 4,
      title: { en: 'Version', 'zh-CN': '版本' },
      explain: {
        en: 'IP version: 6 for IPv6.',
        'zh-CN': '版本号：IPv6 为 6。',
      },
    },
    {
      name: 'trafficClass',
      bits: 8,
      format: 'hex',
      title: { en: 'Traffic class', 'zh-CN': '通信量类' },
      explain: {
        en: 'Traffic class: the IPv6 counterpart of IPv4\'s DSCP and ECN bits, for priority and congestion marking.',
        'zh-CN': '通信量类：相当于 IPv4 的 DSCP 和 ECN 字段，用于优先级和拥塞标记。',
      },
      children: [
        {
          name: 'dscp',
          bits: 6,
          show: showDscp,
          title: { en: 'Differentiated services (DSCP)', 'zh-CN': '区分服务（DSCP）' },
          explain: {
            en: 'Differentiated Services Code Point: the class of service asked for. Usually 0.',
            'zh-CN': '区分服务码点（DSCP）：请求的服务等级，通常为 0。',
          },
        },
        {
          name: 'ecn',
          bits: 2,
          show: showEcn,
          title: { en: 'Explicit congestion notification (ECN)', 'zh-CN': '显式拥塞通知（ECN）' },
          explain: {
            en: 'Explicit Congestion Notification bits, as in IPv4.',
            'zh-CN': '显式拥塞通知（ECN）位，含义与 IPv4 相同。',
          },
        },
      ],
    },
    {
      name: 'flowLabel',
      bits: 20,
      format: 'hex',
      title: { en: 'Flow label', 'zh-CN': '流标签' },
      explain: {
        en: 'Flow label: a number the sender picks for one flow (here, one connection) so routers can keep its packets on the same path.',
        'zh-CN': '流标签：发送方为一条“流”（这里即一个连接）选定的编号，路由器可据此让同一流的数据包走同一路径。',
      },
    },
    {
      name: 'payloadLength',
      bytes: 2,
      show: (raw) => plural(raw, 'byte'),
      title: { en: 'Payload length', 'zh-CN': '有效载荷长度' },
      explain: {
        en: 'Payload length: bytes after the 40-byte fixed header (extension headers plus the transport segment).',
        'zh-CN': '有效载荷长度：40 字节固定首部之后的字节数（扩展首部加上传输层报文段）。',
      },
    },
    {
      name: 'nextHeader',
      bytes: 1,
      show: showIpProtocol,
      title: { en: 'Next header', 'zh-CN': '下一个首部' },
      explain: {
        en: 'Next header: what follows this header, an extension header or the transport protocol (6 for TCP, 17 for UDP). It plays the role of IPv4\'s protocol field.',
        'zh-CN': '下一个首部：紧跟其后的是什么，可能是扩展首部，也可能是传输层协议（6 为 TCP，17 为 UDP），相当于 IPv4 的协议字段。',
      },
    },
    {
      name: 'hopLimit',
      bytes: 1,
      show: (raw) => `${raw} hops`,
      title: { en: 'Hop limit', 'zh-CN': '跳数限制' },
      explain: {
        en: 'Hop limit: lowered by one at each router; the packet is dropped at 0. The IPv6 name for IPv4\'s TTL.',
        'zh-CN': '跳数限制：每经过一个路由器减 1，减到 0 就丢弃，相当于 IPv4 的 TTL。',
      },
    },
    {
      name: 'src',
      bytes: 16,
      format: 'ipv6',
      title: { en: 'Source IPv6 address', 'zh-CN': '源 IPv6 地址' },
      explain: {
        en: 'Source IPv6 address. ::1 is this machine\'s loopback address.',
        'zh-CN': '源 IPv6 地址。::1 是本机的回环地址。',
      },
    },
    {
      name: 'dst',
      bytes: 16,
      format: 'ipv6',
      title: { en: 'Destination IPv6 address', 'zh-CN': '目的 IPv6 地址' },
      explain: {
        en: 'Destination IPv6 address.',
        'zh-CN': '目的 IPv6 地址。',
      },
    },
  ],
  extra: {
    'ext.hopByHop': {
      title: { en: 'Hop-by-hop options header', 'zh-CN': '逐跳选项扩展首部' },
      explain: {
        en: 'Hop-by-Hop Options extension header: options every router on the path must look at.',
        'zh-CN': '逐跳选项扩展首部：路径上每个路由器都必须检查的选项。',
      },
    },
    'ext.routing': {
      title: { en: 'Routing header', 'zh-CN': '路由扩展首部' },
      explain: {
        en: 'Routing extension header: lists routers the packet must pass through.',
        'zh-CN': '路由扩展首部：列出数据包必须经过的路由器。',
      },
    },
    'ext.fragment': {
      title: { en: 'Fragment header', 'zh-CN': '分片扩展首部' },
      explain: {
        en: 'Fragment extension header: in IPv6 only the sender fragments; this header says where this piece belongs.',
        'zh-CN': '分片扩展首部：IPv6 中只有源主机才能分片，该首部说明这一片在原数据报中的位置。',
      },
    },
    'ext.destination': {
      title: { en: 'Destination options header', 'zh-CN': '目的选项扩展首部' },
      explain: {
        en: 'Destination Options extension header: options only the destination host looks at.',
        'zh-CN': '目的选项扩展首部：只有目的主机才会检查的选项。',
      },
    },
    'ext.nextHeader': {
      title: { en: 'Next header', 'zh-CN': '下一个首部' },
      explain: {
        en: 'Next header: what follows this extension header.',
        'zh-CN': '下一个首部：该扩展首部之后紧跟的内容。',
      },
    },
    'ext.length': {
      title: { en: 'Header extension length', 'zh-CN': '扩展首部长度' },
      explain: {
        en: 'Header extension length: the size of this extension header in 8-byte units, not counting the first 8 bytes.',
        'zh-CN': '扩展首部长度：以 8 字节为单位，不含最前面的 8 字节。',
      },
    },
    'ext.fragmentOffset': {
      title: { en: 'Fragment offset', 'zh-CN': '片偏移' },
      explain: {
        en: 'Fragment offset in 8-byte units: where this fragment\'s data goes in the original packet.',
        'zh-CN': '片偏移，以 8 字节为单位：该分片的数据在原数据报中的位置。',
      },
    },
    'ext.mf': {
      title: { en: 'More fragments (M)', 'zh-CN': '更多分片（M）' },
      explain: {
        en: 'More fragments: set on every fragment but the last.',
        'zh-CN': '更多分片：除最后一片外都置 1。',
      },
    },
    'ext.identification': {
      title: { en: 'Identification', 'zh-CN': '标识' },
      explain: {
        en: 'Identification: the same for all fragments of one original packet.',
        'zh-CN': '标识：同一原始数据报的所有分片标识相同。',
      },
    },
  },
};

function extensionField(data: Uint8Array, kind: number, key: string, name: string, at: number, length: number): Field {
  const sub = (child: string, explain: string, offset: number, len: number, raw: number, display: string, bits?: [number, number]): SubField => {
    const f: SubField = { name: `${name}.${child}`, explain: `ipv6.ext.${explain}`, offset, length: len, raw, display };
    if (bits) {
      f.bitOffset = bits[0];
      f.bitLength = bits[1];
    }
    return f;
  };
  const next = data[at]!;
  const children: SubField[] = [sub('nextHeader', 'nextHeader', at, 1, next, showIpProtocol(next))];
  if (kind === 44) {
    const fragmentOffset = readBits(data, at + 2, 0, 13);
    const mf = data[at + 3]! & 1;
    const id = readBits(data, at + 4, 0, 32);
    children.push(
      sub('fragmentOffset', 'fragmentOffset', at + 2, 2, fragmentOffset, `${fragmentOffset} (×8 = ${fragmentOffset * 8} bytes)`, [0, 13]),
      sub('mf', 'mf', at + 3, 1, mf, mf ? 'set' : 'not set', [7, 1]),
      sub('identification', 'identification', at + 4, 4, id, `0x${id.toString(16).padStart(8, '0')}`),
    );
  } else {
    const len = data[at + 1]!;
    children.push(sub('length', 'length', at + 1, 1, len, `${len} (${(len + 1) * 8} bytes in all)`));
  }
  return {
    name,
    explain: `ipv6.ext.${key}`,
    offset: at,
    length,
    raw: toHex(data.subarray(at, at + length)),
    display: `${IP_PROTOCOL_NAMES[kind] ?? kind} (${plural(length, 'byte')})`,
    children,
  };
}

export const ipv6: Protocol = {
  def: { ...ipv6Def, name: 'ipv6' },
  osi: 'network',
  decode(ctx, offset, end) {
    const { data } = ctx;
    const read = readFields(data, 'ipv6', offset, end, ipv6Def.fields);
    const layer: Layer = { name: 'ipv6', osi: 'network', offset, length: read.end - offset, fields: read.fields };
    const fail = (reason: string): { layer: Layer } => ({ layer: { ...layer, malformed: reason } });
    const version = read.values.get('version');
    if (version !== undefined && version !== 6) return fail(`the version field is ${version}, not 6`);
    if (read.missing) return fail(missingBytesReason(ctx, 'an IPv6 header', offset, 40));
    const src = data.slice(offset + 8, offset + 24);
    const dst = data.slice(offset + 24, offset + 40);
    ctx.summary.ip = 6;
    ctx.summary.src = formatIpv6(src);
    ctx.summary.dst = formatIpv6(dst);
    const payloadLength = read.values.get('payloadLength') ?? 0;
    let packetEnd = offset + 40 + payloadLength;
    if (packetEnd > end) {
      layer.malformed = `the payload length says ${payloadLength} bytes, but the frame carries only ${Math.max(0, end - offset - 40)} bytes after the IPv6 header`;
      packetEnd = end;
    }
    ctx.ip = { version: 6, src, dst, fragmented: false };
    let next = read.values.get('nextHeader') ?? 0;
    let at = offset + 40;
    const seen = new Map<string, number>();
    for (let count = 0; count < MAX_EXTENSION_HEADERS; count++) {
      const key = EXTENSION_KEYS[next];
      if (key === undefined) break;
      const what = `the ${IP_PROTOCOL_NAMES[next]} header`;
      if (at + 8 > packetEnd) return fail(`${what} at byte ${at} runs past the end of the packet`);
      if (at + 8 > data.length) return fail(missingBytesReason(ctx, what, at, 8));
      const length = next === 44 ? 8 : (data[at + 1]! + 1) * 8;
      if (at + length > packetEnd) return fail(`${what} at byte ${at} is ${length} bytes long and runs past the end of the packet`);
      if (at + length > data.length) return fail(missingBytesReason(ctx, what, at, length));
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const field = extensionField(data, next, key, n === 1 ? `ext.${key}` : `ext.${key}-${n}`, at, length);
      read.fields.push(field);
      if (next === 44) {
        ctx.ip.fragmented = true;
        const fragmentOffset = readBits(data, at + 2, 0, 13);
        if (fragmentOffset > 0) {
          const proto = data[at]!;
          layer.length = at + length - offset;
          const note = `a later fragment (offset ${fragmentOffset * 8} bytes) of a ${showIpProtocol(proto)} packet; its header is in the first fragment`;
          return { layer, next: { table: 'opaque', value: proto, offset: at + length, end: packetEnd, note } };
        }
      }
      next = data[at]!;
      at += length;
    }
    layer.length = at - offset;
    if (EXTENSION_KEYS[next] !== undefined) return fail(`more than ${MAX_EXTENSION_HEADERS} extension headers`);
    if (next === NO_NEXT_HEADER) return { layer };
    return { layer, next: { table: 'ipProtocol', value: next, offset: at, end: packetEnd } };
  },
};
