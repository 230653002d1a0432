import { describe, expect, it } from 'vitest';
import { LineReader } from './protocol.js';

describe('LineReader', () => {
  it('joins lines split across chunks and skips what is not JSON', () => {
    const values: unknown[] = [];
    const bad: string[] = [];
    const reader = new LineReader((v) => values.push(v), (l) => bad.push(l));
    reader.push('{"a":1}\n{"b"');
    reader.push(':2}\nnot json\n\n{"c":');
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    reader.push('3}\n');
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(bad).toEqual(['not json']);
  });
});
