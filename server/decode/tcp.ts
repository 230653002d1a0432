/** TCP (RFC 9293): a reliable, connection-oriented byte stream between two ports. */
import type { Layer } from '../contract/trace.js';
import { checksumDisplay, verifyTransportChecksum } from './checksum.js';
import { readFields, type FieldDef, type LayerDef } from './fields.js';
import { missingBytesReason, type Protocol } from './protocol.js';
import { parseTcpOptions, tcpOptionTexts } from './tcp-options.js';

export const TCP_PROTOCOL = 6;

/** Flag names in wire order, most significant bit first. */
export const TCP_FLAG_NAMES = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;
/** The order Wireshark lists flags in its info column (`[SYN, ACK]`). */
const INFO_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

function flagNames(bits: number): string[] {
  return TCP_FLAG_NAMES.filter((_, i) => bits & (0x80 >> i));
}

const flagChildren: FieldDef[] = [
  {
    name: 'cwr',
    bits: 1,
    title: { en: 'CWR', 'zh-CN': 'CWR' },
    explain: {
      en: 'CWR, Congestion Window Reduced: the sender has slowed down in answer to an ECN congestion signal.',
      'zh-CN': 'CWR（拥塞窗口已减小）：发送方收到 ECN 拥塞信号后已经放慢了发送速度。',
    },
  },
  {
    name: 'ece',
    bits: 1,
    title: { en: 'ECE', 'zh-CN': 'ECE' },
    explain: {
      en: 'ECE, ECN-Echo: tells the peer that the network signalled congestion (or, in a SYN, that ECN is supported).',
      'zh-CN': 'ECE（ECN 回显）：告诉对方网络中出现了拥塞（在 SYN 中表示支持 ECN）。',
    },
  },
  {
    name: 'urg',
    bits: 1,
    title: { en: 'URG', 'zh-CN': 'URG' },
    explain: {
      en: 'URG, Urgent: the urgent pointer field is meaningful. Rarely used today.',
      'zh-CN': 'URG（紧急）：紧急指针字段有效。如今很少使用。',
    },
  },
  {
    name: 'ack',
    bits: 1,
    title: { en: 'ACK', 'zh-CN': 'ACK' },
    explain: {
      en: 'ACK: the acknowledgement number is valid. Set on every segment after the first SYN of a connection.',
      'zh-CN': 'ACK（确认）：确认号字段有效。连接建立后，除最初的 SYN 外，所有报文段都置 1。',
    },
  },
  {
    name: 'psh',
    bits: 1,
    title: { en: 'PSH', 'zh-CN': 'PSH' },
    explain: {
      en: 'PSH, Push: the receiver should hand the data to the application now instead of waiting for more.',
      'zh-CN': 'PSH（推送）：接收方应尽快把数据交给应用程序，而不是等缓冲区填满。',
    },
  },
  {
    name: 'rst',
    bits: 1,
    title: { en: 'RST', 'zh-CN': 'RST' },
    explain: {
      en: 'RST, Reset: abort the connection at once. Sent, for example, when a SYN arrives at a port where nothing is listening.',
      'zh-CN': 'RST（复位）：立即中止连接。例如 SYN 到达一个没有程序监听的端口时，对方就回复 RST。',
    },
  },
  {
    name: 'syn',
    bits: 1,
    title: { en: 'SYN', 'zh-CN': 'SYN' },
    explain: {
      en: 'SYN, Synchronize: opens a connection and carries the initial sequence number. Used in the first two segments of the three-way handshake.',
      'zh-CN': 'SYN（同步）：请求建立连接，并携带初始序列号。出现在三次握手的前两个报文段中。',
    },
  },
  {
    name: 'fin',
    bits: 1,
    title: { en: 'FIN', 'zh-CN': 'FIN' },
    explain: {
      en: 'FIN, Finish: this side has no more data to send. Each side sends its own FIN when it closes, so closing takes four segments (the four-way teardown).',
      'zh-CN': 'FIN（终止）：本方的数据已经发送完毕。双方关闭时各发一个 FIN，所以断开连接称为“四次挥手”。',
    },
  },
];

export const tcpDef: LayerDef = {
  name: 'tcp',
  title: { en: 'Transmission Control Protocol (TCP)', 'zh-CN': '传输控制协议（TCP）' },
  explain: {
    en: 'TCP, the transport layer for a reliable byte stream: it numbers every byte, acknowledges what arrived, resends what was lost, and keeps no message boundaries.',
    'zh-CN': 'TCP，传输层协议，提供可靠的字节流：给每个字节编号，确认收到的数据，重传丢失的数据，并且不保留消息边界。',
  },
  fields: [
    {
      name: 'sport',
      bytes: 2,
      title: { en: 'Source port', 'zh-CN': '源端口' },
      explain: {
        en: 'Source port: identifies the sending program\'s socket on its host. A client usually gets a random (ephemeral) port from the kernel.',
        'zh-CN': '源端口：标识发送方主机上发送数据的套接字。客户端的端口通常由内核随机分配（临时端口）。',
      },
    },
    {
      name: 'dport',
      bytes: 2,
      title: { en: 'Destination port', 'zh-CN': '目的端口' },
      explain: {
        en: 'Destination port: which socket on the receiving host gets the data, e.g. the port the server listens on.',
        'zh-CN': '目的端口：数据交给接收方主机上的哪个套接字，例如服务器正在监听的端口。',
      },
    },
    {
      name: 'seq',
      bytes: 4,
      title: { en: 'Sequence number', 'zh-CN': '序列号' },
      explain: {
        en: 'Sequence number: the number of the first data byte in this segment. The SYN carries a random initial number, and the SYN itself counts as one byte.',
        'zh-CN': '序列号：本报文段第一个数据字节的编号。SYN 携带随机选取的初始序列号，SYN 本身也占用一个序号。',
      },
    },
    {
      name: 'ack',
      bytes: 4,
      title: { en: 'Acknowledgement number', 'zh-CN': '确认号' },
      explain: {
        en: 'Acknowledgement number: the next byte number this side expects from the peer, so every byte before it has arrived. Valid only when the ACK flag is set.',
        'zh-CN': '确认号：本方期望从对方收到的下一个字节的序号，表示在此之前的字节都已收到。仅当 ACK 标志置 1 时有效。',
      },
    },
    {
      name: 'dataOffset',
      bits: 4,
      show: (raw) => `${raw} (${raw * 4} bytes)`,
      title: { en: 'Header length (data offset)', 'zh-CN': '首部长度（数据偏移）' },
      explain: {
        en: 'Data offset (header length) in 4-byte words: 5 means a 20-byte header with no options. It tells where the data starts.',
        'zh-CN': '数据偏移（首部长度），以 4 字节为单位：5 表示 20 字节、没有选项的首部。它指出数据从哪里开始。',
      },
    },
    {
      name: 'reserved',
      bits: 4,
      title: { en: 'Reserved bits', 'zh-CN': '保留位' },
      explain: {
        en: 'Reserved bits: must be zero.',
        'zh-CN': '保留位：必须为 0。',
      },
    },
    {
      name: 'flags',
      bits: 8,
      show: (raw) => {
        const set = flagNames(raw);
        const ordered = INFO_ORDER.filter((n) => set.includes(n as (typeof TCP_FLAG_NAMES)[number]));
        return `0x${raw.toString(16).padStart(2, '0')} (${ordered.length ? ordered.join(', ') : 'none'})`;
      },
      title: { en: 'Flags', 'zh-CN': '标志位' },
      explain: {
        en: 'Control flags: eight one-bit switches (CWR, ECE, URG, ACK, PSH, RST, SYN, FIN) that say what this segment does.',
        'zh-CN': '控制标志：8 个 1 位的开关（CWR、ECE、URG、ACK、PSH、RST、SYN、FIN），说明该报文段的作用。',
      },
      children: flagChildren,
    },
    {
      name: 'window',
      bytes: 2,
      title: { en: 'Window', 'zh-CN': '窗口' },
      explain: {
        en: 'Window: how many more bytes this side can receive right now (flow control). After the handshake it is multiplied by the agreed window-scale factor.',
        'zh-CN': '窗口：本方当前还能接收多少字节（流量控制）。握手之后，实际窗口要乘以协商好的窗口扩大倍数。',
      },
    },
    {
      name: 'checksum',
      bytes: 2,
      format: 'hex',
      title: { en: 'Checksum', 'zh-CN': '校验和' },
      explain: {
        en: 'Checksum over the TCP header, the data and a pseudo-header of IP addresses. On loopback Linux leaves it unfinished (checksum offload), since no bytes can be damaged inside the machine.',
        'zh-CN': '校验和：覆盖 TCP 首部、数据以及由 IP 地址等组成的伪首部。在回环接口上 Linux 不计算完整的校验和（校验和卸载），因为数据在本机内部不会损坏。',
      },
    },
    {
      name: 'urgentPointer',
      bytes: 2,
      title: { en: 'Urgent pointer', 'zh-CN': '紧急指针' },
      explain: {
        en: 'Urgent pointer: where urgent data ends, meaningful only with the URG flag. Normally 0.',
        'zh-CN': '紧急指针：指出紧急数据在哪里结束，只有 URG 置 1 时才有意义，通常为 0。',
      },
    },
  ],
  extra: tcpOptionTexts,
};

export const tcp: Protocol = {
  def: { ...tcpDef, name: 'tcp' },
  osi: 'transport',
  decode(ctx, offset, end) {
    const { data, summary } = ctx;
    const read = readFields(data, 'tcp', offset, end, tcpDef.fields);
    const layer: Layer = { name: 'tcp', osi: 'transport', offset, length: read.end - offset, fields: read.fields };
    const fail = (reason: string): { layer: Layer } => ({ layer: { ...layer, malformed: reason } });
    const v = read.values;
    summary.proto = 'tcp';
    const sport = v.get('sport');
    const dport = v.get('dport');
    if (sport !== undefined) summary.sport = sport;
    if (dport !== undefined) summary.dport = dport;
    if (read.missing) {
      const reason = end - offset < 20 && end <= data.length
        ? `the segment is only ${end - offset} bytes, less than the 20-byte TCP header`
        : missingBytesReason(ctx, 'a TCP header', offset, 20);
      return fail(reason);
    }
    const seq = v.get('seq') ?? 0;
    const ack = v.get('ack') ?? 0;
    const flags = v.get('flags') ?? 0;
    const window = v.get('window') ?? 0;
    summary.seq = seq;
    summary.ack = ack;
    summary.flags = flagNames(flags);
    summary.window = window;
    const dataOffset = v.get('dataOffset') ?? 0;
    const headerLength = dataOffset * 4;
    if (dataOffset < 5) {
      return fail(`the data offset is ${dataOffset} (${headerLength} bytes), less than the minimum of 5 (20 bytes)`);
    }
    if (offset + headerLength > end) {
      return fail(`the data offset says the header is ${headerLength} bytes, but the segment is only ${end - offset} bytes`);
    }
    if (offset + headerLength > data.length) {
      return fail(missingBytesReason(ctx, 'the TCP header with its options', offset, headerLength));
    }
    layer.length = headerLength;
    const info: string[] = [];
    if (headerLength > 20) {
      const options = parseTcpOptions(data, offset + 20, offset + headerLength);
      read.fields.push(options.field);
      summary.options = options.summary;
      info.push(...options.info);
      if (options.malformed) layer.malformed = options.malformed;
    }
    const checksum = read.fields.find((f) => f.name === 'checksum');
    if (checksum) {
      const stored = Number(checksum.raw);
      const result = verifyTransportChecksum(data, offset, end, stored, offset + 16, ctx.ip, TCP_PROTOCOL);
      checksum.checksum = result.status;
      checksum.display = checksumDisplay(stored, result);
    }
    const payloadStart = offset + headerLength;
    summary.payloadLength = end - payloadStart;
    const set = summary.flags;
    const words = [`${sport} → ${dport}`, `[${INFO_ORDER.filter((n) => set.includes(n)).join(', ')}]`, `Seq=${seq}`];
    if (set.includes('ACK')) words.push(`Ack=${ack}`);
    words.push(`Win=${window}`, `Len=${summary.payloadLength}`);
    if (set.includes('URG')) words.push(`Urg=${v.get('urgentPointer') ?? 0}`);
    summary.info = [...words, ...info].join(' ');
    return { layer, next: { table: 'payload', value: 0, offset: payloadStart, end } };
  },
};

