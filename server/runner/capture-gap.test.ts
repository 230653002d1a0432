/**
 * A capture that ends or stops delivering before the run is over marks the run: a real tcpdump,
 * killed, terminated or stopped by a signal once it has handed over the handshake's three
 * packets, during a handshake run whose teardown comes 1.5 s later. And a capture left alone is
 * stopped only once it has handed over the run's last packet.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../capture/probe.js';
import type { CaptureInfo, NoteEvent, Trace } from '../contract/trace.js';
import { CAPTURE_NOTE_TEXTS } from '../contract/capture-notes.js';
import type { ExperimentCatalog } from '../experiments/registry.js';
import { testCatalog } from '../test-experiments/catalog.js';
import { runExperiment } from './run.js';
import { groupMembers } from './test-processes.js';
import { ensureRunnerBuilt } from './vitest-global-setup.js';

let capture: CaptureInfo;
let catalog: ExperimentCatalog;

beforeAll(async () => {
  ensureRunnerBuilt();
  catalog = await testCatalog();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

const PARAMS = { close: 'end-after-pause', pauseMs: 1500 };

/** Runs the handshake; `signal`, when given, goes to the run's tcpdump once it has captured the handshake. */
async function run(signal?: NodeJS.Signals): Promise<{ trace: Trace; signalled: boolean }> {
  let signalled = false;
  let group: number | undefined;
  let packets = 0;
  const trace = await runExperiment({
    experiments: catalog,
    experiment: 'handshake',
    params: PARAMS,
    lang: 'python',
    capture,
    onSpawn: (pgid) => (group = pgid),
    // After the SYN, the SYN-ACK and the ACK; the peer's FIN is 1.5 s away.
    onEvent: (event) => {
      if (!signal || event.kind !== 'wire' || ++packets !== 3 || group === undefined) return;
      const tcpdump = groupMembers(group).find((p) => p.comm === 'tcpdump');
      if (!tcpdump) return;
      process.kill(tcpdump.pid, signal);
      signalled = true;
    },
  });
  return { trace, signalled };
}

const notes = (trace: Trace) => trace.events.filter((e): e is NoteEvent => e.kind === 'note').map((e) => e.key);

describe('a capture that does not cover the run', () => {
  it('a capture left alone covers the whole run, to its last packet', async (t) => {
    if (!capture.available) t.skip();
    const { trace } = await run();
    expect(trace.outcome).toEqual({ ok: true });
    expect(notes(trace)).not.toContain('capture.ended');
    expect(trace.counters.droppedByKernel ?? 0).toBe(0);
    const { values } = catalog.facts(trace);
    expect(values['teardown.segments']).toBeGreaterThanOrEqual(3);
    // The run's very last packet, the ACK of the second FIN, made it in.
    expect(values['fin2.ackMinusSeq']).toBe(1);
    expect(values['rst.from']).toBe('none');
  });

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`tcpdump ended by ${signal}: the run says so, and facts about the missing packets are unknown`, async (t) => {
      if (!capture.available) t.skip();
      const { trace, signalled } = await run(signal);
      expect(signalled).toBe(true);
      expect(trace.outcome.ok).toBe(false);
      expect(trace.outcome.error?.code).toBe('CAPTURE_INCOMPLETE');
      const note = trace.events.find((e): e is NoteEvent => e.kind === 'note' && e.key === 'capture.ended');
      expect(note?.values?.cause).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 'exit code 0');
      // The handshake was captured; the teardown, 1.5 s later, was not.
      const { values, marks } = catalog.facts(trace);
      expect(values['syn.seq']).toBeTypeOf('number');
      expect(marks.synack).toBeDefined();
      for (const unknown of ['teardown.segments', 'packets.total', 'rst.count', 'rst.from', 'data.serverBytes']) {
        expect(values[unknown], unknown).toBeUndefined();
      }
      // The socket-level story is whole: the programs still closed the connection.
      expect(trace.events.some((e) => e.kind === 'socket' && e.op === 'end')).toBe(true);
    });
  }

  it('tcpdump stopped (SIGSTOP): the run says the capture stopped delivering', async (t) => {
    if (!capture.available) t.skip();
    const { trace, signalled } = await run('SIGSTOP');
    expect(signalled).toBe(true);
    expect(trace.outcome.error?.code).toBe('CAPTURE_INCOMPLETE');
    expect(notes(trace)).toContain('capture.stalled');
    expect(catalog.facts(trace).values['teardown.segments']).toBeUndefined();
  });

  it('the notes have words in every language, given with each experiment', () => {
    const info = catalog.info('handshake');
    for (const lang of ['en', 'zh-CN'] as const) {
      expect(info.texts[lang].notes['capture.ended']).toBe(CAPTURE_NOTE_TEXTS[lang]['capture.ended']);
      expect(info.texts[lang].notes['capture.stalled']).toBe(CAPTURE_NOTE_TEXTS[lang]['capture.stalled']);
    }
  });
});
