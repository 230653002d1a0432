/**
 * The kernel's TCP socket table (/proc/net/tcp and /proc/net/tcp6): each socket's local and
 * remote port and its state, as the kernel reports it.
 */
import { readFileSync } from 'node:fs';

/** Kernel state numbers (include/net/tcp_states.h) → names. */
export const TCP_STATE_NAMES: Record<number, string> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN_SENT',
  0x03: 'SYN_RECV',
  0x04: 'FIN_WAIT1',
  0x05: 'FIN_WAIT2',
  0x06: 'TIME_WAIT',
  0x07: 'CLOSE',
  0x08: 'CLOSE_WAIT',
  0x09: 'LAST_ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
  0x0c: 'NEW_SYN_RECV',
};

export interface KernelTcpSocket {
  family: 4 | 6;
  localPort: number;
  remotePort: number;
  state: string;
}

/** Parses the text of /proc/net/tcp or /proc/net/tcp6. Lines that do not parse are skipped. */
export function parseProcNetTcp(text: string, family: 4 | 6): KernelTcpSocket[] {
  const sockets: KernelTcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    const remote = cols[2];
    const st = cols[3];
    if (!local || !remote || !st) continue;
    const localPort = parseInt(local.split(':')[1] ?? '', 16);
    const remotePort = parseInt(remote.split(':')[1] ?? '', 16);
    const code = parseInt(st, 16);
    if (!Number.isInteger(localPort) || !Number.isInteger(remotePort) || !Number.isInteger(code)) continue;
    sockets.push({ family, localPort, remotePort, state: TCP_STATE_NAMES[code] ?? `0x${st}` });
  }
  return sockets;
}

function readTable(path: string, family: 4 | 6): KernelTcpSocket[] {
  try {
    return parseProcNetTcp(readFileSync(path, 'utf8'), family);
  } catch {
    return [];
  }
}

/**
 * The TCP sockets the kernel knows in this network namespace, for the given address families.
 * The kernel walks its whole connection table for this: microseconds in a run's own namespace
 * (made with a small table), a few milliseconds on a host's.
 */
export function readKernelTcpSockets(families: ReadonlySet<4 | 6> = new Set([4, 6])): KernelTcpSocket[] {
  return [
    ...(families.has(4) ? readTable('/proc/net/tcp', 4) : []),
    ...(families.has(6) ? readTable('/proc/net/tcp6', 6) : []),
  ];
}
