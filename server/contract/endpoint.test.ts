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
});
