/** The plain-text account of a trace the terminal prints, in English. */
import { lineForStep } from '../contract/program-lines.js';
import { fieldValue, malformedReason } from '../contract/packet-texts.js';
import { formatEndpoint } from '../contract/endpoint.js';
import { relativeNumbersByEvent } from '../contract/relative-seq.js';
import { windowText } from '../contract/tcp-window.js';
import type { DecodedPacket, Trace, TraceEvent } from '../contract/trace.js';
import { appCallName, callLangOf, callName } from '../contract/call-names.js';

/** Where the lines under an event start: past the time column and the event's kind. */
const DETAIL_INDENT = ' '.repeat(20);

function ms(us: number): string {
  return `${(us / 1000).toFixed(3).padStart(9)} ms`;
}

/**
 * What a terminal shows under a packet's line, in English: why a layer is malformed, and the
 * TCP options a handshake agrees on (`mss 65495 bytes · wscale shift 7 (×128)`), or any option
 * other than the timestamps every segment carries.
 */
export function packetDetails(packet: DecodedPacket): string[] {
  const lines: string[] = [];
  for (const layer of packet.layers) {
    const reason = malformedReason(layer, 'en');
    if (reason) lines.push(`malformed ${layer.name}: ${reason}`);
  }
  const options = packet.layers.find((l) => l.name === 'tcp')?.fields.find((f) => f.name === 'options');
  const valued = (options?.children ?? []).filter((c) => !/^options\.(nop|eol|padding)\b/.test(c.name));
  const syn = packet.summary.flags?.includes('SYN') ?? false;
  if (syn || valued.some((c) => !/^options\.ts\b/.test(c.name))) {
    const shown = valued.map((c) => `${c.name.slice('options.'.length)} ${fieldValue(c, 'en')}`);
    if (shown.length > 0) lines.push(`options: ${shown.join(' · ')}`);
  }
  return lines;
}

function printable(base64: string, max = 48): string {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  const shown = text.replace(/[^\x20-\x7e]/g, '.');
  return JSON.stringify(shown.length > max ? `${shown.slice(0, max)}…` : shown);
}

/**
 * One line per event; TCP sequence numbers relative to each side's first one, as Wireshark shows,
 * and the window scaled as the handshake agreed.
 */
export function formatTrace(trace: Trace): string {
  const relative = relativeNumbersByEvent(trace.lanes, trace.events);
  const lines: string[] = [];
  lines.push(`${trace.title}`);
  lines.push(`experiment ${trace.experiment} ${JSON.stringify(trace.params)}`);
  lines.push(`capture: ${trace.env.capture.available ? trace.env.capture.method : `off — ${trace.env.capture.reason ?? ''}`}`);
  for (const lane of trace.lanes) lines.push(`lane ${lane.id}: ${lane.transport} client ${lane.client} ↔ server ${lane.server}`);
  lines.push('');
  // Calls are named as the programs' language names them (`sendall()`, `shutdown(SHUT_WR)`).
  const lang = callLangOf(trace);
  const describe = (e: TraceEvent, step: number): string => {
    switch (e.kind) {
      case 'wire': {
        const s = e.decoded.summary;
        const rel = relative.get(step);
        if (rel && s.src !== undefined && s.dst !== undefined && s.sport !== undefined && s.dport !== undefined) {
          const from = formatEndpoint(s.src, s.sport);
          const to = formatEndpoint(s.dst, s.dport);
          const flags = [...(s.flags ?? [])].reverse().join(', ');
          const numbers = `seq=${rel.seq}` + (rel.ack !== null ? ` ack=${rel.ack}` : '') + (rel.window ? ` win=${windowText(rel.window)}` : '');
          return `wire  #${e.frame} ${from} → ${to} [${flags}] ${numbers} len=${s.payloadLength}`;
        }
        return `wire  #${e.frame} ${s.info}`;
      }
      case 'app':
        return `app   ${e.actor} ${appCallName(lang, e)} ${e.size} bytes ${printable(e.data)}${e.peer ? ` peer ${e.peer}` : ''}`;
      case 'socket':
        return `sock  ${e.actor} ${callName(lang, e.op) ?? e.op}${e.state ? ` ${e.state}` : ''}${e.local ? ` local ${e.local}` : ''}${e.remote ? ` remote ${e.remote}` : ''}${e.code ? ` ${e.code}` : ''}${e.message ? ` (${e.message})` : ''}`;
      case 'note':
        return `note  ${e.key}${e.values ? ` ${JSON.stringify(e.values)}` : ''}`;
      case 'program':
        return `prog  ${e.actor} ${e.op}${e.stream ? ` ${e.stream} ${JSON.stringify(e.text ?? '')}` : ''}${e.error ? ` ${e.error.type}: ${e.error.message}` : ''}${e.op === 'exit' ? ` ${e.signal ?? `code ${e.code ?? '?'}`}` : ''}${e.message ? ` (${e.message})` : ''}`;
    }
  };
  /** The program line behind an event (for a packet: the call that sent it), when programs ran. */
  const lineOf = (e: TraceEvent): string => {
    if (!trace.programs) return '';
    const cause = lineForStep(trace.events, e.seq, trace.lanes);
    if (cause === 'kernel') return '  ← the kernel';
    const program = cause && trace.programs.find((p) => p.actor === cause.actor);
    return program ? `  ← ${program.name}:${cause.line}` : '';
  };
  trace.events.forEach((event, step) => {
    lines.push(`${ms(event.t)}  ${describe(event, step)}${lineOf(event)}`);
    if (event.kind === 'wire') for (const detail of packetDetails(event.decoded)) lines.push(`${DETAIL_INDENT}${detail}`);
  });
  lines.push('');
  const c = trace.counters;
  lines.push(
    `packets ${c.packets}` +
      (c.droppedByKernel !== undefined ? `, dropped by kernel ${c.droppedByKernel}` : '') +
      `, truncated ${c.truncated}`,
  );
  lines.push(trace.outcome.ok ? 'outcome: ok' : `outcome: ${trace.outcome.error?.code}: ${trace.outcome.error?.message}`);
  return lines.join('\n');
}
