import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { DecodedPacket } from '../contract/trace.js';
import { craftedFrames, FAR_ADDRESS, fillTransportChecksum } from './fixtures/craft.js';
import { loadFixture } from './fixtures/load.js';
import { decodeFrame } from './index.js';
import { once } from '../setup/mutation-run.js';
import { fieldOf as field } from './fixtures/find.js';

const frames = once(craftedFrames);

function decodeCrafted(name: string): DecodedPacket {
  const frame = frames()[name]!;
  const packet = decodeFrame(frame.data, frame.linktype, frame.data.length);
  expect(Value.Check(DecodedPacket, packet)).toBe(true);
  return packet;
}


describe('decodeFrame on hand-made frames', () => {
  it('reads IPv4 options and finds TCP after the longer header', () => {
    const p = decodeCrafted('ipv4Options');
    expect(field(p, 'ipv4', 'ihl').display).toBe('6 (24 bytes)');
    expect(field(p, 'ipv4', 'options')).toMatchObject({ offset: 34, length: 4, display: 'Router Alert (4 bytes)' });
    expect(p.layers.find((l) => l.name === 'tcp')?.offset).toBe(38);
    expect(p.summary.sport).toBe(50000);
  });

  it('reports a protocol it does not decode as an unknown layer, not as malformed', () => {
    const icmp = decodeCrafted('ipv4Icmp');
    expect(icmp.summary.proto).toBe('other');
    expect(icmp.layers.at(-1)).toMatchObject({ name: 'unknown', osi: 'transport', length: 8 });
    expect(icmp.summary.info).toBe('127.0.0.1 → 127.0.0.1 IPv4, protocol 1 (ICMP) is not decoded');
    const arp = decodeCrafted('arp');
    expect(arp.layers.map((l) => l.name)).toEqual(['ethernet', 'unknown']);
    expect(arp.layers[1]!.fields[0]!.display).toContain('0x0806 (ARP) is not decoded');
    expect(arp.layers.every((l) => l.malformed === undefined)).toBe(true);
    const unknownLink = decodeCrafted('unknownLinktype');
    expect(unknownLink.layers[0]!.fields[0]!.display).toContain('link type 147');
  });

  it('does not look for a TCP header in a later IPv4 fragment', () => {
    const p = decodeCrafted('ipv4Fragment');
    expect(p.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv4', 'unknown']);
    expect(p.layers[2]!.fields[0]!.display).toContain('later fragment (offset 128 bytes)');
  });

  it('steps over IPv6 extension headers to reach TCP', () => {
    const p = decodeCrafted('ipv6Extensions');
    const names = p.layers.find((l) => l.name === 'ipv6')!.fields.map((f) => f.name);
    expect(names.slice(-3)).toEqual(['ext.hopByHop', 'ext.destination', 'ext.fragment']);
    const fragment = field(p, 'ipv6', 'ext.fragment');
    expect(fragment.children?.map((c) => c.explain)).toEqual([
      'ipv6.ext.nextHeader',
      'ipv6.ext.fragmentOffset',
      'ipv6.ext.mf',
      'ipv6.ext.identification',
    ]);
    expect(p.layers.find((l) => l.name === 'tcp')?.offset).toBe(14 + 40 + 24);
    // A fragment's checksum covers bytes in other fragments.
    expect(field(p, 'tcp', 'checksum').checksum).toBe('unchecked');
    const later = decodeCrafted('ipv6LaterFragment');
    expect(later.layers.at(-1)!.fields[0]!.display).toContain('later fragment (offset 24 bytes) of a 17 (UDP)');
    const esp = decodeCrafted('ipv6Esp');
    expect(esp.layers.at(-1)!.fields[0]!.display).toContain('protocol 50 (ESP) is not decoded');
  });

  it('reads SACK blocks, unknown options by kind and length, and End of Option List with padding', () => {
    const p = decodeCrafted('tcpSackUnknownEol');
    const options = field(p, 'tcp', 'options');
    expect(options.children?.map((c) => c.name)).toEqual([
      'options.nop',
      'options.nop-2',
      'options.sack',
      'options.unknown',
      'options.eol',
      'options.padding',
    ]);
    expect(options.children?.[3]?.display).toBe('kind 30 (Multipath TCP), 4 bytes');
    expect(p.summary.options?.sack).toBe('1000-2000, 3000-4000');
    expect(p.summary.tcpOptions?.sack).toEqual([{ left: 1000, right: 2000 }, { left: 3000, right: 4000 }]);
    // An option kind the decoder does not know is said in words, the names as they are.
    expect(options.display).toBe('NOP, NOP, SACK, kind 30, EOL');
    expect(options.text).toContainEqual({ key: 'value.kind', args: { kind: 30 } });
    expect(p.summary.info).toContain('SLE=1000 SRE=2000 SLE=3000 SRE=4000');
    expect(p.layers.find((l) => l.name === 'tcp')?.malformed).toBeUndefined();
    expect(field(p, 'payload', 'data')).toMatchObject({ raw: '686900ff', display: 'hi..' });
  });

  it('shows every flag and a window-scale shift above the maximum', () => {
    const p = decodeCrafted('tcpUrgent');
    expect(p.summary.flags).toEqual(['CWR', 'ECE', 'URG', 'SYN']);
    expect(p.summary.info).toMatch(/^50000 → 8080 \[SYN, URG, ECE, CWR\] Seq=1000 Win=512 Len=0 Urg=0 WS=16384$/);
    expect(field(p, 'tcp', 'options').children?.[0]?.display).toMatch(/^16 \(more than the maximum 14/);
  });

  it('treats a zero UDP checksum over IPv4 as not used, and reads raw-IP link types', () => {
    expect(field(decodeCrafted('udpNoChecksum'), 'udp', 'checksum').checksum).toBe('unchecked');
    const raw = decodeCrafted('rawIpv4');
    expect(raw.layers.map((l) => l.name)).toEqual(['ipv4', 'udp']);
  });
});

describe('BIG TCP and jumbograms, decoded as tshark decodes them', () => {
  it('takes an IPv4 total length of 0 (TSO) to mean the rest of the frame, and decodes the TCP segment', () => {
    const p = decodeCrafted('bigTcpIpv4');
    expect(p.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv4', 'tcp', 'payload']);
    expect(p.layers.every((l) => !l.malformed)).toBe(true);
    const total = field(p, 'ipv4', 'totalLength');
    expect(total.raw).toBe(0);
    expect(total.text).toMatchObject({ key: 'value.totalLengthTso', args: { n: 45 } });
    expect(p.summary.payloadLength).toBe(5);
  });

  it('takes an IPv6 jumbogram length from its Jumbo Payload option', () => {
    const p = decodeCrafted('ipv6Jumbo');
    expect(p.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv6', 'tcp', 'payload']);
    expect(p.layers.every((l) => !l.malformed)).toBe(true);
    expect(field(p, 'ipv6', 'payloadLength').text).toMatchObject({ key: 'value.payloadLengthJumbo', args: { n: 31 } });
    expect(p.summary.payloadLength).toBe(3);
  });

  it('calls an option that runs past its extension header malformed', () => {
    const p = decodeCrafted('ipv6OptionPastEnd');
    expect(p.layers.find((l) => l.name === 'ipv6')?.malformedText?.[0]?.key).toBe('malformed.extensionOptionPastEnd');
  });
});

describe('the IPv6 pseudo-header', () => {
  const loop = [...new Array(15).fill(0), 1];
  const udpAt = (frame: Uint8Array): number => frame.length - 10;
  const verdict = (frame: Uint8Array): string | undefined => field(decodeFrame(frame, 1), 'udp', 'checksum').checksum;

  it("uses the Routing header's final destination while hops are left (RFC 8200 §8.1)", () => {
    const frame = frames()['ipv6RoutingHeader']!.data.slice();
    fillTransportChecksum(frame, udpAt(frame), 17, loop, FAR_ADDRESS);
    expect(verdict(frame)).toBe('ok');
    fillTransportChecksum(frame, udpAt(frame), 17, loop, loop);
    expect(verdict(frame)).toBe('bad');
    // No hop left: the packet is at its final destination, the header's own.
    frame[14 + 40 + 3] = 0;
    expect(verdict(frame)).toBe('ok');
  });

  it("uses the Home Address option's address as the source (RFC 6275 §6.3)", () => {
    const frame = frames()['ipv6HomeAddress']!.data.slice();
    fillTransportChecksum(frame, udpAt(frame), 17, FAR_ADDRESS, loop);
    expect(verdict(frame)).toBe('ok');
    fillTransportChecksum(frame, udpAt(frame), 17, loop, loop);
    expect(verdict(frame)).toBe('bad');
  });
});

describe('checksum verification', () => {
  it('finds a damaged IPv4 header and a damaged TCP segment, and says what the value should be', () => {
    const [, rst] = loadFixture('rst-closed-port');
    const data = rst!.data.slice();
    expect(field(decodeFrame(data, 1), 'tcp', 'checksum').checksum).toBe('ok');
    const storedTcp = (data[50]! << 8) | data[51]!;
    data[45] ^= 0x01; // ack number
    const bad = field(decodeFrame(data, 1), 'tcp', 'checksum');
    expect(bad.checksum).toBe('bad');
    expect(bad.display).toMatch(/^0x[0-9a-f]{4} \(incorrect, should be 0x[0-9a-f]{4}\)$/);
    // Put in the value it asks for: the segment verifies again.
    const wanted = Number.parseInt(/should be 0x([0-9a-f]{4})/.exec(bad.display)![1]!, 16);
    expect(wanted).not.toBe(storedTcp);
    data[50] = wanted >> 8;
    data[51] = wanted & 0xff;
    expect(field(decodeFrame(data, 1), 'tcp', 'checksum').checksum).toBe('ok');

    const ttl = data.slice();
    ttl[22] = 1;
    const ipBad = field(decodeFrame(ttl, 1), 'ipv4', 'checksum');
    expect(ipBad.checksum).toBe('bad');
    const ipWanted = Number.parseInt(/should be 0x([0-9a-f]{4})/.exec(ipBad.display)![1]!, 16);
    ttl[24] = ipWanted >> 8;
    ttl[25] = ipWanted & 0xff;
    expect(field(decodeFrame(ttl, 1), 'ipv4', 'checksum').checksum).toBe('ok');
  });

  it('tells offload from damage: a loopback partial checksum that no longer matches the pseudo-header is bad', () => {
    const [syn] = loadFixture('handshake-ipv4');
    const data = syn!.data.slice();
    data[51] ^= 0x01; // stored checksum, low byte
    expect(field(decodeFrame(data, 1), 'tcp', 'checksum').checksum).toBe('bad');
  });
});
