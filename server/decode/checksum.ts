/** The Internet checksum (RFC 1071) and the TCP/UDP pseudo-header. */
import type { Field } from '../contract/trace.js';
import { setShown, words } from './fields.js';
import type { IpContext } from './protocol.js';

/** 16-bit one's complement sum of `data[start, end)`, added to `initial`, folded to 16 bits. */
export function onesComplementSum(data: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (i < end) sum += data[i]! << 8;
  return fold(sum);
}

export function fold(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** Sum of the pseudo-header TCP and UDP checksums cover, folded, not complemented. */
export function pseudoHeaderSum(ip: IpContext, protocol: number, length: number): number {
  const src = ip.pseudoSrc ?? ip.src;
  const dst = ip.pseudoDst ?? ip.dst;
  let sum = onesComplementSum(src, 0, src.length);
  sum += onesComplementSum(dst, 0, dst.length);
  if (ip.version === 4) sum += protocol + length;
  else sum += Math.floor(length / 0x10000) + (length & 0xffff) + protocol;
  return fold(sum);
}

export interface TransportChecksum {
  status: NonNullable<Field['checksum']>;
  /** What the checksum should have been, when it was computed. */
  expected?: number;
  /** Bad, and equal to the pseudo-header sum alone (what checksum offload leaves). */
  pseudoOnly?: boolean;
}

/**
 * Both addresses are loopback ones (127.0.0.0/8, ::1): such a packet never leaves the host, so
 * wherever it was captured, it was on a loopback interface.
 */
function loopbackAddresses(ip: IpContext): boolean {
  if (ip.version === 4) return ip.src[0] === 127 && ip.dst[0] === 127;
  const isOne = (a: Uint8Array): boolean => a[15] === 1 && a.subarray(0, 15).every((b) => b === 0);
  return isOne(ip.src) && isOne(ip.dst);
}

/**
 * Verifies a TCP or UDP checksum over `data[start, end)` (the whole segment, checksum field
 * included). When the segment is not all there or is fragmented it cannot be checked. A value
 * equal to the pseudo-header sum alone is what a sender using checksum offload leaves: on
 * loopback Linux never fills in the rest, so it is `offload` where loopback is known (`loopback`:
 * the lab captured it on `lo`; or both addresses are loopback ones); anywhere else it is bad,
 * and said to be the pseudo-header sum.
 */
export function verifyTransportChecksum(
  data: Uint8Array,
  start: number,
  end: number,
  stored: number,
  checksumOffset: number,
  ip: IpContext | undefined,
  protocol: number,
  loopback = false,
): TransportChecksum {
  if (!ip || ip.fragmented || end > data.length || end < start) return { status: 'unchecked' };
  const pseudo = pseudoHeaderSum(ip, protocol, end - start);
  const total = onesComplementSum(data, start, end, pseudo);
  if (total === 0xffff) return { status: 'ok' };
  // The sum without the stored value gives the correct checksum.
  const withoutStored = onesComplementSum(data, start, checksumOffset, 0) +
    onesComplementSum(data, checksumOffset + 2, end, pseudo);
  let expected = 0xffff - fold(withoutStored);
  if (protocol === 17 && expected === 0) expected = 0xffff;
  if (stored === pseudo) return loopback || loopbackAddresses(ip) ? { status: 'offload', expected } : { status: 'bad', expected, pseudoOnly: true };
  return { status: 'bad', expected };
}

function hex4(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/** Sets a checksum field's status and its value in words (`0x1a2b (correct)`). */
export function setChecksum(field: Field, stored: number, result: TransportChecksum): void {
  const value = hex4(stored);
  field.checksum = result.status;
  switch (result.status) {
    case 'ok':
      setShown(field, words('value.checksumCorrect', { value }));
      break;
    case 'offload':
      setShown(field, words('value.checksumPartial', { value }));
      break;
    case 'bad':
      setShown(field, words(result.pseudoOnly ? 'value.checksumPseudoOnly' : 'value.checksumIncorrect', { value, expected: hex4(result.expected ?? 0) }));
      break;
    default:
      setShown(field, words('value.checksumUnverified', { value }));
  }
}
