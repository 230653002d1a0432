/** Endpoints as traces write them: `ip:port`, or `[ip]:port` for IPv6. */
import { BoundedCache } from './bounded-cache.js';

/** An IPv4 address seen through an IPv6 socket (`::ffff:127.0.0.1`) is written as IPv4. */
export function plainIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

export function formatEndpoint(ip: string, port: number): string {
  const plain = plainIp(ip);
  return plain.includes(':') ? `[${plain}]:${port}` : `${plain}:${port}`;
}

/** Full, lowercase form of an IPv6 address (`::1` → `0000:...:0001`), for comparing. */
function expandIpv6(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right]
    .map((g) => g.padStart(4, '0'))
    .join(':');
}

/** A key equal for equal endpoints however the address was written. */
export function endpointKey(ip: string, port: number): string {
  return `${addressKey(ip)}|${port}`;
}

/** The last few addresses' keys: a capture's packets name the same few addresses over and over. */
const addressKeys = new BoundedCache<string, string>(256);

function addressKey(ip: string): string {
  return addressKeys.get(ip, () => {
    const plain = plainIp(ip);
    return plain.includes(':') ? expandIpv6(plain) : plain;
  });
}

/** Splits `ip:port` / `[ip]:port`; null when it is neither. */
export function parseEndpoint(text: string): { ip: string; port: number } | null {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!match) return null;
  return { ip: match[1]!, port: Number(match[2]) };
}
