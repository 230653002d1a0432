import { describe, expect, it } from 'vitest';
import { probeCapture } from './probe.js';
import { parseTcpdumpStats, portFilter } from './tcpdump.js';

describe('probeCapture', () => {
  it('honours SOCKET_LAB_CAPTURE=none with a reason and a fix', async () => {
    const info = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: 'none' });
    expect(info).toMatchObject({ available: false, method: 'none' });
    expect(info.reason).toMatch(/SOCKET_LAB_CAPTURE/);
    expect(info.fix).toBeTruthy();
  });

  it('says tcpdump is missing, with the install command, when it cannot be found', async () => {
    const info = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '', SOCKET_LAB_TCPDUMP: '/nonexistent/tcpdump' });
    expect(info).toMatchObject({ available: false, method: 'none' });
    expect(info.reason).toMatch(/not installed/);
    expect(info.fix).toMatch(/apt-get install -y tcpdump/);
  });

  it('decides one method on this machine, with a reason when capture is off', async () => {
    const info = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
    expect(['netns', 'loopback', 'none']).toContain(info.method);
    expect(info.available).toBe(info.method !== 'none');
    if (!info.available) expect(info.reason).toBeTruthy();
  });
});

describe('tcpdump helpers', () => {
  it('reads the exit statistics', () => {
    const stderr =
      'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n' +
      '7 packets captured\n9 packets received by filter\n1 packet dropped by kernel\n2 packets dropped by interface\n';
    expect(parseTcpdumpStats(stderr)).toEqual({ captured: 7, received: 9, droppedByKernel: 1, droppedByInterface: 2 });
    expect(parseTcpdumpStats('0 packets captured\n')).toEqual({ captured: 0 });
  });

  it('builds a port filter', () => {
    expect(portFilter([8080, 9090, 8080])).toBe('port 8080 or port 9090');
    expect(() => portFilter([])).toThrow();
  });
});
