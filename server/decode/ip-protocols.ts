/** IP protocol numbers (IPv4 protocol, IPv6 next header) and their names. */
import { words, type Shown } from './fields.js';

export const IP_PROTOCOL_NAMES: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Options',
  1: 'ICMP',
  2: 'IGMP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'IPv6 Routing',
  44: 'IPv6 Fragment',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  59: 'No Next Header',
  60: 'IPv6 Destination Options',
  132: 'SCTP',
};

/** The number with its name (`6 (TCP)`), or the number alone when it has none. */
export function protocolLabel(raw: number): string {
  const name = IP_PROTOCOL_NAMES[raw];
  return name ? `${raw} (${name})` : String(raw);
}

export function showIpProtocol(raw: number): Shown {
  return IP_PROTOCOL_NAMES[raw] ? protocolLabel(raw) : words('value.unknown', { value: raw });
}

export function showEcn(raw: number): Shown {
  if (raw === 0) return words('value.ecnNotEct', { n: raw });
  if (raw === 3) return words('value.ecnCe', { n: raw });
  return `${raw} (ECT(${raw === 1 ? 1 : 0}))`;
}

export function showDscp(raw: number): Shown {
  if (raw === 0) return words('value.dscpDefault', { n: raw });
  if (raw === 46) return words('value.dscpEf', { n: raw });
  if (raw % 8 === 0) return `${raw} (CS${raw / 8})`;
  // AFxy is 8x + 2y with x from 1 to 4 and y from 1 to 3 (RFC 2597): an even value that is not a
  // multiple of 8 (handled above) always has a y from 1 to 3.
  const cls = Math.floor(raw / 8);
  if (raw % 2 === 0 && cls >= 1 && cls <= 4) return `${raw} (AF${cls}${(raw % 8) / 2})`;
  return String(raw);
}
