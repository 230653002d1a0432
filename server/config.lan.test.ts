import { describe, expect, it } from 'vitest';
import { lanAddresses, readSettings } from './config.js';
import { allowedHostsFor } from './http/security.js';

const ifaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  eth0: [
    { address: '192.168.1.20', family: 'IPv4', internal: false },
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '2001:db8::5', family: 'IPv6', internal: false },
  ],
} as unknown as ReturnType<typeof import('node:os').networkInterfaces>;

describe('the classroom network', () => {
  it('stays on loopback unless asked: --lan (or --host 0.0.0.0) is the explicit choice', () => {
    expect(readSettings([], {})).toMatchObject({ host: '127.0.0.1', lan: false });
    expect(readSettings(['--lan'], {})).toMatchObject({ host: '0.0.0.0', lan: true });
    expect(readSettings(['--host', '0.0.0.0'], {})).toMatchObject({ lan: true });
    expect(readSettings(['--host', '192.168.1.20'], {})).toMatchObject({ lan: false });
  });

  it("lists this machine's network addresses, not loopback nor link-local", () => {
    expect(lanAddresses(ifaces)).toEqual(['192.168.1.20']);
    expect(lanAddresses(ifaces, '::')).toEqual(['192.168.1.20', '2001:db8::5']);
  });

  it('allows those addresses as Host with the port', () => {
    const hosts = allowedHostsFor('0.0.0.0', 7357, [], ['192.168.1.20', '2001:db8::5']);
    expect(hosts.has('192.168.1.20:7357')).toBe(true);
    expect(hosts.has('[2001:db8::5]:7357')).toBe(true);
    expect(hosts.has('192.168.1.21:7357')).toBe(false);
  });
});
