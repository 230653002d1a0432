/**
 * The IP header's small fields in words: DSCP classes (RFC 2474, 2597, 3246), ECN codepoints
 * (RFC 3168) and protocol numbers, each said as the RFCs name them.
 */
import { describe, expect, it } from 'vitest';
import { protocolLabel, showDscp, showEcn, showIpProtocol } from './ip-protocols.js';

describe('DSCP', () => {
  it('names every Assured Forwarding class AFxy, whose codepoint is 8x + 2y (RFC 2597)', () => {
    for (let x = 1; x <= 4; x++) {
      for (let y = 1; y <= 3; y++) expect(showDscp(8 * x + 2 * y)).toBe(`${8 * x + 2 * y} (AF${x}${y})`);
    }
  });

  it('names the class selectors CSn = 8n, Expedited Forwarding (46) and the default (0); other values by number', () => {
    for (let n = 1; n <= 7; n++) expect(showDscp(8 * n)).toBe(`${8 * n} (CS${n})`);
    expect(showDscp(46)).toEqual({ key: 'value.dscpEf', args: { n: 46 } });
    expect(showDscp(0)).toEqual({ key: 'value.dscpDefault', args: { n: 0 } });
    // An odd value, an even one below 8 (class 0), and an even one of class 5 or above (but EF), are no AF class.
    for (const raw of [2, 4, 6, 11, 33, 63, 42, 44, 50, 54, 62]) expect(showDscp(raw)).toBe(String(raw));
  });
});

describe('ECN', () => {
  it('says Not-ECT, ECT(1) for 01, ECT(0) for 10, and CE (RFC 3168)', () => {
    expect(showEcn(0)).toEqual({ key: 'value.ecnNotEct', args: { n: 0 } });
    expect(showEcn(1)).toBe('1 (ECT(1))');
    expect(showEcn(2)).toBe('2 (ECT(0))');
    expect(showEcn(3)).toEqual({ key: 'value.ecnCe', args: { n: 3 } });
  });
});

describe('IP protocol numbers', () => {
  it('say a known number with its name and an unknown one in words', () => {
    expect(protocolLabel(6)).toBe('6 (TCP)');
    expect(protocolLabel(17)).toBe('17 (UDP)');
    expect(protocolLabel(58)).toBe('58 (ICMPv6)');
    expect(protocolLabel(200)).toBe('200');
    expect(showIpProtocol(1)).toBe('1 (ICMP)');
    expect(showIpProtocol(200)).toEqual({ key: 'value.unknown', args: { value: 200 } });
  });

  it('name every number a capture on a teaching network may hold as IANA’s registry does', () => {
    // https://www.iana.org/assignments/protocol-numbers: the keyword, or the IPv6 header's name.
    const iana: [number, string][] = [
      [0, 'IPv6 Hop-by-Hop Options'],
      [1, 'ICMP'],
      [2, 'IGMP'],
      [6, 'TCP'],
      [17, 'UDP'],
      [41, 'IPv6'],
      [43, 'IPv6 Routing'],
      [44, 'IPv6 Fragment'],
      [47, 'GRE'],
      [50, 'ESP'],
      [51, 'AH'],
      [58, 'ICMPv6'],
      [59, 'No Next Header'],
      [60, 'IPv6 Destination Options'],
      [132, 'SCTP'],
    ];
    for (const [n, name] of iana) {
      expect(protocolLabel(n)).toBe(`${n} (${name})`);
      expect(showIpProtocol(n)).toBe(`${n} (${name})`);
    }
    expect(showIpProtocol(255)).toEqual({ key: 'value.unknown', args: { value: 255 } });
  });
});
