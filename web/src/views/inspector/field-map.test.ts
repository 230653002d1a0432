import { describe, expect, it } from 'vitest';
import { fixtureTrace } from '../../test-support/fixture-trace.ts';
import { base64ToBytes } from '../../lib/bytes.ts';
import { bitPicture, byteRange, flattenFields, formatOffset, hexRows, innermostFieldAt } from './field-map.ts';

describe('field map on a real SYN', () => {
  const syn = fixtureTrace('handshake-ipv4').events[0]!;
  if (syn.kind !== 'wire') throw new Error('expected a packet');
  const fields = flattenFields(syn.decoded.layers);
  const frame = base64ToBytes(syn.data);
  const tcp = syn.decoded.layers.find((l) => l.name === 'tcp')!;

  it('finds the field that holds a byte, preferring the innermost', () => {
    const seq = fields.find((f) => f.field.explain === 'tcp.seq')!;
    expect(innermostFieldAt(fields, seq.offset + 2)?.id).toBe(seq.id);
    // The flags byte: the flag bits are as narrow as the flags field; the deeper one wins.
    const flags = fields.find((f) => f.field.explain === 'tcp.flags')!;
    const inner = innermostFieldAt(fields, flags.offset);
    expect(inner?.depth).toBe(1);
    expect(inner?.id.startsWith(`${flags.id}.`)).toBe(true);
  });

  it('gives every field a byte range inside the frame', () => {
    for (const f of fields) {
      const [start, end] = byteRange(f);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(frame.length);
    }
    expect(fields.some((f) => f.layerIndex === syn.decoded.layers.indexOf(tcp))).toBe(true);
  });

  it('draws the SYN bit as set in the flags byte', () => {
    const synBit = fields.find((f) => f.field.explain === 'tcp.flags.syn')!;
    const picture = bitPicture(frame, synBit.offset, synBit.length, synBit.field.bitOffset ?? 0, synBit.field.bitLength ?? 1);
    expect(picture.replace(/[ .]/g, '')).toBe('1');
  });
});

describe('bitPicture', () => {
  it('shows only the field’s bits, a space between nibbles', () => {
    const bytes = new Uint8Array([0b0101_0000, 0b0001_0010]);
    expect(bitPicture(bytes, 0, 1, 0, 4)).toBe('0101 ....');
    expect(bitPicture(bytes, 1, 1, 6, 1)).toBe('.... ..1.');
    expect(bitPicture(bytes, 0, 2, 4, 8)).toBe('.... 0000 0001 ....');
    expect(bitPicture(bytes, 1, 4, 0, 1)).toBe('');
  });
});

describe('hexRows', () => {
  it('splits bytes into rows of 16 with offsets', () => {
    const rows = hexRows(35);
    expect(rows.map((r) => r.offset)).toEqual([0, 16, 32]);
    expect(rows[2]?.indexes).toEqual([32, 33, 34]);
    expect(formatOffset(32)).toBe('0020');
  });
});
