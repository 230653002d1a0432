/** Ethernet II: the link layer Linux uses on `lo` (with all-zero addresses). */
import { readFields, words, type LayerDef, type Shown } from './fields.js';
import { malformedCopy, missingBytesReason, type Protocol } from './protocol.js';

export const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q VLAN',
  0x88cc: 'LLDP',
};

function showMac(hex: string, standard: string): Shown {
  return hex === '000000000000' ? words('value.loopbackMac', { value: standard }) : standard;
}

/** The EtherType as hex with its name (`0x0800 (IPv4)`), or the hex alone when it has none. */
export function etherTypeLabel(type: number): string {
  const name = ETHERTYPE_NAMES[type];
  const hex = `0x${type.toString(16).padStart(4, '0')}`;
  return name ? `${hex} (${name})` : hex;
}

export const ethernetDef: LayerDef<'ethernet'> = {
  name: 'ethernet',
  fields: [
    { name: 'dst', bytes: 6, format: 'mac', showBytes: showMac },
    { name: 'src', bytes: 6, format: 'mac', showBytes: showMac },
    {
      name: 'type',
      bytes: 2,
      format: 'hex',
      show: (raw, hex) => {
        if (raw < 0x0600) return words('value.etherLength', { value: hex });
        return ETHERTYPE_NAMES[raw] ? etherTypeLabel(raw) : words('value.unknown', { value: hex });
      },
    },
  ],
};

export const ethernet: Protocol = {
  def: ethernetDef,
  decode(ctx, offset, end) {
    const read = readFields(ctx.data, 'ethernet', offset, end, ethernetDef.fields);
    const layer = { name: 'ethernet' as const, osi: 'link' as const, offset, length: read.end - offset, fields: read.fields };
    if (read.missing) {
      return { layer: malformedCopy(layer, missingBytesReason(ctx, 'part.ethernetHeader', offset, 14)) };
    }
    const type = read.values.get('type') ?? 0;
    if (type < 0x0600) return { layer: malformedCopy(layer, words('malformed.ieee8023', { type })) };
    return { layer, next: { table: 'etherType', value: type, offset: read.end, end } };
  },
};
