import { describe, expect, it } from 'vitest';
import type { Counters, Lane, TraceEvent } from './trace-types.ts';
import { applyServerMessage, closeOutcome, isIncomplete, newLiveRun, parseServerMessage, type LiveRun, type ServerMessage } from './live-run.ts';

const lane: Lane = { id: 'L1', transport: 'tcp', client: '127.0.0.1:5000', server: '127.0.0.1:80' };
const counters: Counters = { packets: 3, truncated: 0 };

function ev(seq: number): TraceEvent {
  return { seq, t: seq * 10, kind: 'socket', actor: 'client', op: 'connect' };
}

function started(): LiveRun {
  return applyServerMessage(newLiveRun('req-1'), {
    type: 'run-started',
    requestId: 'req-1',
    runId: 'run-1',
    experiment: 'handshake',
    params: {},
    startedAtUs: 1,
  });
}

function apply(run: LiveRun, ...msgs: ServerMessage[]): LiveRun {
  return msgs.reduce(applyServerMessage, run);
}

describe('live run', () => {
  it('appends batches in seq order and adds lanes once', () => {
    const run = apply(
      started(),
      { type: 'events', runId: 'run-1', lanes: [lane], events: [ev(1), ev(0)] },
      { type: 'events', runId: 'run-1', lanes: [lane], events: [ev(2)] },
    );
    expect(run.phase).toBe('running');
    expect(run.events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(run.lanes).toEqual([lane]);
    expect(isIncomplete(run)).toBe(false);
  });

  it('drops events it already has', () => {
    const run = apply(
      started(),
      { type: 'events', runId: 'run-1', lanes: [], events: [ev(0), ev(1)] },
      { type: 'events', runId: 'run-1', lanes: [], events: [ev(1), ev(2)] },
    );
    expect(run.events.map((e) => e.seq)).toEqual([0, 1, 2]);
  });

  it('counts a hole in the numbering as missing events', () => {
    const run = apply(started(), { type: 'events', runId: 'run-1', lanes: [], events: [ev(0), ev(4)] });
    expect(run.missing).toBe(3);
    expect(isIncomplete(run)).toBe(true);
  });

  it('marks a gap from the server as incomplete', () => {
    const run = apply(started(), { type: 'gap', runId: 'run-1', missed: 120 });
    expect(run.gap).toBe(true);
    expect(run.missing).toBe(120);
    expect(isIncomplete(run)).toBe(true);
  });

  it('ignores messages for other runs and requests', () => {
    const before = started();
    const after = apply(
      before,
      { type: 'events', runId: 'other', lanes: [lane], events: [ev(0)] },
      { type: 'gap', runId: 'other', missed: 1 },
      { type: 'error', code: 'RUN_BUSY', message: 'busy', requestId: 'req-2' },
      { type: 'run-started', requestId: 'req-9', runId: 'x', experiment: 'e', params: {}, startedAtUs: 0 },
    );
    expect(after).toEqual(before);
  });

  it('finishes with the recording id, outcome, counters and the facts the server computed', () => {
    const facts = { values: { 'syn.seq': 3171180375 }, marks: { syn: 4 } };
    const run = apply(started(), {
      type: 'run-finished',
      runId: 'run-1',
      recordingId: 'rec-7',
      outcome: { ok: true },
      counters,
      durationUs: 5000,
      facts,
    });
    expect(run).toMatchObject({ phase: 'finished', recordingId: 'rec-7', counters, durationUs: 5000, facts });
  });

  it('finishes without facts when the message has none in the contract’s shape', () => {
    const msg = parseServerMessage(
      JSON.stringify({ type: 'run-finished', runId: 'run-1', recordingId: 'r', outcome: { ok: true }, counters, durationUs: 1 }),
    )!;
    const run = apply(started(), msg);
    expect(run.phase).toBe('finished');
    expect(run.facts).toBeUndefined();
  });

  it('fails on an error for this request, or one without a request id', () => {
    const a = apply(newLiveRun('req-1'), { type: 'error', code: 'TOKEN_REQUIRED', message: 'no', requestId: 'req-1' });
    expect(a).toMatchObject({ phase: 'failed', error: { code: 'TOKEN_REQUIRED' } });
    const b = apply(started(), { type: 'error', code: 'RUN_FAILED', message: 'x' });
    expect(b.phase).toBe('failed');
  });
});

describe('parseServerMessage', () => {
  it('accepts the contract’s messages and refuses anything else', () => {
    expect(parseServerMessage('{"type":"gap","runId":"r","missed":2}')).toEqual({ type: 'gap', runId: 'r', missed: 2 });
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('{"type":"nope"}')).toBeNull();
    expect(parseServerMessage('[1,2]')).toBeNull();
    expect(parseServerMessage('{"type":"events","runId":"r","events":{}}')).toBeNull();
  });
});

describe('closeOutcome', () => {
  const finished: ServerMessage = {
    type: 'run-finished',
    runId: 'run-1',
    recordingId: 'run-1',
    outcome: { ok: true },
    counters,
    durationUs: 5,
    facts: { values: {}, marks: {} },
  };

  it('expects the close after run-finished, even when the live view had a hole', () => {
    const holed = apply(started(), { type: 'events', runId: 'run-1', lanes: [lane], events: [ev(0), ev(2)] });
    expect(isIncomplete(holed)).toBe(true);
    expect(closeOutcome(apply(holed, finished), true)).toBe('expected');
    expect(closeOutcome(apply(started(), finished), true)).toBe('expected');
  });

  it('recovers only when run-finished never came and events are missing', () => {
    const gap = apply(started(), { type: 'gap', runId: 'run-1', missed: 4 });
    expect(closeOutcome(gap, true)).toBe('recover');
    expect(closeOutcome(started(), true)).toBe('lost');
  });

  it('tells a server that never answered from a lost connection', () => {
    expect(closeOutcome(newLiveRun('req-1'), false)).toBe('unreachable');
    expect(closeOutcome(newLiveRun('req-1'), true)).toBe('lost');
  });
});
