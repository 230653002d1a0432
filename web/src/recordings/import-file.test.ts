import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../server/decode/fixtures/load.ts';
import { contentTypeFor, importKind } from './import-file.ts';

describe('importKind', () => {
  it('recognises a real pcap capture by its magic number', () => {
    expect(importKind(fixtureBytes('handshake-ipv4').subarray(0, 64), 'x.bin')).toBe('capture');
  });

  it('recognises pcapng and trace JSON', () => {
    expect(importKind(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 0, 0]), 'a')).toBe('capture');
    expect(importKind(new TextEncoder().encode('  {"format":"socket-lab-trace"}'), 'a')).toBe('json');
    expect(importKind(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b]), 'a')).toBe('json');
  });

  it('falls back to the name, then gives up', () => {
    expect(importKind(new Uint8Array([1, 2, 3]), 'trace.JSON')).toBe('json');
    expect(importKind(new Uint8Array([1, 2, 3]), 'c.pcapng')).toBe('capture');
    expect(importKind(new Uint8Array([1, 2, 3]), 'notes.txt')).toBe('unknown');
    expect(contentTypeFor('json')).toBe('application/json');
    expect(contentTypeFor('capture')).toBe('application/octet-stream');
  });
});
