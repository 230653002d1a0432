/**
 * A program event (it started, printed, raised, exited) as a short marker in a view: the
 * op, its words' detail, and whether it is an error. DOM-free; the words are in i18n
 * (`marker.program.*`).
 */
import type { ProgramEvent } from '../../lib/trace-types.ts';

export interface ProgramMarker {
  op: ProgramEvent['op'];
  /** Output: its first line; exception: `Type: message`; exit: the code or the signal. */
  detail: string;
  error: boolean;
}

/** The first line of printed text, cut to `max` characters. */
function firstLine(text: string, max = 40): string {
  const line = text.replace(/\s+$/, '').split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function programMarker(e: ProgramEvent): ProgramMarker {
  switch (e.op) {
    case 'output':
      return { op: 'output', detail: firstLine(e.text ?? ''), error: e.stream === 'stderr' };
    case 'exception':
      return { op: 'exception', detail: e.error ? `${e.error.type}: ${e.error.message}` : '', error: true };
    case 'exit':
      return { op: 'exit', detail: e.signal ?? String(e.code ?? '?'), error: e.signal !== undefined || (e.code ?? 0) !== 0 };
    case 'start':
      return { op: 'start', detail: '', error: false };
  }
}

/** The i18n key of a marker's words, with `{detail}`. */
export function programMarkerKey(op: ProgramEvent['op']): `marker.program.${ProgramEvent['op']}` {
  return `marker.program.${op}`;
}
