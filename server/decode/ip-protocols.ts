/** IP protocol numbers (IPv4 protocol, IPv6 next header) and their names. */
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

export function showIpProtocol(raw: number): string {
  const name = IP_PROTOCOL_NAMES[raw];
  return name ? `${raw} (${name})` : `${raw} (unknown)`;
}

const ECN_NAMES = ['Not-ECT: no ECN', 'ECT(1)', 'ECT(0)', 'CE: congestion experienced'];

export function showEcn(raw: number): string {
  return `${raw} (${ECN_NAMES[raw] ?? '?'})`;
}

export function showDscp(raw: number): string {
  if (raw === 0) return '0 (default, best effort)';
  if (raw === 46) return '46 (EF, expedited forwarding)';
  if (raw % 8 === 0) return `${raw} (CS${raw / 8})`;
  const cls = Math.floor(raw / 8);
  const drop = (raw % 8) / 2;
  if (raw % 2 === 0 && cls >= 1 && cls <= 4 && drop >= 1 && drop <= 3) return `${raw} (AF${cls}${drop})`;
  return String(raw);
}
