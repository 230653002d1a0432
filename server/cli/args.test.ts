import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

describe('parseCliArgs', () => {
  it('reads run with --set, --json and --pcapng', () => {
    expect(parseCliArgs(['run', 'handshake', '--set', 'ipVersion=6', '--set', 'close=reset', '--json', '--pcapng', 'x.pcapng'])).toEqual({
      command: 'run',
      experiment: 'handshake',
      set: { ipVersion: '6', close: 'reset' },
      json: true,
      pcapng: 'x.pcapng',
      programs: {},
    });
  });
  it('reads --lang and --program NAME=FILE', () => {
    expect(parseCliArgs(['run', 'handshake', '--lang', 'python', '--program', 'client=./my_client.py'])).toMatchObject({
      lang: 'python',
      programs: { client: './my_client.py' },
    });
    expect(() => parseCliArgs(['run', 'handshake', '--program', 'client'])).toThrow(/--program wants name=file/);
  });
  it('refuses what it does not understand, with the usage', () => {
    expect(() => parseCliArgs(['run'])).toThrow(/Which experiment/);
    expect(() => parseCliArgs(['run', 'handshake', '--set', 'novalue'])).toThrow(/key=value/);
    expect(() => parseCliArgs(['fly'])).toThrow(/Unknown command/);
    expect(() => parseCliArgs(['run', 'handshake', '--fast'])).toThrow(/Unknown option/);
  });
});
