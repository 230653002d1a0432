/** What kind of file an import is: a trace JSON or a capture (pcap/pcapng). DOM-free. */

export type ImportKind = 'json' | 'capture' | 'unknown';

const PCAP_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];
const PCAPNG_MAGIC = 0x0a0d0d0a;

/** Decides from the first bytes (the name only breaks a tie). */
export function importKind(head: Uint8Array, name: string): ImportKind {
  if (head.length >= 4) {
    const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
    if (PCAP_MAGICS.includes(magic) || magic === PCAPNG_MAGIC) return 'capture';
  }
  for (const b of head) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf) continue;
    if (b === 0x7b) return 'json';
    break;
  }
  if (/\.json$/i.test(name)) return 'json';
  if (/\.(pcap|pcapng|cap)$/i.test(name)) return 'capture';
  return 'unknown';
}

export function contentTypeFor(kind: ImportKind): string {
  return kind === 'json' ? 'application/json' : 'application/octet-stream';
}
