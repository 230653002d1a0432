import { describe, expect, it } from 'vitest';
import { md5Rounds } from '../timeline/synthetic.ts';
import { dataShape, shortJson } from './data-shape.ts';

describe('dataShape', () => {
  it('draws a list of records as a table with every column', () => {
    const shape = dataShape([{ a: 1 }, { a: 2, b: 'x' }]);
    expect(shape).toEqual({ kind: 'table', columns: ['a', 'b'], rows: [{ a: 1 }, { a: 2, b: 'x' }], total: 2 });
  });

  it('shows the 64 rounds of an MD5 block as one table of 64 rows', () => {
    const shape = dataShape({ algorithm: 'MD5', rounds: md5Rounds() });
    expect(shape.kind).toBe('fields');
    const rounds = dataShape((shape as { entries: [string, unknown][] }).entries[1]![1], 1);
    expect(rounds).toMatchObject({ kind: 'table', columns: ['round', 'f', 'g', 'shift'], total: 64 });
    expect((rounds as { rows: unknown[] }).rows).toHaveLength(64);
  });

  it('bounds long lists, wide tables and deep nesting', () => {
    const long = Array.from({ length: 500 }, (_, i) => i);
    expect(dataShape(long)).toMatchObject({ kind: 'list', total: 500 });
    expect((dataShape(long) as { items: unknown[] }).items).toHaveLength(64);
    expect((dataShape(long, 0, undefined, true) as { items: unknown[] }).items).toHaveLength(500);
    const wide = [Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c${i}`, i]))];
    expect((dataShape(wide) as { columns: string[] }).columns).toHaveLength(12);
    expect(dataShape({ a: { b: { c: { d: 1 } } } }, 3)).toEqual({ kind: 'json', text: '{"a":{"b":{"c":{"d":1}}}}' });
    expect(shortJson({ s: 'x'.repeat(500) }).length).toBe(161);
  });

  it('says plain values as they are, and nothing as empty', () => {
    expect(dataShape('abc')).toEqual({ kind: 'value', text: 'abc', type: 'string' });
    expect(dataShape(3)).toEqual({ kind: 'value', text: '3', type: 'number' });
    expect(dataShape(false)).toEqual({ kind: 'value', text: 'false', type: 'boolean' });
    expect(dataShape(null)).toEqual({ kind: 'empty' });
    expect(dataShape({ x: 1, y: [1, 2] })).toEqual({ kind: 'fields', entries: [['x', 1], ['y', [1, 2]]], total: 2 });
  });
});
