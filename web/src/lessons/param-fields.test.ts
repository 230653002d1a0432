import { describe, expect, it } from 'vitest';
import { checkValue, optionValue, paramFields, pickLocalized, schemaDefaults } from './param-fields.ts';

const schema = {
  type: 'object',
  properties: {
    ipVersion: { enum: [4, 6], default: 4, title: 'IP version', 'x-zh-CN': { title: 'IP 版本' } },
    closer: { anyOf: [{ const: 'client' }, { const: 'server' }], default: 'client' },
    pauseMs: { type: 'integer', minimum: 0, maximum: 2000, default: 200, title: { en: 'Pause', 'zh-CN': '暂停' } },
    message: { type: 'string', maxLength: 8, default: 'hello' },
    verbose: { type: 'boolean', default: false },
  },
};

describe('paramFields', () => {
  it('turns the schema into form fields', () => {
    const fields = paramFields(schema);
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['ipVersion', 'select'],
      ['closer', 'select'],
      ['pauseMs', 'number'],
      ['message', 'text'],
      ['verbose', 'checkbox'],
    ]);
    expect(fields[0]).toMatchObject({ options: [4, 6], title: { en: 'IP version', 'zh-CN': 'IP 版本' } });
    expect(fields[1]).toMatchObject({ options: ['client', 'server'] });
    expect(fields[2]).toMatchObject({ integer: true, min: 0, max: 2000 });
    expect(pickLocalized(fields[2]?.title, 'zh-CN')).toBe('暂停');
    expect(pickLocalized(fields[0]?.title, 'en')).toBe('IP version');
  });

  it('returns nothing for something that is not an object schema', () => {
    expect(paramFields(null)).toEqual([]);
    expect(paramFields({ type: 'string' })).toEqual([]);
  });

  it('reads defaults', () => {
    expect(schemaDefaults(schema)).toEqual({ ipVersion: 4, closer: 'client', pauseMs: 200, message: 'hello', verbose: false });
  });
});

describe('values', () => {
  const [ip, , pause, message] = paramFields(schema);

  it('keeps option values typed', () => {
    expect(optionValue(ip!, '6')).toBe(6);
    expect(optionValue(pause!, '12')).toBe(12);
  });

  it('checks ranges, whole numbers and lengths', () => {
    expect(checkValue(pause!, 100)).toBeNull();
    expect(checkValue(pause!, -1)).toBe('min');
    expect(checkValue(pause!, 2001)).toBe('max');
    expect(checkValue(pause!, 1.5)).toBe('integer');
    expect(checkValue(pause!, Number.NaN)).toBe('required');
    expect(checkValue(pause!, '')).toBe('required'); // a cleared number field
    expect(checkValue(message!, 'too long text')).toBe('tooLong');
  });
});
