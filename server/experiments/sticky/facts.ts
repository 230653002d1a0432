/**
 * Facts of the `sticky` experiment: how many messages the sender sent, in how many writes, how
 * many segments crossed the wire and how many reads the receiver made, and whether the messages
 * came back — all read from the trace by the contract's byte-stream rule (byte-stream.ts).
 */
import { analyseStream } from '../../contract/byte-stream.js';
import { captureIncomplete } from '../../contract/capture-notes.js';
import type { Trace } from '../../contract/trace.js';
import type { Facts } from '../../lab/facts.js';

export const STICKY_FACTS = [
  'messages',
  'writes',
  'segments',
  'reads',
  'rebuilt',
  'exact',
  'verdict',
  'framing',
  'readSizes',
  'firstRead',
  'emptyWrites',
  'sentBytes',
  'plannedBytes',
] as const;

export const STICKY_MARKS = ['plan', 'firstWrite', 'firstSegment', 'firstRead', 'lastRead'] as const;

export function stickyFacts(trace: Trace): Facts {
  const captured = trace.env.capture.available && trace.env.capture.method !== 'none';
  const stream = analyseStream(trace.events, trace.lanes, captured);
  if (!stream) return { values: {}, marks: {} };
  const { counts } = stream;
  const values: Facts['values'] = {
    messages: counts.messages,
    writes: counts.writes,
    reads: counts.reads,
    rebuilt: counts.rebuilt,
    exact: counts.exact,
    verdict: stream.verdict,
    framing: stream.plan.framing,
    readSizes: stream.readSizes,
    emptyWrites: stream.writes.filter((w) => w.end === w.start).length,
    sentBytes: stream.sentBytes,
    plannedBytes: stream.plannedBytes,
  };
  // A count over the wire is known only when the capture covered the whole run.
  if (captured && !captureIncomplete(trace)) values['segments'] = counts.segments;
  const first = stream.reads[0];
  if (first) values['firstRead'] = first.end - first.start;
  const seqOf = (step: number | undefined) => (step === undefined ? undefined : trace.events[step]?.seq);
  const marks: Facts['marks'] = {};
  const put = (name: string, step: number | undefined) => {
    const seq = seqOf(step);
    if (seq !== undefined) marks[name] = seq;
  };
  put('plan', stream.planStep);
  put('firstWrite', stream.writes[0]?.step);
  put('firstSegment', stream.segments[0]?.step);
  put('firstRead', stream.reads[0]?.step);
  put('lastRead', stream.reads.at(-1)?.step);
  return { values, marks };
}

/** The run in one line, in English, for the terminal: the counts and the verdict. */
export function stickySummary(facts: Facts): string | null {
  const v = facts.values;
  if (v['messages'] === undefined) return null;
  const n = (count: unknown, word: string) => `${String(count)} ${word}${count === 1 ? '' : 's'}`;
  const wire = v['segments'] === undefined ? 'segments not captured' : `${n(v['segments'], 'segment')} on the wire`;
  if (v['verdict'] === 'unsent') {
    return `the sender wrote ${String(v['sentBytes'])} of its ${String(v['plannedBytes'])} bytes and stopped (see its output above): nothing to judge`;
  }
  const head = `sent ${n(v['messages'], 'message')} in ${n(v['writes'], 'write')}; ${wire}; ${n(v['reads'], 'read')}`;
  switch (v['verdict']) {
    case 'kept':
      return `${head}: each read held one message`;
    case 'lost':
      return `${head}: boundaries lost`;
    default:
      return `${head}: ${String(v['exact'])} of ${String(v['messages'])} messages rebuilt exactly`;
  }
}
