/**
 * Reads a whole capture file: classic pcap (either byte order, micro- or nanoseconds) or pcapng
 * (any byte order, several sections and interfaces), all at once: `CaptureReader` fed the whole file.
 */
import { CaptureReader, type CaptureOddity } from './capture-reader.js';

export type { CaptureOddity } from './capture-reader.js';
import type { PcapRecord } from './pcap-format.js';

export interface CaptureFile {
  format: 'pcap' | 'pcapng';
  /** Link type of the first interface; each record also carries its own `linktype`. */
  linktype: number;
  snaplen: number;
  records: PcapRecord[];
  /** What is odd about the file but was read anyway (see `CaptureReader.oddities`). */
  oddities: CaptureOddity[];
}


/**
 * Reads a whole pcap or pcapng file. Each record's `data` is a view of `bytes` (no copy), which
 * must not change afterwards. Throws LabError('CAPTURE_MALFORMED') naming what and where.
 */
export function readCaptureFile(bytes: Uint8Array): CaptureFile {
  const reader = new CaptureReader({ data: 'view' });
  const records = reader.push(bytes);
  reader.end();
  return { format: reader.format!, linktype: reader.linktype, snaplen: reader.snaplen, records, oddities: reader.oddities };
}
