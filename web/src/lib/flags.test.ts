import { describe, expect, it } from 'vitest';
import { flagKind, flagsLabel } from './flags.ts';
import { textPreview } from './bytes.ts';

describe('flags', () => {
  it('labels flags in Wireshark order', () => {
    expect(flagsLabel(['ACK', 'SYN'])).toBe('SYN, ACK');
    expect(flagsLabel(['ACK', 'PSH'])).toBe('PSH, ACK');
    expect(flagsLabel(['ACK', 'FIN'])).toBe('FIN, ACK');
    expect(flagsLabel(['ACK', 'RST'])).toBe('RST, ACK');
  });

  it('colours a segment by its most telling flag', () => {
    expect(flagKind(['RST', 'ACK'], 0)).toBe('rst');
    expect(flagKind(['SYN', 'ACK'], 0)).toBe('syn');
    expect(flagKind(['FIN', 'ACK'], 0)).toBe('fin');
    expect(flagKind(['ACK'], 5)).toBe('data');
    expect(flagKind(['ACK'], 0)).toBe('ack');
    expect(flagKind([], 4, 'udp')).toBe('udp');
  });
});

describe('textPreview', () => {
  it('quotes text and makes control characters visible', () => {
    expect(textPreview(new TextEncoder().encode('hi\n'))).toBe('"hi\\n"');
    expect(textPreview(new TextEncoder().encode('abcdefghij'), 4)).toBe('"abcd…"');
  });
});
