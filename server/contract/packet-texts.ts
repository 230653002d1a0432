/**
 * The words of a decoded packet in every language the lab speaks: field values that have
 * words (`65495 bytes`, `set`, `0x1a2b (correct)`), notes on undecoded bytes, and the reasons a
 * layer is malformed. The decoder gives each such text as a key with parameters (`TextRef`) and
 * writes the English rendering into `display` / `malformed` for tools; the page says them in
 * its language with `fieldValue` and `malformedReason`.
 *
 * Templates: `{name}` is a parameter; `{name:one|other}` picks a word by the parameter's number
 * (`{n} {n:byte|bytes}`). A parameter may be a text of its own (`part.tcpHeader`).
 */
import type { Lang } from './experiment.js';
import type { Field, Layer, SubField, TextRef } from './trace.js';

const en = {
  // ---- field values
  'value.set': 'set',
  'value.notSet': 'not set',
  'value.yes': 'yes',
  'value.bytes': '{n} {n:byte|bytes}',
  'value.hops': '{n} {n:hop|hops}',
  'value.countBytes': '{n} ({bytes} bytes)',
  'value.fragment': '{n} (×8 = {bytes} bytes)',
  'value.bytesInAll': '{n} ({bytes} bytes in all)',
  'value.checksumCorrect': '{value} (correct)',
  'value.checksumPartial': '{value} (partial: the kernel leaves checksums on loopback unfinished, since the bytes never leave the machine)',
  'value.checksumIncorrect': '{value} (incorrect, should be {expected})',
  'value.checksumUnverified': '{value} (not verified)',
  'value.checksumPseudoOnly':
    '{value} (incorrect, should be {expected}; it is the pseudo-header sum alone, what a sender leaves when its network card is to finish the checksum: captured before the card did, or not finished)',
  'value.totalLengthTso': '0 (no length: a segment handed to the network card whole (TSO, BIG TCP); the packet is taken to be the rest of the frame, {n} bytes)',
  'value.payloadLengthJumbo': '0 (a jumbogram: its Jumbo Payload option gives the length, {n} bytes)',
  'value.checksumUnused': '{value} (not used: over IPv4 a UDP checksum is optional)',
  'value.loopbackMac': '{value} (loopback: no real network card, so no real address)',
  'value.dscpDefault': '{n} (default, best effort)',
  'value.dscpEf': '{n} (EF, expedited forwarding)',
  'value.ecnNotEct': '{n} (Not-ECT: no ECN)',
  'value.ecnCe': '{n} (CE: congestion experienced)',
  'value.unknown': '{value} (unknown)',
  'value.etherLength': '{value} (an IEEE 802.3 length, not a type)',
  'value.ipFlagsDf': "{bits} (DF (don't fragment))",
  'value.ipFlagsMf': '{bits} (MF (more fragments))',
  'value.ipFlagsDfMf': "{bits} (DF (don't fragment), MF (more fragments))",
  'value.tcpFlagsNone': '{value} (none)',
  'value.udpLength': '{n} {n:byte|bytes} (8 header + {data} data)',
  'value.wscale': 'shift {n} (×{factor})',
  'value.wscaleTooLarge': '{n} (more than the maximum 14; treated as 14, ×16384)',
  'value.eol': 'End of Option List',
  'value.nop': 'No-Operation',
  'value.invalidLength': 'invalid length {len}',
  'value.sackBlocks': 'blocks {blocks}',
  'value.optionCutOff': 'kind {kind}, cut off by the end of the header',
  'value.optionInvalidLength': 'kind {kind}, invalid length {len}',
  'value.optionPastHeader': 'kind {kind}, length {len} runs past the header',
  'value.optionKind': 'kind {kind}, {n} {n:byte|bytes}',
  'value.optionKindNamed': 'kind {kind} ({name}), {n} {n:byte|bytes}',
  'value.kind': 'kind {kind}',
  'value.name': '{name}',
  'value.namedBytes': '{name} ({n} {n:byte|bytes})',
  'value.namedInvalidLength': '{name} (invalid length {len})',
  'value.undecoded': '{n} {n:byte|bytes}: {note}',

  // ---- why bytes are not decoded further (a parameter of value.undecoded)
  'note.notDecoded': 'not decoded',
  'note.noBytes': 'no bytes',
  'note.linkType': 'link type {linktype} is not decoded',
  'note.etherType': 'EtherType {type} is not decoded',
  'note.protocol': 'protocol {protocol} is not decoded',
  'note.laterFragmentV4': 'a later fragment (offset {offset} bytes) of a {protocol} datagram; its header is in the first fragment',
  'note.laterFragmentV6': 'a later fragment (offset {offset} bytes) of a {protocol} packet; its header is in the first fragment',

  // ---- parts of a packet (a parameter of malformed.truncated / malformed.frameEnds)
  'part.ethernetHeader': 'an Ethernet header',
  'part.ipv4Header': 'an IPv4 header',
  'part.ipv4HeaderOptions': 'the IPv4 header with its options',
  'part.ipv6Header': 'an IPv6 header',
  'part.ipv6Extension': 'the {name} header',
  'part.tcpHeader': 'a TCP header',
  'part.tcpHeaderOptions': 'the TCP header with its options',
  'part.udpHeader': 'a UDP header',
  'part.payload': 'the payload',

  // ---- why a layer is malformed
  'malformed.truncated':
    'truncated by the capture: {part} needs {need} bytes but only {have} were captured (snapshot length); the packet on the wire was complete',
  'malformed.frameEnds': 'the frame ends too early: {part} needs {need} bytes but only {have} are there',
  'malformed.decoderFailed': 'the decoder failed on this frame: {message}',
  'malformed.emptyFrame': 'empty frame: no bytes were captured',
  'malformed.caplenOverLen': 'the captured length ({caplen}) is greater than the length on the wire ({len})',
  'malformed.ieee8023': 'the type field holds {type}, an IEEE 802.3 length; only Ethernet II frames are decoded',
  'malformed.version': 'the version field is {version}, not {expected}',
  'malformed.ihlTooSmall': 'the header length (IHL) is {ihl} ({bytes} bytes), less than the minimum of 5 (20 bytes)',
  'malformed.ipv4HeaderPastEnd': 'the header length says {bytes} bytes, but only {available} bytes follow the link header',
  'malformed.totalLengthTooSmall': 'the total length is {total} bytes, smaller than the {header}-byte header',
  'malformed.extensionOptionPastEnd': 'the option at byte {at} of the {name} header claims {len} bytes, which run past the end of the header',
  'malformed.totalLengthPastFrame': 'the total length says {total} bytes, but the frame carries only {available} bytes for this packet',
  'malformed.payloadLengthPastFrame':
    'the payload length says {length} bytes, but the frame carries only {available} bytes after the IPv6 header',
  'malformed.extensionPastPacket': 'the {name} header at byte {at} runs past the end of the packet',
  'malformed.extensionLongPastPacket': 'the {name} header at byte {at} is {length} bytes long and runs past the end of the packet',
  'malformed.tooManyExtensions': 'more than {max} extension headers',
  'malformed.segmentTooShort': 'the segment is only {length} bytes, less than the 20-byte TCP header',
  'malformed.dataOffsetTooSmall': 'the data offset is {dataOffset} ({bytes} bytes), less than the minimum of 5 (20 bytes)',
  'malformed.dataOffsetPastSegment': 'the data offset says the header is {bytes} bytes, but the segment is only {length} bytes',
  'malformed.optionNoLength': 'option kind {kind} at byte {at} has no room for its length byte before the header ends',
  'malformed.optionLengthTooSmall': 'option kind {kind} at byte {at} has length {len}, less than the minimum of 2',
  'malformed.optionPastHeader': 'option kind {kind} at byte {at} has length {len}, which runs past the end of the TCP header',
  'malformed.mssLength': 'the MSS option at byte {at} has length {len}; it should be 4',
  'malformed.wscaleLength': 'the window scale option at byte {at} has length {len}; it should be 3',
  'malformed.sackPermLength': 'the SACK permitted option at byte {at} has length {len}; it should be 2',
  'malformed.sackLength': 'the SACK option at byte {at} has length {len}; it should be 2 plus 8 per block',
  'malformed.tsLength': 'the timestamps option at byte {at} has length {len}; it should be 10',
  'malformed.datagramTooShort': 'the datagram is only {length} bytes, less than the 8-byte UDP header',
  'malformed.udpLengthTooSmall': 'the length field is {length}, less than the 8-byte header',
  'malformed.udpLengthPastPacket': 'the length field says {length} bytes, but the IP packet carries only {available}',
  'malformed.udpLengthShort': 'the length field says {length} bytes, but the IP packet carries {available}; the extra bytes are ignored',
};

/** Every key a decoded packet may use for its words. */
export type PacketTextKey = keyof typeof en;

const zhCN: Record<PacketTextKey, string> = {
  'value.set': '置 1',
  'value.notSet': '未置 1',
  'value.yes': '是',
  'value.bytes': '{n} 字节',
  'value.hops': '{n} 跳',
  'value.countBytes': '{n}（{bytes} 字节）',
  'value.fragment': '{n}（×8 = {bytes} 字节）',
  'value.bytesInAll': '{n}（共 {bytes} 字节）',
  'value.checksumCorrect': '{value}（正确）',
  'value.checksumPartial': '{value}（部分计算：字节不会离开本机，内核在回环上不把校验和算完）',
  'value.checksumIncorrect': '{value}（错误，应为 {expected}）',
  'value.checksumUnverified': '{value}（未校验）',
  'value.checksumPseudoOnly':
    '{value}（错误，应为 {expected}；它只是伪首部之和：发送方把校验和留给网卡算完时留下的值，抓包发生在网卡算完之前，或没有算完）',
  'value.totalLengthTso': '0（没有长度：整段交给网卡去分段（TSO、BIG TCP）；把帧的其余部分当作该数据包，{n} 字节）',
  'value.payloadLengthJumbo': '0（巨型报文：长度由 Jumbo Payload 选项给出，{n} 字节）',
  'value.checksumUnused': '{value}（未使用：IPv4 上 UDP 校验和是可选的）',
  'value.loopbackMac': '{value}（回环：没有真实网卡，所以没有真实地址）',
  'value.dscpDefault': '{n}（默认，尽力而为）',
  'value.dscpEf': '{n}（EF，加速转发）',
  'value.ecnNotEct': '{n}（Not-ECT：不使用 ECN）',
  'value.ecnCe': '{n}（CE：遇到拥塞）',
  'value.unknown': '{value}（未知）',
  'value.etherLength': '{value}（IEEE 802.3 的长度，不是类型）',
  'value.ipFlagsDf': '{bits}（DF：不分片）',
  'value.ipFlagsMf': '{bits}（MF：还有分片）',
  'value.ipFlagsDfMf': '{bits}（DF：不分片，MF：还有分片）',
  'value.tcpFlagsNone': '{value}（无）',
  'value.udpLength': '{n} 字节（8 字节首部 + {data} 字节数据）',
  'value.wscale': '左移 {n} 位（×{factor}）',
  'value.wscaleTooLarge': '{n}（超过最大值 14，按 14 处理，×16384）',
  'value.eol': '选项表结束',
  'value.nop': '无操作',
  'value.invalidLength': '长度 {len} 无效',
  'value.sackBlocks': '数据块 {blocks}',
  'value.optionCutOff': '类型 {kind}，被首部末尾截断',
  'value.optionInvalidLength': '类型 {kind}，长度 {len} 无效',
  'value.optionPastHeader': '类型 {kind}，长度 {len} 超出了首部',
  'value.optionKind': '类型 {kind}，{n} 字节',
  'value.optionKindNamed': '类型 {kind}（{name}），{n} 字节',
  'value.kind': '类型 {kind}',
  'value.name': '{name}',
  'value.namedBytes': '{name}（{n} 字节）',
  'value.namedInvalidLength': '{name}（长度 {len} 无效）',
  'value.undecoded': '{n} 字节：{note}',

  'note.notDecoded': '未解析',
  'note.noBytes': '没有字节',
  'note.linkType': '链路类型 {linktype} 不在解析范围内',
  'note.etherType': '以太网类型 {type} 不在解析范围内',
  'note.protocol': '协议 {protocol} 不在解析范围内',
  'note.laterFragmentV4': '一个 {protocol} 数据报的后续分片（偏移 {offset} 字节），其首部在第一个分片中',
  'note.laterFragmentV6': '一个 {protocol} 数据包的后续分片（偏移 {offset} 字节），其首部在第一个分片中',

  'part.ethernetHeader': '以太网首部',
  'part.ipv4Header': 'IPv4 首部',
  'part.ipv4HeaderOptions': '带选项的 IPv4 首部',
  'part.ipv6Header': 'IPv6 首部',
  'part.ipv6Extension': '{name} 扩展首部',
  'part.tcpHeader': 'TCP 首部',
  'part.tcpHeaderOptions': '带选项的 TCP 首部',
  'part.udpHeader': 'UDP 首部',
  'part.payload': '载荷',

  'malformed.truncated': '被抓包截断：{part}需要 {need} 字节，但只抓到 {have} 字节（快照长度所限）；线路上的数据包是完整的',
  'malformed.frameEnds': '帧过早结束：{part}需要 {need} 字节，但只有 {have} 字节',
  'malformed.decoderFailed': '解码器处理这一帧时出错：{message}',
  'malformed.emptyFrame': '空帧：没有抓到任何字节',
  'malformed.caplenOverLen': '抓到的长度（{caplen}）大于线路上的长度（{len}）',
  'malformed.ieee8023': '类型字段为 {type}，这是 IEEE 802.3 的长度；只解析 Ethernet II 帧',
  'malformed.version': '版本字段为 {version}，不是 {expected}',
  'malformed.ihlTooSmall': '首部长度（IHL）为 {ihl}（{bytes} 字节），小于最小值 5（20 字节）',
  'malformed.ipv4HeaderPastEnd': '首部长度表示 {bytes} 字节，但链路层首部之后只有 {available} 字节',
  'malformed.totalLengthTooSmall': '总长度为 {total} 字节，比 {header} 字节的首部还小',
  'malformed.extensionOptionPastEnd': '{name} 首部中第 {at} 字节处的选项声称有 {len} 字节，超出了该首部的末尾',
  'malformed.totalLengthPastFrame': '总长度表示 {total} 字节，但帧中只为该数据包带了 {available} 字节',
  'malformed.payloadLengthPastFrame': '有效载荷长度表示 {length} 字节，但帧中 IPv6 首部之后只有 {available} 字节',
  'malformed.extensionPastPacket': '第 {at} 字节处的 {name} 扩展首部超出了数据包末尾',
  'malformed.extensionLongPastPacket': '第 {at} 字节处的 {name} 扩展首部长 {length} 字节，超出了数据包末尾',
  'malformed.tooManyExtensions': '扩展首部超过 {max} 个',
  'malformed.segmentTooShort': '报文段只有 {length} 字节，不足 20 字节的 TCP 首部',
  'malformed.dataOffsetTooSmall': '数据偏移为 {dataOffset}（{bytes} 字节），小于最小值 5（20 字节）',
  'malformed.dataOffsetPastSegment': '数据偏移表示首部有 {bytes} 字节，但报文段只有 {length} 字节',
  'malformed.optionNoLength': '第 {at} 字节处类型为 {kind} 的选项在首部结束前放不下长度字节',
  'malformed.optionLengthTooSmall': '第 {at} 字节处类型为 {kind} 的选项长度为 {len}，小于最小值 2',
  'malformed.optionPastHeader': '第 {at} 字节处类型为 {kind} 的选项长度为 {len}，超出了 TCP 首部末尾',
  'malformed.mssLength': '第 {at} 字节处的 MSS 选项长度为 {len}，应为 4',
  'malformed.wscaleLength': '第 {at} 字节处的窗口扩大选项长度为 {len}，应为 3',
  'malformed.sackPermLength': '第 {at} 字节处的 SACK_PERM 选项长度为 {len}，应为 2',
  'malformed.sackLength': '第 {at} 字节处的 SACK 选项长度为 {len}，应为 2 加上每个数据块 8',
  'malformed.tsLength': '第 {at} 字节处的时间戳选项长度为 {len}，应为 10',
  'malformed.datagramTooShort': '数据报只有 {length} 字节，不足 8 字节的 UDP 首部',
  'malformed.udpLengthTooSmall': '长度字段为 {length}，小于 8 字节的首部',
  'malformed.udpLengthPastPacket': '长度字段表示 {length} 字节，但 IP 数据包只带了 {available} 字节',
  'malformed.udpLengthShort': '长度字段表示 {length} 字节，但 IP 数据包带了 {available} 字节；多出的字节被忽略',
};

/** The templates by language and key. */
export const packetTexts: Readonly<Record<Lang, Readonly<Record<PacketTextKey, string>>>> = { en, 'zh-CN': zhCN };

/** How a list of values and a list of reasons are joined, by language. */
const JOIN: Record<Lang, { values: string; reasons: string }> = {
  en: { values: ', ', reasons: '; ' },
  'zh-CN': { values: '，', reasons: '；' },
};

function template(key: string, lang: Lang): string | undefined {
  const table = packetTexts[lang] as Readonly<Record<string, string>>;
  if (Object.hasOwn(table, key)) return table[key];
  const english = packetTexts.en as Readonly<Record<string, string>>;
  return Object.hasOwn(english, key) ? english[key] : undefined;
}

/** Whether every key in `ref` (and in its parameters) has a wording. */
export function isKnownText(ref: TextRef): boolean {
  if (template(ref.key, 'en') === undefined) return false;
  return Object.values(ref.args ?? {}).every((arg) => typeof arg !== 'object' || template(arg.key, 'en') !== undefined);
}

const PLACEHOLDER = /\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g;

/** A template split once into its literal text and its placeholders (`{n}`, `{n:one|other}`). */
type Part = string | { whole: string; name: string; one?: string; other?: string };
const compiled: Record<Lang, Map<string, Part[] | null>> = { en: new Map(), 'zh-CN': new Map() };

function parts(key: string, lang: Lang): Part[] | null {
  let found = compiled[lang].get(key);
  if (found === undefined) {
    const text = template(key, lang);
    found = null;
    if (text !== undefined) {
      found = [];
      let last = 0;
      for (const m of text.matchAll(PLACEHOLDER)) {
        if (m.index > last) found.push(text.slice(last, m.index));
        const part: Part = { whole: m[0], name: m[1]! };
        if (m[2] !== undefined) {
          part.one = m[2];
          part.other = m[3] ?? '';
        }
        found.push(part);
        last = m.index + m[0].length;
      }
      if (last < text.length) found.push(text.slice(last));
    }
    compiled[lang].set(key, found);
  }
  return found;
}

/** The text in `lang` (English where `lang` lacks it); an unknown key gives the key itself. */
export function sayText(ref: TextRef, lang: Lang): string {
  const list = parts(ref.key, lang);
  if (list === null) return ref.key;
  const args = ref.args ?? {};
  let out = '';
  for (const part of list) {
    if (typeof part === 'string') {
      out += part;
    } else if (!Object.hasOwn(args, part.name)) {
      out += part.whole;
    } else {
      const arg = args[part.name]!;
      if (part.one !== undefined) out += Number(arg) === 1 ? part.one : (part.other ?? '');
      else out += typeof arg === 'object' ? sayText(arg, lang) : String(arg);
    }
  }
  return out;
}

/** The words of a field value or a list of them, joined as the language joins a list. */
export function sayTexts(refs: TextRef | readonly TextRef[], lang: Lang, join: 'values' | 'reasons' = 'values'): string {
  const list: readonly TextRef[] = Array.isArray(refs) ? refs : [refs as TextRef];
  return list.map((ref) => sayText(ref, lang)).join(JOIN[lang][join]);
}

/**
 * A field's value as a person reads it in `lang`: its words when it has them, else its display
 * text (numbers, hex, names, addresses; and every value of a recording made before words had
 * keys, which stays in English).
 */
export function fieldValue(field: Pick<Field | SubField, 'display' | 'text'>, lang: Lang): string {
  const { text } = field;
  if (!text) return field.display;
  const list: readonly TextRef[] = Array.isArray(text) ? text : [text as TextRef];
  if (list.length === 0 || !list.every(isKnownText)) return field.display;
  return sayTexts(list, lang);
}

/** Why a layer is malformed, in `lang`; undefined when it is not. */
export function malformedReason(layer: Pick<Layer, 'malformed' | 'malformedText'>, lang: Lang): string | undefined {
  const refs = layer.malformedText;
  if (refs && refs.length > 0 && refs.every(isKnownText)) return sayTexts(refs, lang, 'reasons');
  return layer.malformed;
}
