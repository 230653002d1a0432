/**
 * Fields and bytes: which bytes a field covers and which field a byte belongs to, for the
 * two-way highlight between the field list and the hex pane. DOM-free.
 */
import type { Field, Layer, SubField } from '../../lib/trace-types.ts';

/** A field or sub-field with a stable id (`L2.F3` or `L2.F3.C1`). */
export interface FlatField {
  id: string;
  layerIndex: number;
  field: Field | SubField;
  depth: 0 | 1;
  offset: number;
  length: number;
}

export function fieldId(layerIndex: number, fieldIndex: number, childIndex?: number): string {
  return childIndex === undefined ? `L${layerIndex}.F${fieldIndex}` : `L${layerIndex}.F${fieldIndex}.C${childIndex}`;
}

export function flattenFields(layers: readonly Layer[]): FlatField[] {
  const out: FlatField[] = [];
  layers.forEach((layer, li) => {
    layer.fields.forEach((field, fi) => {
      out.push({ id: fieldId(li, fi), layerIndex: li, field, depth: 0, offset: field.offset, length: field.length });
      field.children?.forEach((child, ci) => {
        out.push({ id: fieldId(li, fi, ci), layerIndex: li, field: child, depth: 1, offset: child.offset, length: child.length });
      });
    });
  });
  return out;
}

/**
 * The innermost field holding byte `index`: the shortest one, and among equals the deeper one
 * (a flag bit rather than the flags field), and among those the first.
 */
export function innermostFieldAt(fields: readonly FlatField[], index: number): FlatField | undefined {
  let best: FlatField | undefined;
  for (const f of fields) {
    if (f.length <= 0 || index < f.offset || index >= f.offset + f.length) continue;
    if (!best || f.length < best.length || (f.length === best.length && f.depth > best.depth)) best = f;
  }
  return best;
}

/** The byte range `[start, end)` a field covers. */
export function byteRange(f: { offset: number; length: number }): [number, number] {
  return [f.offset, f.offset + f.length];
}

export interface HexRow {
  offset: number;
  /** Indexes into the byte array. */
  indexes: number[];
}

export function hexRows(byteCount: number, perRow = 16): HexRow[] {
  const rows: HexRow[] = [];
  for (let offset = 0; offset < byteCount; offset += perRow) {
    const indexes: number[] = [];
    for (let i = offset; i < Math.min(byteCount, offset + perRow); i++) indexes.push(i);
    rows.push({ offset, indexes });
  }
  return rows;
}

export function formatOffset(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/**
 * A bit field drawn over its bytes, Wireshark style: `.... ..1.` — the field's bits as 0/1,
 * every other bit as a dot, a space between nibbles. Empty when the bytes are not there.
 */
export function bitPicture(bytes: Uint8Array, offset: number, length: number, bitOffset: number, bitLength: number): string {
  if (offset + length > bytes.length || length <= 0) return '';
  let out = '';
  for (let bit = 0; bit < length * 8; bit++) {
    if (bit > 0 && bit % 4 === 0) out += ' ';
    if (bit >= bitOffset && bit < bitOffset + bitLength) {
      const byte = bytes[offset + Math.floor(bit / 8)] ?? 0;
      out += (byte >> (7 - (bit % 8))) & 1 ? '1' : '0';
    } else {
      out += '.';
    }
  }
  return out;
}
