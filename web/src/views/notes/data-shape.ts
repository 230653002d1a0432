/**
 * How to show a note's structured data (any JSON) without knowing what it is: a list of
 * records as a table, a record as a list of names and values, a list of plain values in a row,
 * and anything deeper than a few levels as short JSON. Bounded: long lists and tables show
 * their first items and say how many more there are. Pure.
 */

export type DataShape =
  | { kind: 'empty' }
  | { kind: 'value'; text: string; type: 'string' | 'number' | 'boolean' }
  | { kind: 'table'; columns: string[]; rows: Record<string, unknown>[]; total: number }
  | { kind: 'list'; items: unknown[]; total: number }
  | { kind: 'fields'; entries: [string, unknown][]; total: number }
  | { kind: 'json'; text: string };

export interface DataLimits {
  /** Rows of a table, items of a list, fields of a record shown before "n more". */
  items: number;
  /** Columns of a table. */
  columns: number;
  /** Levels shown as tables and lists; deeper data is short JSON. */
  depth: number;
  /** Characters of JSON and of a long text. */
  chars: number;
}

export const DATA_LIMITS: DataLimits = { items: 64, columns: 12, depth: 3, chars: 160 };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cut(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

/** JSON on one line, cut to `chars`. */
export function shortJson(value: unknown, chars: number = DATA_LIMITS.chars): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return cut(text, chars);
}

/** The shape to draw `value` as, `depth` levels down (0 = the note's data itself). */
export function dataShape(value: unknown, depth = 0, limits: DataLimits = DATA_LIMITS, showAll = false): DataShape {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (typeof value === 'string') return { kind: 'value', text: cut(value, showAll ? Infinity : limits.chars * 4), type: 'string' };
  if (typeof value === 'number') return { kind: 'value', text: String(value), type: 'number' };
  if (typeof value === 'boolean') return { kind: 'value', text: String(value), type: 'boolean' };
  if (typeof value !== 'object') return { kind: 'value', text: String(value), type: 'string' };
  if (depth >= limits.depth) return { kind: 'json', text: shortJson(value, limits.chars) };
  const max = showAll ? Infinity : limits.items;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isRecord)) {
      const columns: string[] = [];
      for (const row of value) {
        for (const key of Object.keys(row)) if (!columns.includes(key) && columns.length < limits.columns) columns.push(key);
      }
      return { kind: 'table', columns, rows: value.slice(0, max), total: value.length };
    }
    return { kind: 'list', items: value.slice(0, max), total: value.length };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return { kind: 'fields', entries: entries.slice(0, max), total: entries.length };
}
