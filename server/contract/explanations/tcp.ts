/** TCP, its fields, flag bits and options: title and explanation by explain key, in every language. */
import type { Explanation } from './types.js';

export const tcpExplanations = {
  'layer.tcp': {
    title: { en: 'Transmission Control Protocol (TCP)', 'zh-CN': '传输控制协议（TCP）' },
    text: {
      en: 'TCP, the transport layer for a reliable byte stream: it numbers every byte, acknowledges what arrived, resends what was lost, and keeps no message boundaries.',
      'zh-CN': 'TCP，传输层协议，提供可靠的字节流：给每个字节编号，确认收到的数据，重传丢失的数据，并且不保留消息边界。',
    },
  },
  'tcp.sport': {
    title: { en: 'Source port', 'zh-CN': '源端口' },
    text: {
      en: "Source port: identifies the sending program's socket on its host. A client usually gets a random (ephemeral) port from the kernel.",
      'zh-CN': '源端口：标识发送方主机上发送数据的套接字。客户端的端口通常由内核随机分配（临时端口）。',
    },
  },
  'tcp.dport': {
    title: { en: 'Destination port', 'zh-CN': '目的端口' },
    text: {
      en: 'Destination port: which socket on the receiving host gets the data, e.g. the port the server listens on.',
      'zh-CN': '目的端口：数据交给接收方主机上的哪个套接字，例如服务器正在监听的端口。',
    },
  },
  'tcp.seq': {
    title: { en: 'Sequence number', 'zh-CN': '序号' },
    text: {
      en: 'Sequence number: the number of the first data byte in this segment. The SYN carries a random initial number, and the SYN itself counts as one byte.',
      'zh-CN': '序号：本报文段第一个数据字节的编号。SYN 携带随机选取的初始序号，SYN 本身也占用一个序号。',
    },
  },
  'tcp.ack': {
    title: { en: 'Acknowledgement number', 'zh-CN': '确认号' },
    text: {
      en: 'Acknowledgement number: the next byte number this side expects from the peer, so every byte before it has arrived. Valid only when the ACK flag is set.',
      'zh-CN': '确认号：本方期望从对方收到的下一个字节的序号，表示在此之前的字节都已收到。仅当 ACK 标志置 1 时有效。',
    },
  },
  'tcp.dataOffset': {
    title: { en: 'Header length (data offset)', 'zh-CN': '首部长度（数据偏移）' },
    text: {
      en: 'Data offset (header length) in 4-byte words: 5 means a 20-byte header with no options. It tells where the data starts.',
      'zh-CN': '数据偏移（首部长度），以 4 字节为单位：5 表示 20 字节、没有选项的首部。它指出数据从哪里开始。',
    },
  },
  'tcp.reserved': {
    title: { en: 'Reserved bits', 'zh-CN': '保留位' },
    text: {
      en: 'Reserved bits: must be zero.',
      'zh-CN': '保留位：必须为 0。',
    },
  },
  'tcp.flags': {
    title: { en: 'Flags', 'zh-CN': '标志位' },
    text: {
      en: 'Control flags: eight one-bit switches (CWR, ECE, URG, ACK, PSH, RST, SYN, FIN) that say what this segment does.',
      'zh-CN': '控制标志：8 个 1 位的开关（CWR、ECE、URG、ACK、PSH、RST、SYN、FIN），说明该报文段的作用。',
    },
  },
  'tcp.flags.cwr': {
    title: { en: 'CWR', 'zh-CN': 'CWR' },
    text: {
      en: 'CWR, Congestion Window Reduced: the sender has slowed down in answer to an ECN congestion signal.',
      'zh-CN': 'CWR（拥塞窗口已减小）：发送方收到 ECN 拥塞信号后已经放慢了发送速度。',
    },
  },
  'tcp.flags.ece': {
    title: { en: 'ECE', 'zh-CN': 'ECE' },
    text: {
      en: 'ECE, ECN-Echo: tells the peer that the network signalled congestion (or, in a SYN, that ECN is supported).',
      'zh-CN': 'ECE（ECN 回显）：告诉对方网络中出现了拥塞（在 SYN 中表示支持 ECN）。',
    },
  },
  'tcp.flags.urg': {
    title: { en: 'URG', 'zh-CN': 'URG' },
    text: {
      en: 'URG, Urgent: the urgent pointer field is meaningful. Rarely used today.',
      'zh-CN': 'URG（紧急）：紧急指针字段有效。如今很少使用。',
    },
  },
  'tcp.flags.ack': {
    title: { en: 'ACK', 'zh-CN': 'ACK' },
    text: {
      en: 'ACK: the acknowledgement number is valid. Set on every segment after the first SYN of a connection.',
      'zh-CN': 'ACK（确认）：确认号字段有效。连接建立后，除最初的 SYN 外，所有报文段都置 1。',
    },
  },
  'tcp.flags.psh': {
    title: { en: 'PSH', 'zh-CN': 'PSH' },
    text: {
      en: 'PSH, Push: the receiver should hand the data to the application now instead of waiting for more.',
      'zh-CN': 'PSH（推送）：接收方应尽快把数据交给应用程序，而不是等缓冲区填满。',
    },
  },
  'tcp.flags.rst': {
    title: { en: 'RST', 'zh-CN': 'RST' },
    text: {
      en: 'RST, Reset: abort the connection at once. Sent, for example, when a SYN arrives at a port where nothing is listening.',
      'zh-CN': 'RST（复位）：立即中止连接。例如 SYN 到达一个没有程序监听的端口时，对方就回复 RST。',
    },
  },
  'tcp.flags.syn': {
    title: { en: 'SYN', 'zh-CN': 'SYN' },
    text: {
      en: 'SYN, Synchronize: opens a connection and carries the initial sequence number. Used in the first two segments of the three-way handshake.',
      'zh-CN': 'SYN（同步）：请求建立连接，并携带初始序号。出现在三次握手的前两个报文段中。',
    },
  },
  'tcp.flags.fin': {
    title: { en: 'FIN', 'zh-CN': 'FIN' },
    text: {
      en: 'FIN, Finish: this side has no more data to send. Each side sends its own FIN when it closes and the other acknowledges it: four steps (the four-way teardown), often three segments on the wire when a FIN rides with the ACK of the other side\'s FIN.',
      'zh-CN': 'FIN（终止）：本方的数据已经发送完毕。双方关闭时各发一个 FIN，并由对方确认：共四步（“四次挥手”）；如果一方的 FIN 和它对另一方 FIN 的确认合在同一个报文段里，线上常常只看到三个报文段。',
    },
  },
  'tcp.window': {
    title: { en: 'Window', 'zh-CN': '窗口' },
    text: {
      en: 'Window: how many more bytes this side can receive right now (flow control). After the handshake it is multiplied by 2 to the power of the shift this side announced in its SYN (window scale); in the SYN and SYN-ACK themselves it is never scaled.',
      'zh-CN': '窗口：本方当前还能接收多少字节（流量控制）。握手之后，实际窗口等于这个字段乘以 2 的 n 次方，n 是发送这个报文段的一方在自己的 SYN 中通告的窗口扩大因子；SYN 和 SYN-ACK 本身的窗口从不扩大。',
    },
  },
  'tcp.checksum': {
    title: { en: 'Checksum', 'zh-CN': '校验和' },
    text: {
      en: 'Checksum over the TCP header, the data and a pseudo-header of IP addresses. On loopback Linux leaves it unfinished (checksum offload), since no bytes can be damaged inside the machine.',
      'zh-CN': '校验和：覆盖 TCP 首部、数据以及由 IP 地址等组成的伪首部。在回环接口上 Linux 不计算完整的校验和（校验和卸载），因为数据在本机内部不会损坏。',
    },
  },
  'tcp.urgentPointer': {
    title: { en: 'Urgent pointer', 'zh-CN': '紧急指针' },
    text: {
      en: 'Urgent pointer: where urgent data ends, meaningful only with the URG flag. Normally 0.',
      'zh-CN': '紧急指针：指出紧急数据在哪里结束，只有 URG 置 1 时才有意义，通常为 0。',
    },
  },
  'tcp.options': {
    title: { en: 'Options', 'zh-CN': '选项' },
    text: {
      en: 'TCP options: extras after the 20-byte fixed header, agreed mostly during the handshake (maximum segment size, window scaling, timestamps, SACK).',
      'zh-CN': 'TCP 选项：20 字节固定首部之后的附加内容，大多在三次握手时协商（最大报文段长度、窗口扩大、时间戳、选择确认 SACK）。',
    },
  },
  'tcp.options.eol': {
    title: { en: 'End of option list (EOL)', 'zh-CN': '选项表结束（EOL）' },
    text: {
      en: 'End of Option List (kind 0): nothing more follows; the rest of the header is padding.',
      'zh-CN': '选项表结束（类型 0）：后面不再有选项，首部剩下的部分是填充。',
    },
  },
  'tcp.options.nop': {
    title: { en: 'No-operation (NOP)', 'zh-CN': '无操作（NOP）' },
    text: {
      en: 'No-Operation (kind 1): a one-byte filler used to line the next option up on a 4-byte boundary.',
      'zh-CN': '无操作（类型 1）：1 字节的填充，用来让下一个选项对齐到 4 字节边界。',
    },
  },
  'tcp.options.mss': {
    title: { en: 'Maximum segment size (MSS)', 'zh-CN': '最大报文段长度（MSS）' },
    text: {
      en: 'Maximum Segment Size (kind 2): the largest payload this side is willing to receive in one segment. On loopback it is 65495 for IPv4 (65535 minus 40 bytes of headers).',
      'zh-CN': '最大报文段长度 MSS（类型 2）：本方愿意在一个报文段中接收的最大数据量。在 IPv4 回环接口上为 65495（65535 减去 40 字节首部）。',
    },
  },
  'tcp.options.wscale': {
    title: { en: 'Window scale (WS)', 'zh-CN': '窗口扩大因子（WS）' },
    text: {
      en: 'Window Scale (kind 3): the shift its sender applies to the windows it sends later; the real window is the field value multiplied by 2 to this power. Only sent in SYN segments, and used only when both sides send it.',
      'zh-CN': '窗口扩大因子（类型 3）：发送方此后发出的窗口字段要左移的位数，实际窗口等于窗口字段乘以 2 的该次方。只出现在 SYN 报文段中，而且双方都发送了才生效。',
    },
  },
  'tcp.options.sackPerm': {
    title: { en: 'SACK permitted (SACK_PERM)', 'zh-CN': '允许选择确认（SACK_PERM）' },
    text: {
      en: 'SACK Permitted (kind 4): this side can understand selective acknowledgements. Only sent in SYN segments.',
      'zh-CN': '允许选择确认 SACK_PERM（类型 4）：表示本方能理解选择确认。只出现在 SYN 报文段中。',
    },
  },
  'tcp.options.sack': {
    title: { en: 'Selective acknowledgement (SACK)', 'zh-CN': '选择确认（SACK）' },
    text: {
      en: 'Selective Acknowledgement (kind 5): blocks of data received beyond a gap, so the sender only resends what is really missing.',
      'zh-CN': '选择确认 SACK（类型 5）：告诉对方在缺口之后已经收到了哪些数据块，对方只需重传真正缺失的部分。',
    },
  },
  'tcp.options.ts': {
    title: { en: 'Timestamps', 'zh-CN': '时间戳' },
    text: {
      en: "Timestamps (kind 8): TSval is the sender's clock, TSecr echoes the peer's latest TSval. Used to measure round-trip time and to reject very old duplicate segments.",
      'zh-CN': '时间戳（类型 8）：TSval 是发送方的时钟值，TSecr 回显对方最近的 TSval。用于测量往返时间，并防止序号回绕时误收旧报文段。',
    },
  },
  'tcp.options.unknown': {
    title: { en: 'Other option', 'zh-CN': '其他选项' },
    text: {
      en: 'An option this lab does not decode, shown by its kind number and length.',
      'zh-CN': '本实验不解析的选项，只显示其类型号和长度。',
    },
  },
  'tcp.options.padding': {
    title: { en: 'Padding', 'zh-CN': '填充' },
    text: {
      en: 'Padding after End of Option List, so the header is a multiple of 4 bytes.',
      'zh-CN': '选项表结束后的填充，使首部长度为 4 字节的整数倍。',
    },
  },
} satisfies Record<string, Explanation>;
