/**
 * What each captured packet is, in words of one language: the comments a pcapng export carries
 * (Wireshark shows them as packet comments). Every TCP packet gets what its flags make it; an
 * experiment may say more about its own packets (`FactSource.packetComments`), which wins.
 */
import type { Lang } from '../contract/experiment.js';
import { LaneIndex } from '../contract/lanes.js';
import type { Trace } from '../contract/trace.js';

const WORDS: Record<Lang, Record<string, string>> = {
  en: {
    client: 'the client',
    server: 'the server',
    syn: 'SYN: {who} asks to open the connection',
    synack: 'SYN-ACK: {who} agrees to open the connection and acknowledges the SYN',
    fin: 'FIN: {who} has nothing more to send',
    rst: 'RST: {who} resets the connection',
    data: 'Data from {who}: {n} bytes',
    ack: 'ACK from {who}: an acknowledgement, no data',
    udp: 'UDP datagram from {who}: {n} bytes',
  },
  'zh-CN': {
    client: '客户端',
    server: '服务器',
    syn: 'SYN：{who}请求建立连接',
    synack: 'SYN-ACK：{who}同意建立连接，并确认 SYN',
    fin: 'FIN：{who}不再发送数据',
    rst: 'RST：{who}复位连接',
    data: '{who}发送的数据：{n} 字节',
    ack: '{who}发送的 ACK：只有确认，没有数据',
    udp: '{who}发送的 UDP 数据报：{n} 字节',
  },
};

function say(lang: Lang, key: string, values: Record<string, string | number>): string {
  return (WORDS[lang][key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Each packet's comment by its event's `seq`: what its flags make it, from which end. */
export function basePacketComments(trace: Pick<Trace, 'events' | 'lanes'>, lang: Lang): Map<number, string> {
  const index = new LaneIndex(trace.lanes);
  const out = new Map<number, string>();
  for (const e of trace.events) {
    if (e.kind !== 'wire') continue;
    const s = e.decoded.summary;
    const found = index.ofPacket(s);
    const who = found ? WORDS[lang][found.from]! : `${s.src ?? '?'}:${s.sport ?? '?'}`;
    if (s.proto === 'udp') {
      out.set(e.seq, say(lang, 'udp', { who, n: s.payloadLength }));
      continue;
    }
    if (s.proto !== 'tcp') continue;
    const flags = new Set(s.flags ?? []);
    const parts: string[] = [];
    if (flags.has('SYN')) parts.push(say(lang, flags.has('ACK') ? 'synack' : 'syn', { who }));
    if (flags.has('RST')) parts.push(say(lang, 'rst', { who }));
    if (s.payloadLength > 0) parts.push(say(lang, 'data', { who, n: s.payloadLength }));
    if (flags.has('FIN')) parts.push(say(lang, 'fin', { who }));
    if (parts.length === 0 && flags.has('ACK')) parts.push(say(lang, 'ack', { who }));
    if (parts.length > 0) out.set(e.seq, parts.join(lang === 'en' ? '; ' : '；'));
  }
  return out;
}
