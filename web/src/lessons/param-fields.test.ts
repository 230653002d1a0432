import { describe, expect, it } from 'vitest';
import { checkValue, describeParams, optionValue, paramFields, paramLabel, schemaDefaults, valueLabel } from './param-fields.ts';

const schema = {
  type: 'object',
  properties: {
    ipVersion: { enum: [4, 6], default: 4 },
    closer: { anyOf: [{ const: 'client' }, { const: 'server' }], default: 'client' },
    pauseMs: { type: 'integer', minimum: 0, maximum: 2000, default: 200 },
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
    expect(fields[0]).toMatchObject({ options: [4, 6] });
    expect(fields[1]).toMatchObject({ options: ['client', 'server'] });
    expect(fields[2]).toMatchObject({ integer: true, min: 0, max: 2000 });
  });

  it('names parameters and values by the experiment\'s texts, and parameters in words', () => {
    const texts = {
      title: '',
      description: '',
      params: { ipVersion: { label: 'IP 版本', help: '', values: { '6': 'IPv6（::1）' } }, pauseMs: { label: '暂停', help: '' } },
      presets: {},
      notes: {},
    };
    expect(paramLabel('ipVersion', texts)).toBe('IP 版本');
    expect(paramLabel('other', texts)).toBe('other');
    expect(valueLabel('ipVersion', 6, texts)).toBe('IPv6（::1）');
    expect(valueLabel('ipVersion', 4, texts)).toBe('4');
    expect(describeParams({ ipVersion: 6, pauseMs: 300 }, texts)).toBe('IP 版本: IPv6（::1）; 暂停: 300');
    expect(describeParams({ ipVersion: 6 }, undefined)).toBe('ipVersion: 6');
    const zh = { pair: (label: string, value: string) => `${label}为 ${value}`, separator: '；' };
    expect(describeParams({ ipVersion: 6, pauseMs: 300 }, texts, zh)).toBe('IP 版本为 IPv6（::1）；暂停为 300');
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
