import { describe, expect, it } from 'vitest';
import { endpointKey, formatEndpoint, parseEndpoint } from './endpoint.js';

describe('endpoints', () => {
  it('writes IPv6 in brackets and IPv4-mapped addresses as IPv4', () => {
    expect(formatEndpoint('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(formatEndpoint('::1', 80)).toBe('[::1]:80');
    expect(formatEndpoint('::ffff:127.0.0.1', 80)).toBe('127.0.0.1:80');
  });

  it('compares addresses however they are written', () => {
    expect(endpointKey('::1', 5)).toBe(endpointKey('0:0:0:0:0:0:0:1', 5));
    expect(endpointKey('::1', 5)).not.toBe(endpointKey('::1', 6));
    expect(endpointKey('::ffff:127.0.0.1', 5)).toBe(endpointKey('127.0.0.1', 5));
  });

  it('parses both forms', () => {
    expect(parseEndpoint('[::1]:443')).toEqual({ ip: '::1', port: 443 });
    expect(parseEndpoint('10.0.0.1:22')).toEqual({ ip: '10.0.0.1', port: 22 });
    expect(parseEndpoint('nonsense')).toBeNull();
  });

  it('tells different IPv6 addresses apart, whatever their spelling, and compares without case', () => {
    const same = (a: string, b: string) => endpointKey(a, 1) === endpointKey(b, 1);
    expect(same('::1', '::2')).toBe(false);
    expect(same('2001:db8::1', '2001:DB8:0:0:0:0:0:1')).toBe(true);
    expect(same('2001:db8::1', '2001:db8::1:0')).toBe(false);
    expect(same('fe80::1:2', 'fe80::12')).toBe(false);
    expect(same('::a:b', '0:0:0:0:0:0:a:b')).toBe(true);
    expect(same('2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(same('fe80::', 'fe80:0:0:0:0:0:0:0')).toBe(true);
    expect(same('1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8')).toBe(true);
    expect(same('1:2:3:4:5:6:7:8', '1:2:3:4:5:6:8:7')).toBe(false);
    // Only a dotted IPv4 inside ::ffff: is IPv4; ::ffff:1 is an IPv6 address of its own.
    expect(formatEndpoint('::ffff:1', 80)).toBe('[::ffff:1]:80');
    expect(formatEndpoint('::FFFF:10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(same('10.0.0.1', '10.0.0.2')).toBe(false);
  });

  it('parses only a whole endpoint', () => {
    for (const text of ['x[::1]:443', '[::1]:443x', '[::1]:', '10.0.0.1:22x', '10.0.0.1', '::1:22']) {
      expect(parseEndpoint(text), text).toBeNull();
    }
  });
});
