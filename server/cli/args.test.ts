import { describe, expect, it } from 'vitest';
import { coerceParams, parseCliArgs } from './args.js';

describe('parseCliArgs', () => {
  it('reads run with --set, --json and --pcapng', () => {
    expect(parseCliArgs(['run', 'handshake', '--set', 'ipVersion=6', '--set', 'close=reset', '--json', '--pcapng', 'x.pcapng'])).toEqual({
      command: 'run',
      experiment: 'handshake',
      set: { ipVersion: '6', close: 'reset' },
      json: true,
      pcapng: 'x.pcapng',
    });
  });
  it('refuses what it does not understand, with the usage', () => {
    expect(() => parseCliArgs(['run'])).toThrow(/Which experiment/);
    expect(() => parseCliArgs(['run', 'handshake', '--set', 'novalue'])).toThrow(/key=value/);
    expect(() => parseCliArgs(['fly'])).toThrow(/Unknown command/);
    expect(() => parseCliArgs(['run', 'handshake', '--fast'])).toThrow(/Unknown option/);
  });
});

describe('coerceParams', () => {
  it('follows the parameter schema: numbers, booleans, strings', () => {
    const schema = {
      properties: {
        ipVersion: { anyOf: [{ const: 4 }, { const: 6 }] },
        pauseMs: { type: 'integer' },
        verbose: { type: 'boolean' },
        message: { type: 'string' },
      },
    };
    expect(coerceParams({ ipVersion: '6', pauseMs: '20', verbose: 'true', message: '42' }, schema)).toEqual({
      ipVersion: 6,
      pauseMs: 20,
      verbose: true,
      message: '42',
    });
  });
});
