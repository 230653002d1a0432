/**
 * Declarative field machinery shared by every layer: a layer lists its fixed fields in wire
 * order (bytes or bits), and `readFields` walks them, accumulating byte and bit offsets,
 * keeping the raw value apart from what a person reads. The texts a person reads live in the
 * contract: explanations by explain key (`<layer>.<name>`), value words by key and parameters.
 */
import type { ExplainKey } from '../contract/explanations/index.js';
import { sayText, sayTexts, type PacketTextKey } from '../contract/packet-texts.js';
import type { Field, InnerTextRef, LayerName, SubField, TextRef } from '../contract/trace.js';

/** The part after `<prefix>.` of every explain key that starts with it (`KeyUnder<'tcp'>` has `seq`). */
export type KeyUnder<P extends string> = ExplainKey extends infer K ? (K extends `${P}.${infer S}` ? S : never) : never;

export type FieldFormat = 'dec' | 'hex' | 'mac' | 'ipv4' | 'ipv6' | 'bytes';

/** What a value shows: text with no words (a number, hex, a name), or words by key. */
export type Shown = string | TextRef;

/** A named part inside a field (a flag bit); its explain key is `<parent key>.<name>`. */
export interface ChildDef {
  name: string;
  bits: number;
  /** Value for a child wider than one bit (one bit reads `set` / `not set`). */
  show?: (raw: number) => Shown;
}

export interface FieldDef<L extends string = string> {
  /** Unique within the layer; the explain key is `<layer>.<name>`. */
  name: KeyUnder<L>;
  /** Width in whole bytes, or in bits (bit fields pack most significant bit first). */
  bytes?: number;
  bits?: number;
  /** How the raw value is read and shown by default (`dec`). */
  format?: FieldFormat;
  /** Value for a numeric field, given the raw value and the default text. */
  show?: (raw: number, standard: string) => Shown;
  /** Value for an address or byte string, given its hex and the default text. */
  showBytes?: (hex: string, standard: string) => Shown;
  /** Named bits inside this field (flags); they become one-bit (or wider) children. */
  children?: ChildDef[];
}

/** A layer's fixed fields, plus the keys (below `<layer>.`) of parts it builds by hand. */
export interface LayerDef<L extends string = string> {
  name: L;
  fields: FieldDef<L>[];
  /** Explain keys of fields the layer builds by hand (options, extension headers), by suffix. */
  handBuilt?: readonly KeyUnder<L>[];
}

/** Words by key and parameters. */
export function words(key: PacketTextKey, args?: TextRef['args']): TextRef {
  return args ? { key, args } : { key };
}

/** Words used as a parameter of other words. */
export function inner(key: PacketTextKey, args?: InnerTextRef['args']): InnerTextRef {
  return args ? { key, args } : { key };
}

/** Sets a field's value: words get their key and parameters, and English as `display`. */
export function setShown(field: Field | SubField, shown: Shown | TextRef[]): void {
  if (typeof shown === 'string') {
    field.display = shown;
    delete field.text;
  } else if (Array.isArray(shown)) {
    field.text = shown;
    field.display = sayTexts(shown, 'en');
  } else {
    field.text = shown;
    field.display = sayText(shown, 'en');
  }
}

/** Any one layer's definition. */
export type AnyLayerDef = { [L in LayerName]: LayerDef<L> }[LayerName];

/** Every explain key a layer definition declares (`layer.<name>` included). */
export function explainKeysOf(def: AnyLayerDef): string[] {
  const keys = [`layer.${def.name}`];
  const fields: readonly { name: string; children?: ChildDef[] }[] = def.fields;
  for (const field of fields) {
    keys.push(`${def.name}.${field.name}`);
    for (const child of field.children ?? []) keys.push(`${def.name}.${field.name}.${child.name}`);
  }
  const handBuilt: readonly string[] = def.handBuilt ?? [];
  for (const suffix of handBuilt) keys.push(`${def.name}.${suffix}`);
  return keys;
}

export interface ReadResult {
  fields: Field[];
  /** Numeric raw values by field name (addresses and byte strings are left out). */
  values: Map<string, number>;
  /** Absolute offset just past the last field read. */
  end: number;
  /** Name of the first field that did not fit in the available bytes, if any. */
  missing?: string;
}

const HEX = '0123456789abcdef';
const HEX_CODES = new Uint8Array(Array.from(HEX, (c) => c.charCodeAt(0)));
const ascii = new TextDecoder('latin1');

/** Lowercase hex of the bytes (fast on large payloads). */
export function toHex(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[2 * i] = HEX_CODES[b >> 4]!;
    out[2 * i + 1] = HEX_CODES[b & 15]!;
  }
  return ascii.decode(out);
}

/** Unsigned big-endian integer of `bitLength` bits starting `bitOffset` bits into `data[offset]`. */
export function readBits(data: Uint8Array, offset: number, bitOffset: number, bitLength: number): number {
  if (bitOffset === 0 && offset + 4 <= data.length) {
    // Whole bytes at the start, the usual case: read them directly.
    if (bitLength === 8) return data[offset]!;
    if (bitLength === 16) return (data[offset]! << 8) | data[offset + 1]!;
    if (bitLength === 32) return ((data[offset]! << 24) >>> 0) + ((data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!);
  }
  const byteCount = Math.ceil((bitOffset + bitLength) / 8);
  let value = 0;
  for (let i = 0; i < byteCount; i++) value = value * 256 + (data[offset + i] ?? 0);
  const drop = byteCount * 8 - bitOffset - bitLength;
  return Math.floor(value / 2 ** drop) % 2 ** bitLength;
}

export function readUint(data: Uint8Array, offset: number, length: number): number {
  return readBits(data, offset, 0, length * 8);
}

export function formatMac(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += (i ? ':' : '') + HEX[bytes[i]! >> 4]! + HEX[bytes[i]! & 15]!;
  return text;
}

export function formatIpv4(bytes: Uint8Array): string {
  return bytes.length === 4 ? `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}` : Array.from(bytes).join('.');
}

/** IPv6 text form as RFC 5952 recommends: lowercase, longest zero run (≥ 2 groups) as `::`. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}

/** Printable ASCII as is, every other byte as `.`. */
export function printable(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[i] = b >= 0x20 && b < 0x7f ? b : 0x2e;
  }
  return ascii.decode(out);
}

function defaultDisplay(format: FieldFormat, raw: number, widthBits: number): string {
  if (format === 'hex') return `0x${raw.toString(16).padStart(Math.ceil(widthBits / 4), '0')}`;
  return String(raw);
}

/** A field over whole bytes, built by hand (variable-length parts). */
export function bytesField(
  data: Uint8Array,
  name: string,
  explain: ExplainKey,
  offset: number,
  length: number,
  shown: Shown | TextRef[],
): Field {
  const end = Math.min(offset + length, data.length);
  const field: Field = { name, explain, offset, length, raw: toHex(data.subarray(offset, end)), display: '' };
  setShown(field, shown);
  return field;
}

/**
 * Reads `defs` in order starting at absolute `start`, with bytes available up to `limit`.
 * Stops at the first field that does not fit. Never throws.
 */
export function readFields<L extends string>(
  data: Uint8Array,
  layer: L,
  start: number,
  limit: number,
  defs: readonly FieldDef<L>[],
): ReadResult {
  const fields: Field[] = [];
  const values = new Map<string, number>();
  const available = Math.min(limit, data.length);
  let bit = 0; // bits from `start`
  for (const def of defs) {
    const width = def.bits ?? (def.bytes ?? 0) * 8;
    const offset = start + Math.floor(bit / 8);
    const bitOffset = bit % 8;
    const length = Math.ceil((bitOffset + width) / 8);
    if (offset + length > available) {
      return { fields, values, end: start + Math.floor(bit / 8), missing: def.name };
    }
    const explain = `${layer}.${def.name}`;
    const format = def.format ?? 'dec';
    let field: Field;
    if (format === 'mac' || format === 'ipv4' || format === 'ipv6' || format === 'bytes') {
      const bytes = data.subarray(offset, offset + length);
      const display =
        format === 'mac'
          ? formatMac(bytes)
          : format === 'ipv4'
            ? formatIpv4(bytes)
            : format === 'ipv6'
              ? formatIpv6(bytes)
              : toHex(bytes);
      const hex = toHex(bytes);
      field = { name: def.name, explain, offset, length, raw: hex, display };
      if (def.showBytes) setShown(field, def.showBytes(hex, display));
    } else {
      const raw = readBits(data, offset, bitOffset, width);
      field = { name: def.name, explain, offset, length, raw, display: '' };
      if (def.bits !== undefined) {
        field.bitOffset = bitOffset;
        field.bitLength = width;
      }
      values.set(def.name, raw);
      if (def.children) field.children = readChildren(data, explain, def.name, def.children, offset, bitOffset);
      const standard = defaultDisplay(format, raw, width);
      setShown(field, def.show ? def.show(raw, standard) : standard);
    }
    fields.push(field);
    bit += width;
  }
  return { fields, values, end: start + Math.ceil(bit / 8) };
}

function readChildren(
  data: Uint8Array,
  parentExplain: string,
  parentName: string,
  defs: readonly ChildDef[],
  offset: number,
  parentBitOffset: number,
): SubField[] {
  const children: SubField[] = [];
  let bit = parentBitOffset;
  for (const child of defs) {
    const width = child.bits;
    const childOffset = offset + Math.floor(bit / 8);
    const bitOffset = bit % 8;
    const raw = readBits(data, childOffset, bitOffset, width);
    const sub: SubField = {
      name: `${parentName}.${child.name}`,
      explain: `${parentExplain}.${child.name}`,
      offset: childOffset,
      length: Math.ceil((bitOffset + width) / 8),
      bitOffset,
      bitLength: width,
      raw,
      display: '',
    };
    setShown(sub, child.show ? child.show(raw) : width === 1 ? bitWords(raw) : String(raw));
    children.push(sub);
    bit += width;
  }
  return children;
}

/** A one-bit value: `set` or `not set`. */
export function bitWords(raw: number): TextRef {
  return words(raw ? 'value.set' : 'value.notSet');
}
