import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseProcNetTcp, readKernelTcpSockets } from './tcp-states.js';

const SAMPLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 0100007F:C350 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0
   2: garbage
`;

describe('kernel TCP table', () => {
  it('parses ports and state names', () => {
    expect(parseProcNetTcp(SAMPLE, 4)).toEqual([
      { family: 4, localPort: 8080, remotePort: 0, state: 'LISTEN' },
      { family: 4, localPort: 50000, remotePort: 8080, state: 'TIME_WAIT' },
    ]);
  });

  it('sees a real connection: LISTEN, then ESTABLISHED on both ends', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    const peer = await accepted;
    try {
      const table = readKernelTcpSockets(new Set([4]));
      expect(table).toContainEqual({ family: 4, localPort: port, remotePort: 0, state: 'LISTEN' });
      expect(table).toContainEqual({ family: 4, localPort: client.localPort, remotePort: port, state: 'ESTABLISHED' });
      expect(table).toContainEqual({ family: 4, localPort: port, remotePort: client.localPort, state: 'ESTABLISHED' });
    } finally {
      peer.destroy();
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
