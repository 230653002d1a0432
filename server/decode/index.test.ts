import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { DecodedPacket } from '../contract/trace.js';
import { readBits, readUint, toHex } from './fields.js';
import { FIXTURES, fixturePath, hasTshark, loadFixture } from './fixtures/load.js';
import { pseudoHeaderSum } from './checksum.js';
import { decodeFrame } from './index.js';
import type { IpContext } from './protocol.js';
import { skipWithout } from '../setup/expected-tools.js';
import { MUTATION_RUN, once } from '../setup/mutation-run.js';
import { fieldOf as field } from './fixtures/find.js';

/** The fixtures were captured on this project's loopback, as the lab captures a run. */
function decodeAll(name: string): DecodedPacket[] {
  return loadFixture(name).map((r) => decodeFrame(r.data, r.linktype ?? 1, r.len, { loopback: true }));
}


describe('decodeFrame on a real IPv4 connection', () => {
  const packets = once(() => decodeAll('handshake-ipv4'));
  const summaries = once(() => packets().map((p) => p.summary));

  it('shows handshake, data and teardown flags in wire order', () => {
    expect(summaries().map((p) => p.flags)).toEqual([
      ['SYN'],
      ['ACK', 'SYN'],
      ['ACK'],
      ['ACK', 'PSH'],
      ['ACK'],
      ['ACK', 'PSH'],
      ['ACK'],
      ['ACK', 'FIN'],
      ['ACK', 'FIN'],
      ['ACK'],
    ]);
  });

  it('has sequence arithmetic that adds up: SYN and FIN count as one byte, data by its length', () => {
    const [syn, synAck, ack, hello, , echo, , fin1, fin2, last] = summaries();
    expect(synAck!.ack).toBe(syn!.seq! + 1);
    expect(ack!.seq).toBe(syn!.seq! + 1);
    expect(ack!.ack).toBe(synAck!.seq! + 1);
    expect(hello!.payloadLength).toBe(5);
    expect(summaries()[4]!.ack).toBe(hello!.seq! + 5);
    expect(echo!.payloadLength).toBe(10);
    expect(summaries()[6]!.ack).toBe(echo!.seq! + 10);
    expect(fin1!.seq).toBe(echo!.seq! + 10);
    expect(fin2!.ack).toBe(fin1!.seq! + 1);
    expect(last!.ack).toBe(fin2!.seq! + 1);
  });

  it('reads the SYN options the kernel sends on loopback', () => {
    for (const p of summaries().slice(0, 2)) {
      expect(p.options?.mss).toBe('65495');
      expect(p.options?.sackPerm).toBe('yes');
      const ws = /^(\d+) \(×(\d+)\)$/.exec(p.options?.wscale ?? '');
      expect(ws).not.toBeNull();
      expect(Number(ws![2])).toBe(2 ** Number(ws![1]));
      expect(p.options?.ts).toMatch(/^\d+ \/ \d+$/);
    }
    expect(summaries()[0]!.options?.ts).toMatch(/ \/ 0$/);
    // The SYN-ACK echoes the SYN's TSval.
    expect(summaries()[1]!.options?.ts?.split(' / ')[1]).toBe(summaries()[0]!.options?.ts?.split(' / ')[0]);
    expect(summaries()[0]!.info).toMatch(
      /^\d+ → 40111 \[SYN\] Seq=\d+ Win=65495 Len=0 MSS=65495 SACK_PERM TSval=\d+ TSecr=0 WS=\d+$/,
    );
    expect(summaries()[1]!.info).toMatch(/^40111 → \d+ \[SYN, ACK\] Seq=\d+ Ack=\d+ /);
  });

  it('reports the IPv4 checksum correct and the TCP checksum as loopback offload', () => {
    for (const p of packets()) {
      expect(field(p, 'ipv4', 'checksum').checksum).toBe('ok');
      expect(field(p, 'tcp', 'checksum').checksum).toBe('offload');
    }
  });

  it('puts each layer in its place of the five-layer model, with the payload bytes', () => {
    const hello = packets()[3]!;
    expect(hello.layers.map((l) => [l.name, l.osi])).toEqual([
      ['ethernet', 'link'],
      ['ipv4', 'network'],
      ['tcp', 'transport'],
      ['payload', 'application'],
    ]);
    const data = field(hello, 'payload', 'data');
    expect(data.raw).toBe(toHex(new TextEncoder().encode('hello')));
    expect(data.display).toBe('hello');
    expect(field(packets()[5]!, 'payload', 'data').display).toBe('echo:hello');
    expect(packets()[0]!.layers.some((l) => l.name === 'payload')).toBe(false);
  });

  it('shows loopback zero MACs and IPv4 header fields', () => {
    const p = packets()[0]!;
    expect(field(p, 'ethernet', 'dst').display).toMatch(/^00:00:00:00:00:00 \(loopback/);
    expect(field(p, 'ethernet', 'type').display).toBe('0x0800 (IPv4)');
    expect(field(p, 'ipv4', 'ihl').raw).toBe(5);
    expect(field(p, 'ipv4', 'protocol').display).toBe('6 (TCP)');
    const flags = field(p, 'ipv4', 'flags');
    expect(flags.children?.find((c) => c.name === 'flags.df')?.raw).toBe(1);
    expect(p.summary).toMatchObject({ ip: 4, src: '127.0.0.1', dst: '127.0.0.1', proto: 'tcp', dport: 40111 });
  });

  it('places fields at the absolute offsets of their bytes', () => {
    const syn = packets()[0]!;
    expect(field(syn, 'tcp', 'seq')).toMatchObject({ offset: 38, length: 4 });
    expect(field(syn, 'tcp', 'flags')).toMatchObject({ offset: 47, length: 1, bitOffset: 0, bitLength: 8 });
    const synBit = field(syn, 'tcp', 'flags').children!.find((c) => c.name === 'flags.syn')!;
    expect(synBit).toMatchObject({ offset: 47, bitOffset: 6, bitLength: 1, raw: 1, explain: 'tcp.flags.syn' });
    expect(field(syn, 'ipv4', 'fragmentOffset')).toMatchObject({ offset: 20, length: 2, bitOffset: 3, bitLength: 13 });
    const mss = field(syn, 'tcp', 'options').children!.find((c) => c.name === 'options.mss')!;
    expect(mss).toMatchObject({ offset: 54, length: 4, raw: '0204ffd7', display: '65495 bytes', explain: 'tcp.options.mss' });
    expect(mss.text).toEqual({ key: 'value.bytes', args: { n: 65495 } });
  });

  it('gives worded values a key with parameters, and the English as display', () => {
    const syn = packets()[0]!;
    const synBit = field(syn, 'tcp', 'flags').children!.find((c) => c.name === 'flags.syn')!;
    expect(synBit).toMatchObject({ display: 'set', text: { key: 'value.set' } });
    expect(field(syn, 'ipv4', 'ttl')).toMatchObject({ display: '64 hops', text: { key: 'value.hops', args: { n: 64 } } });
    const checksum = field(syn, 'tcp', 'checksum');
    expect(checksum.text).toEqual({ key: 'value.checksumPartial', args: { value: checksum.display.slice(0, 6) } });
    // Numbers, names and addresses read the same in every language: no key.
    expect(field(syn, 'tcp', 'seq').text).toBeUndefined();
    expect(field(syn, 'ipv4', 'src')).toMatchObject({ display: '127.0.0.1' });
    expect(field(syn, 'ipv4', 'src').text).toBeUndefined();
    expect(field(syn, 'tcp', 'flags').text).toBeUndefined();
  });

  it('gives the TCP options as values in the summary, and none for a segment without options', () => {
    const [syn, synAck, ack] = summaries();
    expect(syn!.tcpOptions).toMatchObject({ mss: 65495, sackPerm: true });
    expect(syn!.tcpOptions!.wscale).toBe(Number(syn!.options!.wscale!.split(' ')[0]));
    expect(syn!.tcpOptions!.ts).toEqual({ val: Number(syn!.options!.ts!.split(' / ')[0]), ecr: 0 });
    expect(synAck!.tcpOptions!.ts!.ecr).toBe(syn!.tcpOptions!.ts!.val);
    expect(ack!.tcpOptions).toMatchObject({ sackPerm: false });
    expect(ack!.tcpOptions!.mss).toBeUndefined();
  });
});

describe('decodeFrame on the other real captures', () => {
  it('decodes IPv6 with its fixed header and the loopback MSS for IPv6', () => {
    const packets = decodeAll('handshake-ipv6');
    const syn = packets[0]!;
    expect(syn.summary).toMatchObject({ ip: 6, src: '::1', dst: '::1', proto: 'tcp', flags: ['SYN'] });
    // 65536 minus 40 (IPv6) and 20 (TCP) bytes of headers.
    expect(syn.summary.options?.mss).toBe('65476');
    expect(field(syn, 'ipv6', 'version').raw).toBe(6);
    expect(field(syn, 'ipv6', 'nextHeader').display).toBe('6 (TCP)');
    expect(field(syn, 'ipv6', 'payloadLength').raw).toBe(40);
    expect(field(syn, 'ipv6', 'flowLabel')).toMatchObject({ offset: 15, bitOffset: 4, bitLength: 20 });
    expect(packets[1]!.summary.ack).toBe(syn.summary.seq! + 1);
    for (const p of packets) expect(field(p, 'tcp', 'checksum').checksum).toBe('offload');
    expect(field(packets[3]!, 'payload', 'data').display).toBe('hello');
  });

  it('calls a pseudo-header-only checksum offload only where loopback is known', () => {
    const [syn] = loadFixture('handshake-ipv4');
    // Between 127.0.0.1 and itself: on loopback, whoever captured it.
    expect(field(decodeFrame(syn!.data, 1, syn!.len), 'tcp', 'checksum').checksum).toBe('offload');
    // The same SYN between two other hosts, its checksum again the bare pseudo-header sum.
    const data = syn!.data.slice();
    data.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
    const ip: IpContext = { version: 4, src: data.slice(26, 30), dst: data.slice(30, 34), fragmented: false };
    const pseudo = pseudoHeaderSum(ip, 6, data.length - 34);
    data.set([pseudo >> 8, pseudo & 0xff], 50);
    const elsewhere = field(decodeFrame(data, 1, data.length), 'tcp', 'checksum');
    expect(elsewhere.checksum).toBe('bad');
    expect(elsewhere.text).toMatchObject({ key: 'value.checksumPseudoOnly' });
    expect(elsewhere.display).toMatch(/pseudo-header sum alone/);
    const onLoopback = field(decodeFrame(data, 1, data.length, { loopback: true }), 'tcp', 'checksum');
    expect(onLoopback.checksum).toBe('offload');
    expect(onLoopback.text).toMatchObject({ key: 'value.checksumPartial' });
  });

  it('decodes the RST a closed port answers with, whose checksum the kernel does compute', () => {
    const [syn, rst] = decodeAll('rst-closed-port');
    expect(rst!.summary.flags).toEqual(['ACK', 'RST']);
    expect(rst!.summary.ack).toBe(syn!.summary.seq! + 1);
    expect(rst!.summary.window).toBe(0);
    expect(rst!.summary.info).toMatch(/\[RST, ACK\] Seq=0 Ack=\d+ Win=0 Len=0$/);
    expect(field(rst!, 'tcp', 'checksum').checksum).toBe('ok');
  });

  it('decodes UDP datagrams, including an empty one that is just the 8-byte header', () => {
    for (const name of ['udp-ipv4', 'udp-ipv6']) {
      const [ping, empty] = decodeAll(name);
      expect(ping!.summary).toMatchObject({ proto: 'udp', payloadLength: 4 });
      expect(field(ping!, 'payload', 'data').display).toBe('ping');
      expect(empty!.summary.payloadLength).toBe(0);
      expect(empty!.summary.info).toMatch(/^\d+ → \d+ Len=0$/);
      expect(field(empty!, 'udp', 'length').raw).toBe(8);
      expect(empty!.layers.map((l) => l.name)).not.toContain('payload');
      expect(field(ping!, 'udp', 'checksum').checksum).toBe('offload');
    }
  });

  it('gives every field a raw value equal to the bytes at its offset, and valid output', () => {
    for (const name of FIXTURES) {
      const records = loadFixture(name);
      for (const record of records) {
        const packet = decodeFrame(record.data, 1, record.len);
        expect(Value.Check(DecodedPacket, packet)).toBe(true);
        for (const layer of packet.layers) {
          expect(layer.malformed).toBeUndefined();
          for (const f of layer.fields.flatMap((x) => [x, ...(x.children ?? [])])) {
            expect(f.offset + f.length).toBeLessThanOrEqual(record.data.length);
            const bytes = record.data.subarray(f.offset, f.offset + f.length);
            if (typeof f.raw === 'string') expect(f.raw).toBe(toHex(bytes));
            else if (f.bitLength !== undefined) expect(readBits(record.data, f.offset, f.bitOffset!, f.bitLength)).toBe(f.raw);
            else if (f.length <= 4) expect(readUint(record.data, f.offset, f.length)).toBe(f.raw);
          }
        }
      }
    }
  });
});

describe.skipIf(MUTATION_RUN || skipWithout(hasTshark(), 'tshark'))(`decodeFrame agrees with tshark${hasTshark() ? '' : ' (skipped: tshark is not installed)'}`, () => {
  it('on addresses, ports, sequence numbers, flags, windows, lengths, options and checksums', () => {
    const columns = [
      'ip.src', 'ipv6.src', 'tcp.srcport', 'udp.srcport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags',
      'tcp.window_size_value', 'tcp.len', 'udp.length', 'tcp.options.mss_val', 'tcp.options.wscale.shift',
      'tcp.options.timestamp.tsval', 'tcp.checksum.status', 'ip.ttl', 'tcp.options.timestamp.tsecr', 'tcp.option_kind',
    ];
    for (const name of FIXTURES) {
      const out = execFileSync(
        'tshark',
        ['-r', fixturePath(name), '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|', ...columns.flatMap((c) => ['-e', c])],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const rows = out.trim().split('\n').map((line) => line.split('|'));
      const packets = decodeAll(name);
      expect(rows.length).toBe(packets.length);
      rows.forEach((row, i) => {
        const t = Object.fromEntries(columns.map((c, j) => [c, row[j] ?? '']));
        const p = packets[i]!;
        const s = p.summary;
        expect(s.src).toBe(t['ip.src'] || t['ipv6.src']);
        expect(String(s.sport)).toBe(t['tcp.srcport'] || t['udp.srcport']);
        if (s.proto === 'tcp') {
          expect(String(s.seq)).toBe(t['tcp.seq_raw']);
          expect(String(s.ack)).toBe(t['tcp.ack_raw']);
          expect(Number(field(p, 'tcp', 'flags').raw)).toBe(Number(t['tcp.flags']));
          expect(String(s.window)).toBe(t['tcp.window_size_value']);
          expect(String(s.payloadLength)).toBe(t['tcp.len']);
          expect(s.options?.mss ?? '').toBe(t['tcp.options.mss_val']);
          expect(s.options?.wscale?.split(' ')[0] ?? '').toBe(t['tcp.options.wscale.shift']);
          expect(s.options?.ts?.split(' / ')[0] ?? '').toBe(t['tcp.options.timestamp.tsval']);
          // The same options as values.
          expect(String(s.tcpOptions?.mss ?? '')).toBe(t['tcp.options.mss_val']);
          expect(String(s.tcpOptions?.wscale ?? '')).toBe(t['tcp.options.wscale.shift']);
          expect(String(s.tcpOptions?.ts?.val ?? '')).toBe(t['tcp.options.timestamp.tsval']);
          expect(String(s.tcpOptions?.ts?.ecr ?? '')).toBe(t['tcp.options.timestamp.tsecr']);
          expect(s.tcpOptions?.sackPerm).toBe((t['tcp.option_kind'] ?? '').split(',').includes('4'));
          // tshark: 1 = good, 0 = bad (it does not know about offload).
          const status = field(p, 'tcp', 'checksum').checksum;
          expect(status === 'ok' ? '1' : '0').toBe(t['tcp.checksum.status']);
        } else {
          expect(String(s.payloadLength + 8)).toBe(t['udp.length']);
        }
        if (s.ip === 4) expect(String(field(p, 'ipv4', 'ttl').raw)).toBe(t['ip.ttl']);
      });
    }
  });
});
