import { describe, expect, it } from 'vitest';
import { savedState } from './trace.js';

describe('savedState', () => {
  it('tells a whole recording on disk from one that holds less and one not saved yet', () => {
    expect(savedState({})).toBe('saved');
    expect(savedState({ incomplete: { code: 'RECORDING_INTERRUPTED' } })).toBe('incomplete');
    expect(savedState({ incomplete: { code: 'RECORDING_LIMIT' } })).toBe('incomplete');
    expect(savedState({ incomplete: { code: 'DISK_FULL' } })).toBe('unsaved');
    expect(savedState({ incomplete: { code: 'DISK_ERROR' } })).toBe('unsaved');
  });
});
