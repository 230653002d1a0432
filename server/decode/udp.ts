/** UDP (RFC 768): connectionless datagrams, one message each, with an 8-byte header. */
import type { Layer } from '../contract/trace.js';
import { checksumDisplay, verifyTransportChecksum } from './checksum.js';
import { plural, readFields, type LayerDef } from './fields.js';
import { missingBytesReason, type Protocol } from './protocol.js';

export const UDP_PROTOCOL = 17;

export const udpDef: LayerDef = {
  name: 'udp',
  title: { en: 'User Datagram Protocol (UDP)', 'zh-CN': '用户数据报协议（UDP）' },
  explain: {
    en: 'UDP, the lightweight transport layer: no connection, no acknowledgements, no resending. Each datagram is one whole message, delivered once or not at all.',
    'zh-CN': 'UDP，轻量级的传输层协议：无连接、不确认、不重传。每个数据报就是一条完整的消息，要么完整送达，要么丢失。',
  },
  fields: [
    {
      name: 'sport',
      bytes: 2,
      title: { en: 'Source port', 'zh-CN': '源端口' },
      explain: {
        en: 'Source port: the sending socket\'s port, where a reply can be sent.',
        'zh-CN': '源端口：发送方套接字的端口，需要回复时就发往这里。',
      },
    },
    {
      name: 'dport',
      bytes: 2,
      title: { en: 'Destination port', 'zh-CN': '目的端口' },
      explain: {
        en: 'Destination port: which socket on the receiving host gets the datagram.',
        'zh-CN': '目的端口：数据报交给接收方主机上的哪个套接字。',
      },
    },
    {
      name: 'length',
      bytes: 2,
      show: (raw) => `${plural(raw, 'byte')} (8 header + ${Math.max(0, raw - 8)} data)`,
      title: { en: 'Length', 'zh-CN': '长度' },
      explain: {
        en: 'Length of the whole datagram, header plus data, in bytes. An empty message gives 8: the header alone.',
        'zh-CN': '长度：整个数据报（首部加数据）的字节数。空消息的长度为 8，即只有首部。',
      },
    },
    {
      name: 'checksum',
      bytes: 2,
      format: 'hex',
      title: { en: 'Checksum', 'zh-CN': '校验和' },
      explain: {
        en: 'Checksum over the header, the data and a pseudo-header of IP addresses. 0 over IPv4 means no checksum; on loopback Linux leaves it unfinished (checksum offload).',
        'zh-CN': '校验和：覆盖 UDP 首部、数据以及由 IP 地址等组成的伪首部。在 IPv4 上为 0 表示不使用校验和；在回环接口上 Linux 不计算完整的校验和（校验和卸载）。',
      },
    },
  ],
};

export const udp: Protocol = {
  def: { ...udpDef, name: 'udp' },
  osi: 'transport',
  decode(ctx, offset, end) {
    const { data, summary } = ctx;
    const read = readFields(data, 'udp', offset, end, udpDef.fields);
    const layer: Layer = { name: 'udp', osi: 'transport', offset, length: read.end - offset, fields: read.fields };
    const fail = (reason: string): { layer: Layer } => ({ layer: { ...layer, malformed: reason } });
    const v = read.values;
    summary.proto = 'udp';
    const sport = v.get('sport');
    const dport = v.get('dport');
    if (sport !== undefined) summary.sport = sport;
    if (dport !== undefined) summary.dport = dport;
    if (read.missing) {
      const reason = end - offset < 8 && end <= data.length
        ? `the datagram is only ${end - offset} bytes, less than the 8-byte UDP header`
        : missingBytesReason(ctx, 'a UDP header', offset, 8);
      return fail(reason);
    }
    const length = v.get('length') ?? 0;
    if (length < 8) return fail(`the length field is ${length}, less than the 8-byte header`);
    let datagramEnd = offset + length;
    if (datagramEnd > end) {
      layer.malformed = `the length field says ${length} bytes, but the IP packet carries only ${end - offset}`;
      datagramEnd = end;
    } else if (datagramEnd < end) {
      layer.malformed = `the length field says ${length} bytes, but the IP packet carries ${end - offset}; the extra bytes are ignored`;
    }
    const checksum = read.fields.find((f) => f.name === 'checksum');
    if (checksum) {
      const stored = Number(checksum.raw);
      if (stored === 0 && ctx.ip?.version === 4) {
        checksum.checksum = 'unchecked';
        checksum.display = '0x0000 (not used: over IPv4 a UDP checksum is optional)';
      } else {
        const result = verifyTransportChecksum(data, offset, datagramEnd, stored, offset + 6, ctx.ip, UDP_PROTOCOL);
        checksum.checksum = result.status;
        checksum.display = checksumDisplay(stored, result);
      }
    }
    summary.payloadLength = datagramEnd - offset - 8;
    summary.info = `${sport} → ${dport} Len=${summary.payloadLength}`;
    return { layer, next: { table: 'payload', value: 0, offset: offset + 8, end: datagramEnd } };
  },
};
