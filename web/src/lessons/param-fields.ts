/**
 * An experiment's parameter schema (JSON Schema, object) → the fields of a form, and form text
 * back to typed values. Handles `enum`, unions of `const` (anyOf/oneOf), numbers with
 * minimum/maximum, strings and booleans. DOM-free.
 */

import type { ExperimentText, ParamValue } from '../lib/api-types.ts';

export type { ParamValue };

interface BaseField {
  name: string;
}

export type ParamField =
  | (BaseField & { kind: 'select'; options: ParamValue[] })
  | (BaseField & { kind: 'number'; integer: boolean; min?: number; max?: number })
  | (BaseField & { kind: 'text'; maxLength?: number })
  | (BaseField & { kind: 'checkbox' });

type Schema = Record<string, unknown>;

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isParamValue(v: unknown): v is ParamValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A parameter's label in the experiment's texts (its name when it has none). */
export function paramLabel(name: string, texts: ExperimentText | undefined): string {
  return texts?.params[name]?.label ?? name;
}

/** A value's words (`IPv6 (::1)`), or the value itself. */
export function valueLabel(name: string, value: ParamValue, texts: ExperimentText | undefined): string {
  return texts?.params[name]?.values?.[String(value)] ?? String(value);
}

/** How one parameter and its value read, and what joins several, in the page's language. */
export interface ParamWording {
  pair: (label: string, value: string) => string;
  separator: string;
}

const plainWording: ParamWording = { pair: (label, value) => `${label}: ${value}`, separator: '; ' };

/** Parameters in words: `Connect to: A closed port; IP version: IPv6 (::1)`. */
export function describeParams(
  params: Readonly<Record<string, ParamValue>>,
  texts: ExperimentText | undefined,
  wording: ParamWording = plainWording,
): string {
  return Object.entries(params)
    .map(([name, value]) => wording.pair(paramLabel(name, texts), valueLabel(name, value, texts)))
    .join(wording.separator);
}

function choicesOf(prop: Schema): ParamValue[] | null {
  if (Array.isArray(prop['enum'])) return prop['enum'].filter(isParamValue);
  const union = Array.isArray(prop['anyOf']) ? prop['anyOf'] : Array.isArray(prop['oneOf']) ? prop['oneOf'] : null;
  if (union && union.length > 0 && union.every((s) => isObject(s) && 'const' in s && isParamValue(s['const']))) {
    return union.map((s) => (s as Schema)['const'] as ParamValue);
  }
  if ('const' in prop && isParamValue(prop['const'])) return [prop['const']];
  return null;
}

export function paramFields(schema: unknown): ParamField[] {
  if (!isObject(schema) || !isObject(schema['properties'])) return [];
  const fields: ParamField[] = [];
  for (const [name, raw] of Object.entries(schema['properties'])) {
    if (!isObject(raw)) continue;
    const base: BaseField = { name };
    const choices = choicesOf(raw);
    const type = raw['type'];
    if (choices) {
      fields.push({ ...base, kind: 'select', options: choices });
    } else if (type === 'number' || type === 'integer') {
      const f: ParamField = { ...base, kind: 'number', integer: type === 'integer' };
      if (typeof raw['minimum'] === 'number') f.min = raw['minimum'];
      if (typeof raw['maximum'] === 'number') f.max = raw['maximum'];
      fields.push(f);
    } else if (type === 'boolean') {
      fields.push({ ...base, kind: 'checkbox' });
    } else {
      const f: ParamField = { ...base, kind: 'text' };
      if (typeof raw['maxLength'] === 'number') f.maxLength = raw['maxLength'];
      fields.push(f);
    }
  }
  return fields;
}

/** The schema's own defaults (`properties.x.default`). */
export function schemaDefaults(schema: unknown): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (!isObject(schema) || !isObject(schema['properties'])) return out;
  for (const [name, raw] of Object.entries(schema['properties'])) {
    if (isObject(raw) && isParamValue(raw['default'])) out[name] = raw['default'];
  }
  return out;
}

/** A select's option text back to the option's own value (so `4` stays a number). */
export function optionValue(field: ParamField, text: string): ParamValue {
  if (field.kind === 'select') return field.options.find((o) => String(o) === text) ?? text;
  if (field.kind === 'number') return Number(text);
  if (field.kind === 'checkbox') return text === 'true';
  return text;
}

/** A problem with a value, as a message key, or null when it is fine. */
export function checkValue(field: ParamField, value: ParamValue): 'required' | 'min' | 'max' | 'integer' | 'tooLong' | null {
  if (field.kind === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'required';
    if (field.integer && !Number.isInteger(value)) return 'integer';
    if (field.min !== undefined && value < field.min) return 'min';
    if (field.max !== undefined && value > field.max) return 'max';
  }
  if (field.kind === 'text' && field.maxLength !== undefined && String(value).length > field.maxLength) return 'tooLong';
  return null;
}
