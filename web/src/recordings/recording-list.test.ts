import { describe, expect, it } from 'vitest';
import { duplicates, newestAddedFirst } from './recording-list.ts';

const rec = (id: string, startedAtUs: number, experiment = 'handshake') => ({
  id,
  experiment,
  startedAtUs,
  durationUs: 1000,
  eventCount: 38,
  counters: { packets: 10 },
});

describe('the recordings list', () => {
  it('puts the newest added first, whenever the run was captured', () => {
    const list = [rec('20261130-100000-aaaaaa', 5_000), rec('20261130-120000-bbbbbb', 1_000), rec('20261130-110000-cccccc', 9_000)];
    expect(newestAddedFirst(list).map((r) => r.id)).toEqual(['20261130-120000-bbbbbb', '20261130-110000-cccccc', '20261130-100000-aaaaaa']);
    // An id that does not say when it was added follows, by capture time.
    expect(newestAddedFirst([rec('imported-x', 10), rec('20261130-100000-aaaaaa', 1)]).map((r) => r.id)).toEqual(['20261130-100000-aaaaaa', 'imported-x']);
  });

  it('within one second, by the millisecond the id was made (an import just after a run is above it)', () => {
    const list = [rec('20261130-100000-120-run000', 9_000), rec('20261130-100000-480-imp000', 1_000), rec('20261130-100000-old000', 5_000)];
    expect(newestAddedFirst(list).map((r) => r.id)).toEqual(['20261130-100000-480-imp000', '20261130-100000-120-run000', '20261130-100000-old000']);
  });

  it('notices an export imported again: the later one points at the first', () => {
    const list = [rec('20261130-120000-bbbbbb', 7), rec('20261130-100000-aaaaaa', 7), rec('20261130-110000-cccccc', 8)];
    expect([...duplicates(list)]).toEqual([['20261130-120000-bbbbbb', '20261130-100000-aaaaaa']]);
    expect(duplicates([rec('20261130-120000-bbbbbb', 7, 'udp'), rec('20261130-100000-aaaaaa', 7)]).size).toBe(0);
  });
});
