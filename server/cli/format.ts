/** The plain-text account of a trace the terminal prints. */
import type { Trace, TraceEvent } from '../contract/trace.js';
import { seqDiff } from '../lab/tcp-packets.js';

function ms(us: number): string {
  return `${(us / 1000).toFixed(3).padStart(9)} ms`;
}

function printable(base64: string, max = 48): string {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  const shown = text.replace(/[^\x20-\x7e]/g, '.');
  return JSON.stringify(shown.length > max ? `${shown.slice(0, max)}…` : shown);
}

/** One line per event; TCP sequence numbers relative to each side's first one, as Wireshark shows. */
export function formatTrace(trace: Trace): string {
  const isn = new Map<string, number>();
  const lines: string[] = [];
  lines.push(`${trace.title}`);
  lines.push(`experiment ${trace.experiment} ${JSON.stringify(trace.params)}`);
  lines.push(`capture: ${trace.env.capture.available ? trace.env.capture.method : `off — ${trace.env.capture.reason ?? ''}`}`);
  for (const lane of trace.lanes) lines.push(`lane ${lane.id}: ${lane.transport} client ${lane.client} ↔ server ${lane.server}`);
  lines.push('');
  const describe = (e: TraceEvent): string => {
    switch (e.kind) {
      case 'wire': {
        const s = e.decoded.summary;
        if (s.proto === 'tcp' && s.seq !== undefined && s.src !== undefined) {
          const from = `${s.src}:${s.sport}`;
          const to = `${s.dst}:${s.dport}`;
          if (!isn.has(from)) isn.set(from, s.seq);
          const flags = [...(s.flags ?? [])].reverse().join(', ');
          const rel = `seq=${seqDiff(s.seq, isn.get(from)!)}` + (s.ack !== undefined && s.flags?.includes('ACK') && isn.has(to) ? ` ack=${seqDiff(s.ack, isn.get(to)!)}` : '');
          return `wire  #${e.frame} ${from} → ${to} [${flags}] ${rel} len=${s.payloadLength}`;
        }
        return `wire  #${e.frame} ${s.info}`;
      }
      case 'app':
        return `app   ${e.actor} ${e.op} ${e.size} bytes ${printable(e.data)}${e.peer ? ` peer ${e.peer}` : ''}`;
      case 'socket':
        return `sock  ${e.actor} ${e.op}${e.state ? ` ${e.state}` : ''}${e.local ? ` local ${e.local}` : ''}${e.remote ? ` remote ${e.remote}` : ''}${e.code ? ` ${e.code}` : ''}${e.message ? ` (${e.message})` : ''}`;
      case 'note':
        return `note  ${e.key}${e.values ? ` ${JSON.stringify(e.values)}` : ''}`;
    }
  };
  for (const event of trace.events) lines.push(`${ms(event.t)}  ${describe(event)}`);
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
